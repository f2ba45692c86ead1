"""Images in: decoding with limits, sample photos."""

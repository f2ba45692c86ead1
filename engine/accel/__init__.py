"""CPU speed-ups applied at load time, each checked against the untouched model."""

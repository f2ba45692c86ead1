"""Real sample photos shipped by scikit-image (no download): a cat, a coffee cup, an astronaut...

Example:
    >>> sorted(SAMPLES)[:3]
    ['astronaut', 'cat', 'coffee']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image


@dataclass(frozen=True)
class Sample:
    """One bundled photo: its scikit-image loader name and what is in it."""

    key: str
    loader: str  # attribute of skimage.data
    what_es: str
    what_en: str


SAMPLES: dict[str, Sample] = {
    s.key: s
    for s in (
        Sample("cat", "chelsea", "gato (Chelsea)", "cat (Chelsea)"),
        Sample("coffee", "coffee", "taza de café", "coffee cup"),
        Sample("astronaut", "astronaut", "astronauta (Eileen Collins)", "astronaut (Eileen Collins)"),
        Sample("rocket", "rocket", "cohete en la plataforma", "rocket on the launch pad"),
        Sample("motorcycle", "stereo_motorcycle", "moto", "motorcycle"),
        Sample("horse", "horse", "silueta de caballo", "horse silhouette"),
    )
}


@lru_cache(maxsize=16)
def _load(key: str) -> Image.Image:
    import skimage.data

    sample = SAMPLES[key]
    data = getattr(skimage.data, sample.loader)()
    if isinstance(data, tuple):  # stereo_motorcycle returns (left, right, disparity)
        data = data[0]
    from engine.inputs.images import load_image

    return load_image(data)


def load_sample(key: str) -> Image.Image:
    """The sample photo ``key`` as RGB (a copy: callers may draw on it)."""
    return _load(key).copy()

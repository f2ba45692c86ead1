"""Video clips for the tests, made here with PyAV (no file on disk, no system ffmpeg): good clips for the
video engine and page, and one bad clip for each refusal.

Every maker returns the container's bytes, as an upload would give them.

- :func:`moving_scene`: a synthetic scene (two coloured squares moving on grey), H.264 in mp4 (or
  VP9 in webm, ``container="webm"``);
- :func:`coco8_clip`: scenes of coco8 photos (../shared/data/coco8), each held ``hold`` frames and
  slid a few pixels a frame, so a tracker follows the same objects from frame to frame
  (:data:`COCO8_CLIP_SCENES`; :data:`COCO8_CLIP_OBJECTS`, the distinct objects YOLOv8n finds);
- :func:`corrupt_video`, :func:`garbage_bytes`, :func:`audio_only`, :func:`zero_frames`,
  :func:`long_video`, :func:`huge_frame`, :func:`odd_codec`: one bad clip each.

Example:
    >>> data = moving_scene(frames=8, fps=4)
    >>> data[4:8]
    b'ftyp'
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from tests.conftest import COCO8

# The scenes of coco8_clip: coco8 photos side by side, each scene with objects YOLOv8n finds at 0.5
# (0.78-0.94) and no class of another scene, so a distinct-object count is the scenes' own counts.
COCO8_CLIP_SCENES: tuple[tuple[str, ...], ...] = (
    ("train/000000000034.jpg", "train/000000000025.jpg"),  # a zebra, a giraffe
    ("val/000000000036.jpg", "val/000000000036.jpg"),  # twice a person with an umbrella: 2 persons, 2 umbrellas
)
COCO8_CLIP_OBJECTS = {"person": 2, "umbrella": 2, "giraffe": 1, "zebra": 1}  # what YOLOv8n counts, scene by scene


def encode(
    images: Iterable[Image.Image],
    *,
    fps: float = 8,
    codec: str = "libx264",
    container: str = "mp4",
    options: dict[str, str] | None = None,
    size: tuple[int, int] | None = None,
    pix_fmt: str = "yuv420p",
) -> bytes:
    """``images`` (all one even size: ``size``, else the first image's) encoded as one video stream, in memory.

    Example:
        >>> len(encode([Image.new("RGB", (32, 32))] * 3)) > 0
        True
    """
    buf = io.BytesIO()
    with av.open(buf, "w", format=container) as out:
        stream = out.add_stream(codec, rate=Fraction(fps).limit_denominator(1000))
        stream.pix_fmt = pix_fmt
        stream.options = options or {}
        if size is not None:
            stream.width, stream.height = size
        count = 0
        for image in images:
            count += 1
            if size is None:
                stream.width, stream.height = size = image.size
            for packet in stream.encode(av.VideoFrame.from_image(image.convert("RGB"))):
                out.mux(packet)
        if not count:
            out.start_encoding()  # the header, with its stream, though no frame follows
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def moving_scene(
    frames: int = 24, fps: float = 8, size: tuple[int, int] = (320, 240), *, container: str = "mp4"
) -> bytes:
    """A synthetic scene: a red square moving right and a blue one moving down on grey.

    ``container="webm"`` encodes VP9 in webm instead of H.264 in mp4 (no frame count in the header).
    """
    width, height = size
    codec = "libx264" if container == "mp4" else "libvpx-vp9"

    def scene(i: int) -> Image.Image:
        pixels = np.full((height, width, 3), 128, dtype=np.uint8)
        side = max(4, min(width, height) // 5)
        x = (i * 4) % max(1, width - side)
        y = (i * 3) % max(1, height - side)
        pixels[height // 4 : height // 4 + side, x : x + side] = (220, 30, 30)
        pixels[y : y + side, width // 2 : width // 2 + side] = (30, 30, 220)
        return Image.fromarray(pixels)

    return encode((scene(i) for i in range(frames)), fps=fps, codec=codec, container=container)


def coco8_image(name: str, size: tuple[int, int]) -> Image.Image:
    """The coco8 photo ``name`` ("val/000000000061.jpg"), letterboxed on grey into ``size``."""
    path: Path = COCO8 / "images" / name
    photo = Image.open(path).convert("RGB")
    photo.thumbnail(size)
    canvas = Image.new("RGB", size, (114, 114, 114))
    canvas.paste(photo, ((size[0] - photo.width) // 2, (size[1] - photo.height) // 2))
    return canvas


def coco8_clip(
    scenes: Sequence[Sequence[str]] = COCO8_CLIP_SCENES,
    *,
    hold: int = 6,
    step: int = 2,
    fps: float = 6,
    size: tuple[int, int] = (1280, 480),
) -> bytes:
    """Scenes of coco8 photos side by side (each photo letterboxed into its share of ``size``), each
    scene held ``hold`` frames and slid ``step`` pixels right a frame.

    A held scene has the same objects in every one of its frames, barely moved: a tracker gives
    them the same ids; the next scene cuts to new objects. The default: 12 frames, 2 s.
    """
    width, height = size
    margin = step * hold

    def frames() -> Iterable[Image.Image]:
        for scene in scenes:
            share = (width - margin) // len(scene)
            photos = [coco8_image(name, (share, height)) for name in scene]
            for i in range(hold):
                frame = Image.new("RGB", size, (114, 114, 114))
                for k, photo in enumerate(photos):
                    frame.paste(photo, (k * share + i * step, 0))
                yield frame

    return encode(frames(), fps=fps)


def corrupt_video() -> bytes:
    """The first half of an mp4: its index (the ``moov`` box, written at the end) is missing."""
    data = moving_scene(frames=16)
    return data[: len(data) // 2]


def garbage_bytes() -> bytes:
    """Bytes that are no container at all."""
    return bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8))


def audio_only(seconds: float = 1.0) -> bytes:
    """An m4a: an mp4 container with one AAC audio stream and no video."""
    buf = io.BytesIO()
    rate = 44100
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("aac", rate=rate)
        stream.layout = "mono"
        samples = int(seconds * rate)
        tone = (0.2 * np.sin(2 * np.pi * 440 * np.arange(samples) / rate)).astype(np.float32)
        for start in range(0, samples, 1024):
            chunk = tone[start : start + 1024]
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


def zero_frames() -> bytes:
    """A fragmented mp4 (as a recording stopped at once leaves it) with an H.264 stream and no frame.

    (A plain mp4 muxer drops a track without samples, which would make it an mp4 with no video.)
    """
    return encode([], fps=8, size=(64, 48), container="ismv")


def long_video(seconds: int = 61, fps: float = 1) -> bytes:
    """A clip over the default 60 s limit, made cheap: 16×16 frames at 1 fps."""
    return moving_scene(frames=int(seconds * fps), fps=fps, size=(16, 16))


def huge_frame(size: tuple[int, int] = (2000, 64)) -> bytes:
    """A clip wider than the default 1920 px side limit (two frames, so it stays small)."""
    return moving_scene(frames=2, fps=2, size=size)


def odd_codec() -> bytes:
    """An mp4 whose video stream names a codec no decoder knows (its ``avc1`` sample entry renamed)."""
    data = moving_scene(frames=4)
    assert data.count(b"avc1") >= 1
    return data.replace(b"avc1", b"zzz1")

"""``python -m bench.video [options]``: what a video costs (engine/tasks/video.py) with the real YOLOv8n.

It encodes a clip of coco8 photos (each held ``--hold`` frames and slid a few pixels a frame) at
``--size`` and ``--fps`` for ``--seconds``, then measures, per frame:

- decode: PyAV decoding every frame (what sampling pays for the frames it skips too);
- detect: :func:`engine.tasks.detection.detect` on each sampled frame (``ms_per_frame``);
- encode: :func:`engine.tasks.video.annotate_video` (decode again, draw, H.264) per sampled frame;

and the process's memory: resident set before the video, and the peak while detecting and
annotating (sampled every 20 ms). Times are wall-clock on whatever else the machine runs.

Example:
    >>> parse_args(["--seconds", "2"]).seconds
    2.0
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COCO8 = ROOT.parent / "shared" / "data" / "coco8"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.video", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fps", type=float, default=30.0)
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT (even)")
    parser.add_argument("--stride", type=int, default=5)
    parser.add_argument("--hold", type=int, default=30, help="frames each photo is held")
    parser.add_argument("--coco8", type=Path, default=COCO8)
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON here")
    return parser.parse_args(argv)


def _frames(coco8: Path, size: tuple[int, int], count: int, hold: int) -> Iterator[object]:
    from PIL import Image

    photos = sorted((coco8 / "images").rglob("*.jpg"))
    for i in range(count):
        k, j = divmod(i, hold)
        photo = Image.open(photos[k % len(photos)]).convert("RGB")
        photo.thumbnail((size[0] - 2 * hold, size[1]))
        frame = Image.new("RGB", size, (114, 114, 114))
        frame.paste(photo, (2 * j, (size[1] - photo.height) // 2))
        yield frame


def make_clip(coco8: Path, size: tuple[int, int], fps: float, seconds: float, hold: int) -> bytes:
    """An H.264 mp4 of coco8 photos, in memory."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1000))
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23"}
        for image in _frames(coco8, size, round(fps * seconds), hold):
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return buf.getvalue()


class PeakRSS:
    """The process's largest resident set while the block runs (sampled every ``every_s``)."""

    def __init__(self, every_s: float = 0.02) -> None:
        import psutil

        self._proc = psutil.Process()
        self._every = every_s
        self.peak = self._proc.memory_info().rss
        self._stop = threading.Event()

    def _watch(self) -> None:
        while not self._stop.wait(self._every):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __enter__(self) -> PeakRSS:
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak = max(self.peak, self._proc.memory_info().rss)


def run(args: argparse.Namespace) -> dict[str, object]:
    import av
    import psutil

    from engine.tasks import video
    from engine.tasks.detection import detect, load_detector

    width, height = (int(v) for v in args.size.lower().split("x"))
    start = time.perf_counter()
    data = make_clip(args.coco8, (width, height), args.fps, args.seconds, args.hold)
    made_s = time.perf_counter() - start
    unlimited = video.VideoLimits(2**40, 10**6, 10**5, 10**6)
    info = video.probe_video(data, unlimited)
    with av.open(io.BytesIO(data)) as container:
        start = time.perf_counter()
        decoded = sum(1 for _ in container.decode(video=0))
        decode_ms = (time.perf_counter() - start) * 1000 / max(1, decoded)
    detector = load_detector("ultralytics/yolov8n")
    detect(detector, next(iter(video.sample_frames(data, args.stride, limits=unlimited))).image)  # warm-up
    rss_before = psutil.Process().memory_info().rss
    with PeakRSS() as detecting:
        start = time.perf_counter()
        result = video.detect_video(
            data,
            lambda image: detect(detector, image, threshold=0.5),
            model_id=detector.model_id,
            stride=args.stride,
            limits=unlimited,  # the engine's cost, not the limits: a 60 s clip at 30 fps and stride 5 is 360 frames
        )
        detect_s = time.perf_counter() - start
    with PeakRSS() as annotating:
        start = time.perf_counter()
        out, mime = video.annotate_video(data, result)
        annotate_s = time.perf_counter() - start
    sampled = len(result.frames)
    return {
        "clip": {**vars(args), "coco8": str(args.coco8), "out": None, "bytes": len(data), "made_s": round(made_s, 1)},
        "info": {"frames": info.frames, "fps": info.fps, "seconds": info.seconds, "size": [info.width, info.height]},
        "sampled": sampled,
        "decode_ms_per_frame": round(decode_ms, 2),
        "detect_ms_per_sampled_frame": round(result.ms_per_frame, 1),
        "detect_video_ms_per_sampled_frame": round(detect_s * 1000 / sampled, 1),
        "annotate_encode_ms_per_sampled_frame": round(annotate_s * 1000 / sampled, 1),
        "annotated_bytes": len(out),
        "mime": mime,
        "rss_before_mb": round(rss_before / 2**20),
        "peak_rss_detect_mb": round(detecting.peak / 2**20),
        "peak_rss_annotate_mb": round(annotating.peak / 2**20),
        "distinct_objects": result.distinct_objects(),
    }


def cli(argv: list[str]) -> int:
    args = parse_args(argv)
    from engine import settings

    figures = run(args)
    figures["limits"] = {"max_sampled": settings.video_max_sampled(), "max_seconds": settings.video_max_seconds()}
    text = json.dumps(figures, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))

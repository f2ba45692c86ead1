"""The app's pages: file, fixed URL path, catalog key of the title, icon.

Every page is in the menu: a page whose file is missing (renamed, deleted) is an error, never
silently left out of the menu and of the tests that walk the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageDef:
    file: str
    url_path: str
    key: str  # catalog area: "<key>.nav" is the menu title
    icon: str


PAGES: tuple[PageDef, ...] = (
    PageDef("pages/home.py", "", "home", "🏠"),
    PageDef("pages/classification.py", "classification", "classification", "🖼️"),
    PageDef("pages/pictionary.py", "pictionary", "pictionary", "✏️"),
    PageDef("pages/detection.py", "detection", "detection", "📦"),
    PageDef("pages/video.py", "video", "video", "🎬"),
    PageDef("pages/segmentation.py", "segmentation", "segmentation", "🧩"),
    PageDef("pages/zero_shot.py", "zero_shot", "zero_shot", "🔤"),
    PageDef("pages/clip_workshop.py", "clip_workshop", "clip_workshop", "🧪"),
    PageDef("pages/depth.py", "depth", "depth", "🏔️"),
)


def existing_pages() -> list[PageDef]:
    """Every page of :data:`PAGES`, in menu order; raises when a page's file is missing."""
    missing = [p.file for p in PAGES if not (ROOT / p.file).is_file()]
    if missing:
        raise FileNotFoundError(f"ui/nav.py lists pages whose files are missing: {', '.join(missing)}")
    return list(PAGES)

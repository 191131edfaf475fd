"""LogoGallery: the built Simple Icons gallery, and user logos (PNG, SVG) from a LOGO_DIR."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from adclf.pipeline.logos import GalleryMatcher, GalleryMissing, LogoGallery
from adclf.pipeline.types import Frame
from tests.pipeline.logos import synth

# A made-up brand mark: a five-point star with a round hole, over a bar.
STAR_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120">
<path fill-rule="evenodd" d="M50 0 L61 35 L98 35 L68 57 L79 92 L50 70 L21 92 L32 57 L2 35 L39 35 Z
M50 38 A9 9 0 1 0 50.01 38 Z"/><rect x="5" y="104" width="90" height="14"/></svg>"""


def hook_png(path: Path) -> None:
    """Another made-up mark, drawn black on a transparent PNG: a hook with a dot and a wedge."""
    rgba = np.zeros((240, 300, 4), np.uint8)
    cv2.ellipse(rgba, (120, 120), (95, 95), 0, 30, 300, (0, 0, 0, 255), 34)
    cv2.circle(rgba, (235, 60), 26, (0, 0, 0, 255), -1)
    cv2.fillPoly(rgba, [np.array([[200, 150], [295, 235], [190, 235]], np.int32)], (0, 0, 0, 255))
    cv2.imwrite(str(path), rgba)


def ring_png(path: Path) -> None:
    """A third made-up mark, unlike the hook: a ring crossed by a bar. (The hook again under a
    second name made the test depend on which of two identical entries won a tie.)"""
    rgba = np.zeros((240, 240, 4), np.uint8)
    cv2.circle(rgba, (120, 120), 90, (0, 0, 0, 255), 30)
    cv2.rectangle(rgba, (20, 100), (220, 140), (0, 0, 0, 255), -1)
    cv2.imwrite(str(path), rgba)


@pytest.fixture(scope="module")
def logo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("logos")
    hook_png(d / "Tim Hortons.png")
    (d / "Starbrand.svg").write_text(STAR_SVG)
    ring_png(d / "Nike.png")  # replaces the shipped Nike swoosh
    (d / "notes.txt").write_text("not a logo")
    return d


@pytest.fixture(scope="module")
def user_matcher(logo_dir: Path) -> GalleryMatcher:
    return GalleryMatcher(LogoGallery(user_dir=logo_dir)).warm()


def test_shipped_gallery_has_the_collection() -> None:
    """Its load time (< 3 s) is measured by benchmarks/micro.py."""
    g = LogoGallery().warm()
    assert len(g) >= 3400
    keys = {e.key for e in g.entries if e.source == "gallery"}
    assert {"mcdonalds", "nike", "apple", "adidas"} <= keys


def test_missing_gallery_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(GalleryMissing, match="setup.sh"):
        LogoGallery(gallery_dir=tmp_path).warm()


def test_user_entries_replace_shipped_brand(user_matcher: GalleryMatcher) -> None:
    g = user_matcher.gallery
    nikes = [e for e in g.entries if e.brand.casefold() == "nike"]
    assert [(e.source, e.key) for e in nikes] == [("user", "Nike")]
    assert {e.key for e in g.entries if e.source == "user"} == {"Tim Hortons", "Starbrand", "Nike"}


def test_user_png_is_found_under_its_file_stem(
    logo_dir: Path, user_matcher: GalleryMatcher
) -> None:
    rng = np.random.default_rng(4)
    img, box = synth.logo_frame(
        logo_dir / "Tim Hortons.png", 0.22, (200, 16, 46), synth.plain(synth.WHITE), rng
    )
    dets = user_matcher.detect([Frame(3.0, img)])
    hits = [d for d in dets if d.brand == "Tim Hortons"]
    assert hits and hits[0].source == "user" and hits[0].key == "Tim Hortons", dets
    assert hits[0].score >= 0.5


def test_user_svg_is_found_on_a_photo(logo_dir: Path, user_matcher: GalleryMatcher) -> None:
    rng = np.random.default_rng(6)
    img, _ = synth.logo_frame(logo_dir / "Starbrand.svg", 0.18, synth.WHITE, synth.photo(rng), rng)
    dets = user_matcher.detect([Frame(0.5, img)])
    assert [d.brand for d in dets] == ["Starbrand"], dets
    assert dets[0].source == "user"


def test_user_logos_not_in_the_frame_are_not_reported(user_matcher: GalleryMatcher) -> None:
    img, _ = synth.logo_frame(
        synth.ICONS / "mcdonalds.svg",
        0.3,
        (255, 199, 44),
        synth.plain((200, 16, 46)),
        np.random.default_rng(1),
    )
    assert [d.key for d in user_matcher.detect([Frame(0.0, img)])] == ["mcdonalds"]

"""The frames a chat model is shown: which ones (end card, distinct scenes, no black) and their
JPEG encoding."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from adclf.pipeline.providers.images import encode_jpeg, select_frames
from adclf.pipeline.types import Frame


def test_encode_jpeg_shrinks_to_768_and_keeps_aspect(ad_frames: list[Frame]) -> None:
    data = encode_jpeg(ad_frames[0].image)
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG"
        assert img.size == (768, 432)


def test_encode_jpeg_leaves_small_images_alone() -> None:
    small = np.full((120, 200, 3), 90, dtype=np.uint8)
    with Image.open(io.BytesIO(encode_jpeg(small))) as img:
        assert img.size == (200, 120)


def test_select_frames_prefers_end_card_and_distinct_scenes(ad_frames: list[Frame]) -> None:
    chosen = select_frames(ad_frames)
    times = [f.timestamp for f in chosen]
    assert times == sorted(times)
    assert len(chosen) <= 4
    assert times[-1] == ad_frames[-1].timestamp  # the end card
    # one frame per scene: scenes are [0, 2), [2, 4), [4, 6) seconds
    assert sorted({int(t // 2) for t in times}) == [0, 1, 2]
    assert len(times) == 3


def test_select_frames_skips_black_tail_and_respects_limit(ad_frames: list[Frame]) -> None:
    black = Frame(timestamp=6.0, image=np.zeros_like(ad_frames[0].image), index=99)
    chosen = select_frames([*ad_frames, black], limit=2)
    assert len(chosen) == 2
    assert black not in chosen
    assert chosen[-1].timestamp == ad_frames[-1].timestamp


def test_select_frames_of_nothing() -> None:
    assert select_frames([]) == []


def _card(text: str, seed: int, colour: str = "darkgreen") -> np.ndarray:
    img = Image.new("RGB", (1280, 720), colour)
    ImageDraw.Draw(img).text((400, 330), text, fill="white", font_size=60)
    noise = np.random.default_rng(seed).integers(-5, 6, (720, 1280, 3))
    return np.clip(np.asarray(img, dtype=np.int16) + noise, 0, 255).astype(np.uint8)


def test_select_frames_text_change_is_distinct_noise_is_not() -> None:
    a = Frame(1.0, _card("Pain frais", 1))
    a_noisy = Frame(2.0, _card("Pain frais", 2))
    b = Frame(3.0, _card("Croissants au beurre", 3))
    chosen = select_frames([a, a_noisy, b])
    assert b in chosen and len(chosen) == 2


def test_select_frames_ranks_by_the_samplers_sharpness_when_given() -> None:
    scenes = [("Pain frais", "darkgreen"), ("Croissants", "darkred"), ("Baguette", "navy"),
              ("MAISON DUPRÉ", "black")]
    cards = [Frame(float(i), _card(text, i, colour), index=i)
             for i, (text, colour) in enumerate(scenes)]
    # the end card is always first; of the others the one the sampler found sharpest follows
    cards[0].sharpness, cards[1].sharpness, cards[2].sharpness = 5.0, 50.0, 10.0
    assert [f.index for f in select_frames(cards, limit=2)] == [1, 3]
    cards[0].sharpness = 500.0
    assert [f.index for f in select_frames(cards, limit=2)] == [0, 3]

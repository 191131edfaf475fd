"""OCR engines reading text that ffmpeg drew (English and French), and the cross-frame merge."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from adclf.errors import BadInput, PipelineError
from adclf.pipeline.frames import VideoFrameSource
from adclf.pipeline.ocr import get_ocr_engine, merge_lines, normalise, occurrences
from adclf.pipeline.ocr.lines import make_line
from adclf.pipeline.types import Frame, OcrLine
from tests.pipeline.speech import media
from tests.videos import Scene, make_video

ENGINES = ["rapidocr", "tesseract"]


@pytest.fixture(scope="session")
def text_frames(media_dir: Path) -> list[Frame]:
    """Three cards, each 2 s: English copy, French copy with accents, a huge brand."""
    video = make_video(
        media_dir / "ocr_cards.mp4",
        [
            Scene(2.0, "white", ["SUMMER SALE", "Free delivery"], font_size=44,
                  font_color="black"),
            Scene(2.0, "navy", ["Crème brûlée", "Goûtez à l'été"], font_size=44),
            Scene(2.0, "black", ["ZORBO"], font_size=150),
        ],
        size=(640, 360),
    )
    frames, _ = VideoFrameSource().sample(video, "Full Video")
    assert len(frames) == 3
    return frames


@pytest.fixture(scope="module", params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _texts(lines: list[OcrLine]) -> list[str]:
    return [normalise(line.text) for line in lines]


def test_reads_english_copy(engine_name: str, text_frames: list[Frame]) -> None:
    lines = get_ocr_engine(engine_name).read(text_frames[:1])
    texts = _texts(lines)
    assert "summer sale" in texts
    assert "free delivery" in texts
    for line in lines:
        assert line.timestamp == text_frames[0].timestamp
        assert 0.3 <= line.confidence <= 1.0
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= 640 and 0 <= y0 < y1 <= 360


def test_reads_french_with_accents(engine_name: str, text_frames: list[Frame]) -> None:
    lines = get_ocr_engine(engine_name).read(text_frames[1:2])
    joined = " ".join(_texts(lines))
    assert "crème brûlée" in joined
    # tesseract drops the circumflex on some glyphs; rapidocr reads the line as drawn
    if engine_name == "rapidocr":
        assert "goûtez à l été" in joined
    else:
        assert "été" in joined


def test_large_text_is_flagged(engine_name: str, text_frames: list[Frame]) -> None:
    lines = get_ocr_engine(engine_name).read(text_frames)
    brand = next(line for line in lines if normalise(line.text) == "zorbo")
    assert brand.large and brand.height_ratio > 0.15
    copy = next(line for line in lines if normalise(line.text) == "summer sale")
    assert not copy.large and copy.height_ratio < 0.15


def test_same_text_in_several_frames_is_one_line(engine_name: str,
                                                 text_frames: list[Frame]) -> None:
    first = text_frames[0]
    later = Frame(timestamp=first.timestamp + 5.0, image=first.image.copy(), index=9)
    lines = get_ocr_engine(engine_name).read([first, later])
    texts = _texts(lines)
    assert texts.count("summer sale") == 1
    sale = next(line for line in lines if normalise(line.text) == "summer sale")
    assert sale.timestamp == first.timestamp  # the first sighting's time is kept


def test_blank_frame_has_no_text(engine_name: str) -> None:
    blank = Frame(timestamp=0.0, image=np.full((360, 640, 3), 40, np.uint8))
    assert get_ocr_engine(engine_name).read([blank]) == []


def test_tesseract_limits_only_its_own_threads(tmp_path: Path) -> None:
    """The OpenMP limit tesseract runs under must not reach the rest of the process: in
    os.environ it capped a speech model loaded later by the same worker, which then heard
    nothing. A fresh process, so the speech model really loads after tesseract has run."""
    voice = media.speak("Open your world. Heineken.", tmp_path / "voice.wav", voice="en-us")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "import numpy as np\n"
        "from adclf.pipeline.ocr import get_ocr_engine\n"
        "from adclf.pipeline.types import Frame\n"
        "from adclf.pipeline.speech.whisper import WhisperRecognizer\n"
        "get_ocr_engine('tesseract').read([Frame(timestamp=0.0, image=np.full((90, 160, 3), "
        "200, np.uint8))])\n"
        "heard = WhisperRecognizer(threads=2).transcribe(Path(sys.argv[1]))\n"
        "print(' '.join(line.text for line in heard))\n"
        "print('limit in environ:', os.environ.get('OMP_THREAD_LIMIT'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    done = subprocess.run([sys.executable, "-c", script, str(voice)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "world" in done.stdout.lower(), done.stdout
    assert "limit in environ: None" in done.stdout


def test_tesseract_failure_is_a_pipeline_error(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = get_ocr_engine("tesseract")
    monkeypatch.setattr("adclf.pipeline.ocr.tesseract.LANGS", "nosuchlanguage")
    frame = Frame(timestamp=0.0, image=np.full((90, 160, 3), 200, np.uint8))
    with pytest.raises(PipelineError, match="tesseract failed"):
        engine.read([frame])


def test_detailed_mode_reads_at_a_larger_size() -> None:
    fast, detailed = get_ocr_engine("rapidocr", "Fast"), get_ocr_engine("rapidocr", "Detailed")
    assert detailed.side > fast.side


def test_unknown_engine_or_mode_is_refused() -> None:
    with pytest.raises(BadInput, match="unknown OCR engine"):
        get_ocr_engine("easyocr")
    with pytest.raises(ValueError, match="unknown OCR mode"):
        get_ocr_engine("tesseract", "Thorough")


def _line(text: str, t: float, conf: float = 0.9, top: float = 10.0,
          height: float = 20.0) -> OcrLine:
    line = make_line(text, t, conf, [0, top, 100, top + height], 100)
    assert line is not None
    return line


def test_merge_keeps_first_time_best_reading_and_reading_order() -> None:
    lines = merge_lines([
        _line("acme.com", 9.0, 0.95, top=60),
        _line("ACME", 9.0, 0.99, top=10, height=30),
        _line("Runnlng shoes", 2.0, 0.70),
        _line("Running shoes", 4.0, 0.98),
        _line("acme.com", 11.0, 0.90, top=60),
    ])
    assert [x.text for x in lines] == ["Running shoes", "ACME", "acme.com"]
    shoes = lines[0]
    assert shoes.timestamp == 2.0 and shoes.confidence == 0.98  # first time, clearer text
    assert lines[1].large and lines[1].height_ratio == pytest.approx(0.3)


def test_merge_keeps_short_different_words_apart() -> None:
    lines = merge_lines([_line("ONE", 1.0), _line("ONO", 1.0, top=40)])
    assert len(lines) == 2


def test_make_line_drops_punctuation_only_text() -> None:
    assert make_line("—  ·", 1.0, 0.9, [0, 0, 10, 10], 100) is None
    line = make_line("  Dès   49\u00a0€ ", 1.0, 1.3, [0, 0, 10, 10], 100)
    assert line is not None and line.text == "Dès 49 €" and line.confidence == 1.0


def test_occurrences_counts_repeats() -> None:
    counts = occurrences([_line("ACME", 1), _line("acme", 2), _line("Sale", 2)])
    assert counts == {"acme": 2, "sale": 1}

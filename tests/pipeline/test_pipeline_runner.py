"""The whole pipeline end to end on real videos with the real embedded provider and mapper."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from adclf.config import Settings
from adclf.domain import JobSettings, JobSpec, Stage
from adclf.errors import JobCancelled, PipelineError
from adclf.pipeline.artifacts import artifact_index
from adclf.pipeline.runner import Pipeline
from tests.videos import Scene, make_video, speak


@dataclass
class RecordingReporter:
    """A Reporter that remembers every call (and can cancel at a chosen stage)."""

    cancel_at: Stage | None = None
    stages: list[tuple[Stage, str, float]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def stage(self, stage: Stage, detail: str = "", progress: float | None = None) -> None:
        self.stages.append((stage, detail, -1.0 if progress is None else progress))
        if stage == self.cancel_at:
            raise JobCancelled("deleted by the user")

    def event(self, message: str) -> None:
        self.events.append(message)

    @property
    def order(self) -> list[Stage]:
        out: list[Stage] = []
        for stage, _, _ in self.stages:
            if not out or out[-1] != stage:
                out.append(stage)
        return out


@pytest.fixture(scope="session")
def late_brand_ad(media_dir: Path) -> Path:
    """The brand shows only early; the last 14 s have no text at all, so the Tail Only attempt
    finds nothing to read and the rescue ladder must look further back."""
    return make_video(
        media_dir / "late_brand.mp4",
        [
            Scene(3.0, "white", ["ZEPHYRA", "zephyra.com", "Electric bikes"], font_size=40,
                  font_color="black"),
            Scene(5.0, "darkgreen", []),
            Scene(5.0, "navy", []),
            Scene(4.0, "darkred", []),
        ],
        size=(640, 360),
    )


def _spec(video: Path, **job: object) -> JobSpec:
    return JobSpec(job_id="node-a-test", node="node-a", source_kind="file", source=str(video),
                   settings=JobSettings(**job))


def test_end_to_end_reads_the_brand_from_the_end_card(
    pipeline: Pipeline, end_card_ad: Path, tmp_path: Path
) -> None:
    stale = tmp_path / "frames" / "frame_042.jpg"  # left by an earlier attempt of this job
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    reporter = RecordingReporter()
    result = pipeline.run(_spec(end_card_ad), tmp_path, reporter)
    assert not stale.exists()

    row = result.result_row()
    assert row["brand"].casefold() == "acme"
    assert row["provider"] == "embedded"
    assert result.mapping.method != "none" and result.mapping.industry_name
    assert any(line.text.casefold() == "acme.com" for line in result.ocr_lines)
    assert result.duration == pytest.approx(12.0, abs=0.1)

    # stages in order, progress only moves forward and ends before the worker's PERSIST
    # (a rescue attempt, if the provider was unsure, revisits frames/OCR/classify before MAP)
    assert reporter.order[:6] == [Stage.INGEST, Stage.FRAME_EXTRACT, Stage.OCR, Stage.LOGOS,
                                  Stage.ASR, Stage.CLASSIFY]
    assert reporter.order[-1] == Stage.MAP and reporter.order.count(Stage.MAP) == 1
    progress = [p for _, _, p in reporter.stages]
    assert progress == sorted(progress) and progress[0] >= 5 and 85 <= progress[-1] < 95
    assert len({p for s, _, p in reporter.stages if s == Stage.OCR}) >= 2  # moves within OCR
    assert any("distinct frames" in e for e in reporter.events)
    assert any("acme.com" in e for e in reporter.events)
    assert any("embedded answered" in e for e in reporter.events)

    # artifacts: frames as JPEG, OCR and explanation files, an index with relative names
    index = artifact_index(result, tmp_path)
    assert index["frames"] and index["frames"][0]["name"] == "frames/frame_000.jpg"
    for item in index["frames"]:
        data = (tmp_path / item["name"]).read_bytes()
        assert data[:3] == b"\xff\xd8\xff"
    assert "acme.com" in index["ocr_text"]
    assert index["trace"][0]["type"] == "initial"
    assert len(index["mapper_top"]) <= 5
    json.dumps(index)  # JSON-able as promised
    ocr = json.loads((tmp_path / "ocr.json").read_text())
    assert [x["text"] for x in ocr["lines"]] == [x.text for x in result.ocr_lines]
    explanation = json.loads((tmp_path / "explanation.json").read_text())
    assert [a["accepted"] for a in explanation["attempts"]].count(True) == 1
    assert explanation["attempts"][0]["type"] == "initial"
    assert explanation["mapping"]["category_id"] == result.mapping.category_id
    assert {"frames", "ocr", "classify", "map", "total"} <= set(explanation["timings"])


def test_rescue_ladder_finds_text_the_tail_lacks(
    pipeline: Pipeline, late_brand_ad: Path, tmp_path: Path
) -> None:
    reporter = RecordingReporter()
    result = pipeline.run(_spec(late_brand_ad), tmp_path, reporter)

    kinds = [a.type for a in result.attempts]
    assert kinds[0] == "initial" and "extended_tail" in kinds
    initial = result.attempts[0]
    assert initial.ocr_excerpt == "" and not initial.accepted
    assert "no OCR text" in initial.reason
    kept = [a for a in result.attempts if a.accepted]
    assert len(kept) == 1 and kept[0].type != "initial"
    assert result.classification.brand.casefold() == "zephyra"
    assert any(a.frames and min(a.frames) < 3.0 for a in result.attempts[1:])
    # rescue frames were saved as further artifacts, each picture once
    names = [f.path.name for f in result.frames if f.path]
    assert len(names) == len(set(names)) >= 2
    progress = [p for _, _, p in reporter.stages]
    assert progress == sorted(progress)
    assert any(e.startswith("rescue: extended_tail") for e in reporter.events)


def test_express_uses_one_frame_and_no_rescue(
    pipeline: Pipeline, end_card_ad: Path, tmp_path: Path
) -> None:
    result = pipeline.run(_spec(end_card_ad, scan_mode="Express"), tmp_path, RecordingReporter())
    assert len(result.frames) == 1 and len(result.attempts) == 1
    assert result.frames[0].timestamp >= 8.5
    # the embedded provider reads text, so express still OCRs its single frame
    assert result.classification.brand.casefold() == "acme"


def test_tesseract_detailed_job(pipeline: Pipeline, end_card_ad: Path, tmp_path: Path) -> None:
    result = pipeline.run(
        _spec(end_card_ad, ocr_engine="tesseract", ocr_mode="Detailed", scan_mode="Full Video"),
        tmp_path, RecordingReporter(),
    )
    texts = {line.text.casefold() for line in result.ocr_lines}
    assert "acme.com" in texts and "running shoes" in texts
    assert result.classification.brand.casefold() == "acme"


def test_provider_error_fails_the_job_with_its_message(
    settings: Settings, end_card_ad: Path, tmp_path: Path
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    down = settings.model_copy(update={"OLLAMA_HOST": f"http://127.0.0.1:{port}",
                                       "PROVIDER_RETRIES": 0, "PROVIDER_TIMEOUT": 5})
    reporter = RecordingReporter()
    with pytest.raises(PipelineError) as err:
        Pipeline(down).run(_spec(end_card_ad, provider="ollama"), tmp_path, reporter)
    assert "127.0.0.1" in str(err.value) or "reach" in str(err.value).lower()
    assert reporter.order[-1] == Stage.CLASSIFY


def test_cancellation_propagates_untouched(
    pipeline: Pipeline, end_card_ad: Path, tmp_path: Path
) -> None:
    reporter = RecordingReporter(cancel_at=Stage.OCR)
    with pytest.raises(JobCancelled, match="deleted"):
        pipeline.run(_spec(end_card_ad), tmp_path, reporter)
    assert reporter.order[-1] == Stage.OCR


def test_unreadable_video_fails_with_a_clear_reason(
    pipeline: Pipeline, bad_inputs: dict[str, Path], tmp_path: Path
) -> None:
    with pytest.raises(PipelineError, match="audio but no video"):
        pipeline.run(_spec(bad_inputs["audio"]), tmp_path, RecordingReporter())
    with pytest.raises(PipelineError, match="not found"):
        pipeline.run(_spec(tmp_path / "nope.mp4"), tmp_path, RecordingReporter())


def test_rescue_rungs_without_new_evidence_skip_the_provider(
    pipeline: Pipeline, media_dir: Path, tmp_path: Path
) -> None:
    """No text anywhere: every rung is recorded, but one that adds no text is not re-asked."""
    video = make_video(media_dir / "textless.mp4",
                       [Scene(3.0, c, []) for c in ("navy", "darkgreen", "darkred", "purple")],
                       size=(320, 180))
    reporter = RecordingReporter()
    result = pipeline.run(_spec(video), tmp_path, reporter)
    assert [a.type for a in result.attempts] == ["initial", "extended_tail", "full_video"]
    assert result.attempts[0].accepted and "still weak" in result.attempts[0].reason
    for rescue in result.attempts[1:]:
        assert not rescue.accepted and "no frame or text beyond" in rescue.reason
        assert rescue.result == {}
    asked = [e for e in reporter.events if "embedded answered" in e]
    assert len(asked) == 1
    assert result.ocr_lines == [] and result.classification.brand == ""


def test_a_brand_said_only_in_french_is_found_by_the_speech_rung(
    pipeline: Pipeline, media_dir: Path, tmp_path: Path
) -> None:
    """French copy that names no brand, and a French voice-over that does: the frames' rungs
    find nothing, the last rung listens closer, in French, and the brand comes from the voice."""
    voice = speak("Bonjour à tous. Cette semaine, tout est en promotion chez Renault. "
                  "Renault, la vie en plus simple.", media_dir / "fr_vo.wav", voice="fr+m3")
    video = make_video(media_dir / "fr_spoken.mp4",
                       [Scene(4.0, "navy", ["Tout est en promotion"]),
                        Scene(6.0, "darkgreen", ["Rendez-vous en magasin"])],
                       size=(640, 360), audio_file=voice)
    reporter = RecordingReporter()
    result = pipeline.run(_spec(video), tmp_path, reporter)
    kinds = [a.type for a in result.attempts]
    assert kinds[-1] == "speech" and kinds[0] == "initial"
    assert result.attempts[-1].accepted
    assert result.classification.brand == "Renault"
    assert {ln.language for ln in result.speech_lines} == {"fr"}
    assert any("transcribed again by Whisper base in French" in e for e in reporter.events)

"""The brand heard and seen: real videos with real audio (espeak-ng voice-overs, synthetic music)
and real logos (Simple Icons), through the whole pipeline with the embedded default."""

from __future__ import annotations

import subprocess
from pathlib import Path

from adclf.domain import JobSettings, JobSpec, Stage
from adclf.pipeline.artifacts import artifact_index
from adclf.pipeline.runner import Pipeline
from adclf.pipeline.types import PipelineResult
from tests.pipeline.test_pipeline_runner import RecordingReporter
from tests.videos import Scene, logo_png, make_video, music_bed, speak

ICONS = (Path(__file__).resolve().parents[2]
         / "third_party/simple-icons/node_modules/simple-icons/icons")
SMALL = (960, 540)


def run(pipeline: Pipeline, video: Path, work: Path) -> tuple[PipelineResult, RecordingReporter]:
    reporter = RecordingReporter()
    spec = JobSpec(job_id="node-a-evidence", node="node-a", source_kind="file",
                   source=str(video), settings=JobSettings())
    return pipeline.run(spec, work, reporter), reporter


def no_brand_scenes() -> list[Scene]:
    return [Scene(4.0, "darkgreen", ["Fresh every morning"], font_size=44),
            Scene(4.0, "navy", ["Taste the difference"], font_size=44),
            Scene(4.0, "black", ["Try it today"], font_size=60)]


def test_a_brand_only_spoken_is_found(pipeline: Pipeline, tmp_path: Path) -> None:
    voice = speak("Toyota. Let's go places. Visit toyota dot com today.", tmp_path / "vo.wav",
                  speed=140)
    video = make_video(tmp_path / "spoken.mp4",
                       [Scene(5.0, "darkred", ["A new hybrid SUV"], font_size=44),
                        Scene(5.0, "black", ["Book a test drive"], font_size=56)],
                       size=SMALL, audio_file=voice)
    result, reporter = run(pipeline, video, tmp_path / "work")
    assert result.speech_lines, result.speech_note
    assert result.classification.brand.lower() == "toyota", result.classification
    sources = result.explanation()["brand"]["sources"]
    assert any(s["source"].startswith("spoken") or s["source"] == "speech" for s in sources)
    assert "speech" in result.classification.reasoning or "spoken" in \
        result.classification.reasoning
    assert Stage.ASR in reporter.order
    art = artifact_index(result, tmp_path / "work")
    assert art["speech_lines"] and "toyota" in art["speech_text"].lower()


def test_a_logo_only_end_card_is_found(pipeline: Pipeline, tmp_path: Path) -> None:
    logo = logo_png(ICONS / "mcdonalds.svg", tmp_path / "logo.png", colour="#FFC72C",
                    height=220)
    video = make_video(tmp_path / "logo.mp4",
                       [Scene(5.0, "darkgreen", ["Hot and crispy fries"], font_size=44),
                        Scene(4.0, "#DA291C", ["I'm lovin' it"], font_size=48, image=logo)],
                       size=SMALL)
    result, _ = run(pipeline, video, tmp_path / "work")
    assert result.logos, result.logo_note
    brand = result.classification.brand
    assert brand.lower().replace("'", "") == "mcdonalds", result.classification
    assert any(s["source"] == "logo" for s in result.explanation()["brand"]["sources"])
    # the tagline and the single letters of the logo were never taken as the brand
    assert brand.lower() not in ("m", "i'm lovin' it")
    art = artifact_index(result, tmp_path / "work")
    box = art["logos"][0]["box_rel"]
    assert art["logos"][0]["frame"] and box and 0 <= box[0] < box[2] <= 1


def test_no_brand_anywhere_gives_an_empty_brand_a_reason_and_low_confidence(
        pipeline: Pipeline, tmp_path: Path) -> None:
    music = music_bed(tmp_path / "music.wav", 12.0)
    video = make_video(tmp_path / "nobrand.mp4", no_brand_scenes(), size=SMALL,
                       audio_file=music)
    result, _ = run(pipeline, video, tmp_path / "work")
    c = result.classification
    assert c.brand == "", c
    assert c.confidence <= 0.3, c
    assert "no brand named" in c.reasoning, c.reasoning
    # the runner looked further before giving up
    assert [a.type for a in result.attempts][:2] == ["initial", "extended_tail"]


def test_an_ad_without_an_audio_track_completes(pipeline: Pipeline, tmp_path: Path) -> None:
    video = make_video(tmp_path / "silent.mp4", [
        Scene(3.0, "navy", ["Running shoes"], font_size=44),
        Scene(3.0, "black", ["ACME", "acme.com"], font_size=64)], size=SMALL)
    result, reporter = run(pipeline, video, tmp_path / "work")
    assert result.classification.brand.upper() == "ACME"
    assert result.speech_lines == [] and result.speech_note == "no audio track"
    assert any("no audio track" in detail for st, detail, _ in reporter.stages
               if st == Stage.ASR)


def test_music_only_gives_no_transcript_and_completes(pipeline: Pipeline,
                                                      tmp_path: Path) -> None:
    music = music_bed(tmp_path / "music.wav", 8.0)
    video = make_video(tmp_path / "music.mp4", [
        Scene(4.0, "navy", ["Running shoes"], font_size=44),
        Scene(4.0, "black", ["ACME", "acme.com"], font_size=64)], size=SMALL, audio_file=music)
    result, _ = run(pipeline, video, tmp_path / "work")
    assert result.classification.brand.upper() == "ACME"
    assert result.speech_lines == [], result.speech_lines
    assert result.speech_note


def test_a_corrupt_audio_stream_fails_no_job(pipeline: Pipeline, tmp_path: Path) -> None:
    voice = speak("Visit acme dot com for running shoes.", tmp_path / "vo.wav")
    good = make_video(tmp_path / "good.mp4", [
        Scene(4.0, "navy", ["Running shoes"], font_size=44),
        Scene(4.0, "black", ["ACME", "acme.com"], font_size=64)], size=SMALL, audio_file=voice)
    # Keep the video stream, replace the audio with AAC frames whose payload is garbage.
    broken = tmp_path / "broken.mp4"
    garbage = tmp_path / "garbage.aac"
    raw = subprocess.run(["ffmpeg", "-loglevel", "error", "-i", str(good), "-vn", "-c:a", "copy",
                          "-f", "adts", "-"], check=True, capture_output=True).stdout
    data = bytearray(raw)
    for i in range(200, len(data), 97):  # keep the ADTS headers' rhythm, ruin the payload
        data[i] = (data[i] * 31 + 7) % 256
    garbage.write_bytes(bytes(data))
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", str(good), "-f", "aac",
                    "-i", str(garbage), "-map", "0:v", "-map", "1:a", "-c", "copy", str(broken)],
                   check=True, timeout=60)
    result, _ = run(pipeline, broken, tmp_path / "work")
    assert result.classification.brand.upper() == "ACME"

"""The speech stage: the whole audio track is transcribed once per job, in a background thread
that runs while frames are sampled and OCR'd (Whisper releases the GIL while it computes), so an
ad's voice-over costs little latency. No audio, silence, music only or an unreadable audio
stream give a note, never an error.

The first pass is English (tiny.en). Once the on-screen text is read, the runner asks for a
second listen (`Listener.listen_again`): when the text is French or nothing names the brand, a
voice that Whisper base hears as French is transcribed again in French (speech/language.py,
speech/multilingual.py); then, when neither the speech nor the text names a brand (a catalogue
name or a web address), names the first pass may have misheard are listened for
(speech/confirm.py: sound-alike candidates, rescored with no hint, confirmed a second way); an
accepted name replaces the misheard words in its line. Waiting for the text first keeps the cost
off the many ads whose end card already names the brand (measured on benchmarks/pipeline.py's
ads, whose end card names it: with the second listen run on every ad, CPU per ad p50 rose from
2.0 s to 3.5 s)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from adclf.pipeline import evidence_models
from adclf.pipeline.types import SpeechLine, SpeechRecognizer

log = logging.getLogger(__name__)
WAV_NAME = "audio.wav"
LANGUAGE_NAMES = {"fr": "French", "en": "English"}


@dataclass
class Heard:
    lines: list[SpeechLine] = field(default_factory=list)
    note: str = ""  # why there are no lines
    audio_seconds: float = 0.0  # length of the audio track
    # audio (extract), asr (transcribe), asr_confirm (the second listen, when it ran)
    timings: dict[str, float] = field(default_factory=dict)
    second_listen: str = ""  # what the second listen did, for the job's events
    # kept for the second listen: the track and every first-pass line, unsure ones included
    samples: np.ndarray | None = field(default=None, repr=False)
    everything: list[SpeechLine] = field(default_factory=list, repr=False)


class Listener:
    def __init__(self, threads: int, brands_path: Path | None = None,
                 second_listen: bool = True) -> None:
        self.threads = threads
        self.brands_path = brands_path  # the catalogue the second listen listens for
        self.second_listen = second_listen
        self._pool: ThreadPoolExecutor | None = None
        self._future: Future[Heard] | None = None
        self._skipped: Heard | None = None

    def start(self, video: Path, work_dir: Path, skip: str = "") -> Listener:
        """skip: a reason not to listen at all (express mode, ASR disabled)."""
        if skip:
            self._skipped = Heard(note=skip)
            return self
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="adclf-asr")
        self._future = self._pool.submit(_listen, video, work_dir / WAV_NAME, self.threads,
                                         self.brands_path, self.second_listen)
        return self

    def result(self) -> Heard:
        if self._skipped is not None:
            return self._skipped
        assert self._future is not None and self._pool is not None
        try:
            return self._future.result()
        finally:
            self._pool.shutdown(wait=False)

    def listen_again(self, heard: Heard, written: list[str] | None = None) -> None:
        """The second listen (_listen_again), in the caller's thread, given `written` (the ad's
        on-screen lines). Frees the kept track either way."""
        samples, everything = heard.samples, heard.everything
        heard.samples, heard.everything = None, []
        if samples is None:
            return
        _listen_again(heard, evidence_models.get_speech_recognizer(self.threads), samples,
                      everything, self.brands_path, written or [])

    def abandon(self) -> None:
        """The job ended early (cancelled, failed): let the thread finish on its own."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _listen(video: Path, wav: Path, threads: int, brands_path: Path | None = None,
            second_listen: bool = True) -> Heard:
    from adclf.pipeline.audio import extract_audio, read_wav
    from adclf.pipeline.speech.whisper import MIN_CONFIDENCE
    heard = Heard()
    try:
        t0 = time.perf_counter()
        info = extract_audio(video, wav)
        heard.timings["audio"] = round(time.perf_counter() - t0, 4)
        heard.audio_seconds = info.duration
        if info.note or not info.transcribable:
            heard.note = info.note or "no speech in the audio track"
            return heard
        t0 = time.perf_counter()
        recognizer = evidence_models.get_speech_recognizer(threads)
        samples = read_wav(wav)
        # unsure lines too: a misheard brand name is where a line's confidence drops
        everything = recognizer.transcribe_array(samples, min_confidence=0.0)
        heard.lines = [ln for ln in everything if ln.confidence >= MIN_CONFIDENCE]
        heard.timings["asr"] = round(time.perf_counter() - t0, 4)
        if second_listen:  # kept even with no line: tiny.en may hear nothing in French
            heard.samples, heard.everything = samples, everything
        if not heard.lines:
            heard.note = "no speech recognised"
    except Exception as exc:  # a broken model or file must not fail the job: note it
        log.exception("speech recognition failed")
        heard.note = f"speech recognition failed: {type(exc).__name__}: {exc}"[:200]
    finally:
        wav.unlink(missing_ok=True)
    return heard


def _listen_again(heard: Heard, recognizer: SpeechRecognizer, samples: np.ndarray,
                  everything: list[SpeechLine], brands_path: Path | None,
                  written: list[str]) -> None:
    """The second listen. A voice that may be French (the text is French, or nothing names the
    brand) is checked with Whisper base; a French one is transcribed again in French and its
    lines replace tiny.en's. Then, when still nothing names a catalogue brand, names that may
    have been misheard are listened for. Its failure only loses the second listen: the first
    pass's lines stay."""
    from adclf.pipeline.brand_catalogue import get_catalogue
    from adclf.pipeline.providers.embedded_brand import DOMAIN_RE
    from adclf.pipeline.speech.confirm import confirm, named_brand
    from adclf.pipeline.speech.language import spoken_language, written_language
    from adclf.pipeline.speech.whisper import MIN_CONFIDENCE

    said: list[str] = []
    try:
        catalogue = get_catalogue(brands_path)
        # a web address on screen, or a known brand, names the advertiser already
        named = named_brand(heard.lines, catalogue) or any(DOMAIN_RE.search(t) for t in written) \
            or any(not hit.weak for t in written for hit in catalogue.find_in_text(t))
        language = "en"
        if len(recognizer.languages) > 1 and (not named or written_language(written) == "fr"):
            t0 = time.perf_counter()
            language, why = spoken_language(recognizer.detect_language(samples), written)
            if language != "en":
                everything = recognizer.transcribe_array(samples, language, min_confidence=0.0)
                heard.lines = [ln for ln in everything if ln.confidence >= MIN_CONFIDENCE]
                said.append(f"transcribed again in {LANGUAGE_NAMES.get(language, language)} "
                            f"({why}): {len(heard.lines)} line(s)")
                named = named or named_brand(heard.lines, catalogue)
            heard.timings["asr_language"] = round(time.perf_counter() - t0, 4)
        if named or not everything:
            return
        t0 = time.perf_counter()
        found = confirm(recognizer, samples, everything, catalogue, language)
        heard.timings["asr_confirm"] = round(time.perf_counter() - t0, 4)
        if found.listened_for:
            revised = {(ln.start, ln.end): ln for ln in found.lines}
            kept = [revised.pop((ln.start, ln.end), ln) for ln in heard.lines]
            heard.lines = sorted(kept + list(revised.values()), key=lambda ln: ln.start)
            names = ", ".join(f"'{ln.text}' (heard '{ln.revised_from}')" for ln in found.lines)
            said.append(f"{found.describe()}; "
                        + (f"accepted {names}" if names else "no name confirmed"))
    except Exception as exc:
        log.exception("second listen failed")
        said.append(f"failed: {type(exc).__name__}: {exc}"[:200])
    finally:
        heard.second_listen = "second listen " + "; ".join(said) if said else ""

"""The speech stage: the whole audio track is transcribed once per job, in a background thread
that runs while frames are sampled and OCR'd (Whisper releases the GIL while it computes), so an
ad's voice-over costs little latency. No audio, silence, music only or an unreadable audio
stream give a note, never an error.

The first pass is English (tiny.en). Once the on-screen text is read, the runner asks for a
second listen (`Listener.listen_again`): when neither speech nor text names a brand (a catalogue
name or a web address), names the first pass may have misheard are listened for
(speech/confirm.py: sound-alike candidates, rescored with no hint, confirmed a second way); an
accepted name replaces the misheard words in its line. Waiting for the text first keeps the cost
off the many ads whose end card already names the brand (measured on benchmarks/pipeline.py's
ads, whose end card names it: with the second listen run on every ad, CPU per ad p50 rose from
2.0 s to 3.5 s).

The rescue ladder's last rung (`Listener.listen_closer`): when its frames still name no brand,
the voice is transcribed again by Whisper base, in French when it is French (by the text, else
by Whisper base's ear), else in English (speech/language.py, speech/multilingual.py); names its
lines may have misheard are then listened for with base (speech/confirm.py's closer ear).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from adclf.pipeline import evidence_models
from adclf.pipeline.types import SpeechLine, SpeechRecognizer

if TYPE_CHECKING:
    from adclf.brands import BrandCatalogue
    from adclf.pipeline.speech.confirm import Confirmation

log = logging.getLogger(__name__)
WAV_NAME = "audio.wav"
SURE_ENGLISH = 0.75  # a tiny.en line this confident is English (see _language)


@dataclass
class Heard:
    lines: list[SpeechLine] = field(default_factory=list)
    note: str = ""  # why there are no lines
    audio_seconds: float = 0.0  # length of the audio track
    # audio (extract), asr (transcribe), asr_confirm (the second listen), asr_closer (the
    # closer listen) and asr_closer_confirm (its confirmation), each when it ran
    timings: dict[str, float] = field(default_factory=dict)
    second_listen: str = ""  # what the second listen did, for the job's events
    closer: str = ""  # what the closer listen did (or why it did not), for the job's events
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
        on-screen lines). Keeps the track for listen_closer."""
        if heard.samples is None:
            return
        _listen_again(heard, evidence_models.get_speech_recognizer(self.threads),
                      heard.samples, heard.everything, self.brands_path, written or [])

    def listen_closer(self, heard: Heard, written: list[str], hunt: bool = True) -> bool:
        """The rescue ladder's last rung (_listen_closer): True when Whisper base's lines
        replaced tiny.en's. Frees the kept track. `hunt`: confirm names base may have misheard
        (not when the ad already answers a brand, only less surely than wanted)."""
        samples, first = heard.samples, heard.everything
        heard.samples, heard.everything = None, []
        if samples is None:
            return False
        return _listen_closer(heard, evidence_models.get_speech_recognizer(self.threads),
                              samples, self.brands_path, written, hunt, first)

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
    """The second listen, when neither the first pass nor the text names a catalogue brand (or
    shows a web address): names tiny.en may have misheard are listened for. Not when the text
    is French: the voice likely is too, which tiny.en cannot hear (the rescue ladder may listen
    closer instead). Its failure only loses the second listen: the first pass's lines stay."""
    from adclf.pipeline.speech.confirm import confirm
    from adclf.pipeline.speech.language import written_language

    if not everything or _named(heard, written, brands_path) \
            or written_language(written) == "fr":
        return
    try:
        t0 = time.perf_counter()
        found = confirm(recognizer, samples, everything, _catalogue(brands_path))
        heard.timings["asr_confirm"] = round(time.perf_counter() - t0, 4)
    except Exception as exc:
        log.exception("second listen failed")
        heard.second_listen = f"second listen failed: {type(exc).__name__}: {exc}"[:200]
        return
    if found.listened_for:
        heard.second_listen = f"second listen {_take(heard, found)}"


def _listen_closer(heard: Heard, recognizer: SpeechRecognizer, samples: np.ndarray,
                   brands_path: Path | None, written: list[str], hunt: bool = True,
                   first: Sequence[SpeechLine] = ()) -> bool:
    """When nothing names the brand after the rescue ladder's frames: the voice is transcribed
    again by Whisper base in its own language (_language), and base's lines replace tiny.en's.
    When they name no brand either, the names they may have misheard are listened for with base
    (speech/confirm.py, closer_ear). Last because it is dear on CPU: ~1.5 s to place a voice,
    ~2 s to transcribe 30 s of it and ~2 s to confirm (one thread); the French listen alone,
    placed at the initial attempt, cut benchmarks/pipeline.py's throughput from 42 to 37
    ads/min, on French ads whose end card the ladder then found. The confirmation only runs
    when the ad has no brand at all (`hunt`): on benchmarks/pipeline.py's French ad whose end
    card names a brand the catalogue does not know it cost 3.5 s for nothing."""
    from adclf.pipeline.speech.confirm import named_brand
    from adclf.pipeline.speech.language import spoken_language
    from adclf.pipeline.speech.whisper import MIN_CONFIDENCE

    if _named(heard, written, brands_path):
        return False
    if not recognizer.can_listen_closer:
        heard.closer = "not listened to closer: no Whisper base installed"
        return False
    try:
        t0 = time.perf_counter()
        language, why = _language(recognizer, samples, written, heard.lines)
        if language == "en" and not hunt:
            # tiny.en heard the English already and the ad answers a brand: base's 2 s would
            # only hunt for a name the answer does not lack
            heard.closer = f"not listened to closer: {why}, and the ad already answers a brand"
            return False
        everything = recognizer.transcribe_array(samples, language, min_confidence=0.0,
                                                 closer=True)
        lines = [ln for ln in everything if ln.confidence >= MIN_CONFIDENCE]
        doubt = language == "fr" and _sureness(lines) < _sureness(heard.lines) \
            and not why.startswith("the voice sounds") \
            and not named_brand(lines, _catalogue(brands_path))
        if doubt and not hunt:
            # the ad answers a brand already: not worth the ear's 1.5 s, keep tiny.en's lines
            heard.timings["asr_closer"] = round(time.perf_counter() - t0, 4)
            heard.closer = (f"transcribed again by Whisper base in French ({why}), but the "
                            "English lines were surer: kept them")
            return False
        if doubt:
            # a French page over an English voice, or French that tiny.en turned into surer
            # English garbage ("The The The"): unless the French names a brand, the ear decides
            # (it placed 3 of the dev split's 8 espeak-ng French voices as English)
            language, why = spoken_language(recognizer.detect_language(samples))
            if language == "en":
                everything = recognizer.transcribe_array(samples, "en", min_confidence=0.0,
                                                         closer=True)
                lines = [ln for ln in everything if ln.confidence >= MIN_CONFIDENCE]
        heard.timings["asr_closer"] = round(time.perf_counter() - t0, 4)
    except Exception as exc:
        log.exception("closer listen failed")
        heard.closer = f"closer listen failed: {type(exc).__name__}: {exc}"[:200]
        return False
    heard.lines = lines
    heard.closer = (f"transcribed again by Whisper base in {_NAMES[language]} ({why}): "
                    f"{len(lines)} line(s)")
    if not hunt:
        heard.closer += "; no misheard names listened for: the ad already answers a brand"
    elif everything and not named_brand(lines, _catalogue(brands_path), exact=True):
        # a name base only spelt nearly ("L'oméal", four times over a L'Oréal voice-over) is
        # weak evidence in the fusion; listening for it may confirm it
        _confirm_closer(heard, recognizer, samples, everything, brands_path, language, first)
    return True


_NAMES = {"en": "English", "fr": "French"}


def _confirm_closer(heard: Heard, recognizer: SpeechRecognizer, samples: np.ndarray,
                    everything: list[SpeechLine], brands_path: Path | None,
                    language: str, first: Sequence[SpeechLine] = ()) -> None:
    from adclf.pipeline.speech.confirm import closer_ear, confirm

    try:
        t0 = time.perf_counter()
        found = confirm(recognizer, samples, everything, _catalogue(brands_path),
                        closer_ear(language), other=first)
        heard.timings["asr_closer_confirm"] = round(time.perf_counter() - t0, 4)
    except Exception as exc:
        log.exception("closer confirmation failed")
        heard.closer += f"; its confirmation failed: {type(exc).__name__}: {exc}"[:200]
        return
    if found.listened_for:
        heard.closer += f"; then {_take(heard, found)}"


def _take(heard: Heard, found: Confirmation) -> str:
    """Put each confirmed line in place of the line it revises; say what was listened for."""
    revised = {(ln.start, ln.end): ln for ln in found.lines}
    kept = [revised.pop((ln.start, ln.end), ln) for ln in heard.lines]
    heard.lines = sorted(kept + list(revised.values()), key=lambda ln: ln.start)
    names = ", ".join(f"'{ln.text}' (heard '{ln.revised_from}')" for ln in found.lines)
    return f"{found.describe()}; " + (f"accepted {names}" if names else "no name confirmed")


def _named(heard: Heard, written: list[str], brands_path: Path | None) -> bool:
    """Speech or text names a catalogue brand, or the text shows a web address."""
    from adclf.pipeline.providers.embedded_brand import DOMAIN_RE
    from adclf.pipeline.speech.confirm import named_brand

    catalogue = _catalogue(brands_path)
    return named_brand(heard.lines, catalogue) or any(DOMAIN_RE.search(t) for t in written) \
        or any(not hit.weak for t in written for hit in catalogue.find_in_text(t))


def _catalogue(brands_path: Path | None) -> BrandCatalogue:
    from adclf.pipeline.brand_catalogue import get_catalogue

    return get_catalogue(brands_path)


def _language(recognizer: SpeechRecognizer, samples: np.ndarray, written: list[str],
              lines: list[SpeechLine]) -> tuple[str, str]:
    """The voice's language and why: French when the on-screen text is (no cost); when the text
    says too little to tell and tiny.en heard no confident English (French forced through it
    mostly scores under 0.5, at most ~0.7), as Whisper base places the voice; else English."""
    from adclf.pipeline.speech.language import spoken_language, written_language

    if len(recognizer.languages) < 2:
        return "en", "no French speech model installed"
    text = written_language(written)
    if text == "fr":
        return "fr", "the on-screen text is French"
    if text is None and not any(ln.confidence >= SURE_ENGLISH for ln in lines):
        return spoken_language(recognizer.detect_language(samples))
    return "en", "the on-screen text is English" if text else "tiny.en heard sure English"


def _sureness(lines: list[SpeechLine]) -> float:
    return sum(ln.confidence for ln in lines) / len(lines) if lines else 0.0

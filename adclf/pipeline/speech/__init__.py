"""Offline speech recognition for the ad's voice-over, and turning spoken forms into written
evidence (domains, spelled names, brand hints)."""

from adclf.pipeline.speech.hints import HintMatch, find_hints
from adclf.pipeline.speech.spoken import domains, spoken_to_written
from adclf.pipeline.speech.whisper import WhisperRecognizer, get_recognizer

__all__ = [
    "HintMatch",
    "WhisperRecognizer",
    "domains",
    "find_hints",
    "get_recognizer",
    "spoken_to_written",
]

"""Sound for the dev set: a synthetic music bed (ffmpeg `aevalsrc`) and espeak-ng voice-overs.

Every rendered ad gets a bed (chords, a soft kick, hats, some room noise) so that speech
recognition meets music the way it does in real ads; `spoken_only` ads add a voice mixed above it.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

# espeak-ng voices and variants (+f = female, +m = male timbres); all ship with espeak-ng-data.
VOICES = {
    "en": ("en-us", "en-us+f3", "en-gb", "en-gb-x-rp+m3", "en-us+f5", "en-gb-scotland+m1"),
    "fr": ("fr", "fr+f3", "fr-be", "fr+m3", "fr+f2", "fr-ch+m1"),
}
SR = 44100
# Root notes (Hz) and a I-V-vi-IV progression in semitones: the bed sounds like a jingle.
ROOTS = (110.0, 123.47, 130.81, 146.83, 164.81)
PROGRESSION = ((0, 4, 7), (7, 11, 14), (9, 12, 16), (5, 9, 12))


@dataclass(frozen=True)
class Voice:
    text: str
    start: float  # seconds into the ad
    voice: str
    speed: int  # words per minute
    pitch: int  # 0-99


def pick_voice(lang: str, rng: random.Random) -> tuple[str, int, int]:
    return rng.choice(VOICES[lang]), rng.randint(140, 180), rng.randint(35, 70)


def speak(v: Voice, out: Path) -> float:
    """Write the line as a WAV and return its length in seconds."""
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed (apt-get install espeak-ng)")
    subprocess.run(["espeak-ng", "-v", v.voice, "-s", str(v.speed), "-p", str(v.pitch),
                    "-w", str(out), v.text], check=True, timeout=60, capture_output=True)
    with wave.open(str(out), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def bed(seconds: float, rng: random.Random) -> str:
    """A lavfi source: chord pads that change every bar, a kick on the beat, noise hats."""
    root = rng.choice(ROOTS)
    bar = rng.choice((1.6, 2.0, 2.4))
    beat = bar / 4
    chords = []
    for k, chord in enumerate(PROGRESSION):
        notes = "+".join(f"sin(2*PI*{root * 2 ** (s / 12):.2f}*t)" for s in chord)
        chords.append((k, notes))
    # Nested ifs pick the chord of the current bar; a per-bar decay hides the phase jumps.
    pad = chords[-1][1]
    for k, notes in reversed(chords[:-1]):
        pad = f"if(lt(mod(t,{4 * bar}),{(k + 1) * bar}),{notes},{pad})"
    expr = (f"0.07*({pad})*(0.35+0.65*exp(-mod(t,{bar})*1.5))"
            f"+0.25*sin(2*PI*52*t)*exp(-mod(t,{beat})*14)"
            f"+0.04*(random(0)*2-1)*exp(-mod(t+{beat / 2},{beat})*45)"
            f"+0.008*(random(1)*2-1)")
    return f"aevalsrc='{expr}':s={SR}:d={seconds:.2f}"


def mix_args(seconds: float, voices: list[tuple[Path, float]], rng: random.Random,
             first_input: int) -> tuple[list[str], str, str]:
    """ffmpeg inputs and filter for the ad's sound; returns (inputs, filter, output label)."""
    inputs = ["-f", "lavfi", "-i", bed(seconds, rng)]
    level = rng.uniform(0.35, 0.6) if voices else rng.uniform(0.6, 0.9)
    parts = [f"[{first_input}:a]volume={level:.2f}[bed]"]
    labels = ["[bed]"]
    for k, (wav, start) in enumerate(voices, start=1):
        inputs += ["-i", str(wav)]
        ms = int(start * 1000)
        parts.append(f"[{first_input + k}:a]aresample={SR},adelay={ms}|{ms},volume=1.2[vo{k}]")
        labels.append(f"[vo{k}]")
    if voices:
        parts.append("".join(labels) + f"amix=inputs={len(labels)}:duration=first:normalize=0,"
                     f"alimiter=limit=0.95,atrim=0:{seconds:.2f}[aout]")
    else:
        parts.append(f"[bed]anull,atrim=0:{seconds:.2f}[aout]")
    return inputs, ";".join(parts), "[aout]"

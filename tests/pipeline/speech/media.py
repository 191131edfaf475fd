"""Real test media for the speech tests: espeak-ng voice-overs and ffmpeg-made video, music,
silence and a video whose AAC stream is garbage. Nothing is downloaded."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

VOICE_AT = 2.0  # the test ads' voice-over starts this far into the video
SECONDS = 10.0
EN_TEXT = "Go to amazon dot com for great deals. Buy the new Samsung Galaxy today."
FR_TEXT = ("Bonjour à tous. Cette semaine, tout est en promotion chez Renault. "
           "Renault, la vie en plus simple.")


def need(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed: run scripts/setup.sh --test ({package})")


def run(args: list[str]) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=60)


def speak(text: str, path: Path, voice: str = "en-us+m3", speed: int = 150) -> Path:
    """espeak-ng's voice as 16 kHz mono WAV."""
    need("espeak-ng", "espeak-ng")
    raw = path.with_suffix(".raw.wav")
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text])
    run(["ffmpeg", "-v", "error", "-y", "-i", str(raw), "-ac", "1", "-ar", "16000", str(path)])
    raw.unlink()
    return path


MUSIC = (
    "aevalsrc='0.25*sin(2*PI*(220+110*floor(mod(t*2\\,4)))*t)"
    "+0.15*sin(2*PI*330*t)*lt(mod(t\\,0.5)\\,0.25)':s=16000"
)


def music(path: Path, seconds: float) -> Path:
    """A stepping melody with a pulsing second voice: tonal, rhythmic, no speech."""
    run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"{MUSIC}:d={seconds}"]
        + ["-ac", "1", "-c:a", "pcm_s16le", str(path)]
    )
    return path


def video(
    path: Path,
    seconds: float,
    voice: Path | None = None,
    voice_at: float = 0.0,
    bed: str | None = None,
    bed_volume: float = 0.2,
) -> Path:
    """A testsrc video (small, fast to encode) with optional audio: `voice` (a WAV) starting at
    `voice_at` s, over `bed` ("music", "silence" or None = no bed). No voice and no bed means no
    audio track at all."""
    need("ffmpeg", "ffmpeg")
    args = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi"]
    args += ["-i", f"testsrc=size=320x240:rate=10:duration={seconds}"]
    parts: list[str] = []
    if bed == "music":
        args += ["-f", "lavfi", "-i", f"{MUSIC}:d={seconds}"]
        parts.append(f"[1:a]volume={bed_volume}")
    elif bed == "silence":
        args += ["-f", "lavfi", "-i", f"anullsrc=r=16000:cl=mono:d={seconds}"]
        parts.append("[1:a]anull")
    if voice is not None:
        args += ["-i", str(voice)]
        parts.append(f"[{len(parts) + 1}:a]adelay={int(voice_at * 1000)}:all=1,apad")
    audio: list[str] = []
    if len(parts) == 2:
        graph = f"{parts[0]}[bed];{parts[1]}[vo];[bed][vo]amix=inputs=2:duration=first"
        graph += ":normalize=0[a]"
    elif parts:
        graph = f"{parts[0]},atrim=0:{seconds}[a]"
    if parts:
        args += ["-filter_complex", graph]
        audio = ["-map", "[a]", "-c:a", "aac", "-b:a", "64k"]
    args += ["-map", "0:v", *audio, "-c:v", "libx264", "-preset", "ultrafast"]
    args += ["-pix_fmt", "yuv420p", "-t", str(seconds), str(path)]
    run(args)
    return path


def garbled_audio_video(path: Path, seconds: float, amount: int = 2) -> Path:
    """A video whose AAC packets were corrupted after encoding (ffmpeg's `noise` bitstream filter
    flips about one byte in `amount`): amount=2 leaves no decodable audio packet, larger amounts
    leave some."""
    clean = path.with_suffix(".clean.mp4")
    run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i"]
        + [f"testsrc=size=320x240:rate=10:duration={seconds}", "-f", "lavfi"]
        + ["-i", f"sine=f=440:d={seconds}", "-map", "0:v", "-map", "1:a", "-c:v", "libx264"]
        + ["-preset", "ultrafast", "-c:a", "aac", "-shortest", str(clean)]
    )
    run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(clean), "-map", "0", "-c", "copy"]
        + ["-bsf:a", f"noise=amount={amount}", str(path)]
    )
    clean.unlink()
    return path

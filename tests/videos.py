"""Real videos made with ffmpeg for tests: colour scenes with drawn text, an end card, optional
audio.

Only ffmpeg (Debian) and a DejaVu/Liberation font are needed; nothing is downloaded."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def font_path() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise RuntimeError("no TrueType font found: run scripts/setup.sh (fonts-dejavu-core)")


def _escape(text: str) -> str:
    # drawtext's own escaping: backslash, colon, quote and percent are special.
    return (
        text.replace("\\", "\\\\").replace(":", "\\:").replace("'", "\u2019").replace("%", "\\%")
    )


@dataclass
class Scene:
    seconds: float
    color: str = "navy"
    lines: list[str] = field(default_factory=list)
    font_size: int = 64
    font_color: str = "white"
    image: Path | None = None  # a picture (a logo) centred in the scene, above the text


def make_video(
    path: Path,
    scenes: list[Scene],
    *,
    size: tuple[int, int] = (1280, 720),
    fps: int = 25,
    codec: str = "libx264",
    audio: bool = False,
    gop: int | None = None,
    audio_file: Path | None = None,
) -> Path:
    """Concatenate solid-colour scenes with centred text lines into one video file. `audio` adds
    a 440 Hz tone; `audio_file` (a WAV) is laid under the video from 0 s, padded with silence."""
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is not installed: run scripts/setup.sh")
    w, h = size
    font = font_path()
    inputs: list[str] = []
    filters: list[str] = []
    images: list[Path] = []
    for i, scene in enumerate(scenes):
        source = f"color=c={scene.color}:s={w}x{h}:r={fps}:d={scene.seconds}"
        inputs += ["-f", "lavfi", "-i", source]
        chain = f"[{i}:v]"
        draws = []
        n = len(scene.lines)
        for j, line in enumerate(scene.lines):
            y = f"(h-{n}*{scene.font_size}*1.4)/2+{j}*{scene.font_size}*1.4"
            draws.append(
                f"drawtext=fontfile={font}:text='{_escape(line)}':fontsize={scene.font_size}"
                f":fontcolor={scene.font_color}:x=(w-text_w)/2:y={y}"
            )
        chain += ",".join(draws) if draws else "null"
        if scene.image is not None:
            images.append(scene.image)
            chain += f"[t{i}];[img{len(images) - 1}]format=rgba[i{i}];" \
                     f"[t{i}][i{i}]overlay=(W-w)/2:(H-h)/2-{h // 8}"
        chain += f",format=yuv420p[v{i}]"
        filters.append(chain)
    concat = "".join(f"[v{i}]" for i in range(len(scenes)))
    filters.append(f"{concat}concat=n={len(scenes)}:v=1:a=0[out]")
    total = sum(s.seconds for s in scenes)
    cmd = ["ffmpeg", "-y", "-loglevel", "error", *inputs]
    for k, image in enumerate(images):
        cmd += ["-i", str(image)]
        filters.insert(0, f"[{len(scenes) + k}:v]null[img{k}]")
    n_inputs = len(scenes) + len(images)
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={total}"]
    elif audio_file is not None:
        cmd += ["-i", str(audio_file)]
    cmd += ["-filter_complex", ";".join(filters), "-map", "[out]"]
    if audio:
        cmd += ["-map", f"{n_inputs}:a", "-c:a", "aac", "-shortest"]
    elif audio_file is not None:
        cmd += ["-map", f"{n_inputs}:a", "-af", f"apad=whole_dur={total}", "-c:a", "aac",
                "-t", str(total)]
    cmd += ["-c:v", codec]
    if codec == "libx264":
        cmd += ["-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if gop:
        cmd += ["-g", str(gop)]
    cmd.append(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(cmd, check=True, timeout=300)
    return path


def simple_ad(path: Path, brand: str = "ACME", product: str = "Running shoes",
              domain: str = "acme.com", seconds: float = 6.0,
              size: tuple[int, int] = (640, 360)) -> Path:
    """A short ad: a product scene, then a static end card with brand and web address."""
    body = max(1.0, seconds - 3.0)
    scale = size[1] / 720
    return make_video(
        path,
        [
            Scene(body, "darkgreen", [product, "Feel the difference"], font_size=int(60 * scale)),
            Scene(3.0, "black", [brand, domain], font_size=int(110 * scale)),
        ],
        size=size,
    )


# ---------------------------------------------------------------- awkward inputs (pipeline tests)


def _ffmpeg(path: Path, args: list[str]) -> Path:
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is not installed: run scripts/setup.sh")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", *args, str(path)], check=True,
                   timeout=300)
    return path


def audio_only(path: Path, seconds: float = 2.0) -> Path:
    """An AAC file with no video stream (e.g. a podcast link submitted by mistake)."""
    return _ffmpeg(path, ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                          "-c:a", "aac"])


def single_frame(path: Path, size: tuple[int, int] = (320, 240), color: str = "red") -> Path:
    w, h = size
    return _ffmpeg(path, ["-f", "lavfi", "-i", f"color=c={color}:s={w}x{h}:r=25:d=0.04",
                          "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p"])


def variable_frame_rate(path: Path, size: tuple[int, int] = (320, 180)) -> Path:
    """2 s at 30 fps, then 6 s at 5 fps (timestamps, not frame numbers, tell time); the picture
    is red before 2 s and blue after, with the elapsed seconds drawn on it."""
    w, h = size
    font = font_path()
    vf = (
        "setpts='if(lt(N,60),N/30/TB,(2+(N-60)/5)/TB)',"
        f"drawbox=c=blue:t=fill:enable='gte(t,2)',"
        f"drawtext=fontfile={font}:text='%{{pts\\:flt}}':fontsize=24:fontcolor=white:x=10:y=10"
    )
    return _ffmpeg(path, ["-f", "lavfi", "-i", f"color=c=red:s={w}x{h}:r=30:d=3",
                          "-vf", vf, "-fps_mode", "vfr", "-c:v", "libx264",
                          "-preset", "ultrafast", "-pix_fmt", "yuv420p"])


def truncated_copy(source: Path, path: Path, keep_bytes: int) -> Path:
    """The first `keep_bytes` of a real video: an interrupted download."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source.read_bytes()[:keep_bytes])
    return path


def still_image(path: Path, size: tuple[int, int] = (320, 240)) -> Path:
    """A JPEG (optionally saved under a video name): an image is not a video."""
    w, h = size
    return _ffmpeg(path, ["-f", "lavfi", "-i", f"color=c=orange:s={w}x{h}:d=1",
                          "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg"])


def audio_with_cover(path: Path, seconds: float = 2.0) -> Path:
    """An MP3 whose album art shows up as a one-picture video stream (attached_pic)."""
    cover = still_image(path.with_suffix(".cover.jpg"))
    return _ffmpeg(path, ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                          "-i", str(cover), "-map", "0", "-map", "1", "-c:a", "libmp3lame",
                          "-c:v", "mjpeg", "-disposition:v", "attached_pic"])


def speak(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    """A voice-over read by espeak-ng (Debian) into a WAV file."""
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is not installed: run scripts/setup.sh --test")
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text],
                   check=True, timeout=60)
    return path


def music_bed(path: Path, seconds: float) -> Path:
    """A few seconds of synthetic 'music' (a chord with a beat) and no words."""
    expr = ("0.2*sin(2*PI*220*t)+0.15*sin(2*PI*277*t)+0.15*sin(2*PI*330*t)"
            "+0.2*sin(2*PI*55*t)*gt(mod(t\\,0.5)\\,0.4)")
    subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-f", "lavfi", "-i",
                    f"aevalsrc={expr}:s=16000:d={seconds}", str(path)], check=True, timeout=60)
    return path


def logo_png(svg: Path, path: Path, colour: str = "#DA291C", background: str | None = None,
             height: int = 200) -> Path:
    """A monochrome Simple Icons SVG drawn in `colour` (on `background`, or transparent)."""
    if shutil.which("rsvg-convert") is None:
        raise RuntimeError("rsvg-convert is not installed: run scripts/setup.sh --test")
    body = svg.read_text().replace("<path ", f'<path fill="{colour}" ')
    tmp = path.with_suffix(".svg")
    tmp.write_text(body)
    cmd = ["rsvg-convert", "-h", str(height), "-o", str(path)]
    if background:
        cmd += ["-b", background]
    subprocess.run([*cmd, str(tmp)], check=True, timeout=60)
    return path

"""Draw a ShapeSpec with one ffmpeg call: scenes (colour or photograph base, optional logo, text)
concatenated, a music bed, and the voice-over lines placed at their planned times."""

from __future__ import annotations

import random
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.devset import logos
from benchmarks.devset.audio import mix_args, speak
from benchmarks.devset.generate import FPS, H, W, _text, scene_filter
from benchmarks.devset.shapes import ShapeSpec


def _base(idx: int, scene: dict[str, Any], frames: int) -> str:
    if scene.get("base") != "photo":
        return f"[{idx}:v]null"
    amt = float(scene["amount"])
    centre_x, centre_y = "iw/2-(iw/zoom/2)", "ih/2-(ih/zoom/2)"
    if scene["kb"] == "in":
        z, x = f"1+{amt}*on/{frames}", centre_x
    elif scene["kb"] == "out":
        z, x = f"{1 + amt}-{amt}*on/{frames}", centre_x
    else:
        z, x = f"{1 + amt}", f"(iw-iw/zoom)*on/{frames}"
    # Work at 1.5x the output size so the pan/zoom moves in sub-pixel steps (less jitter).
    return (f"[{idx}:v]format=rgb24,scale=1920:1080:force_original_aspect_ratio=increase,"
            f"crop=1920:1080,setsar=1,zoompan=z='{z}':x='{x}':y='{centre_y}':d={frames}"
            f":s={W}x{H}:fps={FPS},eq=brightness=-0.06")


def card_filter(i: int, idx: int, logo_idx: int | None, scene: dict[str, Any], tmp: Path,
                logo_size: tuple[int, int] | None = None) -> str:
    seconds = float(scene["seconds"])
    frames = int(round(seconds * FPS))
    chain = _base(idx, scene, frames)
    pre = ""
    if logo_idx is not None:
        lg = scene["logo"]
        pre = f"[{logo_idx}:v]format=rgba[lg{i}];"
        chain = (f"{chain}[b{i}];[b{i}][lg{i}]overlay=x='{lg['x']}':y='{lg['y']}'"
                 f":eof_action=repeat")
        cover = scene.get("cover")
        if cover and logo_size:  # over the mark's lower-right corner where it comes to rest
            lw, lh = logo_size
            cw, ch = int(lw * cover["w"]), int(lh * cover["h"])
            if lg["x"].startswith("W-w"):  # the corner layout
                cx, cy = f"iw-{cw}-40", f"ih-{ch}-40"
            else:
                cx, cy = f"(iw+{lw})/2-{cw}", f"{int(H * 0.40) + lh // 2 - ch}"
            chain += f",drawbox=x={cx}:y={cy}:w={cw}:h={ch}:color={cover['colour']}@0.95:t=fill"
    for k, t in enumerate(scene.get("texts", [])):
        box = ":box=1:boxcolor=black@0.45:boxborderw=12" if t["box"] else ""
        chain += (f",drawtext=fontfile='{t['font']}':fontcolor={t['fg']}"
                  f":{_text(tmp, f't{i}_{k}', str(t['text']))}:fontsize={t['size']}"
                  f":x={t['x']}:y={t['y']}:line_spacing=8{box}")
    if scene.get("zoom"):
        chain += (f",zoompan=z='1+0.08*on/{frames}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)'"
                  f":d=1:s={W}x{H}:fps={FPS}")
    if scene.get("noise"):
        chain += ",noise=alls=10:allf=t"
    return f"{pre}{chain},fps={FPS},setsar=1,format=yuv420p[v{i}]"


def render_shape(spec: ShapeSpec, out_dir: Path) -> float:
    start = time.monotonic()
    target = out_dir / spec.file
    target.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed * 7 + 1)
    with tempfile.TemporaryDirectory(prefix="adclf-shape-") as tmp_name:
        tmp = Path(tmp_name)
        inputs: list[str] = []
        filters: list[str] = []
        for i, scene in enumerate(spec.scenes):
            idx = _count(inputs)
            sec = scene["seconds"]
            if scene.get("base") == "photo":
                inputs += ["-i", str(scene["photo"])]
            else:
                inputs += ["-f", "lavfi", "-i", f"color=c={scene['bg']}:s={W}x{H}:r={FPS}:d={sec}"]
            if scene["kind"] == "copy":
                # generate.py numbers inputs by scene; here logos take inputs too.
                chain = scene_filter(i, scene, tmp, rng)
                filters.append(chain.replace(f"[{i}:v]", f"[{idx}:v]", 1))
                continue
            logo_idx, logo_size = None, None
            if scene.get("logo"):
                lg = scene["logo"]
                png = logos.rasterise(lg["slug"], lg["colour"], lg["width"], lg["height"],
                                      tmp / f"logo{i}.png")
                logo_size = _png_size(png)
                logo_idx = _count(inputs)
                inputs += ["-loop", "1", "-framerate", str(FPS), "-t", str(sec), "-i", str(png)]
            filters.append(card_filter(i, idx, logo_idx, scene, tmp, logo_size))
        n = len(spec.scenes)
        filters.append("".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[vout]")
        wavs = []
        for k, v in enumerate(spec.voices):
            wav = tmp / f"voice{k}.wav"
            speak(v, wav)
            wavs.append((wav, v.start))
        a_in, a_filter, a_label = mix_args(spec.duration, wavs, random.Random(spec.seed * 13 + 5),
                                           _count(inputs))
        cmd = ["ffmpeg", "-y", "-loglevel", "error", *inputs, *a_in,
               "-filter_complex", ";".join([*filters, a_filter]),
               "-map", "[vout]", "-map", a_label, "-c:v", "libx264", "-preset", "ultrafast",
               "-crf", "26", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "96k", "-shortest",
               str(target)]
        subprocess.run(cmd, check=True, timeout=600)
    return time.monotonic() - start


def _count(inputs: list[str]) -> int:
    return inputs.count("-i")



def _png_size(png: Path) -> tuple[int, int]:
    head = png.read_bytes()[16:24]  # the IHDR chunk: width and height, big-endian
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")

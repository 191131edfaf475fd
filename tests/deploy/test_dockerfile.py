"""deploy/Dockerfile, read as Docker reads it (no Docker here): pinned official Ray base image at
adclf's Ray version, a Node stage that builds the dashboard, the system tools adclf runs, and the
CPU torch pin of scripts/setup.sh; every file it copies is in the repository and in the build
context its .dockerignore leaves."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
KNOWN = {"FROM", "ARG", "RUN", "COPY", "ENV", "WORKDIR", "USER", "EXPOSE", "LABEL", "CMD",
         "ENTRYPOINT", "SHELL", "HEALTHCHECK", "VOLUME", "ADD", "STOPSIGNAL", "ONBUILD"}


@dataclass
class Instruction:
    keyword: str
    args: str
    stage: int  # index of the FROM it belongs to


def parse(text: str) -> list[Instruction]:
    """Comments out, continuation lines joined, one Instruction per instruction."""
    out: list[Instruction] = []
    stage = -1
    pending = ""
    for line in text.splitlines():
        if not pending and line.lstrip().startswith("#"):
            continue
        if pending and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction is dropped, as Docker does
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        if pending.strip():
            keyword, _, args = pending.strip().partition(" ")
            if keyword.upper() == "FROM":
                stage += 1
            out.append(Instruction(keyword.upper(), " ".join(args.split()), stage))
        pending = ""
    assert not pending, "the last instruction ends with a line continuation"
    return out


def arg_defaults(instructions: list[Instruction]) -> dict[str, str]:
    defaults = {}
    for ins in instructions:
        if ins.keyword == "ARG" and "=" in ins.args:
            name, _, value = ins.args.partition("=")
            defaults[name] = value
    return defaults


def base_images(instructions: list[Instruction]) -> list[str]:
    defaults = arg_defaults(instructions)
    images = []
    for ins in instructions:
        if ins.keyword == "FROM":
            image = ins.args.split()[0]
            images.append(re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], image))
    return images


INSTRUCTIONS = parse(DOCKERFILE.read_text())


def runs(stage: int) -> str:
    return "\n".join(i.args for i in INSTRUCTIONS if i.keyword == "RUN" and i.stage == stage)


def test_every_instruction_is_a_dockerfile_instruction() -> None:
    assert DOCKERFILE.read_text().startswith("# syntax=docker/dockerfile:1\n")
    assert INSTRUCTIONS and {i.keyword for i in INSTRUCTIONS} <= KNOWN
    assert INSTRUCTIONS[0].keyword in ("ARG", "FROM")


def test_base_images_are_pinned_and_official_ray_at_adclfs_version() -> None:
    images = base_images(INSTRUCTIONS)
    assert len(images) == 2, images
    for image in images:
        name, _, tag = image.rpartition(":")
        assert name and tag and tag != "latest" and "latest" not in image, image
        assert re.search(r"\d", tag), image
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    ray_pin = next(d for d in pyproject["project"]["dependencies"] if d.startswith("ray["))
    version = ray_pin.split("==")[1]
    assert images[-1] == f"rayproject/ray:{version}-py311-cpu"
    # The GPU variant's base (documented in the header) is the same Ray, too.
    assert f"rayproject/ray-llm:{version}-py311-cu" in DOCKERFILE.read_text()


def test_node_stage_builds_the_dashboard_into_the_package() -> None:
    assert "npm ci" in runs(0) and "npm run build" in runs(0) and "cd frontend" in runs(0)
    copies = [i.args for i in INSTRUCTIONS if i.keyword == "COPY" and i.stage == 1]
    assert any(c.startswith("--from=web") and "/src/adclf/static/ adclf/static/" in c
               for c in copies), copies
    vite = (ROOT / "frontend" / "vite.config.ts").read_text()
    assert 'outDir: "../adclf/static"' in vite


def test_runtime_stage_installs_tools_adclf_and_its_cpu_torch_pin() -> None:
    run = runs(1)
    for package in ("ffmpeg", "tesseract-ocr", "tesseract-ocr-eng", "tesseract-ocr-fra"):
        assert re.search(rf"(?<![\w-]){package}(?![\w-])", run), package
    assert "pip install --no-cache-dir ." in run
    assert "adclf.pipeline.logos.build" in run
    assert "adclf.lexicon.build" in run
    pin = arg_defaults(INSTRUCTIONS)["TORCH_PIN"]
    assert pin in (ROOT / "scripts" / "setup.sh").read_text()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pin in pyproject["project"]["dependencies"]


def _ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore semantics for the patterns used here: the last match wins, `!` re-includes,
    a pattern ending in / covers what is below it."""
    ignored = False
    for raw in patterns:
        negate = raw.startswith("!")
        pattern = raw[1:] if negate else raw
        pattern = pattern.rstrip("/")
        prefix = pattern.replace("**/", "")
        hit = (fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/")
               or fnmatch.fnmatch(path.rsplit("/", 1)[-1], prefix)
               or ("**/" in pattern and f"/{prefix}/" in f"/{path}/"))
        if pattern == "*" and not negate:
            hit = True
        if hit:
            ignored = not negate
    return ignored


def test_copied_sources_exist_and_are_in_the_build_context() -> None:
    ignore = [p.strip() for p in (ROOT / "deploy" / "Dockerfile.dockerignore").read_text()
              .splitlines() if p.strip() and not p.startswith("#")]
    sources = []
    for ins in INSTRUCTIONS:
        if ins.keyword == "COPY" and "--from=" not in ins.args:
            parts = [p for p in ins.args.split() if not p.startswith("--")]
            sources += parts[:-1]
    assert sources
    for src in sources:
        assert (ROOT / src).exists(), src
        assert not _ignored(src.rstrip("/"), ignore), f"{src} is left out of the build context"
    assert _ignored(".venv", ignore) and _ignored("frontend/node_modules", ignore)

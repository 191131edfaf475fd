"""Development-time builder of the shipped catalogue (run time needs neither npm nor this script).

    .venv/bin/python -m adclf.brands.build_default [--simple-icons PATH] [--dict PATH]

Reads the hand-curated brands in adclf/brands/curated/*.txt (format in its README), links each to
its simple-icons logo, adds every other simple-icons entry as a `kind: "tech"` brand (most of that
collection is developer tools) and writes adclf/brands/data/brands.jsonl. It also writes
data/words.txt.gz, the everyday-word list the matcher uses, from SCOWL's american-english
(Debian package wamerican) and curated/words_fr.lst.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from adclf.brands.normalize import dictionary, key

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SIMPLE_ICONS = REPO / "third_party/simple-icons/node_modules/simple-icons/data/simple-icons.json"
TAXONOMY = REPO / "adclf/pipeline/taxonomy/defaults/ad_product_2_0.tsv"
WORDS = Path("/usr/share/dict/american-english")
SCOWL_NOTICE = """# English words: SCOWL (Spell Checker Oriented Word Lists), Debian: wamerican.
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell
# these word lists, the associated scripts, the output created from the scripts, and its
# documentation for any purpose is hereby granted without fee, provided that the above copyright
# notice appears in all copies and that both that copyright notice and this permission notice
# appear in supporting documentation. Kevin Atkinson makes no representations about the
# suitability of this array for any purpose. It is provided "as is" without express or implied
# warranty. (SCOWL also credits Alan Beale, and derives from word lists by Geoff Kuenning,
# Ispell, and others, under similar permissive terms.)
# French words: hand-written for adclf (curated/words_fr.lst).
"""
# hosts in simple-icons source/guidelines URLs that say nothing about the brand's own site
_HOSTING = {
    "github", "gitlab", "bitbucket", "figma", "wikipedia", "wikimedia", "npmjs", "google",
    "dropbox", "behance", "dribbble", "twitter", "x", "facebook", "medium", "notion", "imgur",
    "brandfetch", "youtube", "linkedin", "instagram", "apple", "microsoft", "amazonaws",
    "cloudfront", "box", "frame", "simpleicons", "codeberg", "sourceforge", "readthedocs",
}
_PUBLIC_2 = {"co.uk", "com.au", "co.jp", "com.br", "co.nz", "co.za", "com.cn", "co.kr", "com.tw",
             "com.mx", "com.ar", "co.in", "org.uk", "gouv.fr", "gc.ca", "gouv.qc.ca", "qc.ca"}


def taxonomy_ids(path: Path = TAXONOMY) -> set[str]:
    ids = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ids.add(line.split("\t", 1)[0].strip())
    ids.discard("id")
    return ids


def parse_curated(files: list[Path], ids: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in files:
        category: str | None = None
        for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r"\[(\d+|-)\]", line)
            if m:
                category = None if m.group(1) == "-" else m.group(1)
                if category is not None and category not in ids:
                    sys.exit(f"{path}:{lineno}: unknown category id {category}")
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            name, domains, aliases, flags = parts[0], parts[1], parts[2], parts[3].split()
            if not name:
                sys.exit(f"{path}:{lineno}: empty name")
            hosts = [_host(d) for d in domains.split()]
            out.append({
                "name": name,
                "aliases": [a.strip() for a in aliases.split(";") if a.strip()],
                "domains": [h for h in hosts if h],
                "logo": None,
                "category_id": category,
                "common_word": "~" in flags,
                "exclude": False,
                "kind": "brand",
                "_si": next((f[3:] for f in flags if f.startswith("si=")), None),
                "_where": f"{path.name}:{lineno}",
            })
    return out


def _host(text: str) -> str:
    text = text.strip().lower()
    if "//" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _label(host: str) -> str:
    parts = host.split(".")
    if len(parts) >= 3 and ".".join(parts[-2:]) in _PUBLIC_2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else host


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or not c.isalpha() for c in text)


def si_aliases(icon: dict[str, Any]) -> list[str]:
    aliases = icon.get("aliases") or {}
    out = list(aliases.get("aka", []))
    out += [v for v in (aliases.get("loc") or {}).values() if _latin(v)]
    return [a for a in out if _latin(a) and key(a)]


def si_domain(icon: dict[str, Any]) -> str | None:
    """The brand's own domain when its source/guidelines URL plainly is its site."""
    want = {key(icon["title"]), icon["slug"]}
    for field in ("guidelines", "source"):
        host = _host(icon.get(field) or "")
        if not host or "." not in host:
            continue
        label = _label(host)
        if label in _HOSTING:
            continue
        lab = key(label)
        if lab and any(w and (lab == w or (len(lab) >= 4 and (w.startswith(lab) or
                       lab.startswith(w)))) for w in want):
            return host
    return None


def merge(curated: list[dict[str, Any]], icons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_slug = {i["slug"]: i for i in icons}
    by_key: dict[str, dict[str, Any]] = {}
    for one in icons:
        by_key.setdefault(key(one["title"]), one)
    used: set[str] = set()
    seen: dict[str, str] = {}
    brands: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    dups = []
    for b in curated:
        k = key(b["name"])
        if k in first:
            dups.append(f"{b['_where']}: {b['name']} (as {first[k]})")
        first.setdefault(k, b["_where"])
    if dups:
        sys.exit("duplicate curated names:\n" + "\n".join(dups))
    for b in curated:
        k = key(b["name"])
        seen[k] = b["_where"]
        si = b.pop("_si")
        b.pop("_where")
        icon: dict[str, Any] | None = None
        if si != "-":
            icon = by_slug.get(si) if si else by_key.get(k)
        if si and si != "-" and icon is None:
            sys.exit(f"unknown simple-icons slug {si} for {b['name']}")
        if icon is not None and icon["slug"] not in used:
            used.add(icon["slug"])
            b["logo"] = icon["slug"]
            dom = si_domain(icon)
            if not b["domains"] and dom:
                b["domains"] = [dom]
            have = {key(a) for a in b["aliases"]} | {k}
            b["aliases"] += [a for a in si_aliases(icon) if key(a) not in have]
        brands.append(b)
    common, _ = dictionary()
    for entry in icons:
        if entry["slug"] in used:
            continue
        k = key(entry["title"])
        if not k or k in seen:
            continue
        seen[k] = entry["slug"]
        dom = si_domain(entry)
        brands.append({
            "name": entry["title"], "aliases": si_aliases(entry), "domains": [dom] if dom else [],
            "logo": entry["slug"], "category_id": None, "common_word": k in common,
            "exclude": False, "kind": "tech",
        })
    _dedupe_domains(brands)
    return brands


def _dedupe_domains(brands: list[dict[str, Any]]) -> None:
    """One brand per domain: the brand whose name is the domain's label, else the first."""
    owner: dict[str, int] = {}
    for i, b in enumerate(brands):
        for d in b["domains"]:
            j = owner.get(d)
            if j is None or (key(b["name"]) == key(_label(d)) != key(brands[j]["name"])):
                owner[d] = i
    for i, b in enumerate(brands):
        b["domains"] = list(dict.fromkeys(d for d in b["domains"] if owner.get(d) == i))


def write_words(words: Path, french: Path, out: Path) -> None:
    lines = [SCOWL_NOTICE.rstrip("\n")]
    kept: set[str] = set()
    for src in (words, french):
        for raw in src.read_text(encoding="utf-8").splitlines():
            if raw.startswith("#"):
                continue
            for w in raw.split():
                if w.endswith("'s"):
                    continue
                w = w.replace("'", "")  # contractions: "aren't" is read as "arent"
                if not w or w in kept:  # keep "Gap" and "gap": case matters
                    continue
                kept.add(w)
                lines.append(w)
    with gzip.GzipFile(str(out), "wb", mtime=0) as fh:  # mtime=0: reproducible bytes
        fh.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--simple-icons", type=Path, default=SIMPLE_ICONS)
    ap.add_argument("--dict", type=Path, default=WORDS)
    ap.add_argument("--out", type=Path, default=HERE / "data" / "brands.jsonl")
    args = ap.parse_args(argv)
    if args.dict.exists():
        write_words(args.dict, HERE / "curated" / "words_fr.lst", HERE / "data" / "words.txt.gz")
        dictionary.cache_clear()
    ids = taxonomy_ids()
    curated = parse_curated(sorted((HERE / "curated").glob("*.txt")), ids)
    curated = [b for b in curated if b["name"]]
    icons = json.loads(args.simple_icons.read_text(encoding="utf-8"))
    brands = merge(curated, icons)
    with args.out.open("w", encoding="utf-8") as fh:
        for b in brands:
            fh.write(json.dumps(b, ensure_ascii=False, sort_keys=False) + "\n")
    n_cur = sum(b["kind"] == "brand" for b in brands)
    n_cat = sum(b["category_id"] is not None for b in brands)
    n_logo = sum(b["kind"] == "brand" and b["logo"] is not None for b in brands)
    print(f"{len(brands)} brands: {n_cur} curated ({n_cat} with category, {n_logo} with logo), "
          f"{len(brands) - n_cur} simple-icons only -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Recognise video containers from their first bytes, so a URL that returns an HTML error page,
JSON or anything else is refused before it reaches the decoders."""

from __future__ import annotations

import json

# Enough for every signature below (MPEG-TS needs three 188-byte packets).
SNIFF_BYTES = 564

_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
_ASF = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")


def video_suffix(head: bytes) -> str | None:
    """The file suffix of the video container `head` starts, or None if it is not one."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return ".mov" if head[8:10] == b"qt" else ".mp4"
    if len(head) >= 8 and head[4:8] in _QUICKTIME_ATOMS:
        return ".mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return ".webm" if b"webm" in head[:64] else ".mkv"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return ".avi"
    if len(head) >= 377 and head[0] == head[188] == head[376] == 0x47:
        return ".ts"
    if head.startswith(b"\x00\x00\x01\xba") or head.startswith(b"\x00\x00\x01\xb3"):
        return ".mpg"
    if head.startswith(b"FLV\x01"):
        return ".flv"
    if head.startswith(_ASF):
        return ".wmv"
    if head.startswith(b"OggS"):
        return ".ogv"
    return None


def describe_non_video(head: bytes, content_type: str | None) -> str:
    """A short human description of what the server sent instead of a video."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--", b"<script")) or (
        b"<html" in text[:512]
    ):
        return "text/html"
    if text.startswith((b"<?xml", b"<svg")):
        return "XML"
    if text[:1] in (b"{", b"["):
        try:
            json.loads(head.decode("utf-8"))
            return "application/json"
        except (UnicodeDecodeError, ValueError):
            # a truncated head still reads as JSON if it is printable
            if _printable(head):
                return "application/json"
    if not head:
        return "an empty body"
    if _printable(head):
        return "text/plain"
    kind = (content_type or "").split(";")[0].strip().lower()
    return f"an unrecognised file ({kind})" if kind else "an unrecognised file"


def _printable(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # a multi-byte character cut at the end of the sniff window
        try:
            text = data[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(c.isprintable() or c in "\r\n\t" for c in text)

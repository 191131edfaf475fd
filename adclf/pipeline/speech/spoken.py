"""Spoken forms to written evidence, as pure functions on transcript text.

Voice-overs say addresses and names the way people speak them: "nike dot com", "nike point com"
(French), "w w w dot nike dot com", letters spelled out ("n i k e", Whisper writes "N-I-K-E"),
"one eight hundred". The classifier wants "nike.com" and "nike".
"""

from __future__ import annotations

import re

# "dot" (EN) and "point" (FR) between two words of an address
_DOT = r"(?:dot|point)"
_TLDS = "com|net|org|fr|co|uk|io|de|es|it|be|ch|ca|eu|us|info|biz|tv|app|shop|store|ai|me|ly|gg|nl"
# Whisper and espeak-made captions spell letters as "N-I-K-E", "N.I.K.E." or "n i k e"
_SPELLED = re.compile(r"(?<![\w'])(?:[a-z0-9][\s.\-]+){2,}[a-z0-9]\b\.?", re.IGNORECASE)
_SPOKEN_DOMAIN = re.compile(rf"\b((?:[a-z0-9][a-z0-9\-]*\s+{_DOT}\s+)+)({_TLDS})\b", re.IGNORECASE)
_WRITTEN_DOMAIN = re.compile(
    rf"\b((?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS}))\b", re.IGNORECASE
)
_WWW = re.compile(r"\b(?:w\s*w\s*w|triple\s*w|double\s*v\s+double\s*v\s+double\s*v)\b", re.I)
_NUMBERS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "vingt": 20, "trente": 30,
}  # fmt: skip
_NUMBER_RUN = re.compile(
    r"\b(?:(?:" + "|".join(_NUMBERS) + r"|hundred|thousand|cent|mille)(?:[\s\-]+|\b)){1,8}",
    re.IGNORECASE,
)


def join_spelled(text: str) -> str:
    """Letters spelled one by one become one word: "n i k e" / "N-I-K-E" -> "nike". Needs three or
    more single characters, so "a b" in ordinary speech is left alone."""

    def repl(m: re.Match[str]) -> str:
        letters = re.findall(r"[a-z0-9]", m.group(0), re.IGNORECASE)
        return "".join(letters).lower() + (" " if m.group(0)[-1].isspace() else "")

    return _SPELLED.sub(repl, text)


def _www(text: str) -> str:
    return _WWW.sub("www", text)


def _spoken_domains(text: str) -> str:
    """ "nike dot com" -> "nike.com", "www dot nike point fr" -> "www.nike.fr"."""

    def repl(m: re.Match[str]) -> str:
        parts = re.split(rf"\s+{_DOT}\s+", m.group(1).strip(), flags=re.IGNORECASE)
        parts = [p.strip() for p in parts if p.strip()]
        parts[-1] = re.sub(rf"\s+{_DOT}$", "", parts[-1], flags=re.IGNORECASE)
        return ".".join(p.lower() for p in parts + [m.group(2)])

    return _SPOKEN_DOMAIN.sub(repl, text)


def number_words(text: str) -> str:
    """English/French number words to digits, as read in phone numbers and model names:
    "twenty one" -> "21", "two hundred fifty" -> "250", "one eight hundred five five five" ->
    "1 800 555" (a run of single digits is one digit string, as in phone numbers)."""

    def value(words: list[str]) -> str:
        out: list[int] = []
        joinable: list[bool] = []  # a lone single digit, glued to its digit neighbours
        total: int | None = None
        for w in words:
            if w in ("hundred", "cent", "thousand", "mille"):
                total = (total or 1) * (100 if w in ("hundred", "cent") else 1000)
                continue
            n = _NUMBERS[w]
            if total is not None and total % 100 and total % 10 == 0 and total > 10 and n < 10:
                total += n  # twenty one
            elif total is not None and total >= 100 and total % 100 == 0 and 10 <= n < 100:
                total += n  # two hundred fifty
            else:
                if total is not None:
                    out.append(total)
                    joinable.append(total < 10)
                total = n
        if total is not None:
            out.append(total)
            joinable.append(total < 10)
        parts: list[str] = []
        for i, (number, single) in enumerate(zip(out, joinable, strict=True)):
            if single and i > 0 and joinable[i - 1]:
                parts[-1] += str(number)
            else:
                parts.append(str(number))
        return " ".join(parts)

    def repl(m: re.Match[str]) -> str:
        words = [w.lower() for w in re.findall(r"[a-z]+", m.group(0), re.IGNORECASE)]
        # a lone "one"/"oh"/"un" is usually a word, not a number
        if len(words) == 1 and words[0] in ("one", "oh", "un", "hundred", "thousand"):
            return m.group(0)
        trail = " " if m.group(0)[-1:].isspace() or m.group(0)[-1:] == "-" else ""
        return value(words) + trail

    return _NUMBER_RUN.sub(repl, text)


def spoken_to_written(text: str, numbers: bool = False) -> str:
    """Transcript text with spoken addresses and spelled names written out."""
    out = join_spelled(_www(text))
    out = _spoken_domains(out)
    if numbers:
        out = number_words(out)
    return re.sub(r"\s{2,}", " ", out).strip()


def domains(text: str) -> list[str]:
    """Web addresses in a transcript, spoken or written, lower-case, without "www.", in order of
    first mention: "Visit nike dot com" -> ["nike.com"]."""
    found: list[str] = []
    for m in _WRITTEN_DOMAIN.finditer(spoken_to_written(text)):
        d = m.group(1).lower()
        d = d[4:] if d.startswith("www.") else d
        if d not in found:
            found.append(d)
    return found


def glued_domains(text: str) -> list[tuple[str, str]]:
    """A one-label address with the one or two words said right before it glued on, as
    (address as heard, glued address): a recogniser splits a name it does not know into words
    and writes only the last one into the address ("Visit Doctor Lib.FR" -> ("lib.fr",
    "doctorlib.fr"), ("lib.fr", "visitdoctorlib.fr"))."""
    written = spoken_to_written(text)
    out: list[tuple[str, str]] = []
    for m in _WRITTEN_DOMAIN.finditer(written):
        heard = m.group(1).lower()
        labels = heard.split(".")
        if len(labels) != 2 or labels[0] == "www":
            continue
        before = re.findall(r"[^\W\d_]+", written[: m.start()].split(".")[-1].split(",")[-1])
        for n in (1, 2):
            if len(before) >= n and written[: m.start()].endswith(" "):
                glued = "".join(w.lower() for w in before[-n:]) + labels[0]
                out.append((heard, f"{glued}.{labels[1]}"))
    return out


def domain_names(text: str) -> list[str]:
    """The name part of each address: "nike.com" -> "nike", "shop.acme.co.uk" -> "acme"."""
    names: list[str] = []
    tlds = set(_TLDS.split("|"))
    for d in domains(text):
        labels = d.split(".")
        while len(labels) > 1 and labels[-1] in tlds:
            labels.pop()  # "acme.co.uk" -> "acme"; a lone "store.com" keeps "store"
        if labels[-1] not in names:
            names.append(labels[-1])
    return names


def address_after(text: str, span: str) -> str | None:
    """The top-level domain said right after `span` when the span is the name of a web address
    ("visit www teffel dot com", span "teffel" or "www teffel" -> "com"), else None."""
    words = [re.escape(w) for w in re.findall(r"[\w'&+]+", span)]
    if not words:
        return None
    pattern = r"(?<![\w'])" + r"[\W_]+".join(words) + rf"\.({_TLDS})\b"
    m = re.search(pattern, spoken_to_written(text), re.IGNORECASE)
    return m.group(1).lower() if m else None

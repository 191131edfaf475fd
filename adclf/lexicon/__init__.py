"""How common a word is in English or French: wordfreq's frequencies, held as a compact table that
every process on the machine shares (see table.py)."""

from adclf.lexicon.table import everyday_zipf, zipf

__all__ = ["everyday_zipf", "zipf"]

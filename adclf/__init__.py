"""adclf: video ad classifier on Ray."""

__version__ = "0.1.0"

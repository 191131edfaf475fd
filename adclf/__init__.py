"""adclf: video ad classifier on Ray."""

"""What one tool call gives back: the text the model reads (JSON), a one-line summary for the
record, pictures to show the model, and the frame artifacts they came from. A tool that cannot
do what was asked says so in `error`: the model reads it and may try again differently."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


class ToolFailure(Exception):
    """A call the tool refuses (bad arguments, nothing to look at): its message is the result the
    model reads, and the loop goes on."""


@dataclass
class ToolResult:
    payload: dict[str, Any]
    summary: str
    images: list[bytes] = field(default_factory=list)  # JPEG bytes for the model
    frames: list[str] = field(default_factory=list)  # artifact names, e.g. frames/frame_003.jpg
    error: str = ""

    @property
    def text(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False)

    @classmethod
    def failed(cls, message: str) -> ToolResult:
        return cls(payload={"error": message}, summary=f"error: {message}", error=message)

"""Tool calling in the fakes: the script's format and the `tools` check both servers make.

`Behaviour.script` is a list of replies, one per chat call (the last one repeats once the script
is used up), each `{"content": str, "thinking": str, "tool_calls": [{"name", "arguments"}]}`.
`arguments` is a dict, or (OpenAI only) a raw string sent as is, so that a test can send
malformed JSON. Each fake puts the reply in its own wire format."""

from __future__ import annotations

from typing import Any


def offered_tools(body: dict[str, Any]) -> tuple[list[str], str]:
    """Tool names from a request's `tools`, or an error text when one is not a function spec."""
    names: list[str] = []
    for tool in body.get("tools") or []:
        fn = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(tool, dict) or tool.get("type") != "function" or \
                not isinstance(fn, dict) or not fn.get("name"):
            return [], f"invalid tool definition: {str(tool)[:80]}"
        params = fn.get("parameters", {})
        if not isinstance(params, dict) or params.get("type", "object") != "object":
            return [], f"tool {fn['name']}: parameters must be a JSON schema object"
        names.append(str(fn["name"]))
    return names, ""

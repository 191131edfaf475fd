"""`python -m adclf.api.openapi > openapi.json`: the API schema, without starting anything."""

from __future__ import annotations

import json
import sys

from adclf.api.app import create_app


def main() -> None:
    json.dump(create_app().openapi(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

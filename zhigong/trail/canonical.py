"""Canonical JSON for trail leaves: sorted keys, UTF-8, no insignificant white space."""

import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    ).encode("utf-8")

"""Ids from the request: one converter for URLs and one parser for query strings and forms.

Database ids are positive 64-bit integers (PostgreSQL bigint). `str.isdigit()` accepts '²' and
`int()` accepts 23 digits, and either reaching a query is a server error. Everything that reads an
id from a request goes through here, so a crafted id is "not found" (404) or a form error.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1
_ID_RE = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """A positive id in the bigint range, or None: '12' -> 12; '²', '-1', '0', '1e3', 10**22 -> None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among values (e.g. request.POST.getlist(...)); others are dropped."""
    return [number for number in map(parse_id, values) if number is not None]


class IdConverter:
    """`<id:pk>`: ASCII digits within the bigint range; anything else does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(int(value))

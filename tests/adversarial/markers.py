"""Unique markers planted in everything a principal must not see, and the search for them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

_AS_IS = re.compile(r"zq[0-9a-f]{10}")
_REVERSED = re.compile(r"[0-9a-f]{10}qz")
_HEX = re.compile(r"7a71(?:[0-9a-f]{2}){10}")


@dataclass(frozen=True)
class Leak:
    """A marker found in some text: which one, what it stands for, and in what form."""

    marker: str
    what: str
    form: str


@dataclass
class Markers:
    """The markers of one world, each with a note of what it stands for.

    A marker is found as written, in any case, reversed, or as hexadecimal, so that the
    everyday encodings an attacker might apply (UPPER, REVERSE, HEX) do not hide it. Other
    encodings are the differential cases' job.
    """

    notes: dict[str, str] = field(default_factory=dict)
    # Strings that were not made here (paths, versions): searched for one by one.
    others: dict[str, str] = field(default_factory=dict)

    def new(self, what: str) -> str:
        """A fresh marker for `what`: `zq` and ten hex digits."""
        marker = f"zq{secrets.token_hex(5)}"
        self.notes[marker] = what
        return marker

    def add(self, value: str, what: str) -> None:
        """Treat an existing string (a server's data directory, its version) as a marker."""
        if value and len(value) >= 6:
            self.others[value] = what

    def find(self, text: str) -> list[Leak]:
        """Every marker in `text`, in any of the forms above (one pass per form, so that a
        30 MB answer is searched as fast as a short one)."""
        lowered = text.lower()
        found: dict[str, Leak] = {}
        for match in _AS_IS.findall(lowered):
            if match in self.notes:
                found.setdefault(match, Leak(match, self.notes[match], "as is"))
        for match in _REVERSED.findall(lowered):
            marker = match[::-1]
            if marker in self.notes:
                found.setdefault(marker, Leak(marker, self.notes[marker], "reversed"))
        for match in _HEX.findall(lowered):
            marker = bytes.fromhex(match).decode("ascii", "replace")
            if marker in self.notes:
                found.setdefault(marker, Leak(marker, self.notes[marker], "hex"))
        for value, what in self.others.items():
            low = value.lower()
            for form, needle in (("as is", low), ("reversed", low[::-1])):
                if needle in lowered:
                    found.setdefault(value, Leak(value, what, form))
                    break
        return list(found.values())

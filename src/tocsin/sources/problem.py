"""What a reader says when an input is unusable or read with a caveat."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["REJECTED", "SEVERITIES", "WARNING", "Problem", "problem"]

REJECTED = "rejected"
"""The item (file, line or feed entry) was not read."""
WARNING = "warning"
"""The item was read, with a caveat (encoding fallback, unreadable published time, ...)."""
SEVERITIES = (REJECTED, WARNING)


@dataclass(frozen=True)
class Problem:
    """One coded problem met while reading: ``code`` is ``"T004"``, ``message`` the full coded message."""

    code: str
    message: str
    origin: str
    """``path``, ``path:line`` (JSONL) or ``path#entry`` (feeds)."""
    severity: str = REJECTED


def problem(template: str, origin: str, severity: str = REJECTED, **fields: Any) -> Problem:
    """A Problem from an ``errors.E`` template; the code is read from the template's ``[Txxx]`` prefix."""
    return Problem(code=template[1:5], message=template.format(**fields), origin=origin, severity=severity)

"""``sources.toml``: the sources to watch, one ``[[source]]`` table each.

```toml
[[source]]
name = "agency-wire"
url = "https://example.org/feed.xml"
kind = "rss"            # rss | atom | json (JSON Feed) | html (one page = one report) | cap (CAP alerts -> drafts)
interval_s = 60
language = "en"
fetch_article = false   # fetch each item's page and extract its main text
trust = 3               # 1 (low) .. 5 (official)
reorder = false         # kind "cap": read alerts whose elements break the CAP schema's order (else refused)
```
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tocsin.errors import E, InputError

__all__ = ["KINDS", "Source", "add_source", "load_sources", "source_toml"]

KINDS = ("rss", "atom", "json", "html", "cap")


@dataclass(frozen=True)
class Source:
    name: str
    url: str
    kind: str = "rss"
    interval_s: float = 60.0
    language: str | None = None
    fetch_article: bool = False
    trust: int = 3
    reorder: bool = False

    def __post_init__(self) -> None:
        where = f"source {self.name!r}"
        if not self.name.strip():
            raise InputError(_bad(where, "name", "a non-empty name", self.name))
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(_bad(where, "url", "an http(s) URL with a host", self.url))
        if self.kind not in KINDS:
            raise InputError(_bad(where, "kind", " | ".join(KINDS), self.kind))
        if not self.interval_s > 0:
            raise InputError(_bad(where, "interval_s", "> 0 seconds", self.interval_s))
        if not isinstance(self.reorder, bool):
            raise InputError(_bad(where, "reorder", "true or false", self.reorder))
        if not 1 <= self.trust <= 5:
            raise InputError(_bad(where, "trust", "1..5", self.trust))


def _bad(where: str, field: str, expected: str, value: object) -> str:
    return E.T010.format(where=f"sources.toml {where}", field=field, expected=expected, value=value)


def load_sources(path: str | Path) -> list[Source]:
    """The sources declared in ``path`` (an absent file declares none); InputError on a bad entry."""
    file = Path(path)
    if not file.exists():
        return []
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(_bad(str(file), "file", "valid TOML", str(exc))) from exc
    sources: list[Source] = []
    names: set[str] = set()
    for number, entry in enumerate(data.get("source", []), start=1):
        if not isinstance(entry, dict):
            raise InputError(_bad(f"[[source]] #{number}", "source", "a table", entry))
        known = set(Source.__dataclass_fields__)
        unknown = sorted(set(entry) - known)
        if unknown:
            raise InputError(_bad(f"[[source]] #{number}", unknown[0], "a known key", unknown[0]))
        if "name" not in entry or "url" not in entry:
            raise InputError(_bad(f"[[source]] #{number}", "name/url", "present", None))
        source = Source(**entry)
        if source.name in names:
            raise InputError(_bad(f"source {source.name!r}", "name", "unique", source.name))
        names.add(source.name)
        sources.append(source)
    return sources


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def source_toml(source: Source) -> str:
    lines = ["[[source]]"]
    for key, value in asdict(source).items():
        if value is not None:
            lines.append(f"{key} = {_value(value)}")
    return "\n".join(lines) + "\n"


def add_source(path: str | Path, source: Source) -> None:
    """Append ``source`` to ``path`` (created if missing); InputError if the name is taken."""
    file = Path(path)
    if any(s.name == source.name for s in load_sources(file)):
        raise InputError(_bad(f"source {source.name!r}", "name", "not already declared", source.name))
    before = file.read_text(encoding="utf-8") if file.exists() else ""
    sep = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
    file.write_text(before + sep + source_toml(source), encoding="utf-8")

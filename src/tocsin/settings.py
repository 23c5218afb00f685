"""tocsin's settings as one table: name, default, help, environment variable.

The CLI, the API and docs/settings.md read this table; ``tests/test_settings.py`` fails
when a setting is not documented.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from tocsin.errors import ConfigError, E

__all__ = ["SETTINGS", "Setting", "get"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str

    @property
    def env(self) -> str:
        return "TOCSIN_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "sqlite:///tocsin.db", "Where the store lives: a SQLite path/URL or postgresql://..."),
    Setting("spacy_model", "en_core_web_sm", "The spaCy pipeline (en_core_web_sm, or its mirror)."),
    Setting("batch_size", 64, "Reports per nlp.pipe batch."),
    Setting("actors_file", "", "An extra actor dictionary (JSON) merged over the shipped one."),
    Setting("merge_days", 1, "Reports of one event may differ by this many days and still merge."),
    Setting("merge_km", 25.0, "Reports of one event may be this far apart (km) and still merge."),
    Setting("max_line_bytes", 10_000_000, "A JSONL line longer than this is rejected."),
    Setting("classifier_model", "", "A classifier file made by `tocsin train`; empty: the shipped one."),
    Setting("tiles_url", "", "Base-map tile URL template for the web map ({z}/{x}/{y}); empty: plain map."),
    Setting("tiles_attribution", "", "Attribution shown for the base-map tiles."),
    Setting("api_max_body_bytes", 5_000_000, "Largest request body the API accepts (413 above)."),
    Setting("status_ttl_s", 1.0, "How often (s) an API process checks for warnings changed by others."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> Any:
    """The setting's value: its environment variable when set, else its default."""
    setting = _BY_NAME.get(name)
    if setting is None:
        raise ConfigError(E.T101.format(name=name, valid=", ".join(_BY_NAME)))
    raw = os.environ.get(setting.env)
    if raw is None or raw == "":
        return setting.default
    if isinstance(setting.default, bool):
        return raw.lower() in ("1", "true", "yes", "on")
    if isinstance(setting.default, int):
        return int(raw)
    if isinstance(setting.default, float):
        return float(raw)
    return raw

"""tocsin's errors: one tree, and a catalogue of coded messages.

Codes are stable and searchable; the same ``[Txxx]`` appears in CLI output and in JSON
error bodies. A message says what is wrong, where, and what to do.

    TocsinError
    ├── InputError        a file, line or value a user gave is unusable
    ├── ConfigError       a setting or option is wrong
    ├── StoreError        the database cannot be opened, migrated or written
    │   └── ConflictError a write lost a race against another writer
    ├── NotFound          an id that does not exist
    ├── GeometryError     an area or route is not a valid shape
    ├── CapError          a CAP message is invalid or hostile
    └── AccessError       an API request lacks a valid token (401) or the role (403)
        └── Forbidden     the token is valid but its role is too low
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AccessError",
    "CapError",
    "ConfigError",
    "ConflictError",
    "Forbidden",
    "GeometryError",
    "InputError",
    "NotFound",
    "StoreError",
    "TocsinError",
    "E",
]


class E:
    """The message catalogue. Format with ``E.T001.format(...)``."""

    # input (T0xx)
    T001 = "[T001] {path}: file is empty; nothing to read"
    T002 = "[T002] {path}: looks like a binary file ({detail}); give a .txt, .html, .jsonl or feed file"
    T003 = "[T003] {path}: not valid UTF-8; decoded as {fallback} instead (check the characters)"
    T004 = "[T004] {path}:{line}: malformed JSON ({detail}); line skipped"
    T005 = "[T005] {path}:{line}: missing required field {field!r}; line skipped"
    T006 = "[T006] {where}: cannot read published time {value!r}; relative dates stay unresolved"
    T007 = "[T007] {path}: unknown file type {suffix!r}; use .txt, .html, .htm, .jsonl, .xml, .rss or .atom"
    T008 = "[T008] {path}: no such file or directory"
    T009 = "[T009] {path}: not a valid RSS or Atom feed ({detail})"
    T010 = "[T010] {where}: field {field!r} must be {expected}, got {value!r}"
    T011 = "[T011] {where}: report text is empty; nothing to extract"
    T012 = "[T012] {path}:{line}: line is longer than {limit} bytes; line skipped"
    T013 = "[T013] {path}: cannot read the file ({detail}); the rest of it is skipped"
    T014 = "[T014] {path}: text is larger than {limit} bytes; split it into smaller files or use .jsonl"
    T015 = "[T015] {path}: unknown header key {key!r} ignored; known keys: {known}"
    T016 = "[T016] {where}: extraction failed on this report: {detail}"
    T017 = "[T017] {where}: published time {value} is in the future; dates are resolved against it: check it"
    T018 = (
        "[T018] {where} {value!r}: not a publication time; give ISO 8601 (2026-01-08T10:15:00+03:00), "
        "a date (2026-01-08) or an RSS-style time"
    )
    # gazetteer imports (T03x)
    T030 = "[T030] {path}:{line}: not a GeoNames row ({detail}); line skipped"
    T031 = "[T031] {path}: feature {index}: {detail}; feature skipped"
    T032 = "[T032] {path}: not a GeoJSON FeatureCollection ({detail}); nothing imported"
    T033 = "[T033] {where}: no {what} called {name!r} in the gazetteer{hint}"
    T034 = "[T034] {where}: {name!r} is ambiguous ({count} places); add the country or region, e.g. {example!r}: " \
           "{candidates}"
    # configuration (T1xx)
    T101 = "[T101] unknown setting {name!r}; valid settings: {valid}"
    T102 = "[T102] {name}: {value!r} is not a valid option, must be one of {valid}"
    T103 = "[T103] cannot load the spaCy model {name!r}: install it with `pip install {package}`"
    T104 = "[T104] {path}: cannot read the actor dictionary ({detail}); fix the JSON or the actors_file setting"
    # store (T2xx)
    T201 = "[T201] cannot open the database {url}: {detail}"
    T202 = "[T202] the database {url} has schema {found}, newer than this tocsin knows ({known}); upgrade tocsin"
    T203 = "[T203] {what} {id!r} was changed by someone else (version {found}, you had {expected}); reload and retry"
    T204 = "[T204] no {what} with id {id!r}"
    T205 = "[T205] event {id!r} has a single source report; nothing to split"
    T206 = "[T206] the database {url} has schema {found}, older than this tocsin ({known}); run `Store.upgrade()`"
    T207 = "[T207] cannot correct field {field!r}; correctable fields: {valid}"
    T208 = "[T208] {field}: {value!r} is not a valid value ({detail})"
    T209 = "[T209] cannot store {what}: {detail}; nothing from this batch was written"
    T210 = (
        "[T210] {url}: PostGIS is needed on PostgreSQL ({detail}); install postgresql-15-postgis-3 "
        "and let a superuser run CREATE EXTENSION postgis"
    )
    T211 = "[T211] cannot copy {src} to {dst}: {detail}"
    T212 = "[T212] copy {src} -> {dst}: table {table} differs after copying ({detail}); nothing was written"
    T213 = "[T213] the database {url} cannot be migrated: {detail}; nothing was changed"
    # geometry (T3xx)
    T301 = "[T301] {where}: {detail}"
    T302 = "[T302] {where}: point {index} {value!r} is not 'lat,lon' (two decimal numbers separated by a comma)"
    T303 = "[T303] {where}: point {index} ({lat}, {lon}) is out of range: need lat in -90..90, lon in -180..180"
    T304 = "[T304] {where}: point {index} ({lat}, {lon}) looks swapped: CAP wants 'lat,lon' (latitude first)"
    T305 = "[T305] {where}: polygon has {count} points; CAP needs at least 4 (a closed ring repeats its first point)"
    T306 = "[T306] {where}: polygon ring is not closed: first point {first} differs from last point {last}; repeat it"
    T307 = "[T307] {where}: polygon is not a valid shape ({detail}); fix the ring so it does not cross itself"
    T308 = "[T308] {where}: circle {value!r} is not 'lat,lon radius_km' with a radius >= 0"
    T309 = "[T309] {where}: corridor needs a route of 2+ points and a width > 0 m, got {points} points and {width} m"
    T310 = "[T310] area {name!r}: {detail}"
    T311 = "[T311] {where}: time window {value!r} is invalid ({detail})"
    T330 = "[T330] {path}: feature {index} ({name!r}): invalid geometry ({detail}); feature skipped"
    # CAP (T4xx)
    T401 = "[T401] {where}: {detail}"
    T402 = "[T402] {where}: input is {size} bytes, more than the {limit}-byte limit for one CAP message or feed"
    T403 = "[T403] {where}: XML with a DOCTYPE or ENTITY declaration is refused (entity expansion/external entity risk)"
    T404 = "[T404] {where}: not well-formed XML ({detail})"
    T405 = "[T405] {where}: does not validate against the CAP 1.2 schema: {detail}"
    T406 = "[T406] {where}: <{element}> is {value!r}, which is not a valid option, must be one of {valid}"
    T407 = "[T407] {where}: CAP {version} message cannot be read as CAP 1.2 ({detail}); ask the sender for CAP 1.2"
    T408 = "[T408] {where}: root element is {tag}, not a CAP <alert>"
    T409 = "[T409] {where}: expires {expires} is before effective {effective}"
    T410 = "[T410] {where}: time {value!r} is not an ISO 8601 date-time with a UTC offset such as +00:00"
    T411 = "[T411] warning {id!r} is {state}; {detail}"
    T412 = "[T412] {where}: subscription is invalid ({detail})"
    T413 = (
        "[T413] {where}: a CAP {msg_type} message answers another message ({refs}); it is not a warning and "
        "is not imported"
    )
    T414 = (
        "[T414] {where}: this is an HTML page, not XML (an error or login page served instead of the CAP "
        "message?); fetch the alert again"
    )
    T415 = (
        "[T415] {where}: the <{wrapper}> holds {count} CAP alerts; import the file (`tocsin warnings import`) "
        "to read each"
    )
    T416 = (
        "[T416] {where}: the CAP {what} is {size} long, more than the {limit} tocsin stores: {value}; ask its "
        "sender for a shorter one"
    )
    T417 = (
        "[T417] {where}: the name of who acted, {value}, is {length} characters long, more than the {limit} the "
        "warning log records; use a shorter name"
    )
    # classification model (T5xx)
    T501 = "[T501] {path}: not an ACLED export, missing column(s) {fields}; give a CSV with notes and sub_event_type"
    T502 = "[T502] {path}: cannot load the trigger model ({detail}); reinstall tocsin or run `tocsin train`"
    # access and the HTTP API (T6xx)
    T601 = "[T601] no API token; send 'Authorization: Bearer <token>' (an admin creates one: `tocsin tokens create`)"
    T602 = "[T602] the API token is not known or was revoked; ask an administrator for a new one"
    T603 = "[T603] {action} needs the {needed} role or higher; token {name!r} has the {role} role"
    T604 = "[T604] a token named {name!r} already exists; choose another name"
    T605 = "[T605] request body is larger than the {limit}-byte limit; send smaller batches"
    T606 = "[T606] unknown query parameter(s) {names}; valid parameters: {valid}"
    T607 = "[T607] {field}: {detail}"
    # cluster backfill on Ray (T7xx)
    T701 = (
        "[T701] cannot reach the Ray cluster at {address}: {detail}; give the head node's address (host:port, "
        "e.g. 10.0.0.5:6379, or ray://host:10001) or leave out --address to start a local Ray"
    )
    T702 = "[T702] the Ray engine is not installed ({detail}); install the extra: pip install 'tocsin[cluster]'"
    T703 = "[T703] the Ray backfill stopped: {detail}; batches written before stay stored, rerun to complete the rest"


class TocsinError(Exception):
    """The base of every error tocsin raises on purpose."""

    code = "T000"

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = context
        if message.startswith("[T"):
            self.code = message[1:5]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.context}


class InputError(TocsinError):
    pass


class ConfigError(TocsinError):
    pass


class StoreError(TocsinError):
    pass


class ConflictError(StoreError):
    pass


class NotFound(TocsinError):
    pass


class GeometryError(TocsinError):
    pass


class CapError(TocsinError):
    pass


class AccessError(TocsinError):
    pass


class Forbidden(AccessError):
    pass

"""Time windows of warnings: one-off (start/end) or recurring daily in the area's IANA time zone.

A daily window is given in local wall-clock times ("20:00-06:00 Europe/Kyiv") and is turned into UTC
intervals day by day, so a curfew that crosses midnight or a DST change lasts what the clock on the wall
says. Bounds (``start``/``end``) are stored in UTC. A local time that does not exist (the hour skipped
when clocks go forward) is read with the offset before the change, i.e. shifted forward; an ambiguous
one (clocks go back) means its first occurrence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tocsin.errors import E, InputError

__all__ = ["TimeWindow", "parse_window", "to_utc"]

UTC = dt.UTC


def _zone(name: str, where: str = "time window") -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(E.T311.format(where=where, value=name, detail="unknown IANA time zone")) from exc


def to_utc(value: dt.datetime, timezone: str = "UTC") -> dt.datetime:
    """An aware UTC datetime; a naive one is read as local time in ``timezone``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(timezone))
    return value.astimezone(UTC)


@dataclass(frozen=True)
class TimeWindow:
    """When a warning (or a corridor's opening hours) applies.

    One-off: ``[start, end)``. Recurring: every local day from ``daily_start`` to ``daily_end``
    (ending the next day when ``daily_end <= daily_start``), within the optional ``[start, end)`` bounds.
    """

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    daily_start: dt.time | None = None
    daily_end: dt.time | None = None
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        zone_name = self.timezone or "UTC"
        _zone(zone_name)
        object.__setattr__(self, "timezone", zone_name)
        for name in ("start", "end"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, to_utc(value, zone_name))
        if (self.daily_start is None) != (self.daily_end is None):
            self._fail("a daily window needs both a start and an end time")
        if self.daily_start is not None and self.daily_start == self.daily_end:
            self._fail("daily start and end are equal; give a window such as 20:00-06:00")
        if not self.recurring and self.start is None:
            self._fail("a one-off window needs a start")
        if self.start is not None and self.end is not None and self.end <= self.start:
            self._fail(f"end {self.end.isoformat()} is not after start {self.start.isoformat()}")

    def _fail(self, detail: str) -> None:
        raise InputError(E.T311.format(where="time window", value=self.to_text_safe(), detail=detail))

    @classmethod
    def once(cls, start: dt.datetime, end: dt.datetime | None, timezone: str = "UTC") -> TimeWindow:
        return cls(start=start, end=end, timezone=timezone)

    @classmethod
    def daily(
        cls,
        daily_start: dt.time,
        daily_end: dt.time,
        timezone: str,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> TimeWindow:
        return cls(start=start, end=end, daily_start=daily_start, daily_end=daily_end, timezone=timezone)

    @property
    def recurring(self) -> bool:
        return self.daily_start is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def within_bounds(self, t: dt.datetime) -> bool:
        """True when ``t`` lies within ``[start, end)`` (the whole validity, not the daily hours)."""
        t = to_utc(t)
        return (self.start is None or self.start <= t) and (self.end is None or t < self.end)

    def _day_interval(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        assert self.daily_start is not None and self.daily_end is not None
        zone = self.zone
        s = dt.datetime.combine(day, self.daily_start, tzinfo=zone).astimezone(UTC)
        end_day = day + dt.timedelta(days=1) if self.daily_end <= self.daily_start else day
        e = dt.datetime.combine(end_day, self.daily_end, tzinfo=zone).astimezone(UTC)
        if self.start is not None:
            s = max(s, self.start)
        if self.end is not None:
            e = min(e, self.end)
        return (s, e) if s < e else None

    def intervals(
        self, t: dt.datetime, days_before: int = 1, days_after: int = 2
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        """The UTC intervals of the window around ``t`` (all of it for a one-off window)."""
        t = to_utc(t)
        if not self.recurring:
            assert self.start is not None
            end = self.end or dt.datetime.max.replace(tzinfo=UTC)
            return [(self.start, end)]
        local_day = t.astimezone(self.zone).date()
        out = []
        for offset in range(-days_before, days_after + 1):
            interval = self._day_interval(local_day + dt.timedelta(days=offset))
            if interval is not None:
                out.append(interval)
        return out

    def interval_at(self, t: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
        """The interval containing ``t`` (joined with the next one when they touch), else None."""
        t = to_utc(t)
        spans = self.intervals(t)
        for i, (s, e) in enumerate(spans):
            if s <= t < e:
                for s2, e2 in spans[i + 1 :]:
                    if s2 <= e:
                        e = max(e, e2)
                return s, e
        return None

    def active_at(self, t: dt.datetime) -> bool:
        return self.interval_at(t) is not None

    def next_change_after(self, t: dt.datetime) -> dt.datetime | None:
        """The first moment after ``t`` when the window opens or closes; None when it never changes again."""
        t = to_utc(t)
        current = self.interval_at(t)
        if current is not None:
            end = current[1]
            return None if end.year == dt.MAXYEAR else end
        for s, _e in self.intervals(t, days_before=0, days_after=3):
            if s > t:
                return s
        return None

    def to_text(self) -> str:
        """The text form read by :func:`parse_window` (and stored in CAP parameters)."""
        bounds = f"{_iso(self.start)}/{_iso(self.end)}"
        if self.recurring:
            assert self.daily_start is not None and self.daily_end is not None
            hours = f"{self.daily_start.strftime('%H:%M')}-{self.daily_end.strftime('%H:%M')}"
            return f"daily {hours} {self.timezone} {bounds}"
        return f"once {bounds} {self.timezone}"

    def to_text_safe(self) -> str:
        try:
            return self.to_text()
        except (AttributeError, TypeError, ValueError):
            return repr(self)


def _iso(value: dt.datetime | None) -> str:
    return ".." if value is None else value.astimezone(UTC).isoformat()


_DAILY = re.compile(r"^daily\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})(?:\s+(\S+))?(?:\s+(\S+)/(\S+))?$")
_ONCE = re.compile(r"^(?:once\s+)?(\S+)/(\S+)(?:\s+(\S+))?$")


def _parse_time(text: str, raw: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.zfill(5))
    except ValueError as exc:
        raise InputError(E.T311.format(where="time window", value=raw, detail=f"bad clock time {text!r}")) from exc


def _parse_bound(text: str, timezone: str, raw: str) -> dt.datetime | None:
    if text in ("..", ""):
        return None
    try:
        return to_utc(dt.datetime.fromisoformat(text), timezone)
    except ValueError as exc:
        detail = f"bad date-time {text!r}; use ISO 8601 such as 2026-03-01T20:00:00+02:00"
        raise InputError(E.T311.format(where="time window", value=raw, detail=detail)) from exc


def parse_window(text: str, timezone: str = "UTC") -> TimeWindow:
    """Read ``daily 20:00-06:00 Europe/Kyiv [START/END]`` or ``[once] START/END [ZONE]``.

    ``..`` stands for an open bound; naive date-times are local to the zone.

    >>> parse_window("daily 22:00-05:00 Europe/Kyiv").recurring
    True
    """
    raw = text.strip()
    match = _DAILY.match(raw)
    if match:
        zone = match.group(3) or timezone
        start = _parse_bound(match.group(4) or "..", zone, raw)
        end = _parse_bound(match.group(5) or "..", zone, raw)
        return TimeWindow.daily(_parse_time(match.group(1), raw), _parse_time(match.group(2), raw), zone, start, end)
    match = _ONCE.match(raw)
    if match:
        zone = match.group(3) or timezone
        start = _parse_bound(match.group(1), zone, raw)
        if start is None:
            raise InputError(E.T311.format(where="time window", value=raw, detail="a one-off window needs a start"))
        return TimeWindow.once(start, _parse_bound(match.group(2), zone, raw), zone)
    detail = "use 'daily HH:MM-HH:MM ZONE [START/END]' or 'START/END [ZONE]'"
    raise InputError(E.T311.format(where="time window", value=raw, detail=detail))

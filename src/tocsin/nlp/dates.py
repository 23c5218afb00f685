"""Dates and clock times in a report, resolved against its publication time (``doc._.dates``).

Everything here is precompiled regular expressions over the text plus date arithmetic; no
dateparser and no per-token work, so the component costs a few regex passes per document.
``find_dates(text, published)`` does the work; the spaCy component ``tocsin_dates`` calls it
with ``doc._.published``; ``resolve(text, published)`` gives the first mention of a short text.

Rules (each one is tested in tests/nlp/test_dates.py):

- Explicit dates: "9 January 2026", "January 9, 2026", "Jan. 9", "9th of January", "2026-01-09"
  (also with a time: "2026-01-09T15:00Z"),
  "22-Feb-20", "09/01/2026". Slash and dot dates are read day-first ("09/01/2026" is 9 January:
  most of tocsin's sources are not American) unless the second part is > 12, which forces
  month-first ("01/22/2026" is 22 January). "18-21 February" and "between 20 and 21
  February" give a start and an end mention. Month and year alone ("in January 2026") has
  precision 3 and the value is the first of the month (the 15th for "mid-January").
- "Around 7 May", "as reported on 7 May": precision 2, as ACLED codes them (in the ACLED notes
  262 of 274 "Around ..." rows and 58 of 60 "As reported on ..." rows have precision 2).
- A date without a year takes it from the publication date: the latest such date not more than
  7 days after publication (reports describe the past); in a future-tense sentence (see below)
  the such date nearest to publication. Without a publication date its value is None with the
  reason "no year and no publication date".
- Weekdays: in a past-tense sentence (the default) the most recent such day on or before the
  publication date ("on Thursday" in a Friday report is the day before; "on Friday" is the same
  day); "last Thursday" is the most recent one strictly before publication. In a future-tense
  sentence (will, shall, 'll, going to, due to, is to, scheduled, planned, expected to) the next
  such day on or after publication. Where the cue is weaker (would, deadline, ultimatum, or the
  day directly after until/till/by/before/starting/from: "a deadline to withdraw by Tuesday" may
  have passed) the nearer of the two, forward on a tie. "next Monday" and "this coming Monday"
  are the first one strictly after publication. A weekday directly after a reporting verb ("said
  on Monday") is always read as past. "Every Friday", "the fourth Thursday in November" and "the
  last Thursday of the month" are no single day and give no mention.
- Relative words: today, tonight, this morning/afternoon/evening -> publication date;
  yesterday, last night -> the day before (a "last night" is dated to the evening it began,
  whatever the hour of publication); the day before yesterday -> two days before; tomorrow,
  the day after tomorrow -> forward; "N days ago"; "N weeks ago", "last week", "this week",
  "earlier this week" -> precision 2, value the Monday of that week; "last month", "this month",
  "earlier this month", "N months ago" -> precision 3, value the first of that month.
  "Today" means the publication date in UTC (publication times are UTC).
- Clock times: "3 p.m.", "3pm", "6.00pm", "15:00", "1500 GMT", "0500 hrs", "noon", "midnight",
  with an optional zone: GMT/UTC/Z, "UTC+3", "GMT-5", "+03:00", a short list of unambiguous
  abbreviations (EET, EEST, CET, CEST, WAT, CAT, EAT, MSK, AST = Arabia, IDT, IRST, AFT, PKT,
  MMT) and "Moscow/Baghdad/Riyadh/Tehran/Kabul time". A named zone gives an aware UTC value;
  "local time" or no zone gives a naive local datetime that the notices stage localises.
  "3 p.m. local time (12:00 GMT)" is one mention over both, valued from the zoned time.
  "Midnight" is the end of the day it is attached to ("midnight on Friday" is Saturday 00:00);
  a bare "midnight" is the coming one in a forward-looking sentence and the one just past
  otherwise ("shelling began at midnight" is 00:00 of the publication day).
- Deadlines as durations: "within 72 hours", "a 72-hour ultimatum" -> the publication date plus
  that many whole days.
- A time takes the date written next to it ("at 3 p.m. on Thursday", "Thursday at 3 p.m.",
  absorbed into one mention), else the nearest day-precise date of its sentence, else the
  publication date (marked relative); with none of these its value is None.
- Ranges: two times (or dates) joined by to/until/till/through/-/"and" (after "between") give
  mentions with role "start" and "end"; an end clock earlier than the start rolls to the next day.
- Relative expressions with no publication date get value None and a reason, never a guess.
  Years outside 1900-2199 are no dates, and a publication date outside them is ignored.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from tocsin.model import DateMention
from tocsin.nlp.pipeline import doc_text, register_extensions

__all__ = ["DateExtractor", "find_dates", "make_dates", "resolve"]

register_extensions()

NO_PUBLISHED = "relative date and no publication date"
NO_YEAR = "no year and no publication date"
NO_DATE_FOR_TIME = "clock time with no date and no publication date"
SLACK_DAYS = 7
MIN_YEAR, MAX_YEAR = 1900, 2199

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SMALL_NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3,
}  # fmt: skip

#: Zone names that map to one fixed offset (hours) without ambiguity in conflict reporting.
ZONES: dict[str, float] = {
    "GMT": 0, "UTC": 0, "EET": 2, "EEST": 3, "CET": 1, "CEST": 2, "WAT": 1, "CAT": 2, "EAT": 3, "MSK": 3,
    "AST": 3, "IDT": 3, "IRST": 3.5, "AFT": 4.5, "PKT": 5, "MMT": 6.5, "Moscow time": 3, "Baghdad time": 3,
    "Riyadh time": 3, "Mecca time": 3, "Tehran time": 3.5, "Kabul time": 4.5,
}  # fmt: skip

_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_NUM = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a few)"

_ZONE_NAMES = "|".join(sorted((re.escape(z).replace(r"\ ", r"\s+") for z in ZONES), key=len, reverse=True))
_ZONE = (
    r"(?:\s*(?P<local>local\s+time|local)\b"
    r"|\s*(?:GMT|UTC)\s?(?P<sign>[+\-−])\s?(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?\b"
    r"|\s*(?P<zn>" + _ZONE_NAMES + r")\b"
    r"|(?P<zulu>Z)\b"
    r"|\s*(?P<sign2>[+\-−])(?P<oh2>\d{2}):?(?P<om2>\d{2})\b)?"
)
_T12 = re.compile(r"\b(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s?(?P<ap>[apAP])(?:\.\s?[mM]\b\.?|[mM]\b)" + _ZONE)
_T24 = re.compile(r"\b(?P<h>[01]?\d|2[0-3])[:h](?P<mi>[0-5]\d)\b(?:\s?(?:hrs|hours)\b)?" + _ZONE)
_TMIL = re.compile(r"\b(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?:\s?(?:hrs|hours)\b|(?=\s?(?:GMT|UTC|Z\b|local)))" + _ZONE)
_TWORD = re.compile(r"\b(?:12\s+)?(?P<w>noon|midday|midnight)\b" + _ZONE, re.I)

_ISO = re.compile(
    r"\b(?P<y>\d{4})-(?P<m>0?[1-9]|1[0-2])-(?P<d>[12]\d|3[01]|0?[1-9])"
    r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:(?P<z>Z)|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?)?"
    r"\b"
)
_NO_MORE_DIGITS = r"(?![-/.]\d)"
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})\b(?![./]\d)")
_DMONY = re.compile(r"\b(?P<d>\d{1,2})-(?P<mon>" + _MON + r")-(?P<y>\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(
    r"(?<![\d/.-])(?P<d>" + _DAY + r")(?:\s+of)?\s+(?P<mon>" + _MON + r")\b\.?"
    r"(?:,?\s+(?P<y>\d{4})\b" + _NO_MORE_DIGITS + r")?"
)
_MONTH_DAY = re.compile(
    r"\b(?P<mon>" + _MON + r")\b\.?\s+(?P<d>" + _DAY + r")\b(?!\s*[:.]\d)(?:,?\s+(?P<y>\d{4})\b)?"
)
_DAY_RANGE = re.compile(
    r"\b(?P<d1>" + _DAY + r")\s*(?:-|–|to|and)\s*(?P<d>" + _DAY + r")(?:\s+of)?\s+(?P<mon>" + _MON
    + r")\b\.?(?:,?\s+(?P<y>\d{4})\b)?"
    r"|\b(?P<mon2>" + _MON + r")\b\.?\s+(?P<d1b>" + _DAY + r")\s*(?:-|–)\s*(?P<db>" + _DAY
    + r")\b(?:,?\s+(?P<y2>\d{4})\b)?"
)
_MONTH_YEAR = re.compile(r"\b(?P<mon>" + _MON + r")\b\.?,?\s+(?P<y>\d{4})\b")
_MONTH_ALONE = re.compile(
    r"\b(?:(?i:in|since|during|until|by|early|late|last|next|this)\s+|(?i:mid)-?)(?P<mon>" + _MON + r")\b(?!\s*\d)"
)
_THE_NTH = re.compile(
    r"\b(?i:on|since|until|by|from|before|after)\s+the\s+(?P<d>[12]\d|3[01]|[1-9])(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\b|[a-z]))"
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>(?i:last|next|this coming|this|coming|previous|past))\s+)?(?P<wd>" + _WD + r")\b" + _PART
    + r"(?:'s)?(?!\s+(?:in|of)\s+(?:each|every|the\s+month|" + _MON + r"))"
)
_RECURRING_BEFORE = re.compile(r"\b(?:first|second|third|fourth|fifth|every|each)\s+$", re.I)
_RELATIVE = re.compile(
    r"\b(?:(?P<w>the day before yesterday|the day after tomorrow|tonight|last night|this (?:morning|afternoon|evening))"
    r"|(?P<w2>yesterday|today|tomorrow)(?:\s+(?:morning|afternoon|evening|night)\b)?)\b",
    re.I,
)
_AGO = re.compile(r"\b(?P<n>" + _NUM + r")\s+(?P<unit>day|week|month)s?\s+ago\b", re.I)
_WITHIN = re.compile(
    r"\bwithin\s+(?P<n>\d{3}|" + _NUM + r")\s+(?P<unit>hour|day)s?\b"
    r"|\b(?P<n2>\d{1,3})-(?P<unit2>hour|day)\s+(?:ultimatum|deadline)\b",
    re.I,
)
_PERIOD = re.compile(r"\b(?P<mod>last|this|earlier this|the previous)\s+(?P<unit>week|month)\b", re.I)

_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z])|\n")
_FUTURE = re.compile(
    r"\b(?:will|shall|going to|due to|is to|are to|scheduled|planned|plans to|expected to)\b|'ll\b", re.I
)
_NEAR = re.compile(r"\b(?:would|deadline|ultimatum)\b", re.I)
_FUTURE_BEFORE = re.compile(r"\b(?:until|till|by|before|starting|from|beginning|as of)\s+(?:on\s+)?$", re.I)
_PAST_BEFORE = re.compile(
    r"\b(?:said|says|announced|reported|told|stated|added|claimed|declared|confirmed|published|posted)"
    r"\s+(?:on\s+)?$",
    re.I,
)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*$", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
_GAP_TIME_DATE = re.compile(r"\s*,?\s*(?:on\s+|of\s+)?$", re.I)
_GAP_DATE_TIME = re.compile(
    r"\s*,?\s*(?:at|from|between|around|about|by|until|till|starting|starting at|before|after)?\s*$", re.I
)
_GAP_DATE_DATE = re.compile(r"\s*[,(\-–—]?\s*$")
_GAP_EQUIV = re.compile(r"\s*[(\[]\s*$")
_APPROXIMATE_BEFORE = re.compile(
    r"\b(?:around|about|approximately|circa|as\s+reported\s+on|reported\s+on|as\s+of)\s+(?:on\s+)?$", re.I
)


@dataclass
class _Piece:
    """A date or time found in the text, before dates and times are combined."""

    start: int
    end: int
    kind: str  # "date" or "time"
    value: dt.date | None = None
    precision: int = 1
    relative: bool = False
    reason: str | None = None
    role: str | None = None
    clock: tuple[int, int] | None = None  # the first clock as written (for range roll-over)
    local: tuple[int, int] | None = None  # clock with no zone, or "local time"
    zoned: tuple[int, int] | None = None  # clock with a named zone
    offset: dt.timedelta | None = None  # the named zone's offset from UTC
    absorbed: bool = False
    day: dt.date | None = None  # the date written with the time ("2026-01-09T15:00Z")


class _Context:
    """The text with its sentence boundaries and the publication date."""

    def __init__(self, text: str, published: dt.datetime | None) -> None:
        self.text = text
        self.published = published
        self.today = published.astimezone(dt.UTC).date() if published and published.tzinfo else (
            published.date() if published else None
        )
        if self.today is not None and not MIN_YEAR <= self.today.year <= MAX_YEAR:
            self.published, self.today = None, None  # an absurd publication date is no anchor
        self.sent_starts = [0] + [m.end() for m in _SENT_END.finditer(text)]

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        end = self.sent_starts[i + 1] if i + 1 < len(self.sent_starts) else len(self.text)
        return self.sent_starts[i], end

    def tense(self, start: int, end: int) -> str:
        """``past``, ``future`` or ``near`` (either way, whichever is closer) for the expression at ``start``."""
        s_start, s_end = self.sentence(start)
        before = self.text[max(s_start, start - 40) : start]
        if _PAST_BEFORE.search(before):
            return "past"
        if _FUTURE.search(self.text, s_start, s_end):
            return "future"
        if _FUTURE_BEFORE.search(before) or _NEAR.search(self.text, s_start, s_end):
            return "near"
        return "past"

    def future(self, start: int, end: int) -> bool:
        return self.tense(start, end) != "past"


# -- date arithmetic ------------------------------------------------------------------------------


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 and value < 70 else (value + 1900 if value < 100 else value)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None for one that does not exist or lies outside the years reports speak of."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _infer_year(month: int, day: int, today: dt.date, future: bool) -> dt.date | None:
    candidates = [d for y in (today.year - 1, today.year, today.year + 1) if (d := _safe_date(y, month, day))]
    if not candidates:
        return None
    if future:
        return min(candidates, key=lambda d: abs((d - today).days))
    past = [d for d in candidates if d <= today + dt.timedelta(days=SLACK_DAYS)]
    return max(past) if past else min(candidates)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# -- date handlers: each turns a match into pieces --------------------------------------------------


def _explicit(m: re.Match[str], ctx: _Context, month: int, day: int, year: str | None) -> _Piece:
    if year:
        value = _safe_date(_year(year), month, day)
        return _Piece(m.start(), m.end(), "date", value, reason=None if value else "not a calendar date")
    if ctx.today is None:
        return _Piece(m.start(), m.end(), "date", None, reason=NO_YEAR)
    value = _infer_year(month, day, ctx.today, ctx.future(m.start(), m.end()))
    return _Piece(m.start(), m.end(), "date", value, reason=None if value else "not a calendar date")


def _h_iso(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    date = _explicit(m, ctx, int(m["m"]), int(m["d"]), m["y"])
    if not m["hh"] or date.value is None:
        return [date]
    clock = (int(m["hh"]), int(m["mi"]))
    piece = _Piece(m.start(), m.end(), "time", clock=clock, day=date.value)
    if m["z"] or m["sign"]:
        offset = dt.timedelta(hours=int(m["oh"] or 0), minutes=int(m["om"] or 0))
        piece.zoned, piece.offset = clock, -offset if m["sign"] == "-" else offset
    else:
        piece.local = clock
    return [piece]


def _h_numeric(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    a, b = int(m["a"]), int(m["b"])
    day, month = (b, a) if b > 12 >= a else (a, b)
    if month > 12:
        return []
    return [_explicit(m, ctx, month, day, m["y"])]


def _h_day_month(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    return [_explicit(m, ctx, _month(m["mon"]), _day(m["d"]), m["y"])]


def _h_day_range(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    """'18-21 February 2020' (start '18', end '21 February 2020') or 'February 18-21'."""
    if m["mon"]:
        month, d1, d2, year = _month(m["mon"]), m["d1"], m["d"], m["y"]
        start_span, end_span = (m.start(), m.end("d1")), (m.start("d"), m.end())
    else:
        month, d1, d2, year = _month(m["mon2"]), m["d1b"], m["db"], m["y2"]
        start_span, end_span = (m.start(), m.end("d1b")), (m.start("db"), m.end())
    start = _explicit(m, ctx, month, _day(d1), year)
    end = _explicit(m, ctx, month, _day(d2), year)
    if start.value is None or end.value is None or start.value >= end.value:
        return []
    start.start, start.end, start.role = *start_span, "start"
    end.start, end.end, end.role = *end_span, "end"
    return [start, end]


def _h_month_year(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    day = 15 if ctx.text[max(0, m.start() - 4) : m.start()].lower() in ("mid-", "mid ") else 1
    return [_Piece(m.start(), m.end(), "date", dt.date(_year(m["y"]), _month(m["mon"]), day), precision=3)]


def _h_month_alone(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    start = m.start("mon")
    if ctx.today is None:
        return [_Piece(start, m.end(), "date", None, precision=3, reason=NO_YEAR)]
    value = _infer_year(_month(m["mon"]), 1, ctx.today, ctx.future(m.start(), m.end()))
    if value is not None and m.group(0).lower().startswith("mid"):
        value = value.replace(day=15)
    return [_Piece(start, m.end(), "date", value, precision=3)]


def _h_the_nth(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    start = m.start() + m.group(0).lower().index("the")
    if ctx.today is None:
        return [_Piece(start, m.end(), "date", None, relative=True, reason=NO_YEAR)]
    day, today = int(m["d"]), ctx.today
    candidates = [d for k in (-1, 0, 1) if (d := _safe_date(*_ym(today, k), day))]
    if ctx.future(m.start(), m.end()):
        value = min(candidates, key=lambda d: abs((d - today).days))
    else:
        past = [d for d in candidates if d <= today + dt.timedelta(days=SLACK_DAYS)]
        value = max(past) if past else min(candidates)
    return [_Piece(start, m.end(), "date", value, relative=True)]


def _ym(day: dt.date, months: int) -> tuple[int, int]:
    first = _add_months(day, months)
    return first.year, first.month


def _h_weekday(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    if _RECURRING_BEFORE.search(ctx.text, max(0, m.start() - 10), m.start()):
        return []  # "every Friday", "the fourth Thursday": not one day
    if ctx.today is None:
        return [_Piece(m.start(), m.end(), "date", None, relative=True, reason=NO_PUBLISHED)]
    today, target = ctx.today, WEEKDAYS.index(m["wd"].lower())
    back = (today.weekday() - target) % 7
    ahead = (target - today.weekday()) % 7
    mod = (m["mod"] or "").lower()
    if mod in ("last", "previous", "past"):
        value = today - dt.timedelta(days=back or 7)
    elif mod in ("next", "coming", "this coming"):
        value = today + dt.timedelta(days=ahead or 7)
    else:
        tense = ctx.tense(m.start(), m.end())
        forward = tense == "future" or (tense == "near" and ahead <= back)
        value = today + dt.timedelta(days=ahead) if forward else today - dt.timedelta(days=back)
    return [_Piece(m.start(), m.end(), "date", value, relative=True)]


_RELATIVE_DAYS = {
    "the day before yesterday": -2, "yesterday": -1, "last night": -1, "today": 0, "tonight": 0,
    "this morning": 0, "this afternoon": 0, "this evening": 0, "tomorrow": 1, "the day after tomorrow": 2,
}  # fmt: skip


def _h_relative(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    if ctx.today is None:
        return [_Piece(m.start(), m.end(), "date", None, relative=True, reason=NO_PUBLISHED)]
    shift = _RELATIVE_DAYS[re.sub(r"\s+", " ", (m["w"] or m["w2"]).lower())]
    return [_Piece(m.start(), m.end(), "date", ctx.today + dt.timedelta(days=shift), relative=True)]


def _h_ago(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    unit = m["unit"].lower()
    precision = {"day": 1, "week": 2, "month": 3}[unit]
    if ctx.today is None:
        return [_Piece(m.start(), m.end(), "date", None, precision, relative=True, reason=NO_PUBLISHED)]
    raw = m["n"].lower()
    n = int(raw) if raw.isdigit() else SMALL_NUMBERS[raw]
    if unit == "day":
        value = ctx.today - dt.timedelta(days=n)
    elif unit == "week":
        value = _monday(ctx.today - dt.timedelta(days=7 * n))
    else:
        value = _add_months(ctx.today, -n)
    return [_Piece(m.start(), m.end(), "date", value, precision, relative=True)]


def _h_within(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    """'within 72 hours', 'a 72-hour ultimatum': the day the time runs out."""
    if ctx.published is None or ctx.today is None:
        return [_Piece(m.start(), m.end(), "date", None, relative=True, reason=NO_PUBLISHED)]
    raw, unit = (m["n"] or m["n2"]).lower(), (m["unit"] or m["unit2"]).lower()
    n = int(raw) if raw.isdigit() else SMALL_NUMBERS[raw]
    hours = n if unit == "hour" else 24 * n
    value = ctx.today + dt.timedelta(days=hours // 24)
    return [_Piece(m.start(), m.end(), "date", value, relative=True)]


def _h_period(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    unit, mod = m["unit"].lower(), m["mod"].lower()
    precision = 2 if unit == "week" else 3
    if ctx.today is None:
        return [_Piece(m.start(), m.end(), "date", None, precision, relative=True, reason=NO_PUBLISHED)]
    back = 1 if mod in ("last", "the previous") else 0
    if unit == "week":
        value = _monday(ctx.today) - dt.timedelta(days=7 * back)
    else:
        value = _add_months(ctx.today, -back)
    return [_Piece(m.start(), m.end(), "date", value, precision, relative=True)]


# -- times ----------------------------------------------------------------------------------------


def _zone(m: re.Match[str]) -> tuple[bool, dt.timedelta | None]:
    """(named, offset) of a time match's zone suffix; named is False for none or "local time"."""
    if m["zn"]:
        return True, dt.timedelta(hours=ZONES[re.sub(r"\s+", " ", m["zn"])])
    if m["zulu"]:
        return True, dt.timedelta(0)
    sign, hours, minutes = (m["sign"], m["oh"], m["om"]) if m["sign"] else (m["sign2"], m["oh2"], m["om2"])
    if sign:
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        return True, -delta if sign in "-−" else delta
    return False, None


def _time_piece(m: re.Match[str], hour: int, minute: int) -> _Piece:
    named, offset = _zone(m)
    clock = (hour, minute)
    if named:
        return _Piece(m.start(), m.end(), "time", clock=clock, zoned=clock, offset=offset)
    return _Piece(m.start(), m.end(), "time", clock=clock, local=clock)


def _h_t12(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    hour = int(m["h"]) % 12 + (12 if m["ap"].lower() == "p" else 0)
    return [_time_piece(m, hour, int(m["mi"] or 0))]


def _h_t24(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    return [_time_piece(m, int(m["h"]), int(m["mi"]))]


def _h_tword(m: re.Match[str], ctx: _Context) -> list[_Piece]:
    return [_time_piece(m, 12 if m["w"].lower() in ("noon", "midday") else 24, 0)]


_Handler = Callable[[re.Match[str], _Context], list[_Piece]]
#: A cheap test on (text, lowercased text) that must pass before a rule's regex runs at all.
_Gate = Callable[[str, str, bool], bool]  # (text, lowercased text, names a month)

_ANY_MONTH = re.compile(_MON)
_CLOCK_HINT = re.compile(r"\d\s?[apAP]\.?\s?[mM]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DIGITS = "0123456789"
_MONTH_INITIALS = "ADFJMNOS"


def _has_month(text: str, lower: str, month: bool) -> bool:
    return month


def _has(*words: str) -> _Gate:
    return lambda text, lower, month: any(w in lower for w in words)


def _lead(pattern: re.Pattern[str], first_chars: str, *, lowered: bool = False) -> tuple[re.Pattern[str], bool]:
    """The pattern led by a look-ahead on the characters a match can start with, which lets the regex
    engine jump between candidate positions (several times faster than trying ``\\b`` everywhere).
    ``lowered`` patterns run case-sensitively on the ASCII-lowercased text instead of with ``re.I``."""
    flags = 0 if lowered else pattern.flags
    return re.compile(rf"(?=[{first_chars}])(?:{pattern.pattern})", flags), lowered


#: (regex, runs on lowercased text, handler, gate) in priority order: at the same start the longer
#: match wins, then the earlier rule. The gate is a cheap test that must pass before the regex runs.
_RULES: tuple[tuple[re.Pattern[str], bool, _Handler, _Gate], ...] = tuple(
    (*lead, handler, gate)
    for lead, handler, gate in (
        (_lead(_ISO, _DIGITS), _h_iso, _has("-")),
        (_lead(_NUMERIC, _DIGITS), _h_numeric, _has("/", ".")),
        (_lead(_DMONY, _DIGITS), _h_day_month, _has("-")),
        (_lead(_DAY_RANGE, _DIGITS + _MONTH_INITIALS), _h_day_range, _has_month),
        (_lead(_DAY_MONTH, _DIGITS), _h_day_month, _has_month),
        (_lead(_MONTH_DAY, _MONTH_INITIALS), _h_day_month, _has_month),
        (_lead(_MONTH_YEAR, _MONTH_INITIALS), _h_month_year, _has_month),
        (_lead(_MONTH_ALONE, "iIsSdDuUbBeElLnNtTmM"), _h_month_alone, _has_month),
        (_lead(_THE_NTH, "oOsSuUbBfFaA"), _h_the_nth, _has("st", "nd", "rd", "th")),
        (_lead(_WEEKDAY, "lLnNtTcCpPMWFS"), _h_weekday, _has("day")),
        (_lead(_RELATIVE, "tyl", lowered=True), _h_relative, _has("day", "tomorrow", "night", "this ")),
        (_lead(_AGO, _DIGITS + "aotfsenhc", lowered=True), _h_ago, _has(" ago")),
        (_lead(_WITHIN, _DIGITS + "w", lowered=True), _h_within, _has("within", "-hour", "-day")),
        (_lead(_PERIOD, "lte", lowered=True), _h_period, _has("week", "month")),
        (_lead(_T12, _DIGITS), _h_t12, lambda text, lower, month: _CLOCK_HINT.search(text) is not None),
        (_lead(_TMIL, _DIGITS), _h_t24, _has("hrs", "hour", "gmt", "utc", "z", "local")),
        (_lead(_T24, _DIGITS), _h_t24, _has(":", "h")),
        (_lead(_TWORD, "1nNmM"), _h_tword, _has("noon", "midday", "midnight")),
    )
)


def _scan(ctx: _Context) -> list[_Piece]:
    found: list[tuple[int, int, int, list[_Piece]]] = []
    lower = ctx.text.translate(_ASCII_LOWER)  # same offsets as the text
    month = _ANY_MONTH.search(ctx.text) is not None
    for rank, (pattern, lowered, handler, gate) in enumerate(_RULES):
        if not gate(ctx.text, lower, month):
            continue
        for m in pattern.finditer(lower if lowered else ctx.text):
            try:
                new = handler(m, ctx)
            except OverflowError:  # arithmetic past year 9999 from an absurd publication date
                continue
            if new:
                start, end = min(p.start for p in new), max(p.end for p in new)
                found.append((start, start - end, rank, new))
    found.sort(key=lambda f: f[:3])
    pieces: list[_Piece] = []
    taken_until = -1
    for start, negative_length, _, new in found:
        if start >= taken_until:
            pieces.extend(new)
            taken_until = start - negative_length
    return pieces


# -- combining ------------------------------------------------------------------------------------


def _merge_equivalent_times(ctx: _Context, pieces: list[_Piece]) -> list[_Piece]:
    """'3 p.m. local time (12:00 GMT)': one time piece, valued from the zoned clock."""
    out: list[_Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == piece.kind == "time"
            and _GAP_EQUIV.match(ctx.text, prev.end, piece.start)
            and (prev.zoned is None) != (piece.zoned is None)
        ):
            end = piece.end
            if ctx.text[end : end + 1] in (")", "]"):
                end += 1
            prev.end = end
            if prev.zoned is None:
                prev.zoned, prev.offset = piece.zoned, piece.offset
            else:
                prev.local = piece.local
            continue
        out.append(piece)
    return out


def _merge_same_dates(ctx: _Context, pieces: list[_Piece]) -> list[_Piece]:
    """'Thursday, January 8' and 'today (April 02)': one date, valued from the explicit one."""
    out: list[_Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == piece.kind == "date"
            and prev.relative != piece.relative
            and prev.role is None
            and piece.role is None
            and _GAP_DATE_DATE.match(ctx.text, prev.end, piece.start)
        ):
            explicit = piece if prev.relative else prev
            end = piece.end + (1 if ctx.text[piece.end : piece.end + 1] == ")" and "(" in ctx.text[
                prev.end : piece.start] else 0)
            out[-1] = _Piece(prev.start, end, "date", explicit.value, explicit.precision, False, explicit.reason)
            continue
        out.append(piece)
    return out


def _mark_approximate(ctx: _Context, pieces: list[_Piece]) -> None:
    """'Around 7 May', 'as reported on 7 May': the week is known, not the day (precision 2)."""
    for piece in pieces:
        if piece.kind == "date" and piece.precision == 1 and piece.value is not None:
            if _APPROXIMATE_BEFORE.search(ctx.text, max(0, piece.start - 30), piece.start):
                piece.precision = 2


def _mark_ranges(ctx: _Context, pieces: list[_Piece]) -> None:
    for a, b in zip(pieces, pieces[1:], strict=False):
        if a.kind != b.kind or a.role or b.role:
            continue
        gap = _RANGE_GAP.match(ctx.text, a.end, b.start)
        if not gap:
            continue
        if "and" in gap.group(0).lower() and not _BETWEEN_BEFORE.search(ctx.text, max(0, a.start - 10), a.start):
            continue
        a.role, b.role = "start", "end"


def _adjacent_date(ctx: _Context, dates: list[_Piece], first: _Piece, last: _Piece) -> _Piece | None:
    """The date written right after or right before a time (or range); the closer one if both."""
    best: tuple[int, int, _Piece] | None = None
    for d in dates:
        if d.absorbed or d.role:
            continue
        if d.start >= last.end and _GAP_TIME_DATE.match(ctx.text, last.end, d.start):
            key = (len(ctx.text[last.end : d.start].strip()), 0)
        elif d.end <= first.start and _GAP_DATE_TIME.match(ctx.text, d.end, first.start):
            key = (len(ctx.text[d.end : first.start].strip()), 1)
        else:
            continue
        if best is None or key < best[:2]:
            best = (*key, d)
    return best[2] if best else None


def _sentence_date(ctx: _Context, dates: list[_Piece], piece: _Piece) -> _Piece | None:
    s_start, s_end = ctx.sentence(piece.start)
    near = [d for d in dates if s_start <= d.start < s_end and d.value is not None and d.precision == 1]
    return min(near, key=lambda d: abs(d.start - piece.start)) if near else None


def _at(day: dt.date, clock: tuple[int, int]) -> dt.datetime:
    """``day`` at ``clock``; hour 24 (midnight) is the start of the next day."""
    if clock[0] == 24:
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, clock[1]))
    return dt.datetime.combine(day, dt.time(*clock))


def _timestamp(day: dt.date, piece: _Piece) -> dt.datetime:
    if piece.zoned is None or piece.offset is None:
        assert piece.local is not None
        return _at(day, piece.local)
    zoned = _at(day, piece.zoned)
    if piece.local is not None:  # the date belongs to the local clock; the zoned one may be a day off
        gap = _at(day, piece.local) - zoned
        if gap > dt.timedelta(hours=14):
            zoned += dt.timedelta(days=1)
        elif gap < dt.timedelta(hours=-14):
            zoned -= dt.timedelta(days=1)
    return (zoned - piece.offset).replace(tzinfo=dt.UTC)


def _time_groups(times: list[_Piece]) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    for t in times:
        if t.role == "end" and groups and groups[-1][-1].role == "start":
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def _combine(ctx: _Context, pieces: list[_Piece]) -> list[DateMention]:
    dates = [p for p in pieces if p.kind == "date"]
    times = [p for p in pieces if p.kind == "time"]
    mentions: list[DateMention] = []
    for group in _time_groups(times):
        first, last = group[0], group[-1]
        date = _adjacent_date(ctx, dates, first, last) if first.day is None else None
        relative = False
        if first.day is not None:
            day, reason = first.day, None
        elif date is not None:
            date.absorbed = True
            if date.start >= last.end:
                last.end = date.end
            else:
                first.start = date.start
            day, relative, reason = date.value, date.relative, date.reason
        elif (near := _sentence_date(ctx, dates, first)) is not None:
            day, relative, reason = near.value, near.relative, None
        elif ctx.today is not None:
            day, relative, reason = ctx.today, True, None
            if first.clock == (24, 0) and ctx.tense(first.start, first.end) == "past":
                day = ctx.today - dt.timedelta(days=1)  # "began at midnight": the one just past
        else:
            day, reason = None, NO_DATE_FOR_TIME
        rolled = False
        for piece in group:
            value: dt.datetime | None = None
            if day is not None:
                when = day
                if piece is last and len(group) > 1 and piece.clock and first.clock and piece.clock < first.clock:
                    rolled = True
                if rolled:
                    when = day + dt.timedelta(days=1)
                try:
                    value = _timestamp(when, piece)
                except OverflowError:
                    value, reason = None, "not a calendar date"
            mentions.append(DateMention(
                text=ctx.text[piece.start : piece.end], start=piece.start, end=piece.end, value=value,
                precision=1, has_time=True, relative=relative, reason=None if value else reason, role=piece.role,
            ))  # fmt: skip
    for d in dates:
        if d.absorbed:
            continue
        mentions.append(DateMention(
            text=ctx.text[d.start : d.end], start=d.start, end=d.end, value=d.value, precision=d.precision,
            relative=d.relative, reason=d.reason, role=d.role,
        ))  # fmt: skip
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def find_dates(text: str, published: dt.datetime | None = None) -> list[DateMention]:
    """Every date and time expression in ``text``, resolved against ``published`` (UTC)."""
    ctx = _Context(text, published)
    pieces = _scan(ctx)
    pieces = _merge_equivalent_times(ctx, pieces)
    pieces = _merge_same_dates(ctx, pieces)
    _mark_approximate(ctx, pieces)
    _mark_ranges(ctx, pieces)
    return _combine(ctx, pieces)


def resolve(text: str, published: dt.datetime | None) -> DateMention | None:
    """The first date or time expression of a short text ("last Thursday", "3 p.m. GMT"), or None."""
    mentions = find_dates(text, published)
    return mentions[0] if mentions else None


class DateExtractor:
    """spaCy component: sets ``doc._.dates`` from the text and ``doc._.published``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.dates = find_dates(doc_text(doc), doc._.published)
        return doc


@Language.factory("tocsin_dates", default_config={}, assigns=["doc._.dates"])
def make_dates(nlp: Language, name: str) -> DateExtractor:
    return DateExtractor(nlp, name)

"""events_besides: a notice read as an event is the notice, beside the report's other events."""

from __future__ import annotations

import pytest

from tocsin.model import Event, Notice, Span
from tocsin.nlp.notices import events_besides

TEXT = "Security forces clashed with gunmen in Latakia on Thursday. Now you have a curfew, a resident said."


def _event(sub_event_type: str, word: str) -> Event:
    where = TEXT.index(word)
    event = Event(event_type="Strategic developments", sub_event_type=sub_event_type)
    event.evidence["sub_event_type"] = Span(where, where + len(word), word)
    return event


@pytest.mark.parametrize(
    ("reading", "word", "with_clash", "notices", "kept"),
    [
        # a curfew read as a strategic development, beside a clash, in a report with a notice: the notice
        ("Change to group/activity", "curfew", True, 1, False),
        # the same reading alone: the report's only event stays (ACLED codes a curfew imposed on its own)
        ("Change to group/activity", "curfew", False, 1, True),
        # a report without notices keeps it
        ("Change to group/activity", "curfew", True, 0, True),
        # a reading of another word stays an event
        ("Change to group/activity", "Security forces", True, 1, True),
        # a violent reading of the notice's word is not a notice reading
        ("Armed clash", "curfew", True, 1, True),
    ],
)
def test_a_notice_word_read_as_a_strategic_development_is_the_notice(
    reading: str, word: str, with_clash: bool, notices: int, kept: bool
) -> None:
    event = _event(reading, word)
    clash = _event("Armed clash", "clashed")
    events = [clash, event] if with_clash else [event]
    # the notice's own sentence is elsewhere: only the word ties the reading to it
    found = [Notice(kind="curfew", evidence=Span(0, 10, TEXT[:10]))] * notices
    assert (event in events_besides(events, found)) is kept

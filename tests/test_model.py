import datetime as dt

import pytest

from tocsin.model import EVENT_TYPES, SUB_EVENT_TYPES, Event, Location, Span, event_type_of, to_dict


def test_acled_typology_has_6_types_and_25_sub_types() -> None:
    assert len(EVENT_TYPES) == 6
    assert len(SUB_EVENT_TYPES) == 25 == len(set(SUB_EVENT_TYPES))


@pytest.mark.parametrize(
    ("sub", "expected"),
    [
        ("Air/drone strike", "Explosions/Remote violence"),  # a remote-violence sub-type
        ("Arrests", "Strategic developments"),  # ACLED's plural wording
        ("Excessive force against protesters", "Protests"),
    ],
)
def test_event_type_of(sub: str, expected: str) -> None:
    assert event_type_of(sub) == expected


def test_event_type_of_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="'Air strike' is not an ACLED sub-event type"):
        event_type_of("Air strike")


def test_to_dict_writes_dates_iso_and_times_in_utc() -> None:
    event = Event("Battles", "Armed clash", date=dt.date(2026, 1, 8), location=Location(name="Aleppo"),
                  evidence={"date": Span(3, 11, "Thursday")})
    data = to_dict(event)
    assert data["date"] == "2026-01-08"
    assert data["evidence"]["date"] == {"start": 3, "end": 11, "text": "Thursday"}
    aware = dt.datetime(2026, 1, 8, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert to_dict(aware) == "2026-01-08T12:00:00Z"

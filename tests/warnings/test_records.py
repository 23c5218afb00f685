"""Warning records: option checks, when a warning applies, references, shapes."""

from __future__ import annotations

import datetime as dt

import pytest
from warnkit import T0, make_warning

from tocsin.errors import InputError
from tocsin.warnings.records import Reference
from tocsin.warnings.timewindow import parse_window


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "air_raid"),  # not a tocsin kind
        ("status", "Real"),  # not a CAP status
        ("category", "War"),  # not a CAP category
        ("severity", "Catastrophic"),  # not a CAP severity
    ],
)
def test_unknown_options_list_the_valid_ones(field: str, value: str) -> None:
    with pytest.raises(InputError) as err:
        make_warning(**{field: value})
    assert err.value.code == "T102" and "must be one of" in err.value.message


def test_active_between_effective_and_expires() -> None:
    warning = make_warning()
    assert not warning.active_at(T0 - dt.timedelta(seconds=1))
    assert warning.active_at(T0) and warning.active_at(T0 + dt.timedelta(days=1))
    assert not warning.active_at(T0 + dt.timedelta(days=2))


def test_curfew_is_active_all_day_but_in_force_only_at_night() -> None:
    warning = make_warning(kind="curfew", effective=None, expires=None,
                           window=parse_window("daily 22:00-06:00 UTC 2026-03-01T00:00:00+00:00/.."))
    noon, night = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC), dt.datetime(2026, 3, 3, 23, tzinfo=dt.UTC)
    assert warning.active_at(noon) and not warning.in_force_at(noon)
    assert warning.in_force_at(night)
    assert warning.starts == dt.datetime(2026, 3, 1, tzinfo=dt.UTC) and warning.ends is None


def test_cancel_and_all_clear_never_apply() -> None:
    assert not make_warning(msg_type="Cancel").active_at(T0)
    assert not make_warning(kind="all_clear").active_at(T0)


def test_reference_text_is_cap_form() -> None:
    assert make_warning().reference() == Reference("ops@tocsin.example", "tocsin-test-1", T0)
    assert make_warning().reference().to_text() == "ops@tocsin.example,tocsin-test-1,2026-03-01T12:00:00+00:00"


def test_naive_times_are_read_as_utc() -> None:
    warning = make_warning(sent=dt.datetime(2026, 3, 1, 12, 0))
    assert warning.sent == T0

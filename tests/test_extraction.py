import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from tocsin.extraction import Extractor, detect_language
from tocsin.model import Report, to_dict

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "src/tocsin/schema/extraction.schema.json").read_text())

CURFEW = (
    "The Syrian army announced a curfew over the Sheikh Maqsoud and Ashrafieh neighbourhoods of Aleppo from "
    "3 p.m. local time (12:00 GMT) on Thursday. Army shelling killed four civilians in Sheikh Maqsoud on "
    "Wednesday, state media said."
)
PUBLISHED = dt.datetime(2026, 1, 9, 8, 0, tzinfo=dt.UTC)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Government forces shelled the town on Monday, killing three people.", "en"),  # news prose
        ("Les forces gouvernementales ont bombardé la ville lundi, tuant trois personnes.", "fr"),  # French
        ("Las fuerzas del gobierno bombardearon la ciudad el lunes y mataron a tres personas.", "es"),
        ("ok", None),  # too little text to tell
    ],
)
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


def test_non_english_report_is_skipped_not_coded(extractor: Extractor) -> None:
    result = extractor.extract("Les forces gouvernementales ont bombardé Alep jeudi, tuant trois civils.")
    assert result.events == [] and result.skipped is not None and "'fr'" in result.skipped


def test_empty_report_is_skipped_with_a_coded_reason(extractor: Extractor) -> None:
    result = extractor.extract("   ")
    assert result.events == [] and result.skipped and result.skipped.startswith("[T011]")


def test_output_validates_against_the_json_schema(extractor: Extractor) -> None:
    result = extractor.extract(CURFEW, published=PUBLISHED, id="aleppo-1")
    jsonschema.validate(to_dict(result), SCHEMA)
    assert result.id == "aleppo-1"


@pytest.mark.parametrize("published", ["2026-01-09T11:00:00+03:00", "2026-01-09", "Fri, 09 Jan 2026 08:00:00 GMT"])
def test_published_may_be_given_as_text(extractor: Extractor, published: str) -> None:
    result = extractor.extract(CURFEW, published=published)
    shelling = [e for e in result.events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0].date == dt.date(2026, 1, 7)  # "on Wednesday" before Friday 9 January


def test_unreadable_published_text_is_refused_by_name(extractor: Extractor) -> None:
    from tocsin.errors import InputError

    with pytest.raises(InputError, match=r"T018.*published= 'next week'"):
        extractor.extract(CURFEW, published="next week")


def test_every_evidence_span_points_into_the_text(extractor: Extractor) -> None:
    result = extractor.extract(CURFEW, published=PUBLISHED)
    assert result.events, "the shelling must be found"
    for event in result.events:
        for name, span in event.evidence.items():
            assert CURFEW[span.start:span.end] == span.text, name
    for toponym in result.toponyms:
        assert CURFEW[toponym.start:toponym.end] == toponym.name


def test_a_report_that_breaks_a_component_fails_alone(extractor: Extractor) -> None:
    class Boom(Exception):
        pass

    def explode(doc):  # type: ignore[no-untyped-def]
        if "EXPLODE" in doc.text:
            raise Boom("bad document")
        return doc

    nlp = extractor.nlp
    from spacy.language import Language

    if not Language.has_factory("test_explode"):
        Language.component("test_explode")(explode)
    nlp.add_pipe("test_explode", first=True)
    try:
        reports = [Report("a", "Police arrested two men in Kano on Monday."), Report("b", "EXPLODE here, in Kano now."),
                   Report("c", "Troops clashed with gunmen near Maiduguri on Tuesday.")]
        results = list(extractor.extract_reports(reports))
    finally:
        nlp.remove_pipe("test_explode")
    assert [r.id for r in results] == ["a", "b", "c"]
    assert results[1].skipped and results[1].skipped.startswith("[T016]") and "Boom" in results[1].skipped
    assert results[0].skipped is None and results[2].skipped is None


@pytest.mark.parametrize(
    "text",
    [
        "However, the fighting intensified after the peace talks in Geneva collapsed on Sept. 8.",
        "Abiy's government has seen the TPLF as a criminal administration and has refused all calls for peace.",
    ],
)
def test_failed_or_refused_peace_is_no_agreement(extractor: Extractor, text: str) -> None:
    assert [e.sub_event_type for e in extractor.extract(text).events if e.sub_event_type == "Agreement"] == []

"""The place an event takes among its sentences' toponyms (``tocsin.nlp.events``, location choice)."""

from __future__ import annotations

import pytest

from tocsin.model import Report


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # the victim's home town is an origin; the event happened in Idlib
        ("On 29 April 2020, HTS executed an individual from Afrin in Idleb after a period of detention.", "Idlib"),
        # the farmers' home province, then where they were taken
        ("On 5 May, unidentified gunmen abducted two farmers from Kirkuk near Tuz Khurmatu.", "Salah ad Din"),
        # fighters "from" a province, fighting in a town of another
        ("On 2 May, rebel factions whose fighters are from Deir ez-Zor clashed with the police in the town of "
         "Jarablus.", "Aleppo"),
        # the protests a rally supports happened elsewhere
        ("On Feb 5 mass rallies took place in Baghdad city in support of the general demonstrations in Najaf city.",
         "Baghdad"),
        ("Students in Ouagadougou marched in solidarity with Koudougou on Monday.", "Centre"),
        # a region people come from bounds no place ("from Babylon" does not rule out Najaf)
        ("On Feb 11 protesters from Babylon protested in Najaf city against the prime minister.", "Najaf"),
    ],
)
def test_an_origin_is_not_the_event_place(extractor, text: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    [extraction] = extractor.extract_reports([Report(id="r1", text=text)])
    assert extraction.events and extraction.events[0].location.admin1 == admin1


@pytest.mark.parametrize(
    ("text", "place", "precision"),
    [
        # a province and a town inside it: ACLED codes the town
        ("On Friday, Iraqi troops took over formerly Kurdish-held positions in the south of Kirkuk province, "
         "including in the Turkmen town of Taza Khurmatu.", "Tāzah Khūrmātū", 1),
        # a local government area and its state: the LGA
        ("Gunmen killed the village head in Wase Local Government Area of Plateau State on Monday.", "Wase", 2),
    ],
)
def test_a_region_gives_way_to_a_place_inside_it(extractor, text: str, place: str, precision: int) -> None:  # type: ignore[no-untyped-def]
    [extraction] = extractor.extract_reports([Report(id="r1", text=text)])
    location = extraction.events[0].location
    assert (location.name, location.geo_precision) == (place, precision)


def test_a_country_named_as_the_doer_is_not_the_place(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Abandoned by the U.S., the Kurds made a deal with Syrian President Bashar al-Assad, whose troops have "
            "deployed to the border with Turkey.")
    [extraction] = extractor.extract_reports([Report(id="r1", text=text)])
    assert all(e.location.country != "United States" for e in extraction.events)

"""The ACLED scorer's admin1 comparison: spelling differences forgiven, different regions kept apart."""

from __future__ import annotations

import pytest

from tocsin.eval.acled import fold_admin, same_admin1


@pytest.mark.parametrize(
    ("ours", "gold", "country", "same"),
    [
        ("Banaadir", "Banadir", "Somalia", True),  # doubled vowel
        ("Vardak", "Wardak", "Afghanistan", True),  # v/w transliteration
        ("Deir ez-Zor", "Deir-ez-Zor", "Syria", True),  # hyphens and spaces
        ("Idlib", "Idleb", "Syria", True),  # vowel
        ("Salah ad Din", "Sala al-Din", "Iraq", True),  # article and final h
        ("Dhi Qar", "Thi-Qar", "Iraq", True),  # dh/th
        ("Diyarbakır", "Diyarbakir", "Turkey", True),  # dotless i
        ("Muhafazat Hadramaout", "Hadramawt", "Yemen", True),  # generic word, aw/ou
        ("Aleppo Governorate", "Aleppo", "Syria", True),  # generic suffix
        ("Southern Darfur", "South Darfur", "Sudan", True),  # compass adjective
        ("Amanat Alasimah", "Amanat al Asimah", "Yemen", True),  # article glued to the word
        ("Centre-Ouest", "Centre-Est", "Burkina Faso", False),  # two regions, one skeleton: kept apart
        ("Hebei", "Hubei", "China", False),  # the same
        ("Mato Grosso", "Mato Grosso do Sul", "Brazil", False),  # a different state
        (None, "Aleppo", "Syria", False),  # nothing predicted
    ],
)
def test_same_admin1(ours: str | None, gold: str, country: str, same: bool) -> None:
    assert same_admin1(ours, gold, country) is same


def test_fold_admin_keeps_vowels() -> None:
    assert fold_admin("Al-Hasakah") == "hasakah"  # article and hyphen go, the spelling stays
    assert fold_admin("Centre-Est") != fold_admin("Centre-Ouest")


def test_score_acled_every_nth_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tocsin.eval.acled import score_acled

    path = tmp_path / "acled_sample.csv"
    lines = ["event_id_cnty,event_date,sub_event_type,fatalities,admin1,country,notes"]
    for day, town in ((1, "Aleppo"), (2, "Homs"), (3, "Hama"), (4, "Idlib")):
        lines.append(f'SYR{day},0{day}-May-20,Shelling/artillery/missile attack,0,{town},Syria,'
                     f'"On {day} May 2020, regime forces shelled {town}, Syria."')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    every_other = score_acled([path], every=2)
    assert every_other["rows"] == 2  # rows 1 and 3
    assert score_acled([path], every=2, limit=1)["rows"] == 1
    assert every_other["admin1"] == 1.0  # Aleppo and Hama resolve to their governorates


@pytest.mark.parametrize(
    ("inter1", "inter2", "expected"),
    [
        ("1", "2", {"inter1": 1.0, "inter2": 1.0, "interaction": 1.0}),  # as ACLED codes it
        ("2", "1", {"inter1": 0.0, "inter2": 0.0, "interaction": 1.0}),  # the sides swapped: the pair still holds
        ("State forces", "Rebel group", {"inter1": 1.0, "inter2": 1.0}),  # newer exports write class names
        ("1", "", {"inter2": 0.0}),  # ACLED saw no second actor, tocsin found one
    ],
)
def test_score_acled_actor_classes(tmp_path, inter1: str, inter2: str, expected: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    from tocsin.eval.acled import score_acled

    path = tmp_path / "acled_actors.csv"
    path.write_text(
        "event_id_cnty,event_date,sub_event_type,fatalities,admin1,country,inter1,inter2,notes\n"
        f'SYR1,01-May-20,Armed clash,0,Idlib,Syria,{inter1},{inter2},'
        '"On 1 May 2020, Syrian regime forces clashed with HTS fighters in Idlib, Syria."\n',
        encoding="utf-8",
    )
    scores = score_acled([path])
    assert {k: scores[k] for k in expected} == expected


def test_score_acled_actor_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tocsin.eval.acled import score_acled

    path = tmp_path / "acled_names.csv"
    path.write_text(
        "event_id_cnty,event_date,sub_event_type,fatalities,admin1,country,actor1,actor2,notes\n"
        'SYR1,01-May-20,Armed clash,0,Idlib,Syria,HTS: Hayat Tahrir al Sham,Military Forces of Syria (2000-2024),'
        '"On 1 May 2020, HTS fighters clashed with Syrian regime forces in Idlib, Syria."\n'
        'SYR2,01-May-20,Armed clash,0,Idlib,Syria,Someone Else,,'
        '"On 1 May 2020, HTS fighters clashed with Syrian regime forces in Idlib, Syria."\n',
        encoding="utf-8",
    )
    scores = score_acled([path])
    assert (scores["actor1"], scores["actor2"]) == (0.5, 0.5)  # each name right on the row that has it

"""The eval runner finds every file of a suite's kind in the data folder (tiny corpora written for the test)."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from tocsin.eval.run import run_all

ALEPPO = 170063


def _toponym_corpus(path: Path, text: str, name: str) -> None:
    start = text.index(name)
    path.write_text(
        f"""<articles><article docid="1"><text><![CDATA[{text}]]></text><toponyms>
      <toponym><phrase>{name}</phrase><start>{start}</start><end>{start + len(name)}</end>
        <gaztag geonameid="{ALEPPO}"><lat>36.20</lat><lon>37.16</lon><fcode>PPLA</fcode></gaztag></toponym>
    </toponyms></article></articles>""",
        encoding="utf-8",
    )


def test_every_toponym_corpus_in_the_folder_is_scored_under_its_own_name(tmp_path: Path) -> None:
    _toponym_corpus(tmp_path / "trnews.xml", "Shelling was reported in Aleppo on Monday.", "Aleppo")
    _toponym_corpus(tmp_path / "held_out.xml", "Families fled Aleppo overnight, aid groups said.", "Aleppo")
    # an XML file of another kind is no toponym corpus: left out, not scored as zero
    (tmp_path / "alert.xml").write_text('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', encoding="utf-8")
    # a broken file is reported by name, and the others are still scored
    (tmp_path / "broken.xml").write_text("<articles><article>", encoding="utf-8")
    out = io.StringIO()
    results = run_all(tmp_path, console=Console(file=out, width=200), suites=("trnews",))
    assert set(results) == {"trnews", "trnews:held_out", "trnews:broken"}
    assert results["trnews"]["recall"] == 1.0 and results["trnews"]["within_161km"] == 1.0
    assert results["trnews:held_out"]["scored"] == 1
    assert "broken.xml" in results["trnews:broken"]["error"]
    assert "trnews:held_out" in out.getvalue()


def test_a_suite_without_its_files_says_so(tmp_path: Path) -> None:
    results = run_all(tmp_path, console=Console(file=io.StringIO()), suites=("trnews", "case"))
    assert results["trnews"]["error"].startswith("FileNotFoundError: no *.xml")
    assert results["case"]["error"].startswith("FileNotFoundError: no case*.tsv")

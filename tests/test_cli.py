import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.exports import ACLED_COLUMNS
from tocsin.store import Store

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "src/tocsin/schema/extraction.schema.json").read_text())
runner = CliRunner()


def _jsonl(path: Path, rows: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


REPORTS = [
    {"id": "r1", "published": "2026-01-09T08:00:00+00:00", "source": "Wire A",
     "text": "Syrian army shelling killed four civilians in the Sheikh Maqsoud neighbourhood of Aleppo on Thursday."},
    {"id": "r2", "published": "2026-01-09T10:00:00+00:00", "source": "Wire B",
     "text": "Hundreds of protesters marched peacefully in Beirut on Friday to demand higher wages."},
]


def test_ingest_then_reingest_adds_nothing(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", REPORTS)
    db = tmp_path / "t.db"
    first = runner.invoke(app, ["ingest", str(source), "--db", str(db)])
    assert first.exit_code == 0, first.output
    with Store(db) as store:
        assert store.counts()["reports"] == 2
        events_before = store.counts()["events"]
    second = runner.invoke(app, ["ingest", str(source), "--db", str(db)])
    assert second.exit_code == 0, second.output
    with Store(db) as store:
        assert store.counts()["reports"] == 2 and store.counts()["events"] == events_before
    assert "duplicate" in second.output


def test_ingest_reports_bad_lines_keeps_the_rest_and_exits_non_zero(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [REPORTS[0], "{not json", {"id": "x"}])
    db = tmp_path / "t.db"
    result = runner.invoke(app, ["ingest", str(source), "--db", str(db)])
    assert result.exit_code == 1
    assert "in.jsonl:2" in result.output and "T004" in result.output and "T005" in result.output
    with Store(db) as store:
        assert store.counts()["reports"] == 1


def test_events_formats(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    assert runner.invoke(app, ["ingest", str(_jsonl(tmp_path / "in.jsonl", REPORTS)), "--db", str(db)]).exit_code == 0
    as_json = json.loads(runner.invoke(app, ["events", "--db", str(db), "--format", "json"]).stdout)
    assert {e["sub_event_type"] for e in as_json} >= {"Shelling/artillery/missile attack", "Peaceful protest"}
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["events", "--db", str(db), "-f", "csv"]).stdout)))
    assert tuple(rows[0]) == ACLED_COLUMNS and len(rows) == len(as_json)
    geo = json.loads(runner.invoke(app, ["events", "--db", str(db), "-f", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(as_json)
    shelling = runner.invoke(app, ["events", "--db", str(db), "-f", "json", "--type", "Explosions/Remote violence"])
    assert [e["sub_event_type"] for e in json.loads(shelling.stdout)] == ["Shelling/artillery/missile attack"]
    table = runner.invoke(app, ["events", "--db", str(db)])
    assert table.exit_code == 0 and "Peaceful protest" in table.output
    listed = runner.invoke(app, ["events", "list", "--db", str(db), "-f", "json", "--type", "Protests"])
    assert listed.exit_code == 0 and [e["sub_event_type"] for e in json.loads(listed.stdout)] == ["Peaceful protest"]


@pytest.mark.parametrize(
    "args",
    [
        ["events"],  # the listing
        ["events", "show", "3"],  # one event
        ["db", "status"],  # row counts
    ],
)
def test_reading_a_missing_database_names_it_and_creates_nothing(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "typo.db"
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 2 and "T201" in result.output and "typo.db" in result.output
    assert not db.exists()


def test_events_bad_filters_name_the_option(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    bad_type = runner.invoke(app, ["events", "--db", db, "--type", "Bombing"])
    assert bad_type.exit_code == 2 and "T102" in bad_type.output and "Battles" in bad_type.output
    bad_bbox = runner.invoke(app, ["events", "--db", db, "--bbox", "1,2,3"])
    assert bad_bbox.exit_code == 2 and "--bbox" in bad_bbox.output
    bad_date = runner.invoke(app, ["events", "--db", db, "--from", "last week"])
    assert bad_date.exit_code == 2 and "--from" in bad_date.output


def test_extract_writes_one_valid_line_per_input_line(tmp_path: Path) -> None:
    source = _jsonl(tmp_path / "in.jsonl", [REPORTS[0], "{broken", REPORTS[1]])
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out)])
    assert result.exit_code == 1  # the broken line is reported, the rest is done
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["r1", None, "r2"]
    for line in lines:
        jsonschema.validate(line, SCHEMA)
    assert lines[1]["origin"].endswith("in.jsonl:2")
    assert lines[0]["events"][0]["sub_event_type"] == "Shelling/artillery/missile attack"
    assert lines[0]["events"][0]["date"] == "2026-01-08"


def test_train_then_use_the_retrained_model(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    export = tmp_path / "export.csv"
    rows = ["notes,sub_event_type"]
    for i in range(30):
        rows.append(f'"On 2 May 2020, police arrested {i + 2} men in Kano.",Arrests')
        rows.append(f'"On 3 May 2020, {i + 3} demonstrators marched peacefully in Jos.",Peaceful protest')
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["train", str(export), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    model = next((tmp_path / "m").iterdir())
    monkeypatch.setenv("TOCSIN_CLASSIFIER_MODEL", str(model))
    from tocsin.nlp import pipeline

    nlp = pipeline.load(components=("tocsin_triggers",))
    assert nlp.get_pipe("tocsin_triggers").model_path == str(model)
    missing = runner.invoke(app, ["train", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "T008" in missing.output


def test_train_reads_news_snippets_given_with_case(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    note = '"On 2 May 2020, police arrested 4 men in Kano.",Arrests'
    export.write_text(f"notes,sub_event_type\n{note}\n", encoding="utf-8")
    snippets = tmp_path / "snippets.tsv"
    snippets.write_text("id\tSnippet\n1\tPolice arrested four men.\n", encoding="utf-8")  # no SubType column
    result = runner.invoke(app, ["train", str(export), "--case", str(snippets), "-o", str(tmp_path / "m")])
    assert result.exit_code != 0 and "T501" in result.output and "SubType" in result.output
    assert not (tmp_path / "m").exists()
    missing = runner.invoke(app, ["train", str(export), "--case", str(tmp_path / "nope.tsv")])
    assert missing.exit_code == 2 and "T008" in missing.output


def test_extract_and_ingest_take_a_publication_time_for_reports_without_one(tmp_path: Path) -> None:
    source = tmp_path / "wire.txt"
    source.write_text("Syrian army shelling killed four civilians in Aleppo on Thursday.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    undated = runner.invoke(app, ["extract", str(source), "-o", str(out)])
    assert undated.exit_code == 0 and json.loads(out.read_text())["events"][0]["date"] is None
    dated = runner.invoke(app, ["extract", str(source), "-o", str(out), "--published", "2026-01-10"])
    assert dated.exit_code == 0 and json.loads(out.read_text())["events"][0]["date"] == "2026-01-08"
    db = tmp_path / "t.db"
    ingested = runner.invoke(app, ["ingest", str(source), "--db", str(db), "--published", "2026-01-10T09:00+02:00"])
    assert ingested.exit_code == 0, ingested.output
    with Store(db) as store:
        [event] = store.events()
    assert str(event.event.date) == "2026-01-08"
    bad = runner.invoke(app, ["extract", str(source), "--published", "next week"])
    assert bad.exit_code == 2 and "T018" in bad.output and "next week" in bad.output


def test_the_events_table_counts_the_reports_merged_into_each(tmp_path: Path) -> None:
    same = [
        {"id": "a", "published": "2026-01-09T08:00:00+00:00",
         "text": "Syrian army shelling killed four civilians in Aleppo on Thursday."},
        {"id": "b", "published": "2026-01-09T09:00:00+00:00",
         "text": "Four civilians were killed on Thursday when the Syrian army shelled Aleppo."},
    ]
    db = tmp_path / "t.db"
    assert runner.invoke(app, ["ingest", str(_jsonl(tmp_path / "in.jsonl", same)), "--db", str(db)]).exit_code == 0
    [event] = json.loads(runner.invoke(app, ["events", "--db", str(db), "-f", "json"]).stdout)
    table = runner.invoke(app, ["events", "--db", str(db)], terminal_width=250)
    header = next(line for line in table.output.splitlines() if "sub-event type" in line)
    row = next(line for line in table.output.splitlines() if line.startswith(f"│ {event['id']} "))
    assert header.split("┃")[-2].strip() == "reports" and row.split("│")[-2].strip() == "2"

"""tocsin sources / sources add / rules through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.model import Place
from tocsin.store import Store
from tocsin.watch.notify import Match, Notifier
from tocsin.watch.outbox import RetryPolicy
from tocsin.watch.rules import Rule
from tocsin.watch.state import WatchStore

runner = CliRunner()


def test_sources_add_then_list(tmp_path: Path) -> None:
    toml, db = tmp_path / "sources.toml", tmp_path / "t.db"
    added = runner.invoke(app, ["sources", "add", "wire", "http://127.0.0.1:9/feed.xml", "--interval", "15",
                                "--sources", str(toml)])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["sources", "--sources", str(toml), "--db", str(db), "--json"])
    assert listed.exit_code == 0, listed.output
    row = json.loads(listed.stdout.strip().splitlines()[0])
    assert (row["name"], row["interval_s"], row["consecutive_errors"], row["next_poll"]) == ("wire", 15.0, 0, None)
    with Store(db) as store:
        assert [s.source.name for s in WatchStore(store).states()] == ["wire"]


def test_sources_add_bad_kind_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sources", "add", "x", "http://127.0.0.1/f", "--kind", "pdf",
                                 "--sources", str(tmp_path / "s.toml")])
    assert result.exit_code == 2
    assert "T010" in result.output


def test_rules_add_list_remove(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    added = runner.invoke(app, ["rules", "add", "--name", "aleppo", "--lat", "36.2", "--lon", "37.15", "--km", "20",
                                "--min-fatalities", "5", "--webhook", "http://127.0.0.1:9/hook", "--secret", "s3",
                                "--db", db])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["rules", "list", "--db", db])
    rule = json.loads(listed.stdout.strip())
    assert (rule["id"], rule["km"], rule["min_fatalities"], rule["secret"]) == (1, 20.0, 5, "***")
    assert runner.invoke(app, ["rules", "remove", "1", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["rules", "list", "--db", db]).stdout.strip() == ""
    assert runner.invoke(app, ["rules", "remove", "1", "--db", db]).exit_code == 2


def test_rule_without_destination_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "add", "--admin1", "Idlib", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2
    assert "T010" in result.output


def test_rules_by_place_name(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    near = runner.invoke(app, ["rules", "add", "--name", "aleppo", "--near", "Aleppo, Syria", "--km", "20",
                               "--webhook", "http://127.0.0.1:9/hook", "--db", db])
    assert near.exit_code == 0, near.output
    assert "within 20 km of Aleppo, Syria" in near.output
    within = runner.invoke(app, ["rules", "add", "--in", "Idleb governorate", "--kind", "curfew", "--digest", "15",
                                 "--email", "desk@example.org", "--db", db])
    assert within.exit_code == 0, within.output
    listed = runner.invoke(app, ["rules", "--json", "--db", db]).stdout.splitlines()
    first, second = (json.loads(line) for line in listed)
    assert (round(first["lat"], 1), round(first["lon"], 1), first["km"]) == (36.2, 37.2, 20.0)
    assert (second["admin1"], second["country_code"], second["digest_minutes"]) == ("Idlib", "SY", 15.0)


def test_ambiguous_place_lists_candidates_and_saves_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    result = runner.invoke(app, ["rules", "add", "--near", "Springfield", "--km", "5", "--email", "a@example.org",
                                 "--db", db])
    assert result.exit_code == 2
    assert "T034" in result.output and "Illinois" in result.output and "Massachusetts" in result.output
    assert runner.invoke(app, ["rules", "list", "--db", db]).stdout.strip() == ""


def test_in_uses_an_imported_admin1_polygon(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    square = {"type": "Polygon", "coordinates": [[[36.3, 35.5], [36.9, 35.5], [36.9, 36.3], [36.3, 36.3],
                                                  [36.3, 35.5]]]}
    with Store(db) as store:
        store.add_places([Place(None, "Idlib", 35.9, 36.6, "SY", "Syria", feature_class="A", feature_code="ADM1",
                                geometry=square)])
    assert runner.invoke(app, ["rules", "add", "--in", "Idlib", "--webhook", "http://127.0.0.1:9/h",
                               "--db", db]).exit_code == 0
    with Store(db) as store:
        (_, _, rule), = WatchStore(store).rules()
    assert rule["area"] == square


def test_rules_show_failed_deliveries(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    assert runner.invoke(app, ["rules", "add", "--name", "ops", "--webhook", "http://127.0.0.1:9/hook",
                               "--db", db]).exit_code == 0
    with Store(db) as store:
        (rule_id, _, data), = WatchStore(store).rules()
        notifier = Notifier(store, retry=RetryPolicy(max_attempts=1), post=lambda *_: 500)
        notifier.send(Match(rule_id, Rule.from_dict(data), "event:1", {"kind": "event", "id": 1, "link": "x"}))
    row = json.loads(runner.invoke(app, ["rules", "--json", "--db", db]).stdout)
    assert (row["matches"], row["delivered"], row["failed"]) == (1, 0, 1)
    assert row["last_failure"] == "webhook answered HTTP 500" and row["last_failure_at"]
    table = runner.invoke(app, ["rules", "--db", db], env={"COLUMNS": "250"})
    assert table.exit_code == 0 and "HTTP 500" in table.stdout

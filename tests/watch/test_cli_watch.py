"""tocsin sources / sources add / rules through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.store import Store
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

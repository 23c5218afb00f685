"""The warnings CLI through typer's CliRunner, checked through the library afterwards."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from warnkit import FIXTURES, SQUARE

from tocsin import cli_common
from tocsin.cli_warnings import register
from tocsin.store import Store
from tocsin.warnings.store import WarningStore

AT = "2030-03-02T21:00:00+00:00"  # 23:00 in Kyiv


@pytest.fixture
def app() -> typer.Typer:
    main = typer.Typer()

    @main.callback()
    def _root() -> None:
        """test root"""

    register(main)
    return main


def run(app: typer.Typer, db: Path, *args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.output


def test_create_publish_status_export(app: typer.Typer, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    warning_id = run(app, db, "warnings", "create", "--kind", "curfew", "--polygon", SQUARE, "--area-name", "River",
                     "--window", "daily 22:00-06:00 Europe/Kyiv 2030-03-01T00:00:00+00:00/2030-04-01T00:00:00+00:00",
                     "--headline", "Night curfew", "--instruction", "Stay indoors", "--who", "alice").strip()
    assert json.loads(run(app, db, "status", "50.05", "30.05", "--at", AT, "--json"))["warnings"] == []  # a draft
    run(app, db, "warnings", "publish", warning_id, "--operator", "bob")
    answer = json.loads(run(app, db, "status", "50.05", "30.05", "--at", AT, "--json"))
    assert [w["warning_id"] for w in answer["warnings"]] == [warning_id]
    assert answer["curfew"] is True and answer["curfew_until"] == "2030-03-03T04:00:00Z"
    points = tmp_path / "sites.csv"
    points.write_text("id,lat,lon\nclinic,50.05,30.05\nschool,48.0,25.0\n")
    rows = list(csv.DictReader(io.StringIO(run(app, db, "status", "--points", str(points), "--at", AT))))
    assert [(r["id"], r["warnings"], r["curfew"]) for r in rows] == [("clinic", warning_id, "1"), ("school", "", "0")]
    out_dir = tmp_path / "export"
    run(app, db, "warnings", "export", "--out", str(out_dir), "--at", AT, "--base-url", "https://a.example")
    assert (out_dir / "warnings" / f"{warning_id}.xml").read_bytes().startswith(b"<?xml")
    geojson = json.loads((out_dir / "warnings.geojson").read_text())
    assert geojson["features"][0]["properties"]["id"] == warning_id
    assert f"https://a.example/warnings/{warning_id}.xml".encode() in (out_dir / "warnings.atom").read_bytes()
    with Store(db) as store:
        assert WarningStore(store).get(warning_id).published_by == "bob"


def test_an_exercise_is_exported_as_cap_and_in_the_feed_but_not_on_the_map(app: typer.Typer, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    warning_id = run(app, db, "warnings", "create", "--kind", "evacuation_order", "--polygon", SQUARE,
                     "--area-name", "River", "--window", "2030-03-01T00:00:00+00:00/2030-04-01T00:00:00+00:00",
                     "--headline", "Drill", "--who", "alice").strip()
    run(app, db, "warnings", "publish", warning_id, "--operator", "bob", "--status", "Exercise")
    out_dir = tmp_path / "export"
    run(app, db, "warnings", "export", "--out", str(out_dir), "--at", AT, "--base-url", "https://a.example")
    assert b"<status>Exercise</status>" in (out_dir / "warnings" / f"{warning_id}.xml").read_bytes()
    assert b"[Exercise] Drill" in (out_dir / "warnings.atom").read_bytes()
    assert json.loads((out_dir / "warnings.geojson").read_text())["features"] == []
    assert json.loads(run(app, db, "status", "50.05", "30.05", "--at", AT, "--json"))["warnings"] == []


def test_the_list_shows_whole_ids_to_publish_by(
    app: typer.Typer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    window = "daily 22:00-06:00 Europe/Kyiv 2030-03-01T00:00:00+00:00/2030-04-01T00:00:00+00:00"
    ids = [run(app, db, "warnings", "create", "--kind", "curfew", "--polygon", SQUARE, "--area-name", f"Area {i}",
               "--window", window, "--headline", "A long headline for a narrow terminal", "--who", "alice").strip()
           for i in range(2)]
    monkeypatch.setattr(cli_common.out, "width", 100)  # a terminal of 100 columns
    output = run(app, db, "warnings", "list")
    assert all(i in output for i in ids)


def test_publish_without_operator_is_a_usage_error(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["warnings", "publish", "x", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2 and "--operator" in result.output


def test_domain_errors_print_their_code(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["warnings", "create", "--polygon", "50,30 50.1,30 50,30",
                                      "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 2 and "[T305]" in result.output


def test_import_reports_each_file(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["warnings", "import", str(FIXTURES / "valid" / "gcap__thunderstorm.cap"),
                                      str(FIXTURES / "invalid" / "gcap__xee.cap"), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 1  # one file refused
    assert "imported KSTO1055887203" in result.output and "[T403]" in result.output
    drafts = run(app, tmp_path / "t.db", "warnings", "drafts", "--json")
    assert "KSTO1055887203" in drafts


def test_import_prints_what_was_repaired(app: typer.Typer, tmp_path: Path) -> None:
    data = (FIXTURES / "valid" / "gcap__thunderstorm.cap").read_bytes()
    path = tmp_path / "storm.cap"
    path.write_bytes(data.replace(b"2003-06-17T14:57:00-07:00", b"2003-06-17T21:57:00Z"))
    result = CliRunner().invoke(app, ["warnings", "import", str(path), "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 0, result.output
    assert "imported KSTO1055887203" in result.output
    assert "note: <sent> '2003-06-17T21:57:00Z' read as 2003-06-17T21:57:00+00:00" in result.output


def test_import_refuses_elements_out_of_order_unless_reorder_is_given(app: typer.Typer, tmp_path: Path) -> None:
    sample = str(FIXTURES / "invalid" / "screenly__test.cap")  # <expires> after <instruction>
    refused = CliRunner().invoke(app, ["warnings", "import", sample, "--db", str(tmp_path / "t.db")])
    assert refused.exit_code == 1 and "[T405]" in refused.output and "--reorder" in refused.output
    read = CliRunner().invoke(app, ["warnings", "import", sample, "--reorder", "--db", str(tmp_path / "t.db")])
    assert read.exit_code == 0, read.output
    assert "imported " in read.output and "out of the CAP schema's order" in read.output


def test_subscriptions_and_update_cancel(app: typer.Typer, tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    sub_id = run(app, db, "subscriptions", "add", "http://127.0.0.1:9/hook", "--secret", "s",
                 "--point", "50.05,30.05", "--radius-km", "1").strip()
    assert "127.0.0.1:9/hook" in run(app, db, "subscriptions", "list")
    warning_id = run(app, db, "warnings", "create", "--polygon", SQUARE, "--headline", "Leave").strip()
    assert "1 deliveries queued" in run(app, db, "warnings", "publish", warning_id, "--operator", "bob")
    update = run(app, db, "warnings", "update", warning_id, "--instruction", "Use the north bridge")
    assert "(draft, Update)" in update
    assert "(published, Cancel)" in run(app, db, "warnings", "cancel", warning_id, "--note", "lifted")
    run(app, db, "subscriptions", "remove", sub_id)
    assert "127.0.0.1:9/hook" not in run(app, db, "subscriptions", "list")
    with Store(db) as store:
        ws = WarningStore(store)
        assert ws.get(warning_id).state == "cancelled"
        assert {d.warning_id for d in ws.deliveries()} >= {warning_id}


def test_two_senders_sharing_an_identifier_are_named_by_sender(app: typer.Typer, tmp_path: Path) -> None:
    from warnkit import make_warning

    from tocsin.warnings.cap import to_cap

    db = tmp_path / "t.db"
    for sender in ("a@a.example", "b@b.example"):
        path = tmp_path / f"{sender}.xml"
        path.write_bytes(to_cap(make_warning(id="1234", sender=sender, headline=f"from {sender}")))
        run(app, db, "warnings", "import", str(path))
    text, decoder, listed = run(app, db, "warnings", "list", "--json"), json.JSONDecoder(), []
    while text.strip():  # one pretty-printed JSON object per warning
        item, end = decoder.raw_decode(text.strip())
        listed.append(item)
        text = text.strip()[end:]
    assert sorted((w["id"], w["identifier"], w["sender"]) for w in listed) == [
        ("1234", "1234", "a@a.example"), ("1234~2", "1234", "b@b.example")]
    assert "published by bob" in run(app, db, "warnings", "publish", "1234", "--sender", "b@b.example",
                                     "--operator", "bob")
    shown = run(app, db, "warnings", "show", "1234")  # the key "1234": A's, with a note naming B's
    assert "b@b.example sent a message of the same identifier, stored as 1234~2" in shown
    with Store(db) as store:
        ws = WarningStore(store)
        assert (ws.get("1234").state, ws.get("1234~2").state) == ("draft", "published")


def test_export_writes_every_file_the_feed_links_and_never_outside_its_folder(app: typer.Typer, tmp_path: Path) -> None:
    import datetime as dt
    from urllib.parse import unquote

    from lxml import etree
    from warnkit import T0, make_warning

    from tocsin.warnings.cap import to_cap

    db = tmp_path / "t.db"
    later = make_warning(id="later", sender="a@a.example", effective=T0 + dt.timedelta(days=1),
                         expires=T0 + dt.timedelta(days=2))  # announced: the feed lists it before it starts
    hostile = make_warning(id="../../outside", sender="b@b.example")  # CAP allows '/' and '.' in identifiers
    for i, warning in enumerate((later, hostile, make_warning(id="gone", sender="a@a.example"))):
        path = tmp_path / f"in{i}.xml"
        path.write_bytes(to_cap(warning))
        run(app, db, "warnings", "import", str(path))
    for key in ("later", "../../outside", "gone"):
        run(app, db, "warnings", "publish", key, "--operator", "bob")
    run(app, db, "warnings", "cancel", "gone", "--who", "bob")  # a published CAP Cancel, in the feed for 24 h
    out_dir = tmp_path / "site" / "public"
    run(app, db, "warnings", "export", "--out", str(out_dir), "--at", (T0 + dt.timedelta(hours=1)).isoformat(),
        "--base-url", "https://a.example")
    assert not (tmp_path / "site" / "outside.xml").exists() and not (tmp_path / "outside.xml").exists()
    feed = etree.fromstring((out_dir / "warnings.atom").read_bytes())
    hrefs = [link.get("href") for link in feed.iter("{http://www.w3.org/2005/Atom}link")
             if link.get("rel") == "alternate"]
    assert len(hrefs) == 3  # the announced one, the hostile one, and the Cancel of "gone"
    for href in hrefs:  # a web server decodes the path once and finds the file
        assert (out_dir / unquote(href.removeprefix("https://a.example/"))).is_file(), href
    assert (out_dir / "warnings" / "..%2F..%2Foutside.xml").is_file()

"""``tocsin tokens`` and the first admin token of ``tocsin serve``, through the CLI and checked through the library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from tocsin.auth import Auth
from tocsin.cli_api import first_admin, register
from tocsin.store import Store


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_tokens_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    created = runner.invoke(_app(), ["tokens", "create", "field-team", "--role", "analyst", "--db", db])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    with Store(db) as store:
        assert Auth(store).authenticate(secret).role == "analyst"
    listed = runner.invoke(_app(), ["tokens", "list", "--db", db])
    assert "field-team" in listed.stdout and secret not in listed.stdout
    revoked = runner.invoke(_app(), ["tokens", "revoke", "field-team", "--db", db])
    assert revoked.exit_code == 0
    with Store(db) as store:
        assert [t.revoked_at is not None for t in Auth(store).tokens()] == [True]
    bad = runner.invoke(_app(), ["tokens", "create", "x", "--role", "root", "--db", db])
    assert bad.exit_code == 2 and "T102" in bad.output


def test_first_admin_token_only_on_an_empty_table(tmp_path: Path) -> None:
    with Store(tmp_path / "serve.db") as store:
        auth = Auth(store)
        secret = first_admin(auth)
        assert secret is not None and auth.authenticate(secret).role == "admin"
        assert first_admin(auth) is None  # a second start prints nothing new
        assert [t.name for t in auth.tokens()] == ["admin"]


def test_serve_prints_the_address_and_a_first_token_then_how_to_make_one(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    started: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))
    monkeypatch.setenv("TOCSIN_DATABASE_URL", "")  # serve sets it for its workers: restored after the test
    db = str(tmp_path / "serve.db")
    first = CliRunner().invoke(_app(), ["serve", "--db", db, "--port", "8123"])
    assert first.exit_code == 0, first.output
    assert "http://127.0.0.1:8123/" in first.stdout and "http://127.0.0.1:8123/feed" in first.stdout
    secret = first.stdout.split("sign in with it on the page): ")[1].split()[0]
    with Store(db) as store:
        assert Auth(store).authenticate(secret).role == "admin"
    again = CliRunner().invoke(_app(), ["serve", "--db", db, "--port", "8123"])  # an existing database
    assert again.exit_code == 0, again.output
    assert "http://127.0.0.1:8123/" in again.stdout and secret not in again.stdout
    assert f"tocsin tokens create NAME --role operator --db {db}" in again.stdout
    assert [o["port"] for o in started] == [8123, 8123]

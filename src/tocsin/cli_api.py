"""``tocsin serve`` and ``tocsin tokens create|list|revoke``: thin commands over ``tocsin.api`` and ``tocsin.auth``.

Mounted into the main CLI with :func:`register`. ``serve`` creates a first admin token when the
database has none and prints it (once) with the address.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer
from rich.table import Table

from tocsin import settings
from tocsin.cli_common import DbOption, err, out
from tocsin.cli_common import errors as _errors

__all__ = ["app_from_env", "banner", "first_admin", "main", "register", "serve", "tokens_app"]

tokens_app = typer.Typer(help="API tokens: create (the secret is shown once), list, revoke.", no_args_is_help=True)


_DB_ENV = "TOCSIN_DATABASE_URL"


@contextlib.contextmanager
def _auth(db: str | None) -> Iterator[Any]:
    from tocsin.auth import Auth
    from tocsin.store import Store

    store = Store(db or settings.get("database_url"))
    try:
        yield Auth(store)
    finally:
        store.close()


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="A name for the token (who holds it); recorded in the audit log.")],
    role: Annotated[str, typer.Option(help="viewer, analyst, operator or admin.")] = "viewer",
    who: Annotated[str, typer.Option(help="Who creates it (audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Create a token and print its secret (shown once; only its hash is stored)."""
    with _errors(), _auth(db) as auth:
        token, secret = auth.create_token(name, role, who=who)
        err.print(f"token {token.name!r} ({token.role}) created; keep it now, it is not shown again:")
        sys.stdout.write(secret + "\n")


@tokens_app.command("list")
def tokens_list(db: DbOption = None) -> None:
    """List tokens (never their secrets)."""
    with _errors(), _auth(db) as auth:
        table = Table("name", "role", "created", "revoked", show_header=True)
        for token in auth.tokens():
            table.add_row(token.name, token.role, token.created_at.isoformat(timespec="seconds"),
                          token.revoked_at.isoformat(timespec="seconds") if token.revoked_at else "")
        out.print(table)


@tokens_app.command("revoke")
def tokens_revoke(
    name: str,
    who: Annotated[str, typer.Option(help="Who revokes it (audit log).")] = "cli",
    db: DbOption = None,
) -> None:
    """Revoke a token: requests with it get 401 from now on."""
    with _errors(), _auth(db) as auth:
        auth.revoke_token(name, who=who)
        out.print(f"token {name!r} revoked")


def first_admin(auth: Any) -> str | None:
    """A new admin token's secret when the database has no token at all, else None."""
    if auth.count_tokens():
        return None
    _token, secret = auth.create_token("admin", "admin", who="tocsin serve")
    return str(secret)


def banner(host: str, port: int, secret: str | None, db: str | None = None) -> list[str]:
    """What ``serve`` prints: the address, and the first admin token or how to make a token."""
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    lines = [f"tocsin API and map on {base}/  (API docs: {base}/docs, Atom feed: {base}/feed)"]
    if secret is not None:
        lines.append(f"first admin token (shown once; sign in with it on the page): {secret}")
        lines.append("make tokens for others with: tocsin tokens create NAME --role viewer|analyst|operator|admin"
                     + (f" --db {db}" if db else ""))
    else:
        where = f" --db {db}" if db else ""
        lines.append(f"this database has tokens already; make one to sign in with: "
                     f"tocsin tokens create NAME --role operator{where}  (list: tocsin tokens list{where})")
    return lines


def app_from_env() -> Any:
    """The app for uvicorn worker processes (``factory=True``): the database comes from $TOCSIN_DATABASE_URL."""
    from tocsin.api import create_app

    return create_app(os.environ.get(_DB_ENV) or settings.get("database_url"))


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (each keeps its own status snapshot).")] = 1,
    db: DbOption = None,
) -> None:
    """Serve the JSON API and the web page (creates and prints a first admin token on an empty database)."""
    import uvicorn

    url = db or settings.get("database_url")
    with _errors(), _auth(url) as auth:
        secret = first_admin(auth)
    for line in banner(host, port, secret, db):
        out.print(line, highlight=False, soft_wrap=True)
    sys.stdout.flush()
    os.environ[_DB_ENV] = url
    options: dict[str, Any] = {"host": host, "port": port, "workers": max(1, workers), "factory": True,
                               "access_log": False, "log_level": "warning", "proxy_headers": False}
    if importlib.util.find_spec("httptools") is not None:
        options["http"] = "httptools"
    if importlib.util.find_spec("uvloop") is not None:
        options["loop"] = "uvloop"
    uvicorn.run("tocsin.cli_api:app_from_env", **options)


def register(app: typer.Typer) -> None:
    """Mount ``serve`` and ``tokens`` into the main ``tocsin`` app."""
    app.command("serve")(serve)
    app.add_typer(tokens_app, name="tokens")


def main() -> None:
    """``python -m tocsin.cli_api serve|tokens ...`` (the same commands, before the main CLI mounts them)."""
    app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
    register(app)
    app()


if __name__ == "__main__":
    main()

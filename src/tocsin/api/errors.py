"""Errors to HTTP, in one place: every error body is ``{"code", "message", "field"?}``.

Domain errors (``TocsinError``) map by class (and a few codes) to a status; FastAPI's request
validation errors become 422 naming the first bad field; Starlette's HTTP errors (404 route, 405,
413 from the body limit) keep their status with a coded message. Anything unexpected is logged and
answered with a 500 that says so (tests and the fuzz run make sure inputs never get there).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

from tocsin.errors import (
    AccessError,
    CapError,
    ConfigError,
    ConflictError,
    E,
    Forbidden,
    GeometryError,
    InputError,
    NotFound,
    StoreError,
    TocsinError,
)

__all__ = ["BodyTooLarge", "error_body", "field_of_error", "install_error_handlers", "status_for"]

log = logging.getLogger("tocsin.api")

#: The field a domain error is about when it does not say: its message's leading ``name:`` (e.g.
#: "[T308] areas.0.circles.0: ..."), else these codes' field (their messages name the warning or "time window").
_LEADING_FIELD = re.compile(r"^\[T\d{3}\] ([A-Za-z_][\w.]*): ")
_CODE_FIELD = {"T409": "expires", "T311": "window"}

#: Store errors caused by what the caller sent, not by the database.
_STORE_INPUT_CODES = {"T205": 409, "T207": 422, "T208": 422, "T209": 422}


class BodyTooLarge(HTTPException):
    """Raised while reading a request body that passes the configured limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, E.T605.format(limit=limit))


def status_for(error: TocsinError) -> int:
    """The HTTP status of a domain error."""
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, AccessError):
        return 401
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, ConflictError):
        return 409
    if isinstance(error, StoreError):
        return _STORE_INPUT_CODES.get(error.code, 503)
    if isinstance(error, (InputError, GeometryError, CapError, ConfigError)):
        return 422
    return 400


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    return body


_TYPE_TAGS = frozenset(("str", "int", "float", "bool", "dict", "list"))


def _is_union_tag(part: Any) -> bool:
    """Union members appear in ``loc`` by type or class name (``str``, ``list[...]``, ``ReportIn``)."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _TYPE_TAGS)


def _field_of(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header") and not _is_union_tag(p)]
    return ".".join(parts) or "body"


def field_of_error(error: TocsinError) -> str | None:
    """The request field a domain error is about (its context's, else read from its message or code)."""
    field = error.context.get("field")
    if field:
        return str(field)
    if status_for(error) != 422:
        return None
    leading = _LEADING_FIELD.match(error.message)
    return leading.group(1) if leading else _CODE_FIELD.get(error.code)


def _tocsin(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TocsinError)
    field = field_of_error(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status_for(exc) == 401 else None
    return JSONResponse(error_body(exc.code, exc.message, str(field) if field else None), status_for(exc),
                        headers=headers)


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request"}
    field = _field_of(first.get("loc", ()))
    if first.get("type") == "json_invalid":
        field, detail = "body", f"malformed JSON ({first.get('ctx', {}).get('error', first.get('msg'))})"
    else:
        detail = str(first.get("msg", "invalid value"))
        if "input" in first and not isinstance(first["input"], (dict, list)):
            detail += f", got {first['input']!r}"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return JSONResponse(error_body("T607", E.T607.format(field=field, detail=detail) + more, field), 422)


def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = str(exc.detail)
    if exc.status_code == 413:
        code = "T605"
    elif exc.status_code == 404:
        code, detail = "T204", E.T204.format(what="route", id=_request.url.path)
    else:
        code = f"H{exc.status_code}"
    message = detail if detail.startswith("[T") else f"[{code}] {detail}"
    return JSONResponse(error_body(code, message), exc.status_code, headers=getattr(exc, "headers", None))


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body("T000", f"[T000] internal error ({type(exc).__name__}); please report it"), 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TocsinError, _tocsin)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)

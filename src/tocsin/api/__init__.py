"""tocsin's HTTP API (FastAPI): thin routers that parse, call the library, and format. See docs/api.md."""

from tocsin.api.app import create_app

__all__ = ["create_app"]

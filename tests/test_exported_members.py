"""The public API is declared; this fails when a name is added or removed by accident."""

import tocsin

EXPECTED = {
    "Area", "CapError", "Claim", "ConfigError", "ConflictError", "Event", "EventFilter", "Extraction",
    "Extractor", "GeometryError", "IngestSummary", "InputError", "Location", "NotFound", "Notice", "Place",
    "Report", "Span", "Store", "StoreError", "TocsinError", "Toponym", "extract", "ingest", "read_paths",
    "to_dict",
}


def test_exported_names_are_pinned() -> None:
    assert set(tocsin.__all__) == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in tocsin.__all__:
        assert getattr(tocsin, name) is not None, name


def test_extract_and_ingest_are_functions_even_after_their_modules_load() -> None:
    import tocsin.extraction  # noqa: F401
    import tocsin.ingestion  # noqa: F401

    assert callable(tocsin.extract) and tocsin.extract.__module__ == "tocsin.extraction"
    assert callable(tocsin.ingest) and tocsin.ingest.__module__ == "tocsin.ingestion"

"""Scoring tocsin against annotated data (``../shared/eval`` when present); run ``python -m tocsin.eval``."""

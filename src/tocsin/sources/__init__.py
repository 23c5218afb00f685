"""Readers for each input format: text, HTML, JSONL, RSS/Atom."""

"""The language stage: one spaCy pipeline with tocsin's components (see pipeline.py)."""

"""The model's attribute rules found per token by dictionary lookups: ``tocsin_attribute_ruler``.

en_core_web_sm's ``attribute_ruler`` (the tag map and morph rules: ``pos_``, ``morph`` and some ``lemma_``
from ``tag_``, ``lower_`` and ``dep_``) finds its 179 patterns with a spaCy ``Matcher``, which starts every
pattern at every token: ~3 ms for a report of 180 tokens, as long as the parser (0.9 s of spaCy's ~6.3 s
CPU for the 300 texts of ``bench/extract_throughput.py``). Its patterns are one or two tokens of equality,
``IN``, ``NOT_IN`` or ``REGEX`` tests on ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE``, so the patterns a
token can start are found by its tag, lower form or dependency label in a dictionary, and only those are
tested. ``AttributeIndex.match`` returns the ``Matcher``'s matches (the same ``(key, start, end)`` set, in
the ruler's sorted order), and the ruler applies them as spaCy's does: the same attributes on every token.
A ruler with any other kind of pattern (an ``OP``, another attribute) keeps spaCy's ``Matcher``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["AttributeIndex", "FastAttributeRuler", "use_fast_ruler"]

#: The token attributes the index reads, in the column order of ``Doc.to_array``.
_COLUMNS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY = [TAG, LOWER, DEP, IS_SPACE]
#: A test of one attribute: (column, "==" / "in" / "not in" / "regex", a hash, a set of them or a regex).
_Test = tuple[int, str, Any]
#: One pattern: (attribute-rule id, matcher key, the tests of each of its tokens).
_Pattern = tuple[int, int, tuple[tuple[_Test, ...], ...]]


class _Unsupported(ValueError):
    """A pattern the index cannot test exactly as the ``Matcher`` does."""


def _value(vocab: Vocab, attr: str, value: Any) -> int:
    if attr == "IS_SPACE":
        if not isinstance(value, bool):
            raise _Unsupported(value)
        return int(value)
    if not isinstance(value, str):
        raise _Unsupported(value)
    return int(vocab.strings.add(value))


def _test(vocab: Vocab, attr: str, spec: Any) -> _Test:
    """A test of one attribute, as the ``Matcher`` makes it (on the string's hash)."""
    if attr not in _COLUMNS:
        raise _Unsupported(attr)
    col = _COLUMNS[attr]
    if not isinstance(spec, dict):
        return col, "==", _value(vocab, attr, spec)
    if len(spec) != 1:
        raise _Unsupported(spec)
    ((op, values),) = spec.items()
    if op in ("IN", "NOT_IN") and isinstance(values, list):
        return col, op.lower().replace("_", " "), frozenset(_value(vocab, attr, v) for v in values)
    if op == "REGEX" and isinstance(values, str) and attr != "IS_SPACE":
        return col, "regex", re.compile(values)
    raise _Unsupported(spec)


def _passes(tests: tuple[_Test, ...], row: list[int], strings: StringStore) -> bool:
    """Whether a token of these attributes passes all of a token pattern's tests."""
    for col, op, value in tests:
        found = row[col]
        if op == "==":
            ok = found == value
        elif op == "in":
            ok = found in value
        elif op == "not in":
            ok = found not in value
        else:
            ok = value.search(strings[found]) is not None
        if not ok:
            return False
    return True


def _needed(spec: Any) -> list[str]:
    """The values an attribute must take, when the test is an equality or ``IN`` (else none)."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict) and list(spec) == ["IN"] and isinstance(spec["IN"], list):
        return [v for v in spec["IN"] if isinstance(v, str)]
    return []


def _token_tests(vocab: Vocab, token: Any) -> tuple[_Test, ...]:
    """A token pattern's tests: each must pass."""
    if not isinstance(token, dict) or not token:
        raise _Unsupported(token)
    return tuple(_test(vocab, str(attr), spec) for attr, spec in token.items())


class AttributeIndex:
    """An attribute ruler's patterns, and per distinct token (tag, lower form, dependency, space) the ones it starts.

    ``AttributeIndex.of(ruler)`` is None when a pattern is not of the kinds above.
    """

    #: Distinct tokens remembered (cleared when full).
    CACHE = 100_000

    def __init__(self, by: tuple[dict[int, list[_Pattern]], ...], always: list[_Pattern]) -> None:
        self._by = by  # per column TAG, LOWER, DEP: a value -> the patterns whose first token needs it
        self._always = always  # the patterns whose first token needs no one value of those
        self._starts: dict[tuple[int, ...], tuple[tuple[tuple[int, int], ...], tuple[_Pattern, ...]]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the remembered tokens (a pipeline pickles about as small as with spaCy's ruler)."""
        return {"_by": self._by, "_always": self._always}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._starts = {}

    @classmethod
    def of(cls, ruler: AttributeRuler) -> AttributeIndex | None:
        vocab = ruler.vocab
        by: tuple[dict[int, list[_Pattern]], ...] = ({}, {}, {})
        always: list[_Pattern] = []
        for rule, entry in enumerate(ruler.patterns):
            key = int(vocab.strings.add(str(rule)))
            for pattern in entry["patterns"]:
                try:
                    checks = tuple(_token_tests(vocab, token) for token in pattern)
                except _Unsupported:
                    return None
                if not checks:
                    return None
                found: _Pattern = (rule, key, checks)
                first = pattern[0]
                attr = next((a for a in ("TAG", "LOWER", "DEP") if _needed(first.get(a))), None)
                if attr is None:
                    always.append(found)
                    continue
                for value in _needed(first[attr]):
                    by[_COLUMNS[attr]].setdefault(_value(vocab, attr, value), []).append(found)
        return cls(by, always)

    def _started(
        self, row: tuple[int, ...], strings: StringStore
    ) -> tuple[tuple[tuple[int, int], ...], tuple[_Pattern, ...]]:
        """The one-token patterns that match a token of these attributes, as distinct (rule, key) pairs, and the
        longer patterns whose first token it matches."""
        row_list = list(row)
        singles: dict[tuple[int, int], None] = {}
        longer = []
        # each pattern is under one column, and a token has one value per column: no pattern comes twice
        candidates = [found for col, table in enumerate(self._by) for found in table.get(row[col], ())]
        for found in candidates + self._always:
            rule, key, checks = found
            if _passes(checks[0], row_list, strings):
                if len(checks) == 1:
                    singles[rule, key] = None
                else:
                    longer.append(found)
        if len(self._starts) >= self.CACHE:
            self._starts.clear()
        started = self._starts[row] = (tuple(singles), tuple(longer))
        return started

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``AttributeRuler.match(doc)``: (rule, matcher key, start, end) of every match, sorted."""
        rows = doc.to_array(_ARRAY).tolist()
        n = len(rows)
        get, started, strings = self._starts.get, self._started, doc.vocab.strings
        found: list[tuple[int, int, int, int]] = []
        longer_found: set[tuple[int, int, int, int]] = set()
        for i, row in enumerate(rows):
            key_row = tuple(row)
            singles, longer = get(key_row) or started(key_row, strings)
            for rule, key in singles:
                found.append((rule, key, i, i + 1))
            for rule, key, checks in longer:
                end = i + len(checks)
                if end <= n and all(_passes(tests, rows[j], strings) for j, tests in enumerate(checks[1:], i + 1)):
                    longer_found.add((rule, key, i, end))
        found += longer_found
        found.sort()
        return found


class FastAttributeRuler(AttributeRuler):
    """spaCy's ``AttributeRuler`` whose matches come from an :class:`AttributeIndex` when it can hold them."""

    _index: AttributeIndex | None | bool = None

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._index is None:
            self._index = AttributeIndex.of(self) or False
        if self._index is False or doc.vocab is not self.vocab:  # a regex rule reads strings from the ruler's vocab
            return list(super().match(doc))
        return self._index.match(doc)  # type: ignore[union-attr]

    def add(self, patterns: Any, attrs: dict[Any, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._index = None

    def clear(self) -> None:
        super().clear()
        self._index = None



@Language.factory(
    "tocsin_attribute_ruler",
    default_config={"validate": False, "scorer": {"@scorers": "spacy.attribute_ruler_scorer.v1"}},
)
def make_fast_ruler(nlp: Language, name: str, validate: bool, scorer: Callable[..., Any] | None) -> FastAttributeRuler:
    return FastAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def use_fast_ruler(nlp: Language) -> None:
    """Swap the pipeline's ``attribute_ruler`` for a :class:`FastAttributeRuler` with the same patterns."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    old = nlp.get_pipe("attribute_ruler")
    if type(old) is not AttributeRuler:
        return
    patterns = old.patterns
    new = nlp.replace_pipe("attribute_ruler", "tocsin_attribute_ruler")
    new.add_patterns(patterns)

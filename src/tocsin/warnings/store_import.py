"""Import into ``WarningStore``: other authorities' CAP messages (files, wrappers, index feeds) and notices.

Update/Cancel chains hold whatever order the messages arrive in; the same message twice is stored once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from tocsin.errors import CapError, ConflictError, E, InputError
from tocsin.store.warning_tables import warning_log, warnings
from tocsin.warnings.cap import format_time, parse_cap, safe_parse
from tocsin.warnings.drafts import draft_from_notice
from tocsin.warnings.feed import MAX_FEED_BYTES, next_page, read_feed
from tocsin.warnings.geometry import Resolver
from tocsin.warnings.records import Warning
from tocsin.warnings.repair import alert_bytes, find_alerts
from tocsin.warnings.store_lifecycle import WarningLifecycle
from tocsin.warnings.store_rows import ImportResult, StoredWarning, _now, _sent_by, lock_identifier

__all__ = ["MAX_FEED_PAGES", "WarningImporter"]

MAX_FEED_PAGES = 100


def _canonical(data: bytes) -> bytes | None:
    """The one alert in ``data`` in exclusive C14N, whitespace between elements left out."""
    try:
        alerts = find_alerts(safe_parse(data))
    except CapError:
        return None
    if len(alerts) != 1:
        return None
    alert = alerts[0]
    for element in alert.iter():
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        if element is not alert and element.tail is not None and not element.tail.strip():
            element.tail = None
    canonical: bytes = etree.tostring(alert, method="c14n", exclusive=True)
    return canonical


def _same_message(a: bytes, b: bytes) -> bool:
    """Equal bytes, or the same alert once canonicalised: an alert copied out of a feed entry or an EDXL
    wrapper, or indented differently, is the same message."""
    if a == b:
        return True
    first = _canonical(a)
    return first is not None and first == _canonical(b)


def _already_stored(existing: StoredWarning, data: bytes, notes: list[str]) -> StoredWarning:
    """``existing`` when ``data`` is the same message (importing it again changes nothing), with a note saying so;
    else T411: a sender's identifier names one message."""
    warning = existing.warning
    if not _same_message(existing.cap_xml, data):
        raise InputError(E.T411.format(id=warning.id, state="already stored with other content", detail=(
            f"sender {warning.sender!r} sent a message of this identifier before (stored as {existing.key!r}); "
            "a sender's identifier names one message; ask the sender")))
    notes.append(f"already stored as {existing.key!r} (the same message); nothing changed")
    return existing


def _waits_for_an_operator(new: Warning, old: Warning) -> str | None:
    """Why the imported follow-up ``new`` of the published ``old`` does not end it at once (None: it does).

    An authority's own Cancel ends its own alert at once: the alert is withdrawn at its source, and a relay
    that kept showing it would send people away from homes the authority has declared safe, or keep them
    sheltering. Anything else waits for an operator: an Update brings new content to review (areas,
    instructions); a Cancel from another sender, of another status (a drill ends no real alert) or not
    addressed to the public is not the authority withdrawing its own public alert.
    """
    if new.msg_type != "Cancel":
        return f"an {new.msg_type}'s new content is for an operator to review"
    if new.sender != old.sender:
        return f"it is from another sender, {new.sender!r}, not {old.sender!r}"
    if new.status != old.status:
        return f"its status {new.status} is not the alert's {old.status}"
    if new.scope != "Public":
        return f"its scope {new.scope} does not address the public"
    return None


class WarningImporter(WarningLifecycle):
    """``import_cap``, ``import_path`` and ``drafts_from_notices``."""

    def import_cap(self, data: bytes, who: str, where: str = "<input>",
                   notes: list[str] | None = None, *, reorder: bool = False) -> StoredWarning:
        """Store another authority's CAP message as a draft, keeping its original bytes (and signature).

        What was repaired while reading it is appended to ``notes`` and kept in the warning's log.
        ``Ack`` and ``Error`` messages are refused (T413). Update/Cancel chains hold whatever order the
        messages arrive in: an imported Update or Cancel ends the drafts of its own sender it references at
        once (``superseded``/``cancelled``), and the published ones when an operator publishes it. The
        exception: the sender's own Cancel of its published alert (same status, public scope) is published
        at once, by ``who``, and ends it (``_waits_for_an_operator``). A message that a stored Update or
        Cancel of its sender already references is stored ``superseded``/``cancelled``, never public.
        The same message again (same bytes, or the same alert once canonicalised) is not stored twice.
        ``reorder``: read elements out of the schema's order in it (``parse_cap``) instead of refusing them.
        """
        notes = [] if notes is None else notes
        warning = parse_cap(data, where, notes=notes, reorder=reorder)
        data = warning.source_xml or data  # the <alert>'s own bytes when it came inside a wrapper
        if warning.msg_type in ("Ack", "Error"):
            refs = " ".join(r.to_text() for r in warning.references) or "no references"
            raise CapError(E.T413.format(where=where, msg_type=warning.msg_type, refs=refs))
        existing = self._from_sender(warning.sender, warning.id)  # CAP: an identifier is unique per sender
        if existing is not None:
            return _already_stored(existing, data, notes)
        referenced = self._stored_references(warning)
        for ref in warning.references:  # found by (sender, identifier); a different `sent` is worth saying
            old = next((r for r in referenced if (r.warning.sender, r.warning.id) == (ref.sender, ref.identifier)),
                       None)
            if old is not None and old.warning.sent != ref.sent:
                notes.append(f"references {ref.to_text()} but {old.key!r}, the stored message of that sender and "
                             f"identifier, was sent {format_time(old.warning.sent)}; taken as that message (a CAP "
                             "identifier names one message of its sender)")
        later = self._referencing(warning)
        ends = "cancelled" if warning.msg_type == "Cancel" else "superseded"
        now = _now()
        with self._write() as conn:
            lock_identifier(conn, warning.id)  # another process storing this identifier now: wait for it
            row = _sent_by(conn, warning.sender, warning.id)
            if row is not None:  # it stored this message since the look above (a watcher and an import at once)
                return _already_stored(self._stored(row), data, notes)
            ref_id = referenced[-1].key if referenced else (
                warning.references[-1].identifier if warning.references else None)
            key = self._insert(conn, warning, data, who, imported=True, action="import", references_id=ref_id,
                               detail="; ".join(notes) or None)
            if key != warning.id:
                notes.append(f"identifier {warning.id!r} is already used by another sender here; this message from "
                             f"{warning.sender!r} is {key!r}")
            at_once: list[str] = []  # published messages the sender's own Cancel ends now
            for old in referenced:
                if old.state == "draft" and old.warning.sender != warning.sender:
                    notes.append(f"draft {old.key!r} it references is from another sender ({old.warning.sender!r}); "
                                 f"left as it is")
                elif old.state == "draft":
                    conn.execute(warnings.update().where(warnings.c.id == old.key, warnings.c.state == "draft")
                                 .values(state=ends, superseded_by=key, updated_at=now,
                                         version=warnings.c.version + 1))
                    self._log(conn, old.key, ends, who, f"by imported {warning.msg_type} {key}")
                    notes.append(f"draft {old.key!r} it references is now {ends}")
                elif old.state == "published":
                    why = _waits_for_an_operator(warning, old.warning)
                    if why is None:
                        at_once.append(old.key)
                    else:
                        notes.append(f"published warning {old.key!r} it references stays public until an operator "
                                     f"publishes this {warning.msg_type} ({why})")
            if later is not None and warning.msg_type != "Cancel":
                state = "cancelled" if later.warning.msg_type == "Cancel" else "superseded"
                conn.execute(warnings.update().where(warnings.c.id == key)
                             .values(state=state, superseded_by=later.key, version=2))
                self._log(conn, key, state, who, f"by {later.warning.msg_type} {later.key} stored before")
                notes.append(f"already {state} by {later.warning.msg_type} {later.key!r} stored before; "
                             "not to be published")
            conn.execute(warning_log.update().where(warning_log.c.warning_id == key, warning_log.c.action == "import")
                         .values(detail="; ".join(notes) or None))  # what was decided above is logged too
        if at_once:
            ended = ", ".join(repr(k) for k in at_once)
            try:
                self.publish(key, f"{who} (the sender's own Cancel)", warning.status, own_only=True)
            except (ConflictError, InputError) as exc:  # e.g. an operator acted on it in the meantime
                notes.append(f"the sender's own Cancel of published {ended} could not take effect at once "
                             f"({exc.message}); an operator must publish it")
            else:
                notes.append(f"the sender's own Cancel of published {ended}: published, in effect at once")
        return self.get(key)

    def import_path(self, path: str | Path, who: str, *, reorder: bool = False) -> list[ImportResult]:
        """Import a CAP file (also wrapped: EDXL-DE, an Atom entry), or an Atom/RSS index feed.

        From a feed: embedded alerts, and CAP links to local files (relative links are read relative to
        the feed's folder); ``rel="next"`` pages that are local files are followed (up to
        ``MAX_FEED_PAGES``). An entry repeating a link or alert seen earlier in the same import is
        reported once. Every message gets its own result; one bad entry does not stop the others.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(E.T008.format(path=path))
        results: list[ImportResult] = []
        seen: dict[str, str] = {}
        pages: set[Path] = set()
        page: Path | None = path
        while page is not None and len(pages) < MAX_FEED_PAGES:
            pages.add(page.resolve())
            following = self._import_page(page, who, results, seen, reorder)
            page = following if following is not None and following.resolve() not in pages else None
        return results

    def _import_page(self, path: Path, who: str, results: list[ImportResult], seen: dict[str, str],
                     reorder: bool = False) -> Path | None:
        data = path.read_bytes()[: MAX_FEED_BYTES + 1]
        try:
            root = safe_parse(data, str(path), MAX_FEED_BYTES)
            tag = root.tag if isinstance(root.tag, str) else ""
            local = etree.QName(tag).localname if tag else ""
            if local == "alert":
                results.append(self._import_one(data, who, str(path), reorder))
                return None
            if local not in ("feed", "entry", "rss", "RDF"):
                alerts = find_alerts(root)
                if not alerts:  # parse_cap names what the document is (HTML page, other XML)
                    results.append(self._import_one(data, who, str(path), reorder))
                for i, alert in enumerate(alerts, start=1):
                    where = f"{path} alert {i}" if len(alerts) > 1 else str(path)
                    results.append(self._import_one(alert_bytes(alert), who, where, reorder))
                return None
            entries = read_feed(root, str(path))
            following = next_page(root, str(path))
        except (CapError, InputError) as exc:
            results.append(ImportResult(str(path), None, exc.message))
            return None
        for i, entry in enumerate(entries, start=1):
            where = f"{path} entry {i}"
            key = entry.cap_url if entry.alert_xml is None else entry.alert_xml.decode("utf-8", "replace")
            if key and key in seen:
                continue  # a feed repeating an entry (MeteoAlarm lists one alert once per area)
            if key:
                seen[key] = where
            if entry.alert_xml is not None:
                results.append(self._import_one(entry.alert_xml, who, where, reorder))
                continue
            local_file = self._local_link(path, entry.cap_url)
            if local_file is not None:
                results.append(self._import_one(local_file.read_bytes(), who, f"{where} ({local_file})", reorder))
            elif entry.cap_url and "://" in entry.cap_url and not entry.cap_url.startswith("file://"):
                results.append(ImportResult(where, None, f"CAP link {entry.cap_url} is remote; tocsin does not fetch "
                                                         "at run time: download it and import the file"))
            elif entry.cap_url:
                results.append(ImportResult(where, None, f"CAP link {entry.cap_url}: no such file (not found next to "
                                                         "the feed); entry skipped"))
            else:
                results.append(ImportResult(where, None, "entry has no CAP link and no embedded alert"))
        return self._local_link(path, following)

    def _import_one(self, data: bytes, who: str, where: str, reorder: bool = False) -> ImportResult:
        notes: list[str] = []
        try:
            return ImportResult(where, self.import_cap(data, who, where, notes, reorder=reorder).key,
                                notes=tuple(notes))
        except (CapError, InputError) as exc:
            return ImportResult(where, None, exc.message, tuple(notes))

    @staticmethod
    def _local_link(feed: Path, url: str | None) -> Path | None:
        if not url:
            return None
        if url.startswith("file://"):
            candidate = Path(url[len("file://"):])
        elif "://" in url:
            return None
        else:
            candidate = feed.parent / url
        return candidate if candidate.is_file() else None

    def _fill_shapes(self, existing: StoredWarning, draft: Warning, who: str) -> StoredWarning | None:
        """A notice drafted before its places were imported: the draft, while still a draft, gets the shapes its
        areas lacked and the new reading has (the areas an operator gave a shape are kept as they are)."""
        old = existing.warning
        if existing.state != "draft" or len(old.areas) != len(draft.areas):
            return None
        areas = tuple(
            new if not (area.polygons or area.circles) and (new.polygons or new.circles)
            and area.description == new.description else area
            for area, new in zip(old.areas, draft.areas, strict=True)
        )
        if areas == tuple(old.areas):
            return None
        return self.update(existing.key, who, expected_version=existing.version, areas=areas)

    def drafts_from_notices(self, notices: Sequence[Any], who: str, *, resolver: Resolver | None = None,
                            sender: str | None = None,
                            countries: Mapping[str, Collection[str]] | None = None) -> list[StoredWarning]:
        """Drafts for stored notices (``Store.notices()``); a notice already drafted is skipped, also when another
        process drafts it at the same moment (two ``tocsin warnings drafts --from-notices``).

        ``countries`` maps a report's hash to the countries of its resolved places (``report_countries``): an
        area the notice left unresolved is looked up only there. A notice drafted before is not drafted again,
        but a draft whose areas had no shape gets the shapes found now (``tocsin places import`` of the
        neighbourhoods, then ``tocsin warnings drafts --from-notices``)."""
        out = []
        for stored in notices:
            kwargs: dict[str, Any] = {"resolver": resolver}
            if countries is not None:
                kwargs["countries"] = countries.get(stored.report_hash, frozenset())
            if sender:
                kwargs["sender"] = sender
            draft = draft_from_notice(stored.notice, stored.report_id, issued=stored.published, **kwargs)
            existing = self._from_sender(draft.sender, draft.id)
            if existing is not None:
                filled = self._fill_shapes(existing, draft, who)
                if filled is not None:
                    out.append(filled)
                continue
            try:
                out.append(self.create(draft, who))
            except InputError:  # T411: another process drafted this notice since the look above (then it is done)
                if self._from_sender(draft.sender, draft.id) is None:
                    raise
        return out

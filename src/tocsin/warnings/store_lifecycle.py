"""The life of a warning in ``WarningStore``: create a draft, edit it, publish it, update or cancel it.

A published warning is never rewritten: ``update`` makes a new CAP ``Update`` draft that references it and
``cancel`` publishes a CAP ``Cancel``; the earlier row becomes ``superseded``/``cancelled``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import shapely

from tocsin.errors import ConflictError, E, InputError
from tocsin.store.warning_tables import warnings
from tocsin.warnings.cap import to_cap
from tocsin.warnings.drafts import new_identifier
from tocsin.warnings.records import Warning
from tocsin.warnings.store_outbox import WarningOutbox
from tocsin.warnings.store_rows import StoredWarning, _now, _sent_by, check_actor, warning_geometry

__all__ = ["WarningLifecycle"]


class WarningLifecycle(WarningOutbox):
    """Drafts, publishing, updates and cancellations."""

    # -- drafts ------------------------------------------------------------------------------------

    def create(self, warning: Warning, who: str) -> StoredWarning:
        """Store a new warning as a draft (CAP status Draft); validates its CAP form first."""
        if warning.status != "Draft":
            warning = dataclasses.replace(warning, status="Draft")
        cap_xml = to_cap(warning)
        last = warning.references[-1] if warning.references else None
        referenced = self._from_sender(last.sender, last.identifier) if last is not None else None
        with self._write() as conn:
            key = self._insert(conn, warning, cap_xml, who, imported=False,
                               references_id=referenced.key if referenced else last.identifier if last else None)
        return self.get(key)

    def update(self, warning_id: str, who: str, expected_version: int | None = None, **changes: Any) -> StoredWarning:
        """Change a warning (``warning_id``: its key). A draft is edited in place; a published warning gets a new
        ``Update`` draft."""
        current = self.get(warning_id)
        warning_id = current.key
        if expected_version is not None and expected_version != current.version:
            raise ConflictError(E.T203.format(what="warning", id=warning_id, found=current.version,
                                              expected=expected_version))
        if current.state == "draft":
            new = dataclasses.replace(current.warning, **changes)
            if new.id != current.warning.id:
                raise InputError(E.T411.format(id=warning_id, state="a draft", detail="its id cannot change"))
            cap_xml = to_cap(new)
            with self._write() as conn:
                other = _sent_by(conn, new.sender, new.id)
                if other is not None and other.id != warning_id:
                    raise InputError(E.T411.format(id=warning_id, state="a draft", detail=(
                        f"sender {new.sender!r} already has a message {new.id!r} stored ({other.id!r})")))
                done = conn.execute(
                    warnings.update()
                    .where(warnings.c.id == warning_id, warnings.c.version == current.version,
                           warnings.c.state == "draft")
                    .values(version=current.version + 1, updated_at=_now(), imported=False,
                            **self._values(new, cap_xml))
                ).rowcount
                if done != 1:
                    raise ConflictError(E.T203.format(what="warning", id=warning_id, found="newer",
                                                      expected=current.version))
                self._log(conn, warning_id, "edit", who, ", ".join(sorted(changes)))
            return self.get(warning_id)
        if current.state == "published":
            return self._follow_up(current, who, "Update", changes)
        raise InputError(E.T411.format(id=warning_id, state=current.state,
                                       detail=f"update the newer message {current.superseded_by!r} instead"))

    def _follow_up(self, current: StoredWarning, who: str, msg_type: str, changes: dict[str, Any]) -> StoredWarning:
        old = current.warning
        refs = tuple(old.references) + (old.reference(),)
        new = dataclasses.replace(old, **changes)
        new = dataclasses.replace(new, id=new_identifier(), msg_type=msg_type, status="Draft", sent=_now(),
                                  references=refs, source_xml=None)
        new = dataclasses.replace(new, key=None)
        with self._write() as conn:
            key = self._insert(conn, new, to_cap(new), who, imported=False, references_id=current.key,
                               action=msg_type.lower())
        return self.get(key)

    def cancel(self, warning_id: str, who: str, note: str | None = None) -> StoredWarning:
        """Withdraw a warning: a draft is discarded (never public); a published one gets a published CAP Cancel."""
        current = self.get(warning_id)
        warning_id = current.key
        if current.state == "draft":
            with self._write() as conn:
                conn.execute(warnings.update().where(warnings.c.id == warning_id)
                             .values(state="cancelled", updated_at=_now(), version=current.version + 1))
                self._log(conn, warning_id, "discard", who, note)
            return self.get(warning_id)
        if current.state != "published":
            raise InputError(E.T411.format(id=warning_id, state=current.state, detail="only a published warning "
                                           "or a draft can be cancelled"))
        cancel = self._follow_up(current, who, "Cancel", {"note": note or "This warning is cancelled."})
        return self.publish(cancel.key, who)

    # -- publishing --------------------------------------------------------------------------------

    def publish(self, warning_id: str, operator: str, status: str = "Actual", *,
                own_only: bool = False) -> StoredWarning:
        """Make a draft public (the only way): set its CAP status, supersede what it references, enqueue deliveries.

        ``own_only``: end only the referenced messages of the same sender and status (an imported Cancel put
        in effect without an operator, ``import_cap``).
        """
        if not operator or not operator.strip():
            raise InputError(E.T411.format(id=warning_id, state="not published", detail="an operator must be named"))
        check_actor(operator, f"publish of warning {warning_id[:100]!r}")
        if status not in ("Actual", "Exercise", "System", "Test"):
            raise InputError(E.T102.format(name="status", value=status, valid="Actual, Exercise, System, Test"))
        current = self.get(warning_id)
        warning_id = current.key
        if current.state != "draft":
            raise InputError(E.T411.format(id=warning_id, state=current.state, detail="only a draft can be published"))
        warning = current.warning
        if warning.scope != "Public" or (current.imported and warning.status == "Draft"):  # also after an edit
            what = f"scope {warning.scope}" if warning.scope != "Public" else "status Draft"
            raise InputError(E.T411.format(id=warning_id, state=f"an imported message with {what}",
                                           detail="its sender did not address it to the public; it is not published"))
        geometry = warning_geometry(warning)
        if geometry is None and warning.msg_type != "Cancel":
            raise InputError(E.T411.format(id=warning_id, state="a draft without geometry",
                                           detail="give its areas a polygon or circle before publishing"))
        if warning.status == "Draft":
            warning = dataclasses.replace(warning, status=status)
        cap_xml = current.cap_xml if current.imported else to_cap(dataclasses.replace(warning, source_xml=None))
        referenced = [r for r in self._stored_references(warning) if r.state == "published" and (  # may be none
            not own_only or (r.warning.sender == warning.sender and r.warning.status == warning.status))]
        for old in referenced:
            old_geometry = warning_geometry(old.warning)
            if old_geometry is not None:
                geometry = old_geometry if geometry is None else shapely.union(geometry, old_geometry)
        postgis = self._postgis()
        matched = None if postgis else self.subscription_index().matching(geometry)
        now = _now()
        with self._write() as conn:
            done = conn.execute(
                warnings.update()
                .where(warnings.c.id == warning_id, warnings.c.state == "draft", warnings.c.version == current.version)
                .values(state="published", status=warning.status, cap_xml=cap_xml, published_at=now,
                        published_by=operator, updated_at=now, version=current.version + 1)
            ).rowcount
            if done != 1:
                raise ConflictError(E.T203.format(what="warning", id=warning_id, found="newer",
                                                  expected=current.version))
            new_state = "cancelled" if warning.msg_type == "Cancel" else "superseded"
            for old in referenced:
                conn.execute(warnings.update()
                             .where(warnings.c.id == old.key, warnings.c.state == "published")
                             .values(state=new_state, superseded_by=warning_id, updated_at=now,
                                     version=warnings.c.version + 1))
            if matched is None:  # PostGIS: the subscriptions' GiST index, in this transaction
                matched = self.matching_subscriptions(geometry, conn)
            self._enqueue(conn, warning_id, matched, now)
            self._log(conn, warning_id, "publish", operator, f"{len(matched)} deliveries")
        return self.get(warning_id)

"""Who and how: a session's identity, in one frozen shape. Pure: no I/O, no Textual.

The candidate, the commission and its members, the mode, the extra time, the
subject (E5's CMS) and the group of candidates assessed together exist once,
as ``SessionIdentity``. The engine records it in the ``created`` event
(``to_created``); the fold parses it back once (``from_created``, which never
raises: files made by earlier versions, or by hand, give what they hold); every
screen, list and export then reads ``SessionState.identity``.

Adding a field is: a field here (``identity_field``: who shares it, when it is
recorded), its form field, its i18n keys. Recording, reading back (old files:
its default), the length check, keeping it for the next candidate and sharing
it with a candidate added on the same subject follow from the declaration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar

from ndrc_oral.exams.fraction import parse_fraction

T = TypeVar("T")


class Role(StrEnum):
    """A commission member's role (the BTS NDRC commission: a teacher and a professional)."""

    ENSEIGNANT = "enseignant"
    PROFESSIONNEL = "professionnel"


class Mode(StrEnum):
    """An exam before a commission, or a student rehearsing alone."""

    LIVE = "live"
    REHEARSAL = "rehearsal"


class Scope(StrEnum):
    """Who shares a field of the identity."""

    CANDIDATE = "candidate"
    """One candidate's own (name, number, extra time)."""
    SUBJECT = "subject"
    """Shared by the candidates assessed together (E5), not kept for the next one."""
    COMMISSION = "commission"
    """Shared by the candidates assessed together, and kept for the next candidate."""


class Record(StrEnum):
    """When a field is written into the ``created`` event."""

    ALWAYS = "always"
    IF_SET = "if-set"
    """Only when not empty (files stay as short as before the field existed)."""
    WITH_EXTRA_TIME = "with-extra-time"
    """With the extra time, and only then (its reason)."""


@dataclass(frozen=True, slots=True)
class Member:
    """A member of the commission."""

    name: str
    role: Role | None = None
    """``None``: not recorded (files made before roles, ``--member`` on the command line)."""

    def to_data(self) -> dict[str, str]:
        """The member as a table of the ``created`` event (no role: not known)."""
        if self.role is None:
            return {"name": self.name}
        return {"name": self.name, "role": str(self.role)}

    @classmethod
    def from_data(cls, raw: object) -> Member:
        """A member as recorded: a plain name (before roles) or a table with name and role."""
        if isinstance(raw, Mapping):
            return cls(_text(raw.get("name")), _role(raw.get("role")))
        return cls(_text(raw))


def members(*names: str, roles: Sequence[Role | None] = ()) -> tuple[Member, ...]:
    """Members from their names, with their roles in the same order (missing: unknown)."""
    return tuple(Member(name, roles[i] if i < len(roles) else None) for i, name in enumerate(names))


# --- reading the created event's values (never raising) ----------------------------------------


def _text(raw: object) -> str:
    return "" if raw is None else str(raw)


def _optional(raw: object) -> str | None:
    return str(raw) if raw else None


def _members(raw: object) -> tuple[Member, ...]:
    if not isinstance(raw, list | tuple):
        return ()
    return tuple(Member.from_data(m) for m in raw)


def _role(raw: object) -> Role | None:
    return next((role for role in Role if raw == role), None)


def _mode(raw: object) -> Mode:
    return Mode.REHEARSAL if raw == Mode.REHEARSAL else Mode.LIVE


def _encode_members(value: tuple[Member, ...]) -> list[Any]:
    # Plain names while no role is known: the files of version 0.1 had only
    # those, and a reader of that version still reads the names of a new file.
    if all(m.role is None for m in value):
        return [m.name for m in value]
    return [m.to_data() for m in value]


def identity_field(
    default: T,
    scope: Scope,
    record: Record = Record.IF_SET,
    *,
    parse: Callable[[object], Any] | None = None,
    at: tuple[str, ...] = (),
) -> T:
    """Declare a field of ``SessionIdentity``: who shares it, when it is recorded, how it is
    read back (default: a text, or ``None`` for an optional one), where it goes in the
    ``created`` event (default: a key of its name)."""
    reader = parse or (_optional if default is None else _text)
    metadata = {"scope": scope, "record": record, "parse": reader, "at": at}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True, slots=True)
class SessionIdentity:
    """Who sits the session and how: what a new session records in its ``created`` event."""

    candidate: str = identity_field("", Scope.CANDIDATE, Record.ALWAYS, at=("candidate", "name"))
    """The candidate's name, as every screen, list and export shows it (never in a file name)."""
    number: str = identity_field("", Scope.CANDIDATE, Record.ALWAYS, at=("candidate", "number"))
    """The candidate number ("n° candidat")."""
    commission: str = identity_field("", Scope.COMMISSION, Record.ALWAYS)
    """The commission number."""
    members: tuple[Member, ...] = identity_field(
        (), Scope.COMMISSION, Record.ALWAYS, parse=_members
    )
    """The commission's members, in the order entered."""
    # identity_field returns a dataclasses.field, not a shared mutable default.
    mode: Mode = identity_field(Mode.LIVE, Scope.COMMISSION, Record.ALWAYS, parse=_mode)  # noqa: RUF009
    extra_time: str | None = identity_field(None, Scope.CANDIDATE)
    """Extra time as a fraction ("1/3" for tiers-temps), on the phases it covers."""
    extra_time_reason: str = identity_field("", Scope.CANDIDATE, Record.WITH_EXTRA_TIME)
    """Why extra time was granted."""
    cms: str | None = identity_field(None, Scope.SUBJECT)
    """E5: the subject's CMS (one of the exam's ``cms_choices``)."""
    group: str | None = identity_field(None, Scope.SUBJECT)
    """Ties together the sessions one examiner runs at once (E5: up to three
    candidates on one subject), so that they can be resumed together."""
    subject: str | None = identity_field(None, Scope.SUBJECT)
    """E5: the subject's letter, as the fiche asks it beside the CMS."""
    grid: str | None = identity_field(None, Scope.SUBJECT)
    """E5: the name of the subject's own grid file, when the session rates it (its rows
    travel in the ``exam_def``)."""
    situation: str | None = identity_field(None, Scope.CANDIDATE)
    """A CCF épreuve: which of its situations this session is (``a``, ``b``)."""
    epreuve_id: str | None = identity_field(None, Scope.CANDIDATE)
    """A CCF épreuve: the id its situations share (drawn at the first situation)."""
    machine: str = identity_field("", Scope.COMMISSION)
    """The machine the session is recorded on (the settings' ``machine``, by default
    the host name): a centre gathers the sessions of many rooms (``logs bundle``)."""

    # --- reading ---------------------------------------------------------------------------

    @property
    def rehearsal(self) -> bool:
        return self.mode is Mode.REHEARSAL

    @property
    def member_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    def extra_fraction(self) -> Fraction:
        """The extra time as a fraction (0 without); ``ValueError`` when it is not one."""
        return parse_fraction(self.extra_time) if self.extra_time else Fraction(0)

    def texts(self) -> Iterator[str]:
        """Every text typed for the session (for the checks of length)."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                yield value
            elif f.name == "members":
                yield from self.member_names

    # --- making one from another -------------------------------------------------------------

    def normalized(self) -> SessionIdentity:
        """Texts trimmed (an empty optional one: ``None``), empty members dropped, no reason
        without extra time: the identity as it is recorded and read back."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if type(value) is str:  # the texts (the mode is a StrEnum: kept as it is)
                text = value.strip()
                changes[f.name] = (text or None) if f.metadata["parse"] is _optional else text
        if not changes.get("extra_time"):
            changes["extra_time_reason"] = ""
        changes["members"] = tuple(
            Member(m.name.strip(), m.role) for m in self.members if m.name.strip()
        )
        return replace(self, **changes)

    def next_candidate(self) -> SessionIdentity:
        """What the next candidate before the same commission starts with (its fields only)."""
        return self._keeping({Scope.COMMISSION})

    def companion(self, **candidate: Any) -> SessionIdentity:
        """Another candidate on the same subject (E5): shared fields kept, ``candidate``'s set."""
        return replace(self._keeping({Scope.COMMISSION, Scope.SUBJECT}), **candidate)

    def _keeping(self, scopes: set[Scope]) -> SessionIdentity:
        # Every field has a plain default (no factory): the blank identity holds them.
        blank = type(self)()
        reset: dict[str, Any] = {
            f.name: getattr(blank, f.name)
            for f in fields(self)
            if f.metadata["scope"] not in scopes
        }
        return replace(self, **reset)

    # --- the created event -------------------------------------------------------------------

    def to_created(self) -> dict[str, Any]:
        """The identity's keys of a ``created`` event (as version 0.1 wrote them, plus new ones)."""
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            record = f.metadata["record"]
            if record is Record.IF_SET and not value:
                continue
            if record is Record.WITH_EXTRA_TIME and not self.extra_time:
                continue
            encoded = _encode_members(value) if f.name == "members" else value
            _put(data, f.metadata["at"] or (f.name,), str(encoded) if f.name == "mode" else encoded)
        return data

    @classmethod
    def from_created(cls, data: Mapping[str, Any]) -> SessionIdentity:
        """The identity a ``created`` event records; never raises (missing or odd: default)."""
        values = {
            f.name: f.metadata["parse"](_get(data, f.metadata["at"] or (f.name,)))
            for f in fields(cls)
        }
        return cls(**values)


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    *tables, key = path
    for name in tables:
        data = data.setdefault(name, {})
    data[key] = value


def _get(data: Mapping[str, Any], path: Iterable[str]) -> object:
    value: object = data
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value

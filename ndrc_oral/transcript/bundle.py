"""Carrying sessions between machines: a bundle (one ``.zip``) made here, imported there.

A centre gathers every room's sessions. ``write_bundle`` puts the chosen
transcripts in one archive (``zipfile``, names in order, fixed member dates)
with ``manifest.json``: the format, when and by which machine it was made,
and per file its name, size, sha256, session id, event count and last
event's hash. ``import_sessions`` takes a bundle, or a directory (a copied
data directory, an unpacked bundle), and for every transcript in it:

* refuses it, naming it with the reason, when it does not match the
  manifest, is not whole (its chain, or an épreuve's link where both
  situations are at hand), is named otherwise than its session, or differs
  from the session of that id already here;
* skips it when the same session, byte for byte, is already here;
* adds it otherwise, made as the writer makes a transcript (``create_new``:
  a hidden copy synced, then renamed, never over an existing file).

Nothing already in the data directory is ever changed.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from ndrc_oral.errors import NdrcError, describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.session.epreuve import Link
from ndrc_oral.transcript.directory import (
    DAY_PREFIX,
    SUFFIX,
    Store,
    is_day_name,
    is_transcript_name,
    sync_leftover,
)
from ndrc_oral.transcript.reader import (
    Integrity,
    Transcript,
    TranscriptError,
    check_bytes,
    read_bytes,
    read_transcript,
)
from ndrc_oral.transcript.writer import create_new, fsync_dir

FORMAT = "ndrc-oral bundle 1"
MANIFEST = "manifest.json"
FOLDER = "transcripts/"
"""Where the transcripts are in the archive."""
_MEMBER_DATE = (1980, 1, 1, 0, 0, 0)
"""Every member's date: the archive's bytes depend on its content only (and the manifest)."""


class BundleError(NdrcError):
    """A bundle that cannot be read at all (not a zip, no manifest, a bad manifest)."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One transcript as the manifest describes it."""

    name: str
    size: int
    sha256: str
    session_id: str
    events: int
    last_hash: str

    @classmethod
    def of(cls, name: str, data: bytes, transcript: Transcript) -> FileEntry:
        created = transcript.created
        session_id = str(created.data.get("id", "")) if created is not None else ""
        if is_day_name(name):  # a commission's day: its id is its name's
            session_id = name.removeprefix(DAY_PREFIX).removesuffix(SUFFIX)
        return cls(
            name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            session_id=session_id,
            events=len(transcript.events),
            last_hash=transcript.last_hash,
        )


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a bundle holds."""

    created_at: str
    machine: str
    files: tuple[FileEntry, ...]

    def to_json(self) -> bytes:
        doc = {
            "format": FORMAT,
            "created_at": self.created_at,
            "machine": self.machine,
            "files": [
                {
                    "name": f.name,
                    "size": f.size,
                    "sha256": f.sha256,
                    "session_id": f.session_id,
                    "events": f.events,
                    "last_hash": f.last_hash,
                }
                for f in self.files
            ],
        }
        return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, where: str) -> Manifest:
        """The manifest of ``data``; ``BundleError`` naming ``where`` when it is not one."""
        try:
            doc = json.loads(data)
            if doc["format"] != FORMAT:
                raise BundleError(t("bundle.format", path=where, found=doc["format"]))
            files = tuple(
                FileEntry(
                    name=_str(f["name"]),
                    size=_int(f["size"]),
                    sha256=_str(f["sha256"]),
                    session_id=_str(f["session_id"]),
                    events=_int(f["events"]),
                    last_hash=_str(f["last_hash"]),
                )
                for f in doc["files"]
            )
            return cls(_str(doc["created_at"]), _str(doc["machine"]), files)
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(t("bundle.bad_manifest", path=where, why=exc)) from None


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"{value!r} is not a whole number")
    return value


# --- making a bundle -----------------------------------------------------------------------


def write_bundle(out: BinaryIO, paths: Sequence[Path], machine: str, now: datetime) -> Manifest:
    """Write the bundle of the transcripts ``paths`` into ``out``; its manifest.

    Each file is read once, as it is now (a session still running is taken as
    far as it went); ``TranscriptError`` when one cannot be read.
    """
    entries: list[FileEntry] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(paths, key=lambda p: p.name):
            data = read_bytes(path)
            entries.append(FileEntry.of(path.name, data, _checked(path, data)))
            archive.writestr(_member(FOLDER + path.name), data)
        manifest = Manifest(now.isoformat(timespec="seconds"), machine, tuple(entries))
        archive.writestr(_member(MANIFEST), manifest.to_json())
    return manifest


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_MEMBER_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


# --- importing -----------------------------------------------------------------------------


@dataclass(slots=True)
class ImportReport:
    """What an import did, file by file."""

    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    """Already here, byte for byte: skipped."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(file name, why), in the user's language."""
    ignored: list[str] = field(default_factory=list)
    """Syncthing conflict copies and temporary files of a directory: never sessions."""


@dataclass(frozen=True, slots=True)
class _Checked:
    """What the import keeps of a file once read (never its bytes: 10,000 of them)."""

    name: str
    problem: str | None
    """Why it is refused already (the manifest, the chain, its name)."""
    sha256: str = ""
    link: Link | None = None
    hashes: tuple[str, ...] = ()


def import_sessions(store: Store, source: Path) -> ImportReport:
    """Import the transcripts of the bundle or directory ``source`` into ``store``.

    ``BundleError`` when ``source`` cannot be read as a bundle or a directory at all.
    """
    report = ImportReport()
    store.ensure()
    with _open_source(source) as files:
        report.ignored.extend(files.ignored)
        # First every file is checked alone, then against the others (an épreuve's
        # links) and what is here; the bytes are read again for the ones added.
        checked = [_check(store, name, files) for name in files.names]
        at_hand = {c.name: c.hashes for c in checked if c.problem is None}
        added = False
        for c in checked:
            problem = c.problem or _link_problem(store, c.link, at_hand)
            if problem is None:
                problem, status = _place(store, c, files)
            if problem is not None:
                report.refused.append((c.name, problem))
            elif status == "added":
                report.added.append(c.name)
                added = True
            else:
                report.present.append(c.name)
    if added:
        fsync_dir(store.root)
    return report


def _check(store: Store, name: str, files: _Source) -> _Checked:
    try:
        data = files.read(name)
    except _Refused as exc:
        return _Checked(name, str(exc))
    transcript = _checked(store.root / name, data)
    if transcript.integrity is not Integrity.INTACT:
        problem = transcript.problems[0] if transcript.problems else str(transcript.integrity)
        return _Checked(name, t("bundle.damaged", problem=problem))
    if is_day_name(name):  # a commission's day: whole, named by its own id
        return _Checked(name, None, sha256=hashlib.sha256(data).hexdigest())
    created = transcript.created
    assert created is not None  # an intact transcript starts with its creation
    session_id = str(created.data.get("id", ""))
    if name != f"{session_id}{SUFFIX}":
        return _Checked(name, t("bundle.wrong_name", id=session_id))
    return _Checked(
        name,
        None,
        sha256=hashlib.sha256(data).hexdigest(),
        link=Link.from_data(created.data.get("link")),
        hashes=tuple(transcript.hashes),
    )


def _checked(path: Path, data: bytes) -> Transcript:
    """The checks of the reader, with a day's own header and first event for a day."""
    if is_day_name(path.name):
        from ndrc_oral.session.day import DayKind
        from ndrc_oral.transcript.day_log import DAY_HEADERS

        return check_bytes(path, data, headers=DAY_HEADERS, first=DayKind.OPENED)
    return check_bytes(path, data)


def _place(store: Store, c: _Checked, files: _Source) -> tuple[str | None, str]:
    """Add the file unless the same is here: (why refused, ``added`` or ``present``)."""
    target = store.root / c.name
    if target.exists() or target.is_symlink():
        return _differs(target, c.sha256, files, c.name), "present"
    data = files.read(c.name)
    try:
        os.close(create_new(target, data))
    except FileExistsError:
        # Made meanwhile (the same session, carried in by Syncthing?): compared again.
        return _differs(target, c.sha256, files, c.name), "present"
    except (OSError, NdrcError) as exc:
        why = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        return t("bundle.cannot_write", why=why), ""
    return None, "added"


def _differs(target: Path, sha256: str, files: _Source, name: str) -> str | None:
    """Why the file already at ``target`` stops the import (``None``: the same bytes)."""
    try:
        here = read_bytes(target)
    except TranscriptError as exc:
        return t("bundle.present_unreadable", why=exc)
    if hashlib.sha256(here).hexdigest() == sha256:
        return None
    if files.read(name).startswith(here):
        return t("bundle.present_earlier")
    return t("bundle.present_differs")


def _link_problem(
    store: Store, link: Link | None, at_hand: dict[str, tuple[str, ...]]
) -> str | None:
    """An épreuve's situation before, if at hand (the import or here): still what it saw?"""
    if link is None:
        return None
    name = f"{link.session}{SUFFIX}"
    hashes = at_hand.get(name)
    if hashes is None:
        path = store.root / name
        if not path.is_file():
            return None  # not at hand: checked when both ends meet (logs verify)
        try:
            hashes = tuple(read_transcript(path).hashes)
        except TranscriptError as exc:
            return t("bundle.link", problem=exc)
    if len(hashes) < link.events:
        cut = t("epreuve.cut", id=link.session, found=len(hashes), expected=link.events)
        return t("bundle.link", problem=cut)
    if link.events == 0 or hashes[link.events - 1] != link.hash:
        changed = t("epreuve.changed", id=link.session, seq=link.events - 1)
        return t("bundle.link", problem=changed)
    return None


class _Refused(Exception):
    """A file of the source refused before its content is read (the reason, translated)."""


class _Source(abc.ABC):
    """The transcripts of a bundle or a directory, checked against its manifest if any."""

    def __init__(self, names: list[str], manifest: Manifest | None, ignored: list[str]) -> None:
        self.manifest = manifest
        self.listed = {f.name: f for f in manifest.files} if manifest is not None else {}
        self.names = sorted(set(names) | set(self.listed))
        self.ignored = ignored

    @abc.abstractmethod
    def raw(self, name: str) -> bytes:
        """The file's bytes as they are in the source (``_Refused`` when it cannot be read)."""

    def read(self, name: str) -> bytes:
        """The file's bytes, as its manifest describes them (``_Refused`` otherwise)."""
        if not _safe_name(name):
            raise _Refused(t("bundle.not_transcript"))
        data = self.raw(name)
        if self.manifest is not None:
            entry = self.listed.get(name)
            if entry is None:
                raise _Refused(t("bundle.not_in_manifest"))
            if len(data) != entry.size or hashlib.sha256(data).hexdigest() != entry.sha256:
                raise _Refused(t("bundle.manifest_mismatch", size=len(data), expected=entry.size))
        return data


class _Archive(_Source):
    def __init__(self, archive: zipfile.ZipFile, manifest: Manifest) -> None:
        self.archive = archive
        self.members = {
            info.filename[len(FOLDER) :]: info
            for info in archive.infolist()
            if info.filename.startswith(FOLDER) and not info.is_dir()
        }
        super().__init__(list(self.members), manifest, [])

    def raw(self, name: str) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise _Refused(t("bundle.missing"))
        try:
            return self.archive.read(info)
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise _Refused(t("bundle.member_unreadable", why=exc)) from None


class _Folder(_Source):
    def __init__(self, folder: Path, manifest: Manifest | None) -> None:
        self.folder = folder
        try:
            found = sorted(e.name for e in os.scandir(folder) if e.is_file())
        except OSError as exc:
            why = describe_os_error(exc)
            raise BundleError(t("bundle.unreadable", path=folder, why=why)) from None
        names = [n for n in found if is_transcript_name(n) or is_day_name(n)]
        super().__init__(names, manifest, [n for n in found if sync_leftover(n)])

    def raw(self, name: str) -> bytes:
        path = self.folder / name
        if not path.is_file():
            raise _Refused(t("bundle.missing"))
        try:
            return read_bytes(path)
        except TranscriptError as exc:
            raise _Refused(str(exc)) from None


@contextlib.contextmanager
def _open_source(source: Path) -> Iterator[_Source]:
    if source.is_dir():
        manifest_path = source / MANIFEST
        manifest = None
        if manifest_path.is_file():  # an unpacked bundle
            try:
                manifest = Manifest.from_json(manifest_path.read_bytes(), str(manifest_path))
            except OSError as exc:
                why = describe_os_error(exc)
                raise BundleError(t("bundle.unreadable", path=manifest_path, why=why)) from None
            if (source / FOLDER).is_dir():
                source = source / FOLDER
        yield _Folder(source, manifest)
        return
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        why = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        raise BundleError(t("bundle.unreadable", path=source, why=why)) from None
    with archive:
        try:
            manifest = Manifest.from_json(archive.read(MANIFEST), str(source))
        except KeyError:
            raise BundleError(t("bundle.no_manifest", path=source)) from None
        except (OSError, zipfile.BadZipFile, ValueError) as exc:
            raise BundleError(t("bundle.unreadable", path=source, why=exc)) from None
        yield _Archive(archive, manifest)


def _safe_name(name: str) -> bool:
    """A plain transcript's or day's name: no folder, nothing hidden (an archive could say
    ``../x``)."""
    plain = is_transcript_name(name) or is_day_name(name)
    return "/" not in name and "\\" not in name and plain

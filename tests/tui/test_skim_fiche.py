"""A session without its notes: the fiche from the cached checked read, the preview.

What the fiche prints (its fingerprint included) must come from one checked
read of the file: from the cache when that exact file state was checked
(name, size, mtime_ns, the last hash in its last 4 KiB), else from the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.transcript import skim
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.exports import render
from ndrc_oral.transcript.recorder import load_session

from .review_sessions import live_e6


@pytest.fixture
def ada(store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ada's E6 (notes, a pause, a mark), remembered though it is small."""
    monkeypatch.setattr(skim, "REMEMBER_FROM", 1)
    return live_e6(store, catalog)


class Reads:
    """Counts the transcript files read in full (``read_bytes``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = skim.read_bytes

        def counted(path: Path) -> bytes:
            self.count += 1
            return real(path)

        monkeypatch.setattr(skim, "read_bytes", counted)


def same_time(path: Path, data: bytes) -> None:
    """Write ``data`` over the file, keeping its size and its mtime to the nanosecond."""
    before = os.stat(path)
    assert len(data) == before.st_size
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_the_fiche_of_a_checked_file_comes_from_the_cache_without_reading_it(
    ada: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = skim.checked_session(ada)  # what the review's check or a first fiche does
    expected = render(full, "pdf-fiche")
    reads = Reads(monkeypatch)
    kept = skim.fiche_session(ada)
    assert reads.count == 0
    assert not any(e.kind == "note" for e in kept.events[:-1])  # its notes left out
    assert kept.transcript.count == full.transcript.count  # the fiche says the file's count
    assert kept.transcript.fingerprint == full.transcript.fingerprint
    assert render(kept, "pdf-fiche") == expected  # the sheet says nothing different


def test_the_fiche_of_a_file_never_checked_reads_it_and_remembers(
    ada: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = Reads(monkeypatch)
    first = render(skim.fiche_session(ada), "pdf-fiche")
    assert reads.count == 1
    assert render(skim.fiche_session(ada), "pdf-fiche") == first
    assert reads.count == 1
    assert first == render(load_session(ada), "pdf-fiche")


def test_a_file_edited_with_its_size_and_mtime_kept_but_its_last_hash_changed_is_read_again(
    ada: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    skim.checked_session(ada)
    data = ada.read_bytes()
    seal = data.rindex(b"# sealed ") + len(b"# sealed ")
    digit = b"0" if data[seal : seal + 1] != b"0" else b"1"
    same_time(ada, data[:seal] + digit + data[seal + 1 :])  # a re-chained edit ends so
    reads = Reads(monkeypatch)
    again = skim.fiche_session(ada)
    assert reads.count == 1
    assert again.transcript.integrity == "damaged"  # from the file, as it is now
    assert render(again, "pdf-fiche") == render(load_session(ada), "pdf-fiche")


def test_an_edit_the_key_cannot_see_still_prints_the_checked_chain_and_its_content(
    ada: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A note's text changed deep in the file, same size, mtime put back by hand: the
    # key cannot tell. The sheet is then the checked read's, content and fingerprint
    # together, never the edited file's words beside the checked chain's fingerprint.
    checked = render(skim.checked_session(ada), "pdf-fiche")
    data = ada.read_bytes()
    same_time(
        ada, data.replace("Hésite sur la sélection".encode(), "Hésite sur la Sélection".encode())
    )
    reads = Reads(monkeypatch)
    assert render(skim.fiche_session(ada), "pdf-fiche") == checked
    assert reads.count == 0
    assert load_session(ada).transcript.integrity == "damaged"  # verify still reads it


def test_a_small_session_is_not_kept(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = live_e6(store, catalog)
    assert skim.checked_session(path).transcript.count < skim.REMEMBER_FROM
    reads = Reads(monkeypatch)
    skim.fiche_session(path)
    assert reads.count == 1  # read again: a small file's full read is cheap


def test_the_preview_leaves_the_notes_out_and_gives_up_on_an_event_seen_damaged(
    store: Store, catalog: Catalog
) -> None:
    path = live_e6(store, catalog)
    full = load_session(path)
    read = skim.Skim.read(path)
    preview = read.preview() if read is not None else None
    assert preview is not None
    assert [e for e in full.events if e.kind != "note"] == [
        e for e in preview.events if e.kind != "note"
    ]
    assert preview.state.last_t == full.state.last_t
    assert preview.state.phases == full.state.phases
    data = path.read_bytes()
    same_time(path, data.replace(b'name = "Ada Lovelace"', b'name = "Ada Lovelacf"', 1))
    assert path.read_bytes() != data
    read = skim.Skim.read(path)
    assert read is not None and read.preview() is None
    assert read.preview(all_notes=True) is None and read.preview(first_notes=1) is None

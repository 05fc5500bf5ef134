"""What every set of transcripts made by an earlier version must still allow (v1, v2...).

Each set is a directory of files with an ``expected.json`` (``id``,
``integrity``, ``events``, ``last_hash`` per file). These helpers run the
checks every set shares; each set's test module adds its own values.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Integrity, Store, read_transcript, resume_session

TORN = "e5-torn-tail"
"""The file of every set whose last event is cut in half (not loadable as it is)."""


def resumed_kinds(source: Path, session_id: str, tmp_path: Path) -> tuple[Integrity, list[str]]:
    """Copy ``source`` into a fresh data directory, resume it, add a note: the file's
    integrity then, and the kinds of all its events."""
    store = Store(tmp_path / "data")
    store.ensure()
    shutil.copyfile(source, store.path_for(session_id))
    live = resume_session(store, session_id, FakeClock())
    try:
        live.session.note("après la reprise")
    finally:
        live.close()
    again = read_transcript(store.path_for(session_id))
    return again.integrity, [e.kind for e in again.events]


def through_the_cli(
    directory: Path,
    expected: dict[str, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *,
    left_out: frozenset[str] = frozenset({TORN}),
) -> tuple[Path, str]:
    """A data directory of the set's files (the damaged ones, ``left_out``, aside): ``logs
    verify``, ``show`` and ``export --format json`` pass on each. The directory, and what
    ``logs list`` printed."""
    from ndrc_oral.cli import main

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    for name, values in expected.items():
        if name not in left_out:
            shutil.copyfile(directory / f"{name}.toml", data / f"{values['id']}.toml")
    assert main(["logs", "list", "--data-dir", str(data)]) == 0
    listed = capsys.readouterr().out
    for name, values in expected.items():
        if name in left_out:
            continue
        args = ["--data-dir", str(data), values["id"]]
        assert main(["logs", "verify", *args]) == 0
        assert main(["logs", "show", *args]) == 0
        capsys.readouterr()
        assert main(["logs", "export", *args, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["id"] == values["id"]
    return data, listed


def exports_pdfs(data: Path, session_id: str, tmp_path: Path) -> None:
    """The fiche and the grille of ``session_id`` are written, as PDFs."""
    from ndrc_oral.cli import main

    for kind in ("pdf-fiche", "pdf-grille"):
        target = tmp_path / f"{kind}.pdf"
        args = ["logs", "export", "--data-dir", str(data), session_id, "--format", kind]
        assert main([*args, "-o", str(target)]) == 0
        assert target.read_bytes().startswith(b"%PDF")

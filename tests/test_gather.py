"""A centre of many rooms: bundles made in three rooms, imported into a fourth (issue 14).

Each room's sessions are made by the engine (``rooms.make_room``); the bundles
go through the real command line (``main``). What the centre's data
directory holds before an import is never changed by it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from rooms import make_room
from test_epreuve import _rewrite, day, situation, situation_a

from ndrc_oral.cli import main
from ndrc_oral.exams import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, read_transcript, resume_session
from ndrc_oral.transcript.bundle import MANIFEST

Capture = pytest.CaptureFixture[str]
ROOMS = (1, 2, 3)
PER_ROOM = 30


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Path]]:
    """Three rooms' data directories of 30 sessions each (made once, copied by each test)."""
    base = tmp_path_factory.mktemp("rooms")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NDRC_ORAL_CACHE_DIR", str(base / "cache"))
        yield {room: _made(base / f"room{room}", room) for room in ROOMS}


def _made(root: Path, room: int) -> Path:
    make_room(root, room, PER_ROOM)
    return root


@pytest.fixture
def copies(rooms: dict[int, Path], tmp_path: Path) -> dict[int, Path]:
    """This test's own copy of each room (a test may damage one)."""
    return {
        room: Path(shutil.copytree(path, tmp_path / f"room{room}")) for room, path in rooms.items()
    }


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def bundle(capsys: Capture, room: Path, target: Path) -> Path:
    code, out, _ = run(capsys, "logs", "bundle", "--data-dir", str(room), "-o", str(target))
    assert code == 0, out
    return target


def state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file of a data directory: its sha256 and mtime (what "never changed" means)."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.iterdir())
    }


def refused(out: str) -> dict[str, str]:
    """File name -> reason, from the lines of an import's refusals."""
    found = {}
    for line in out.splitlines():
        if line.startswith("REFUSÉ "):
            name, _, why = line.removeprefix("REFUSÉ ").partition(" : ")
            found[name] = why
    return found


def test_three_rooms_gathered_in_a_fourth_give_90_sessions_and_a_second_import_adds_none(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    centre = tmp_path / "centre"
    bundles = [bundle(capsys, copies[r], tmp_path / f"salle{r}.zip") for r in ROOMS]
    for b in bundles:
        code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(b))
        assert code == 0
        assert out.strip().endswith("30 ajoutée(s), 0 déjà présente(s), 0 refusée(s).")
    code, out, _ = run(capsys, "logs", "list", "--json", "--data-dir", str(centre))
    listed = json.loads(out)
    assert len(listed) == 90
    assert {s["machine"] for s in listed} == {"salle-1", "salle-2", "salle-3"}
    # Only what is worth carrying: the transcripts, no cache, no heartbeat.
    assert sorted(p.name for p in centre.iterdir()) == sorted(f"{s['id']}.toml" for s in listed)
    before = state(centre)
    for b in bundles:
        code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(b))
        assert code == 0
        assert out.strip().endswith("0 ajoutée(s), 30 déjà présente(s), 0 refusée(s).")
    assert state(centre) == before
    code, out, _ = run(capsys, "logs", "list", "--data-dir", str(centre))
    assert "salle-2" in out and "90 session(s)." in out


def test_an_edited_and_a_truncated_file_are_named_with_their_reason_the_other_88_import(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    edited = sorted(copies[1].glob("*.toml"))[3]
    text = edited.read_text(encoding="utf-8")
    assert 'candidate = "Candidat 1-3"' not in text  # names are in a table
    edited.write_text(text.replace('name = "Candidat 1-3"', 'name = "Candidat 1-9"'), "utf-8")
    truncated = sorted(copies[2].glob("*.toml"))[5]
    truncated.write_bytes(truncated.read_bytes()[:-60])
    centre = tmp_path / "centre"
    outs = []
    for r in ROOMS:
        b = bundle(capsys, copies[r], tmp_path / f"salle{r}.zip")
        outs.append(run(capsys, "logs", "import", "--data-dir", str(centre), str(b)))
    codes = [code for code, _, _ in outs]
    assert codes == [1, 1, 0]  # a room with a refusal says so in its exit code
    reasons = {**refused(outs[0][1]), **refused(outs[1][1])}
    assert set(reasons) == {edited.name, truncated.name}
    assert "endommagé" in reasons[edited.name] and "événement" in reasons[edited.name]
    assert "endommagé" in reasons[truncated.name]
    assert outs[0][1].strip().endswith("29 ajoutée(s), 0 déjà présente(s), 1 refusée(s).")
    assert len(list(centre.glob("*.toml"))) == 88
    assert not (centre / edited.name).exists() and not (centre / truncated.name).exists()


def test_a_same_id_different_file_is_refused_and_nothing_here_changes(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    centre = tmp_path / "centre"
    first = bundle(capsys, copies[1], tmp_path / "matin.zip")
    assert run(capsys, "logs", "import", "--data-dir", str(centre), str(first))[0] == 0
    before = state(centre)
    # The session goes on in its room after the first bundle (a note added): the
    # centre's copy is an earlier state of it.
    later = sorted(copies[1].glob("*.toml"))[0]
    live = resume_session(Store(copies[1]), later.stem, FakeClock())
    live.session.note("ajoutée après le premier envoi")
    live.close()
    # And another session of that id, made elsewhere: same name, other content.
    other = sorted(copies[1].glob("*.toml"))[1]
    other.write_bytes(sorted(copies[2].glob("*.toml"))[1].read_bytes())
    again = bundle(capsys, copies[1], tmp_path / "soir.zip")
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(again))
    assert code == 1
    reasons = refused(out)
    assert "état antérieur" in reasons[later.name]
    assert "nom du fichier n'est pas celui de sa session" in reasons[other.name]
    assert out.strip().endswith("0 ajoutée(s), 28 déjà présente(s), 2 refusée(s).")
    assert state(centre) == before


def test_a_different_session_under_an_id_already_here_is_refused(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    # The centre holds the longer one; the bundle carries another content of that id.
    centre = tmp_path / "centre"
    centre.mkdir(mode=0o700)
    target = sorted(copies[1].glob("*.toml"))[0]
    shutil.copy2(target, centre / target.name)
    live = resume_session(Store(centre), target.stem, FakeClock())
    live.session.note("faite au centre")
    live.close()
    before = state(centre)
    b = bundle(capsys, copies[1], tmp_path / "salle1.zip")
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(b))
    assert code == 1
    assert refused(out) == {target.name: "une session de même identifiant, différente, est déjà là"}
    after = state(centre)
    assert {name: after[name] for name in before} == before  # what was here is unchanged
    assert len(after) == PER_ROOM  # and the 29 others were added


def test_a_bundle_that_does_not_match_its_manifest_is_refused_file_by_file(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    made = bundle(capsys, copies[1], tmp_path / "salle1.zip")
    names = sorted(p.name for p in copies[1].glob("*.toml"))
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(forged, "w") as dst:
        manifest = json.loads(src.read(MANIFEST))
        manifest["files"] = [f for f in manifest["files"] if f["name"] != names[2]]
        manifest["files"].append({**manifest["files"][0], "name": "20270101-000000-abcdef.toml"})
        for info in src.infolist():
            data = src.read(info)
            if info.filename == f"transcripts/{names[0]}":
                data = (
                    copies[2] / sorted(p.name for p in copies[2].glob("*.toml"))[0]
                ).read_bytes()
            if info.filename != MANIFEST:
                dst.writestr(info, data)
        dst.writestr(MANIFEST, json.dumps(manifest))
    centre = tmp_path / "centre"
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(forged))
    assert code == 1
    reasons = refused(out)
    assert "ne correspond pas au manifeste" in reasons[names[0]]
    assert reasons[names[2]] == "absent du manifeste"
    assert reasons["20270101-000000-abcdef.toml"] == "annoncé par le manifeste, absent de l'archive"
    assert len(list(centre.glob("*.toml"))) == PER_ROOM - 2


def test_the_manifest_says_what_each_file_is(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    made = bundle(capsys, copies[3], tmp_path / "salle3.zip")
    with zipfile.ZipFile(made) as archive:
        members = archive.namelist()
        manifest = json.loads(archive.read(MANIFEST))
        data = {
            name: archive.read(f"transcripts/{name}")
            for name in (f["name"] for f in manifest["files"])
        }
    files = sorted(p.name for p in copies[3].glob("*.toml"))
    assert members == [f"transcripts/{n}" for n in files] + [MANIFEST]  # in order, manifest last
    assert manifest["format"] == "ndrc-oral bundle 1"
    assert manifest["created_at"] and manifest["machine"]
    first = manifest["files"][0]
    transcript = read_transcript(copies[3] / files[0])
    assert first == {
        "name": files[0],
        "size": (copies[3] / files[0]).stat().st_size,
        "sha256": hashlib.sha256(data[files[0]]).hexdigest(),
        "session_id": files[0].removesuffix(".toml"),
        "events": len(transcript.events),
        "last_hash": transcript.last_hash,
    }
    assert data[files[0]] == (copies[3] / files[0]).read_bytes()


def test_a_directory_imports_too_and_syncthing_leftovers_are_ignored_with_a_warning(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    key = copies[2]  # a USB key holding a copy of a room's data directory
    first = sorted(key.glob("*.toml"))[0]
    conflict = key / f"{first.stem}.sync-conflict-20270602-101010-ABCDEFG.toml"
    shutil.copy2(first, conflict)
    (key / f".syncthing.{first.name}.tmp").write_bytes(b"partial")
    centre = tmp_path / "centre"
    code, out, err = run(capsys, "logs", "import", "--data-dir", str(centre), str(key))
    assert code == 0
    assert out.strip().endswith("30 ajoutée(s), 0 déjà présente(s), 0 refusée(s).")
    assert conflict.name in err and "Syncthing" in err
    assert not (centre / conflict.name).exists()


def test_an_epreuve_whose_first_situation_was_rewritten_is_refused_when_both_ends_are_at_hand(
    store: Store, catalog: Catalog, tmp_path: Path, capsys: Capture
) -> None:
    a = situation_a(store, catalog)
    b = situation(store, catalog, day(3, 2))
    b.session.finish()
    b.close()
    # A rewritten after B was created, every hash recomputed: whole alone, not what B saw.
    _rewrite(a.path, "Expérience bien située", "Expérience remarquable")
    made = bundle(capsys, store.root, tmp_path / "ccf.zip")
    centre = tmp_path / "centre"
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(made))
    assert code == 1
    reasons = refused(out)
    assert set(reasons) == {b.path.name}
    assert reasons[b.path.name].startswith("épreuve : ") and "modifiée" in reasons[b.path.name]


def test_bundle_writes_only_over_a_regular_file(
    copies: dict[int, Path], tmp_path: Path, capsys: Capture
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "logs", "bundle", "--data-dir", str(copies[1]), "-o", str(fifo))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert fifo.exists() and not fifo.is_file()
    code, _, err = run(capsys, "logs", "bundle", "--data-dir", str(copies[1]), "-o", str(tmp_path))
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_importing_what_is_no_bundle_is_one_clear_line(tmp_path: Path, capsys: Capture) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    code, _, err = run(capsys, "logs", "import", "--data-dir", str(tmp_path / "c"), str(junk))
    assert code == 1 and len(err.strip().splitlines()) == 1 and "junk.zip" in err
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("x.txt", "x")
    code, _, err = run(capsys, "logs", "import", "--data-dir", str(tmp_path / "c"), str(empty))
    assert code == 1 and "manifest.json" in err


def test_a_commissions_day_travels_in_the_bundle_and_is_checked_on_import(
    tmp_path: Path, catalog: Catalog, capsys: Capture
) -> None:
    from ndrc_oral.exam_room.day import open_room
    from ndrc_oral.exam_room.roster import read_roster
    from ndrc_oral.transcript.day_log import read_day
    from tests.day.roster_files import e4_rows, write_csv

    room = tmp_path / "salle"
    roster = write_csv(tmp_path / "liste.csv", e4_rows(3))
    day = open_room(
        Store(room), catalog, FakeClock(), roster.name, read_roster(roster, catalog.ids())
    )
    day_file = day.log.path
    make_room(room, 5, 2)
    made = bundle(capsys, room, tmp_path / "salle.zip")
    with zipfile.ZipFile(made) as archive:
        assert f"transcripts/{day_file.name}" in archive.namelist()
    centre = tmp_path / "centre"
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(centre), str(made))
    assert code == 0
    assert out.strip().endswith("3 ajoutée(s), 0 déjà présente(s), 0 refusée(s).")
    assert read_day(centre / day_file.name).state.day_id == read_day(day_file).state.day_id
    # A day edited by hand is refused with its reason, as a transcript is.
    text = day_file.read_text(encoding="utf-8")
    day_file.write_text(text.replace("NOM02", "NOM09", 1), encoding="utf-8")
    assert day_file.read_text(encoding="utf-8") != text
    again = bundle(capsys, room, tmp_path / "salle2.zip")
    other = tmp_path / "centre2"
    code, out, _ = run(capsys, "logs", "import", "--data-dir", str(other), str(again))
    assert code == 1
    assert "endommagé" in refused(out)[day_file.name]

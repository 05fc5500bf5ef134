"""``ndrc-oral logs list|show|export|verify``: exit codes and what the user reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from test_logs_support import Plan, chunks, drive, write_chunks

from ndrc_oral.cli import main
from ndrc_oral.transcript import Store

Capture = pytest.CaptureFixture[str]


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(err: str) -> None:
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- list -----------------------------------------------------------------------------------


def test_list_shows_a_table_with_damaged_and_torn_sessions_flagged(
    store: Store, capsys: Capture
) -> None:
    ok = drive(store, Plan(candidate="Zoé Intacte"))
    torn = drive(store, Plan(candidate="Théo Tronqué"))
    edited = drive(store, Plan(candidate="Éva Éditée"))
    header, parts = chunks(torn.path)
    write_chunks(torn.path, header, [*parts[:-1], parts[-1][:40]])
    header, parts = chunks(edited.path)
    write_chunks(edited.path, header, [p.replace("alarme", "alarmé") for p in parts])
    code, out, _ = run(capsys, "logs", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["SESSION", "DATE", "ÉPREUVE"]
    row = {name: next(line for line in lines if name in line) for name in ("Zoé", "Théo", "Éva")}
    assert ok.session_id in row["Zoé"] and "13,5 / 20" in row["Zoé"] and "terminée" in row["Zoé"]
    assert "dernière écriture tronquée" in row["Théo"]
    assert "ENDOMMAGÉE" in row["Éva"]
    assert "3 session(s)." in out and "1 endommagée(s)" in out


def test_list_json_and_filters(store: Store, capsys: Capture) -> None:
    drive(store, Plan(candidate="Zoé", day=2))
    drive(store, Plan(candidate="Marc", day=3, mode="rehearsal"))
    code, out, _ = run(capsys, "logs", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["candidate_name"] for r in rows] == ["Zoé", "Marc"]
    assert rows[0]["integrity"] == "intact" and rows[0]["mark"] == 13.5
    code, out, _ = run(capsys, "logs", "list", "--json", "--text", "zoe")
    assert [r["candidate_name"] for r in json.loads(out)] == ["Zoé"]
    code, out, _ = run(capsys, "logs", "list", "--json", "--until", "2026-06-02")
    assert [r["candidate_name"] for r in json.loads(out)] == ["Zoé"]
    code, out, _ = run(capsys, "logs", "list", "--json", "--mode", "rehearsal", "--exam", "E6")
    assert [r["candidate_name"] for r in json.loads(out)] == ["Marc"]
    code, out, _ = run(capsys, "logs", "list", "--text", "personne")
    assert code == 0 and "Aucune session" in out


def test_list_says_when_it_read_on_one_core_for_want_of_workers(
    store: Store, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ndrc_oral.transcript import index

    def no_workers(root: Path, names: list[str]) -> object:
        raise OSError("no more processes")

    drive(store)
    drive(store, Plan(candidate="Autre"))
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(index, "_summarize_parallel", no_workers)
    code, out, err = run(capsys, "logs", "list")
    assert code == 0 and "Autre" in out
    assert "un seul cœur" in err and "OSError: no more processes" in err


def test_list_of_an_empty_data_dir(capsys: Capture) -> None:
    code, out, _ = run(capsys, "logs", "list")
    assert code == 0 and "Aucune session" in out


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_a_bad_date_is_one_line_and_exit_2(option: str, capsys: Capture) -> None:
    code, out, err = run(capsys, "logs", "list", option, "31/02/2026")
    assert code == 2 and out == ""
    _one_line_error(err)
    assert "31/02/2026" in err and "AAAA-MM-JJ" in err and "JJ/MM/AAAA" in err


def test_a_french_date_is_understood(capsys: Capture) -> None:
    code, out, _ = run(capsys, "logs", "list", "--since", "02/06/2026")
    assert code == 0 and "Aucune session" in out


# --- show -----------------------------------------------------------------------------------


def test_show_by_prefix(store: Store, capsys: Capture) -> None:
    live = drive(store)
    code, out, _ = run(capsys, "logs", "show", live.session_id[:18])
    assert code == 0
    assert out.startswith("# Procès-verbal")
    assert "Zoé Lefèvre-Œuvray" in out and "alarme incendie" in out


def test_show_in_english(store: Store, capsys: Capture) -> None:
    live = drive(store)
    code, out, _ = run(capsys, "logs", "show", live.session_id, "--lang", "en")
    assert code == 0 and out.startswith("# Session transcript")


def test_show_a_damaged_file_warns_then_shows_what_could_be_read(
    store: Store, capsys: Capture
) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    parts[4] = parts[4].replace('"resumed"', '"paused"')
    write_chunks(live.path, header, parts)
    code, out, _ = run(capsys, "logs", "show", live.session_id)
    assert code == 0
    warning = out.splitlines()[2]
    assert "ENDOMMAGÉ" in warning and "événement 4" in warning
    assert "Accroche" in out  # the note before the damage is shown
    assert "Général" not in out  # the one after it is not trusted


@pytest.mark.parametrize("target", ["nope", "/no/such/file.toml"])
def test_show_an_unknown_session_is_one_line_exit_1(target: str, capsys: Capture) -> None:
    code, out, err = run(capsys, "logs", "show", target)
    assert code == 1 and out == ""
    _one_line_error(err)


def test_show_a_file_that_is_not_a_transcript(tmp_path: Path, capsys: Capture) -> None:
    bad = tmp_path / "x.toml"
    bad.write_text("title = 'not ours'\n", encoding="utf-8")
    code, _, err = run(capsys, "logs", "show", str(bad))
    assert code == 1
    _one_line_error(err)


def test_an_ambiguous_prefix_is_one_line_exit_1(store: Store, capsys: Capture) -> None:
    drive(store)
    drive(store)
    code, _, err = run(capsys, "logs", "show", "2026")
    assert code == 1
    _one_line_error(err)
    assert "2" in err


# --- export ---------------------------------------------------------------------------------


def test_export_json_and_md_go_to_stdout(store: Store, capsys: Capture) -> None:
    live = drive(store)
    code, out, _ = run(capsys, "logs", "export", live.session_id, "--format", "json")
    assert code == 0 and json.loads(out)["candidate"]["name"] == "Zoé Lefèvre-Œuvray"
    code, out, _ = run(capsys, "logs", "export", live.session_id, "--format", "md")
    assert code == 0 and out.startswith("# Procès-verbal")


def test_export_to_a_file_atomically_and_says_when_it_replaces(
    store: Store, tmp_path: Path, capsys: Capture
) -> None:
    live = drive(store)
    target = tmp_path / "pv.md"
    code, out, _ = run(
        capsys, "logs", "export", live.session_id, "--format", "md", "-o", str(target)
    )
    assert code == 0 and str(target) in out and "remplacé" not in out
    assert target.read_text(encoding="utf-8").startswith("# Procès-verbal")
    assert (target.stat().st_mode & 0o777) == 0o600
    code, out, _ = run(
        capsys, "logs", "export", live.session_id, "--format", "md", "-o", str(target)
    )
    assert code == 0 and "remplacé" in out
    assert [p.name for p in tmp_path.iterdir()] == ["pv.md"]  # no temporary file left


def test_export_pdf_without_o_writes_in_the_current_directory(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    live = drive(store)
    monkeypatch.chdir(tmp_path)
    # Named as the review names them: the candidate, the exam, the day and time.
    stem = f"Zoé-Lefèvre-Œuvray_e6-ccf-a_2026-06-02_{live.session_id[9:13]}"
    for fmt, suffix in (("pdf-fiche", "-fiche.pdf"), ("pdf-grille", "-grille.pdf")):
        code, out, _ = run(capsys, "logs", "export", live.session_id, "--format", fmt)
        expected = tmp_path / f"{stem}{suffix}"
        assert code == 0 and str(expected) in out
        assert expected.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--format", "json"], 2),  # an ID is needed
        (["--format", "pdf-fiche"], 2),
        (["ID", "--format", "md", "--exam", "e6-ccf-a"], 2),  # filters are for csv
        (["--format", "csv", "--since", "hier"], 2),
        (["unknown", "--format", "json"], 1),
    ],
)
def test_export_usage_errors_are_one_line(
    store: Store, capsys: Capture, args: list[str], code: int
) -> None:
    live = drive(store)
    args = [live.session_id if a == "ID" else a for a in args]
    got, out, err = run(capsys, "logs", "export", *args)
    assert got == code and out == ""
    _one_line_error(err)


def test_export_to_a_directory_or_a_missing_one_is_one_line(
    store: Store, tmp_path: Path, capsys: Capture
) -> None:
    live = drive(store)
    for target in (tmp_path, tmp_path / "missing" / "pv.pdf"):
        code, _, err = run(
            capsys, "logs", "export", live.session_id, "--format", "pdf-fiche", "-o", str(target)
        )
        assert code == 1
        _one_line_error(err)


# --- verify ---------------------------------------------------------------------------------


def test_verify_an_intact_transcript(store: Store, capsys: Capture) -> None:
    live = drive(store)
    code, out, _ = run(capsys, "logs", "verify", live.session_id)
    assert code == 0 and "intact" in out
    code, out, _ = run(capsys, "logs", "verify", str(live.path))
    assert code == 0 and "intact" in out


def test_verify_says_when_an_intact_session_is_not_finished(store: Store, capsys: Capture) -> None:
    live = drive(store, Plan(finish=False))
    code, out, _ = run(capsys, "logs", "verify", live.session_id)
    assert code == 0 and "pas terminée" in out


def _edit(parts: list[str]) -> list[str]:
    parts[2] = parts[2].replace("Accroche", "Accroché")
    return parts


def _reorder(parts: list[str]) -> list[str]:
    parts[2], parts[3] = parts[3], parts[2]
    return parts


def _remove(parts: list[str]) -> list[str]:
    del parts[3]
    return parts


def _half_written(parts: list[str]) -> list[str]:
    parts[-1] = parts[-1][: len(parts[-1]) // 2]
    return parts


def _cut_in_the_middle(parts: list[str]) -> list[str]:
    return [*parts[:5], parts[5][:30]]


@pytest.mark.parametrize(
    ("damage", "seq", "verdict"),
    [
        (_edit, 2, "ENDOMMAGÉ"),
        (_reorder, 2, "ENDOMMAGÉ"),
        (_remove, 3, "ENDOMMAGÉ"),
        (_half_written, -1, "DERNIÈRE ÉCRITURE TRONQUÉE"),
        (_cut_in_the_middle, 5, "DERNIÈRE ÉCRITURE TRONQUÉE"),
    ],
    ids=["edited", "reordered", "removed", "half-written", "truncated"],
)
def test_verify_names_the_first_bad_event(
    store: Store,
    capsys: Capture,
    damage: Callable[[list[str]], list[str]],
    seq: int,
    verdict: str,
) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    seq = seq if seq >= 0 else len(parts) - 1
    write_chunks(live.path, header, damage(parts))
    code, out, _ = run(capsys, "logs", "verify", live.session_id)
    assert code == 1
    first = out.splitlines()[0]
    assert verdict in first
    assert f"l'événement {seq} " in first
    assert "détail" in out
    if verdict == "ENDOMMAGÉ":
        assert "TRONQUÉE" not in out


def test_verify_in_english(store: Store, capsys: Capture) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    write_chunks(live.path, header, _half_written(parts))
    code, out, _ = run(capsys, "logs", "verify", live.session_id, "--lang", "en")
    assert code == 1 and "LAST WRITE TORN" in out


def test_verify_an_unknown_id(capsys: Capture) -> None:
    code, out, err = run(capsys, "logs", "verify", "20990101")
    assert code == 1 and out == ""
    _one_line_error(err)


def test_the_real_command_prints_no_traceback(store: Store, tmp_path: Path) -> None:
    live = drive(store)
    env = {**os.environ, "NDRC_ORAL_DATA_DIR": str(store.root)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "ndrc_oral",
            "logs",
            "export",
            live.session_id,
            "--format",
            "pdf-fiche",
            "-o",
            str(tmp_path / "no" / "such" / "dir.pdf"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1

"""The command line speaks French by default, argparse's own words included, and every
option says what it is for; bad values are one clear line (issue 10)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest
from test_logs_support import Plan, drive

from ndrc_oral.cli import build_parser, main
from ndrc_oral.i18n import set_language
from ndrc_oral.transcript import Store

Capture = pytest.CaptureFixture[str]


def _exit(capsys: Capture, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


@pytest.mark.parametrize(
    ("args", "french", "english"),
    [
        (
            ["run", "e6-ccf-a"],
            [
                "utilisation : ndrc-oral run",
                "erreur : arguments obligatoires manquants : --candidate",
            ],
            ["usage: ndrc-oral run", "error: the following arguments are required: --candidate"],
        ),
        (
            ["logs", "export", "x", "--format", "docx"],
            ["argument --format : choix invalide : 'docx' (choisir parmi 'md'"],
            ["argument --format: invalid choice: 'docx' (choose from 'md'"],
        ),
        (
            ["run", "e6-ccf-a", "--candidate", "A", "--extra-time-for", "deux"],
            ["valeur invalide (type int attendu) : 'deux'"],
            ["invalid int value: 'deux'"],
        ),
        (
            ["logs", "list", "--bogus"],
            ["arguments non reconnus : --bogus"],
            ["unrecognized arguments: --bogus"],
        ),
        (["logs"], ["arguments obligatoires manquants : ACTION"], ["required: ACTION"]),
        (["exams", "--lang"], ["argument --lang : une valeur est attendue"], ["expected one"]),
    ],
)
def test_argparse_speaks_the_language(
    capsys: Capture, args: list[str], french: list[str], english: list[str]
) -> None:
    code, _, err = _exit(capsys, *args)
    assert code == 2
    for words in french:
        assert words in err
    assert "usage:" not in err and "error:" not in err
    code, _, err = (
        _exit(capsys, *args, "--lang", "en")
        if args != ["exams", "--lang"]
        else (_exit(capsys, "--lang", "en", *args))
    )
    assert code == 2
    for words in english:
        assert words in err


def test_help_is_french_and_says_what_every_option_is_for(capsys: Capture) -> None:
    code, out, _ = _exit(capsys, "logs", "export", "--help")
    assert code == 0
    assert "utilisation :" in out and "afficher cette aide et quitter" in out
    assert "-o FICHIER, --output FICHIER" in out
    for english in ("usage", "show this help", "positional arguments", "FILE", "NAME"):
        assert english not in out


def _actions(parser: argparse.ArgumentParser, path: str = "ndrc-oral") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(_actions(sub, f"{path} {name}"))
            continue
        found.append(
            (f"{path} {'/'.join(action.option_strings) or action.dest}", action.help or "")
        )
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_option_has_a_help_text(lang: str) -> None:
    set_language(lang)
    actions = _actions(build_parser())
    assert len(actions) > 60  # every subcommand was walked
    assert [name for name, help_text in actions if not help_text.strip()] == []


def _metavars(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _metavars(sub)
        elif isinstance(action.metavar, str):
            found |= set(action.metavar.split("|"))
    return found


@pytest.mark.parametrize(
    ("lang", "foreign"),
    [("fr", {"FILE", "DIR", "NAME"}), ("en", {"FICHIER", "DOSSIER", "NOM"})],
)
def test_no_metavar_is_in_the_other_language(lang: str, foreign: set[str]) -> None:
    # logs bundle/import/stats and day export said FILE or FICHIER whatever the language.
    set_language(lang)
    assert _metavars(build_parser()) & foreign == set()


@pytest.fixture
def no_kiosk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A kiosk that starts fails the test (instead of taking the terminal over)."""
    from ndrc_oral.tui.app import KioskApp

    def started(self: KioskApp, *args: object, **kwargs: object) -> None:
        raise AssertionError("the kiosk started")

    monkeypatch.setattr(KioskApp, "run", started)


@pytest.mark.usefixtures("no_kiosk")
def test_extra_time_is_a_fraction_of_at_most_one(capsys: Capture, tmp_path: Path) -> None:
    for value in ("2", "3/2"):
        code = main(
            [
                "run",
                "e6-ccf-a",
                "--candidate",
                "Ada",
                "--extra-time",
                value,
                "--data-dir",
                str(tmp_path),
            ]
        )
        err = capsys.readouterr().err
        assert code == 1 and err.count("\n") == 1
        assert f"« {value} »" in err and "au plus 1" in err and "1/3" in err


def test_logs_list_on_a_missing_data_dir_says_so(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert main(["logs", "list", "--data-dir", str(missing)]) == 1
    err = capsys.readouterr().err
    assert str(missing) in err and "introuvable" in err and err.count("\n") == 1
    assert not missing.exists()


def test_an_unknown_exam_filter_says_so(store: Store, capsys: Capture) -> None:
    drive(store, Plan(candidate="Zoé"))
    assert main(["logs", "list", "--exam", "E9"]) == 1
    err = capsys.readouterr().err
    assert "« E9 »" in err and "E6" in err and "e6-ccf-a" in err and err.count("\n") == 1
    assert main(["logs", "list", "--exam", "E4"]) == 0  # known, only no session of it
    assert main(["logs", "export", "--format", "csv", "--exam", "e9-x"]) == 1


def test_run_refuses_an_output_that_is_not_a_terminal(tmp_path: Path) -> None:
    data = tmp_path / "d"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ndrc_oral",
            "run",
            "e6-ccf-a",
            "--candidate",
            "Ada",
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "terminal" in done.stderr
    assert "la sortie standard n'est pas un terminal" in done.stderr
    assert not list(data.glob("*.toml"))  # refused before any session was made


RUN_ADA = [sys.executable, "-m", "ndrc_oral", "run", "e6-ccf-a", "--candidate", "Ada"]


def test_run_names_standard_error_when_only_it_is_redirected(tmp_path: Path) -> None:
    import os
    import pty

    data = tmp_path / "d"
    master, slave = pty.openpty()
    try:
        done = subprocess.run(
            [*RUN_ADA, "--data-dir", str(data)],
            stdout=slave,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
        )
    finally:
        os.close(slave)
        os.close(master)
    assert done.returncode == 1
    assert "la sortie d'erreur n'est pas un terminal" in done.stderr
    assert not list(data.glob("*.toml"))

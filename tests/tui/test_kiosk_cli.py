"""``ndrc-oral run``/``review``: every bad argument is one clear line and exit 1, before any UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ndrc_oral.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "e9-nope", "--candidate", "Ada"], "épreuve inconnue : « e9-nope »"),
        (["run", "e6-ccf-a", "--candidate", "Ada", "--extra-time", "deux"], "temps majoré"),
        (["run", "e6-ccf-a", "--candidate", "Ada", "--extra-time", "3"], "au plus 1"),
        (["run", "e6-ccf-a", "--candidate", "  "], "nom du candidat"),
        (["run", "e5-pratique", "--candidate", "Ada"], "WordPress, PrestaShop"),
        (["run", "e6-ccf-a", "--candidate", "Ada", "--cms", "WordPress"], "pas de CMS"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], expected: str
) -> None:
    code, err = run(capsys, *args, "--data-dir", str(tmp_path / "d"))
    assert code == 1
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not list((tmp_path / "d").glob("*.toml"))  # nothing was created


def test_review_says_so_while_the_review_screen_is_not_installed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from ndrc_oral.commands import kiosk

    real = importlib.util.find_spec
    monkeypatch.setattr(
        kiosk.importlib.util,
        "find_spec",
        lambda name, *a: None if name == kiosk.REVIEW_MODULE else real(name, *a),
    )
    code, err = run(capsys, "review", "--data-dir", str(tmp_path))
    assert code == 1 and "pas encore disponible" in err and err.count("\n") == 1


def test_the_unknown_exam_message_lists_the_known_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = run(capsys, "run", "e7", "--candidate", "Ada", "--data-dir", str(tmp_path))
    assert code == 1
    for known in ("e4-ponctuel", "e5-pratique", "e6-ccf-a", "e6-ccf-b"):
        assert known in err


def test_an_unusable_data_dir_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "occupied"
    a_file.write_text("not a directory")
    code, err = run(capsys, "run", "e6-ccf-a", "--candidate", "Ada", "--data-dir", str(a_file))
    assert code == 1 and str(a_file) in err and "Traceback" not in err


def test_messages_follow_lang_and_textual_is_not_loaded_to_refuse(tmp_path: Path) -> None:
    script = (
        "import sys; from ndrc_oral.cli import main; "
        "code = main(sys.argv[1:]); print(code, 'textual' in sys.modules)"
    )
    args = ["run", "e6-ccf-a", "--candidate", "Ada", "--extra-time", "x", "--lang", "en"]
    out = subprocess.run(
        [sys.executable, "-c", script, *args, "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.stdout.split() == ["1", "False"]
    assert "invalid extra time" in out.stderr

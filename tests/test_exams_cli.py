"""`ndrc-oral exams` and `ndrc-oral check-config`, as a user runs them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ndrc_oral.cli import main
from ndrc_oral.exams import ConfigError, check_files, load_catalog, load_exam_file
from ndrc_oral.exams.loader import MAX_FILE_BYTES
from ndrc_oral.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_A = ROOT / "config" / "e6-ccf-a.toml"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NDRC_ORAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NDRC_ORAL_CONFIG_DIR", raising=False)
    monkeypatch.delenv("NDRC_ORAL_LANG", raising=False)
    yield
    set_language("fr")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def variant(tmp_path: Path, name: str = "mine.toml", **replace: str) -> Path:
    """A copy of the shipped E6 situation A, with some lines replaced."""
    text = SHIPPED_A.read_text("utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## Épreuves et définitions / Exams and definitions", 1)[1]
    match = re.search(r"```toml\n(.*?)```", section, re.S)
    assert match, "the README's exams section has a TOML example"
    return match.group(1)


# --- exams -----------------------------------------------------------------------


def test_exams_table_lists_every_exam_with_minutes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exams")
    assert code == 0
    for exam_id in ("e6-ccf-a", "e6-ccf-b", "e6-ponctuel", "e5-pratique", "e4-ponctuel"):
        assert exam_id in out
    assert "10 min  Exposé du candidat" in out
    assert "12 critères" in out and "20 critères" in out


def test_exams_json_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exams", "--json", "--lang", "en")
    assert code == 0
    exams = {e["id"]: e for e in json.loads(out)}
    a = exams["e6-ccf-a"]
    assert a["title"].startswith("E6 – Customer relationship")
    assert [(p["id"], p["duration_s"]) for p in a["phases"]] == [
        ("expose", 600),
        ("entretien", 300),
    ]
    assert {"speaker", "warnings_s", "carry_over", "preparation", "auto_start", "auto_end"} <= set(
        a["phases"][0]
    )
    assert a["scale"] == ["TI", "I", "S", "TS"]
    assert sum(len(c["criteria"]) for c in a["competences"]) == 12
    assert exams["e5-pratique"]["max_candidates"] == 3
    assert exams["e4-ponctuel"]["total_cap_s"] == 3600


def test_user_dir_adds_and_overrides(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    user = tmp_path / "defs"
    user.mkdir()
    variant(user, "a.toml", **{"duration_s = 600": "duration_s = 480"})  # same id: override
    (user / "z-e6-30.toml").write_text(readme_example(), "utf-8")
    code, out, _ = run(capsys, "exams", "--json", "--config-dir", str(user))
    assert code == 0
    exams = json.loads(out)
    ids = [e["id"] for e in exams]
    assert ids.count("e6-ccf-a") == 1
    assert ids[-1] == "e6-ccf-30"  # user files come after the shipped ones
    a = next(e for e in exams if e["id"] == "e6-ccf-a")
    assert a["phases"][0]["duration_s"] == 480
    assert a["file"] == str(user / "a.toml")  # where it was read from ("source" is its text)


def test_env_variable_and_cache_follow_edits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "defs"
    user.mkdir()
    f = variant(user, "a.toml", **{'id = "e6-ccf-a"': 'id = "centre-a"'})
    monkeypatch.setenv("NDRC_ORAL_CONFIG_DIR", str(user))
    assert "centre-a" in run(capsys, "exams")[1]
    assert "centre-a" in run(capsys, "exams")[1]  # second run: from the cache
    f.write_text(f.read_text("utf-8").replace("centre-a", "centre-b"), "utf-8")
    out = run(capsys, "exams")[1]
    assert "centre-b" in out and "centre-a" not in out
    f.write_text("id = [", "utf-8")  # a broken file is never hidden by the cache
    code, out, err = run(capsys, "exams")
    assert code == 1 and "a.toml" in err and "ligne 1" in err


def test_corrupt_cache_is_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "exams")[0] == 0
    cache = tmp_path / "cache" / "exams-catalog.json"
    assert cache.exists()
    data = json.loads(cache.read_text("utf-8"))
    data["exams"] = data["exams"].replace("E6", "E9")
    cache.write_text(json.dumps(data), "utf-8")
    code, out, _ = run(capsys, "exams", "--json")
    assert code == 0 and "E9" not in out


def test_subprocess_json(tmp_path: Path) -> None:
    user = tmp_path / "defs"
    user.mkdir()
    (user / "e6-30.toml").write_text(readme_example(), "utf-8")
    env = {**os.environ, "NDRC_ORAL_CONFIG_DIR": str(user)}
    proc = subprocess.run(
        [sys.executable, "-m", "ndrc_oral", "exams", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    ids = [e["id"] for e in json.loads(proc.stdout)]
    assert ids[-1] == "e6-ccf-30" and "e4-ponctuel" in ids


def test_bad_user_file_stops_the_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = tmp_path / "defs"
    user.mkdir()
    variant(user, "broken.toml", **{"duration_s = 300": "duration_s = -5"})
    code, out, err = run(capsys, "exams", "--config-dir", str(user))
    assert code == 1 and out == ""
    assert "broken.toml" in err and "phases[1].duration_s" in err and "-5" in err


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_bad_config_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    target = tmp_path / "nowhere"
    if kind == "file":
        target.write_text("x", "utf-8")
    code, _, err = run(capsys, "exams", "--config-dir", str(target))
    assert code == 1 and str(target) in err and err.count("\n") == 1


def test_two_user_files_with_one_id(tmp_path: Path) -> None:
    variant(tmp_path, "one.toml")
    variant(tmp_path, "two.toml")
    with pytest.raises(ConfigError) as info:
        load_catalog(tmp_path)
    assert "two.toml" in info.value.message and "one.toml" in info.value.message


def test_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as info:
        load_catalog(None).get("e7")
    assert "e7" in str(info.value) and "e6-ccf-a" in str(info.value)


# --- check-config ----------------------------------------------------------------


def test_check_valid_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = tmp_path / "e6-30.toml"
    example.write_text(readme_example(), "utf-8")
    code, out, err = run(capsys, "check-config", str(SHIPPED_A), str(example))
    assert code == 0 and err == ""
    assert out.count("OK") == 2
    exam = load_exam_file(example)
    assert [p.duration_s for p in exam.phases] == [900, 900]
    assert exam.total_cap_s == 1800 and len(exam.criterion_ids()) == 12
    assert "reflexive" not in " ".join(p.id for p in exam.phases)


BROKEN = {
    "syntax": ("toml", {'epreuve = "E6"': 'epreuve = "E6'}, ["ligne 8, colonne 14"]),
    "wrong type": (
        "toml",
        {"duration_s = 600": 'duration_s = "dix minutes"'},
        ["phases[0].duration_s", "entier", "dix minutes"],
    ),
    "negative": (
        "toml",
        {"duration_s = 300": "duration_s = -300"},
        ["phases[1].duration_s", "-300"],
    ),
    "unknown key": (
        "toml",
        {"carry_over = true": "carry_over = true\ncary_over = true"},
        ["phases[0].cary_over", "inconnue"],
    ),
    "warning too late": (
        "toml",
        {"warnings_s = [60, 30]": "warnings_s = [300, 30]"},
        ["phases[1]", "300"],
    ),
    "bad speaker": (
        "toml",
        {'speaker = "commission"': 'speaker = "jury"'},
        ["phases[1].speaker", "jury", "candidate"],
    ),
    "missing id": ("toml", {'id = "e6-ccf-a"\n': ""}, ["id", "absent"]),
    "unknown grid": ("toml", {'grid = "bloc3"': 'grid = "bloc9"'}, ["grid", "bloc9"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    _, replace, needles = BROKEN[case]
    path = variant(tmp_path, "bad.toml", **replace)
    code, out, err = run(capsys, "check-config", str(path))
    assert code == 1 and "OK" not in out
    assert str(path) in err
    for needle in needles:
        assert needle in err


def test_duplicate_criterion_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = variant(
        tmp_path,
        **{
            'grid = "bloc3"': 'competences = [{ id = "c", label = { fr = "C" }, criteria = ['
            '{ id = "x", label = { fr = "X" } }, { id = "x", label = { fr = "Y" } }] }]'
        },
    )
    code, _, err = run(capsys, "check-config", str(path))
    assert code == 1 and str(path) in err and "« x »" in err


def test_english_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = variant(tmp_path, **{"duration_s = 300": "duration_s = -300"})
    code, _, err = run(capsys, "--lang", "en", "check-config", str(path))
    assert code == 1
    assert "field phases[1].duration_s: expected a number greater than 0; found -300" in err


def test_long_values_are_truncated(tmp_path: Path) -> None:
    path = variant(tmp_path, **{'speaker = "commission"': f'speaker = "{"x" * 5000}"'})
    (error,) = check_files([path])
    assert len(error.message) < 400 and "…" in error.message


def _special(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.toml"
    if kind == "empty":
        path.write_text("\n# nothing\n", "utf-8")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif kind == "latin1":
        path.write_bytes('title = "épreuve"'.encode("latin-1"))
    elif kind == "directory":
        path.mkdir()
    elif kind == "huge":
        with path.open("wb") as f:  # sparse: refused on its size, never read
            f.truncate(MAX_FILE_BYTES + 1)
    return path  # "missing": never created


SPECIAL = {
    "empty": "vide",
    "binary": "binaire",
    "latin1": "UTF-8",
    "directory": "dossier",
    "missing": "introuvable",
    "huge": "trop gros",
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_check_special_files(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    path = _special(tmp_path, kind)
    code, out, err = run(capsys, "check-config", str(SHIPPED_A), str(path))
    assert code == 1
    assert out.count("OK") == 1  # the good file is still reported
    assert err.count("\n") == 1  # one line
    assert str(path) in err and SPECIAL[kind] in err


def test_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = variant(tmp_path)
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    # chmod 0 is not enough when the tests run as root (CI): refuse the open itself.
    monkeypatch.setattr(Path, "open", denied)
    code, _, err = run(capsys, "check-config", str(path))
    assert code == 1 and str(path) in err and "permission" in err


def test_bad_file_in_config_dir_is_named(tmp_path: Path) -> None:
    (tmp_path / "ok.toml").write_text(readme_example(), "utf-8")
    (tmp_path / "zz.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError) as info:
        load_catalog(tmp_path)
    assert info.value.path == tmp_path / "zz.toml"
    assert "zz.toml" in info.value.message


def test_quoted_number_is_not_a_duration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "600" in quotes is a typo a centre could make; it must not pass as 600 s.
    path = variant(tmp_path, **{"duration_s = 300": 'duration_s = "300"'})
    code, _, err = run(capsys, "check-config", str(path))
    assert code == 1 and "duration_s" in err and "300" in err

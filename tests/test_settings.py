"""The settings file: defaults when missing, each section a model, one clear line when bad."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ndrc_oral.errors import NdrcError
from ndrc_oral.settings import (
    SETTINGS_ENV,
    Alerts,
    Settings,
    Theme,
    load_settings,
    parse_listen,
    settings_path,
)


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings.toml"
    monkeypatch.setenv(SETTINGS_ENV, str(path))
    return path


def test_no_file_means_every_default(settings_file: Path) -> None:
    assert settings_path() == settings_file
    settings = load_settings()
    assert settings == Settings()
    assert settings.alerts == Alerts(sound=True, flash=True, bell=True)
    assert settings.theme is Theme.DEFAULT and settings.web.listen == ""


def test_each_section_is_read(settings_file: Path) -> None:
    settings_file.write_text(
        'theme = "high-contrast"\n'
        "[alerts]\nsound = false\nbell = false\n"
        "[display]\npoll = true\npoll_interval_s = 0.5\n"
        '[web]\nlisten = "0.0.0.0:8080"\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.theme is Theme.HIGH_CONTRAST
    assert (settings.alerts.sound, settings.alerts.flash, settings.alerts.bell) == (
        False,
        True,
        False,
    )
    assert settings.display.poll and settings.display.poll_interval_s == 0.5
    assert parse_listen(settings.web.listen) == ("0.0.0.0", 8080)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            '[alerts]\nsound = "yes"\n',
            "« alerts.sound » ne peut pas valoir 'yes' (attendu : true ou false)",
        ),
        (
            'theme = "dark"\n',
            "« theme » ne peut pas valoir 'dark' (attendu : 'default', 'high-contrast')",
        ),
        ("[display]\npoll_interval_s = 0\n", "« display.poll_interval_s »"),
        ('[web]\nlisten = "huit"\n', "« web.listen » ne peut pas valoir 'huit'"),
        ("[alertz]\nsound = true\n", "clé inconnue « alertz »"),
        ("[alerts]\nvolume = 3\n", "clé inconnue « alerts.volume »"),
        ("theme = \n", "ce n'est pas du TOML valide"),
    ],
)
def test_a_bad_file_names_itself_and_the_key(settings_file: Path, text: str, said: str) -> None:
    settings_file.write_text(text, encoding="utf-8")
    with pytest.raises(NdrcError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(str(settings_file)) and said in message
    assert "\n" not in message


def test_the_command_line_says_it_in_one_line_and_exits_1(settings_file: Path) -> None:
    settings_file.write_text("[alerts]\nflash = 2\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "ndrc_oral", "display", "--poll"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert str(settings_file) in line and "alerts.flash" in line and "Traceback" not in line


@pytest.mark.parametrize(
    ("text", "address"),
    [("8080", ("127.0.0.1", 8080)), ("0.0.0.0:80", ("0.0.0.0", 80)), ("[::1]:9", ("::1", 9))],
)
def test_listening_addresses(text: str, address: tuple[str, int]) -> None:
    assert parse_listen(text) == address


@pytest.mark.parametrize("text", ["", "host:", "8080:x", "70000", "a b:80"])
def test_bad_listening_addresses(text: str) -> None:
    with pytest.raises(ValueError, match="PORT"):
        parse_listen(text)

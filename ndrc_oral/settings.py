"""The user's settings: one TOML file, read once at start-up into a frozen model.

``platformdirs.user_config_dir("ndrc-oral")/settings.toml``, or the file that
``$NDRC_ORAL_SETTINGS`` names (the tests use it). A missing file means every
default. A bad file stops the program with one line naming the file and the
key (``NdrcError``, exit 1), never a traceback.

Each ``[section]`` is one model class below, a field of ``Settings``; adding a
section (``[keys]``, a ``machine`` name) is one more class and one more field:
the loader, the error messages and the README's table read the models.
No Textual here.
"""

from __future__ import annotations

import os
import socket
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    StrictStr,
    ValidationError,
    field_validator,
)

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.paths import APP_NAME

SETTINGS_ENV = "NDRC_ORAL_SETTINGS"


class _Section(BaseModel):
    """Base of a section: unknown keys are errors (a typo must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Theme(StrEnum):
    """The kiosk's colours."""

    DEFAULT = "default"
    HIGH_CONTRAST = "high-contrast"
    """Every timer state at least 7:1 against its background (WCAG AAA)."""


class Alerts(_Section):
    """``[alerts]``: what happens at each warning threshold and at each planned end."""

    sound: StrictBool = True
    """Play the bundled chime (through pw-play, paplay or aplay, whichever the system has)."""
    flash: StrictBool = True
    """Flash the timer for a moment (the commission's screen and the candidate's display)."""
    bell: StrictBool = True
    """Ring the terminal's bell (also the fallback when no sound player is found)."""


class Display(_Section):
    """``[display]``: the candidate's display (``ndrc-oral display``)."""

    poll: StrictBool = False
    """Read the kiosk's record by polling instead of file notifications (network file systems)."""
    poll_interval_s: float = Field(default=0.25, gt=0, le=2)
    """How often polling reads the record, in seconds."""


class Web(_Section):
    """``[web]``: the candidate's view as a web page, served by the kiosk."""

    listen: StrictStr = ""
    """``PORT`` or ``HOST:PORT`` (``127.0.0.1`` when no host); empty: no web page (the default).

    Any address other than the loopback one puts a random token in the page's
    address, and a request without it gets 401."""

    @field_validator("listen")
    @classmethod
    def _address(cls, value: str) -> str:
        if value.strip():
            parse_listen(value)
        return value.strip()


LOOPBACK = "127.0.0.1"


def parse_listen(text: str) -> tuple[str, int]:
    """``8080`` → (``127.0.0.1``, 8080); ``0.0.0.0:8080``, ``[::1]:8080``; ``ValueError`` otherwise."""
    raw = text.strip()
    host, sep, port_text = raw.rpartition(":")
    if not sep:
        host, port_text = LOOPBACK, raw
    host = host.strip("[]") or LOOPBACK
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535 or " " in host:
        raise ValueError(t("settings.bad_listen", found=text))
    return host, int(port_text)


class Keys(RootModel[dict[StrictStr, StrictStr]]):
    """``[keys]``: a binding's id = the keys that do it instead (``"ndrc.pause" = "f3,ctrl+b"``).

    The ids are the README's table of keys (``tui/bindings.py``); one id may stand for
    several bindings (F7's two faces). Which ids and key names exist is checked when a
    screen opens (``commands.options``), by the kiosk that knows them."""

    model_config = ConfigDict(frozen=True)


class Settings(_Section):
    """Every section of ``settings.toml``."""

    theme: Theme = Theme.DEFAULT
    """``default`` or ``high-contrast``; ``--theme`` overrides it."""
    alerts: Alerts = Field(default_factory=Alerts)
    display: Display = Field(default_factory=Display)
    web: Web = Field(default_factory=Web)
    keys: Keys = Field(default_factory=lambda: Keys({}))
    machine: StrictStr = ""
    """This machine's name, recorded in each new session (a centre gathers many
    rooms' sessions); empty: the host name."""

    def machine_name(self) -> str:
        """The name recorded in new sessions: ``machine``, else the host name."""
        return self.machine.strip() or socket.gethostname()


def settings_path() -> Path:
    """``$NDRC_ORAL_SETTINGS``, else ``settings.toml`` in the user's config directory."""
    env = os.environ.get(SETTINGS_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.toml"


def load_settings(path: Path | None = None) -> Settings:
    """The settings of ``path`` (default: ``settings_path()``); every default when it is missing."""
    path = path or settings_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise NdrcError(t("settings.unreadable", path=path, why=exc)) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NdrcError(t("settings.syntax", path=path, why=exc)) from exc
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(part) for part in err["loc"]) or "?"
        if err["type"] == "extra_forbidden":
            raise NdrcError(t("settings.unknown_key", path=path, key=key)) from exc
        found = err.get("input")
        why = _expected(err["type"], err.get("ctx", {}), err["msg"])
        raise NdrcError(
            t("settings.bad_value", path=path, key=key, found=repr(found), why=why)
        ) from exc


def _expected(kind: str, ctx: dict[str, Any], message: str) -> str:
    """What was expected, in the user's language (pydantic's own words as the last resort)."""
    if kind in ("bool_type", "bool_parsing"):
        return t("settings.expected.bool")
    if kind == "enum":
        return t(
            "settings.expected.one_of", choices=str(ctx.get("expected", "")).replace(" or ", ", ")
        )
    if kind in ("float_type", "float_parsing"):
        return t("settings.expected.number")
    if kind == "greater_than":
        return t("settings.expected.gt", n=ctx.get("gt"))
    if kind == "less_than_equal":
        return t("settings.expected.le", n=ctx.get("le"))
    if kind == "string_type":
        return t("settings.expected.text")
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])  # our own message (an address)
    return message

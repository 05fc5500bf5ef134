"""Reading exam definitions from TOML: one file, a directory, the whole catalog.

Every way a file can be wrong (missing, a directory, too big, binary, bad
TOML, a field of the wrong type...) becomes one ``ConfigError`` whose message
names the file, the field, what was expected and what was found. Nothing else
escapes: a kiosk must never show a traceback.

Pydantic is imported only when a file is validated, so that modules which
merely need ``ConfigError`` (the cached ``exams`` listing) stay cheap to import.
"""

from __future__ import annotations

import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t

if TYPE_CHECKING:
    from pydantic import ValidationError

    from ndrc_oral.exams.models import Exam

MAX_FILE_BYTES = 1024 * 1024
"""A definition is a few kilobytes; anything above 1 MiB is refused unread."""

GRIDS_DIR = "grids"
"""Sub-directory of shared grids, referenced from an exam by ``grid = "name"``."""

_GRID_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_TOML_POSITION = re.compile(r"^(?P<msg>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")
_FOUND_MAX = 60
_MAX_ERRORS = 8


class ConfigError(NdrcError):
    """A definition file that cannot be used; ``message`` names the file and the field."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def shipped_config_dir() -> Path:
    """The definitions shipped with the program (``config/`` inside the package)."""
    # The package path, not importlib.resources: same result for an editable or a
    # wheel install, and one import less on the `exams` fast path.
    return Path(__file__).resolve().parent.parent / "config"


# --- reading one file ----------------------------------------------------------


def _read_text(path: Path) -> str:
    """The file's text, or a ConfigError saying in one line why it cannot be read."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(t("exams.error.missing", path=path), path) from None
    except OSError as exc:
        raise ConfigError(t("exams.error.os", path=path, detail=_os_detail(exc)), path) from None
    if stat.S_ISDIR(st.st_mode):
        raise ConfigError(t("exams.error.directory", path=path), path)
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(t("exams.error.not_regular", path=path), path)
    if st.st_size > MAX_FILE_BYTES:
        raise ConfigError(
            t("exams.error.too_big", path=path, size=st.st_size, max=MAX_FILE_BYTES), path
        )
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except PermissionError:
        raise ConfigError(t("exams.error.unreadable", path=path), path) from None
    except OSError as exc:
        raise ConfigError(t("exams.error.os", path=path, detail=_os_detail(exc)), path) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError(
            t("exams.error.too_big", path=path, size=len(raw), max=MAX_FILE_BYTES), path
        )
    if b"\x00" in raw:
        raise ConfigError(t("exams.error.binary", path=path), path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(t("exams.error.encoding", path=path, pos=exc.start), path) from None
    return text.removeprefix("\ufeff")  # a BOM, as some Windows editors write


def _os_detail(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _parse_toml(path: Path) -> dict[str, Any]:
    text = _read_text(path)
    if not text.strip():
        raise ConfigError(t("exams.error.empty", path=path), path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(path, str(exc), text), path) from None
    except RecursionError:  # absurdly nested arrays or tables
        raise ConfigError(
            t("exams.error.syntax_nopos", path=path, detail=t("exams.error.too_deep")), path
        ) from None
    if not data:
        raise ConfigError(t("exams.error.empty", path=path), path)
    return data


def _syntax_message(path: Path, detail: str, text: str) -> str:
    match = _TOML_POSITION.match(detail)
    if match:
        line, col, msg = match["line"], match["col"], match["msg"]
    elif detail.endswith("(at end of document)"):
        lines = text.split("\n")
        line, col = str(len(lines)), str(len(lines[-1]) + 1)
        msg = detail.removesuffix("(at end of document)").strip()
    else:
        return t("exams.error.syntax_nopos", path=path, detail=detail)
    return t("exams.error.syntax", path=path, line=line, col=col, detail=msg)


# --- shared grids ----------------------------------------------------------------


def _resolve_grid(path: Path, data: dict[str, Any]) -> Path | None:
    """Replace ``grid = "name"`` by the competences of ``grids/name.toml``.

    The grid is looked up next to the exam file first, then among the shipped
    grids, so a centre's definition can use ours. Returns the grid's path.
    """
    if "grid" not in data:
        return None
    name = data.pop("grid")
    if not isinstance(name, str) or not _GRID_NAME.match(name):
        raise ConfigError(
            t(
                "exams.error.field",
                path=path,
                field="grid",
                expected=t("exams.expect.grid"),
                found=_found(name),
            ),
            path,
        )
    if "competences" in data:
        raise ConfigError(t("exams.error.grid_and_competences", path=path), path)
    places = [path.parent / GRIDS_DIR, shipped_config_dir() / GRIDS_DIR]
    for place in places:
        grid_path = place / f"{name}.toml"
        if grid_path.is_file():
            break
    else:
        raise ConfigError(
            t(
                "exams.error.grid_missing",
                path=path,
                name=name,
                where=", ".join(str(p) for p in places),
            ),
            path,
        )
    grid = _read_grid(grid_path)
    if "scale" in grid and "scale" in data:
        raise ConfigError(t("exams.error.grid_and_scale", path=path, grid=grid_path), path)
    data.update(grid)
    return grid_path


def _read_grid(grid_path: Path) -> dict[str, Any]:
    """A grid file's ``competences`` (and its own ``scale``, if it has one)."""
    grid = _parse_toml(grid_path)
    extra = sorted(set(grid) - {"competences", "scale"})
    if extra or "competences" not in grid:
        raise ConfigError(
            t("exams.error.grid_shape", path=grid_path, found=", ".join(extra) or "-"), grid_path
        )
    return grid


def with_subject_grid(exam: Exam, grid_path: Path | str) -> Exam:
    """``exam`` rating a subject's own grid (E5): the rows (and scale) of ``grid_path``.

    A ``ConfigError`` names the file when it is not a grid, or when the exam
    does not take a subject's grid (``subject_grid``).
    """
    from pydantic import ValidationError

    from ndrc_oral.exams.models import Exam

    grid_path = Path(grid_path)
    if not exam.subject_grid:
        raise ConfigError(t("exams.error.no_subject_grid", id=exam.id), grid_path)
    grid = _read_grid(grid_path)
    data = exam.model_dump(mode="json", exclude_none=True)
    data["competences"] = grid["competences"]
    if "scale" in grid:
        data["scale"] = grid["scale"]
    try:
        return Exam.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_validation_message(grid_path, grid_path, exc), grid_path) from None


# --- validation ------------------------------------------------------------------


def load_exam_file(path: Path | str) -> Exam:
    """Read and validate one definition; any problem is a ``ConfigError``."""
    from pydantic import ValidationError

    from ndrc_oral.exams.models import Exam

    path = Path(path)
    data = _parse_toml(path)
    grid_path = _resolve_grid(path, data)
    try:
        return Exam.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_validation_message(path, grid_path, exc), path) from None
    except (ValueError, TypeError) as exc:  # a validator that slipped; still no traceback
        raise ConfigError(t("exams.error.other", path=path, detail=exc), path) from None


def _validation_message(path: Path, grid_path: Path | None, exc: ValidationError) -> str:
    lines = []
    errors = exc.errors(include_url=False)
    for err in errors[:_MAX_ERRORS]:
        loc = tuple(err["loc"])
        where = grid_path if grid_path and loc[:1] == ("competences",) else path
        field = _field_path(loc)
        expected = _expected(err)
        found = err.get("input")
        if err["type"] == "missing":
            lines.append(t("exams.error.missing_field", path=where, field=field))
        elif err["type"] == "extra_forbidden":
            lines.append(t("exams.error.unknown_key", path=where, field=field, found=_found(found)))
        elif not field:
            lines.append(t("exams.error.whole", path=where, expected=expected))
        elif isinstance(found, dict):  # a whole table: naming it is enough
            lines.append(t("exams.error.field_nofound", path=where, field=field, expected=expected))
        else:
            lines.append(
                t(
                    "exams.error.field",
                    path=where,
                    field=field,
                    expected=expected,
                    found=_found(found),
                )
            )
    if len(errors) > _MAX_ERRORS:
        lines.append(t("exams.error.more", count=len(errors) - _MAX_ERRORS))
    # One message per file: the first line says it all, the others add detail.
    return "\n  ".join(lines)


def _field_path(loc: tuple[int | str, ...]) -> str:
    """``("phases", 2, "duration_s")`` as ``phases[2].duration_s``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            # A key may hold anything (``"\n" = 0``): the message stays one printable line.
            name = part if part.isprintable() else repr(part)
            out += f".{name}" if out else name
    return out


def _expected(err: Any) -> str:
    """What the field should be, in the current language when we know the error type."""
    key = f"exams.expect.{err['type']}"
    ctx = dict(err.get("ctx") or {})
    if err["type"] == "value_error":
        return str(ctx.get("error", err["msg"]))
    if err["type"] == "string_pattern_mismatch" and ctx.get("pattern") == _GRID_NAME.pattern:
        key = "exams.expect.identifier"
    try:
        return t(key, **ctx)
    except (KeyError, IndexError):
        return str(err["msg"])


def _found(value: object) -> str:
    text = repr(value)
    if len(text) > _FOUND_MAX:
        text = text[: _FOUND_MAX - 1] + "…"
    return text


def check_files(paths: Iterable[Path | str]) -> list[ConfigError]:
    """Validate each file; the errors, one per bad file (empty when all are valid)."""
    errors: list[ConfigError] = []
    for p in paths:
        try:
            load_exam_file(p)
        except ConfigError as exc:
            errors.append(exc)
    return errors


# --- the catalog -----------------------------------------------------------------


class Catalog:
    """Every known exam by id: the shipped ones first, then the user's (sorted by file name)."""

    def __init__(self, exams: dict[str, Exam], sources: dict[str, Path]) -> None:
        self._exams = exams
        self._sources = sources

    def get(self, exam_id: str) -> Exam:
        """The exam ``exam_id``; a ``ConfigError`` listing the known ids when unknown."""
        exam = self._exams.get(exam_id)
        if exam is None:
            raise ConfigError(
                t("exams.error.unknown_exam", id=exam_id, known=", ".join(self._exams))
            )
        return exam

    def source(self, exam_id: str) -> Path:
        """The file the exam was read from."""
        self.get(exam_id)
        return self._sources[exam_id]

    def ids(self) -> list[str]:
        return list(self._exams)

    def values(self) -> list[Exam]:
        return list(self._exams.values())

    def items(self) -> list[tuple[str, Exam]]:
        return list(self._exams.items())

    def __getitem__(self, exam_id: str) -> Exam:
        return self._exams[exam_id]

    def __contains__(self, exam_id: object) -> bool:
        return exam_id in self._exams

    def __iter__(self) -> Iterator[str]:
        return iter(self._exams)

    def __len__(self) -> int:
        return len(self._exams)


def definition_files(directory: Path) -> list[Path]:
    """The ``*.toml`` files directly in ``directory``, sorted by name (grids excluded).

    Hidden ones are not definitions: an editor's lock link (``.#oral.toml``)
    or swap copy while a definition is being edited.
    """
    found = (p for p in directory.glob("*.toml") if not p.name.startswith("."))
    return sorted(found, key=lambda p: p.name)


def duplicate_id(path: Path, exam_id: str, other: Path) -> ConfigError:
    """The error of a second definition file with the id of another."""
    return ConfigError(t("exams.error.duplicate_id", path=path, id=exam_id, other=other), path)


def user_files(config_dir: Path) -> list[Path]:
    """The user's definition files; a ConfigError if the directory is not usable."""
    try:
        st = config_dir.stat()
    except FileNotFoundError:
        raise ConfigError(t("exams.error.dir_missing", path=config_dir), config_dir) from None
    except OSError as exc:
        raise ConfigError(
            t("exams.error.os", path=config_dir, detail=_os_detail(exc)), config_dir
        ) from None
    if not stat.S_ISDIR(st.st_mode):
        raise ConfigError(t("exams.error.not_dir", path=config_dir), config_dir)
    try:
        return definition_files(config_dir)
    except OSError as exc:
        raise ConfigError(
            t("exams.error.os", path=config_dir, detail=_os_detail(exc)), config_dir
        ) from None


def load_catalog(config_dir: Path | str | None = None) -> Catalog:
    """The shipped exams, then those of ``config_dir`` (same id: the user's file wins).

    A bad user file raises a ``ConfigError`` naming it: a kiosk must not silently
    drop an exam. Two user files with the same id are an error too.
    """
    exams: dict[str, Exam] = {}
    sources: dict[str, Path] = {}
    for path in definition_files(shipped_config_dir()):
        exam = load_exam_file(path)
        if exam.source is None:  # ours must say which text they follow (see models.py)
            raise ConfigError(t("exams.error.missing_field", path=path, field="source"), path)
        exams[exam.id] = exam
        sources[exam.id] = path
    if config_dir is not None:
        user_ids: dict[str, Path] = {}
        for path in user_files(Path(config_dir)):
            exam = load_exam_file(path)
            if exam.id in user_ids:
                raise duplicate_id(path, exam.id, user_ids[exam.id])
            user_ids[exam.id] = path
            exams[exam.id] = exam  # an override keeps the shipped exam's place
            sources[exam.id] = path
    return Catalog(exams, sources)


__all__ = [
    "MAX_FILE_BYTES",
    "Catalog",
    "ConfigError",
    "check_files",
    "definition_files",
    "duplicate_id",
    "load_catalog",
    "load_exam_file",
    "shipped_config_dir",
    "user_files",
    "with_subject_grid",
]

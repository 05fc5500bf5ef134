"""The catalog as plain data, for ``ndrc-oral exams``, with a validated cache.

Importing pydantic and building the models costs about ten times a bare
interpreter start, more than the listing command may take. So the listing
keeps the *validated* catalog (``Exam.model_dump``) in a cache file keyed by
the exact bytes of every definition file and grid, and of the code that
validates them. Any change to one of them, or any doubt (an unreadable file,
a corrupt cache), goes through the full validation of ``load_catalog``: the
cache can only skip work, never accept a file the loader would refuse.
The kiosk itself always validates (``load_catalog``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from ndrc_oral.exams.loader import (
    GRIDS_DIR,
    MAX_FILE_BYTES,
    definition_files,
    load_catalog,
    shipped_config_dir,
)
from ndrc_oral.files import private_dir, write_private
from ndrc_oral.paths import cache_dir

CACHE_FORMAT = "ndrc-oral exams cache 2"
_CODE = ("models.py", "loader.py", "listing.py", "sources.py")


def cache_file() -> Path:
    """``exams-catalog.json`` in the user cache directory (``$NDRC_ORAL_CACHE_DIR``)."""
    return cache_dir() / "exams-catalog.json"


def catalog_dicts(config_dir: Path | None) -> list[dict[str, Any]]:
    """Every exam as ``Exam.model_dump(mode="json")`` plus its definition ``file``, catalog order.

    Raises ``ConfigError`` exactly when ``load_catalog(config_dir)`` does.
    """
    key = _fingerprint(config_dir)
    cache = cache_file()
    if key is not None:
        cached = _read_cache(cache, key)
        if cached is not None:
            return cached
    catalog = load_catalog(config_dir)
    exams = [
        {**exam.model_dump(mode="json"), "file": str(catalog.source(exam_id))}
        for exam_id, exam in catalog.items()
    ]
    if key is not None:
        _write_cache(cache, key, exams)
    return exams


def _fingerprint(config_dir: Path | None) -> str | None:
    """A hash of everything the validated catalog depends on; None when in doubt."""
    h = hashlib.sha256(CACHE_FORMAT.encode())
    here = Path(__file__).resolve().parent
    dirs = [shipped_config_dir()]
    if config_dir is not None:
        dirs.append(Path(config_dir))
    try:
        for name in _CODE:
            h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        for d in dirs:
            if not d.is_dir():
                return None  # let the loader say what is wrong
            h.update(b"dir\0" + os.fsencode(d) + b"\0")
            for f in definition_files(d) + definition_files(d / GRIDS_DIR):
                st = f.stat()
                if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_FILE_BYTES:
                    return None
                h.update(os.fsencode(f) + b"\0" + f.read_bytes() + b"\0")
    except OSError:
        return None
    return h.hexdigest()


def _read_cache(cache: Path, key: str) -> list[dict[str, Any]] | None:
    # The body carries its own hash: a cache damaged on disk is simply ignored.
    try:
        data = json.loads(cache.read_bytes())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        body = data["exams"]
        if hashlib.sha256(body.encode()).hexdigest() != data["sum"]:
            return None
        exams = json.loads(body)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(exams, list) or not all(isinstance(e, dict) for e in exams):
        return None
    return exams


def _write_cache(cache: Path, key: str, exams: list[dict[str, Any]]) -> None:
    # Best effort: a read-only home or a full disk only costs speed.
    body = json.dumps(exams, ensure_ascii=False)
    digest = hashlib.sha256(body.encode()).hexdigest()
    with contextlib.suppress(OSError):
        private_dir(cache.parent)
        write_private(cache, json.dumps({"key": key, "sum": digest, "exams": body}).encode())

"""Fuzzing: any broken definition gives a ConfigError, never another exception."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ndrc_oral.exams import ConfigError, load_exam_file

ROOT = Path(__file__).resolve().parent.parent
VALID: dict[str, Any] = tomllib.loads((ROOT / "config" / "e4-ponctuel.toml").read_text("utf-8"))
GRID = tomllib.loads((ROOT / "config" / "grids" / "bloc1.toml").read_text("utf-8"))
VALID["competences"] = GRID["competences"]
del VALID["grid"]

SCALARS = st.one_of(
    st.none(),  # dropped by the writer below: a deleted key
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.lists(st.integers(-5, 5000), max_size=4),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


PATHS = _paths(VALID)


def _mutate(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    """``data`` with the value at ``path`` replaced by ``new`` (deleted when None)."""
    if not path:
        return new
    if not isinstance(data, dict | list) or path[0] not in (
        data if isinstance(data, dict) else range(len(data))
    ):
        return data  # an earlier mutation removed this path
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        copy = dict(data)
        if new is None and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _mutate(data[head], rest, new)
        return copy
    copy_list = list(data)
    if new is None and not rest:
        del copy_list[head]
    else:
        copy_list[head] = _mutate(data[head], rest, new)
    return copy_list


@st.composite
def broken_text(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["mutate", "mutate", "mutate", "bytes", "splice"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    data: Any = VALID
    for _ in range(draw(st.integers(1, 3))):
        data = _mutate(data, draw(st.sampled_from(PATHS)), draw(SCALARS))
    try:
        text = tomli_w.dumps(data).encode()
    except (TypeError, ValueError):  # the mutation made the root non-dict or unwritable
        text = repr(data).encode()
    if kind == "splice":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.binary(max_size=20)) + text[at:]
    return text


@settings(
    max_examples=350,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=broken_text())
def test_broken_definitions_give_a_config_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(raw)
    try:
        load_exam_file(path)
    except ConfigError as exc:
        assert str(path) in exc.message
        assert "Traceback" not in exc.message
    # A mutation may leave the definition valid (e.g. a label replaced by another
    # text): then loading it simply works, which is fine.


def test_the_unmutated_definition_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(tomli_w.dumps(VALID), "utf-8")
    assert load_exam_file(path).id == "e4-ponctuel"

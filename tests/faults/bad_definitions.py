"""Generated bad exam definitions: the shipped ones, broken the ways people break files.

``broken_definition()`` (hypothesis) starts from one of the six shipped files
(with its ``grid = "…"`` reference, as a centre would copy it) and applies one
to three changes: a value replaced by another of any type (huge and negative
numbers, inf and nan, empty and long texts, control characters, lists,
tables), a key removed or misspelt, an unknown key, a phase or criterion id
repeated, phases or competences emptied, the grid reference broken; or it
damages the text itself (a cut, a line removed or repeated, bytes spliced in,
another encoding).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "config").glob("*.toml"))
ORIGINALS: list[dict[str, Any]] = [tomllib.loads(p.read_text("utf-8")) for p in SHIPPED]

VALUES = st.one_of(
    st.none(),  # the key is removed
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([0, -1, 1, 59, 86_400 * 365, 2**62]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "x" * 5000, "\x1b[31mrouge", "é\u0301", "🎓", "[red]x[/red]"]),
    st.lists(st.integers(-5, 5000), max_size=4),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key or index path inside ``value``."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


def replace(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    """``data`` with the value at ``path`` replaced by ``new`` (removed when ``None``)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict) and (head in data or (new is not None and not rest)):
        copy = dict(data)
        if not rest:  # replaced, added, or removed
            copy.pop(head, None)
            if new is not None:
                copy[head] = new
        else:
            copy[head] = replace(data[head], rest, new)
        return copy
    if isinstance(data, list) and isinstance(head, int) and head < len(data):
        items = list(data)
        if new is None and not rest:
            del items[head]
        else:
            items[head] = replace(data[head], rest, new)
        return items
    return data  # an earlier change removed this path


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def changed(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """One change to a definition's data."""
    kind = draw(
        st.sampled_from(
            ["value", "value", "value", "rename", "unknown", "repeat-id", "empty", "grid"]
        )
    )
    where = paths(data)
    if kind == "value" or not where:
        return replace(data, draw(st.sampled_from(where or [("id",)])), draw(VALUES))
    if kind == "rename":
        path = draw(st.sampled_from(where))
        parent = get(data, path[:-1])
        if isinstance(parent, dict):
            value = parent[path[-1]]
            renamed = replace(data, path, None)
            return replace(renamed, (*path[:-1], f"{path[-1]}s"), value)
        return replace(data, path, None)
    if kind == "unknown":
        tables = [()] + [p for p in where if isinstance(get(data, p), dict)]
        table = draw(st.sampled_from(tables))
        key = draw(st.sampled_from(["durée", "cary_over", "x", "\x1b]0;titre\x07", "a\x9bb"]))
        return replace(data, (*table, key), 1)
    if kind == "repeat-id":
        phases = data.get("phases")
        if (
            isinstance(phases, list)
            and len(phases) > 1
            and all(isinstance(p, dict) for p in phases)
        ):
            return replace(data, ("phases", len(phases) - 1, "id"), phases[0].get("id"))
        return data
    if kind == "empty":
        return replace(data, (draw(st.sampled_from(["phases", "competences", "scale"])),), [])
    return replace(data, ("grid",), draw(st.sampled_from(["bloc9", "../bloc1", "", "BLOC1", 3])))


@st.composite
def broken_definition(draw: st.DrawFn) -> bytes:
    """The bytes of a definition file, most likely invalid."""
    data: Any = draw(st.sampled_from(ORIGINALS))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(changed(data))
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):  # nan in a key, a root that is no table...
        text = repr(data)
    raw = text.encode()
    damage = draw(st.sampled_from(["none", "none", "none", "cut", "line", "splice", "latin-1"]))
    if damage == "cut":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "line":
        lines = raw.split(b"\n")
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        lines.insert(i, lines[i]) if draw(st.booleans()) else lines.pop(i)
        raw = b"\n".join(lines)
    elif damage == "splice":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=12)) + raw[at:]
    elif damage == "latin-1":
        raw = text.encode("latin-1", "replace")
    return raw

"""Reading the TOML this program writes, fast, and anything else as ``tomllib`` does.

``tomllib`` was about 64 % of every transcript read (78 µs per event, against
1 µs for its sha256). An event is the small, regular TOML that ``tomli_w``
writes: ``key = value`` lines, ``[table]`` and ``[[array]]`` headers, basic
strings, integers, floats, booleans, arrays, inline tables. ``loads`` reads
that subset with a handful of regular expressions, and hands anything it
does not recognise exactly (a comment, a literal string, a date, a dotted
key, other spacing, a ``\\r``, a key defined twice...) to ``tomllib``, which
then parses it or raises as it always did. So the result is ``tomllib``'s on
every text, which ``tests/test_toml_subset.py`` checks over every fixture and
on generated documents; the subset only decides how fast it comes.
"""

from __future__ import annotations

import marshal
import re
import tomllib
from typing import Any

# The body of a basic string, the loop unrolled (runs of plain characters, then an
# escape): what tomllib accepts, but for multi-line strings, which go to it.
_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'
_BODY = _PLAIN + r'(?:\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})' + _PLAIN + ")*"
_KEY = rf'(?:([A-Za-z0-9_-]+)|"({_BODY})")'
_STRING = rf'"({_BODY})"'
_INT = r"-?(?:0|[1-9][0-9]*)"
_FLOAT = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)"

_KEY_VALUE = re.compile(_KEY + " = ")
"""The start of a ``key = value`` line (exactly as tomli_w spaces it)."""
_SCALAR = re.compile(f"{_STRING}|(true)|(false)|({_FLOAT})|({_INT})")
_SCALAR_LINE = re.compile(rf"{_KEY} = (?:{_STRING}|(true)|(false)|({_FLOAT})|({_INT}))(?:\n|\Z)")
"""A whole ``key = scalar`` line, most of an event: one match, then the groups say which."""
_PATH = r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*"
_HEADER = re.compile(rf"\[\[({_PATH})\]\]|\[({_PATH})\]")
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))')
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


MEMO_FROM = 2048
"""A table's text at least this long is parsed once per process: the exam definition
in each ``created`` event (59 % of a typical file) is the same in thousands of files."""
_MEMO_SIZE = 32
_memo: dict[tuple[str, str], bytes] = {}
"""(header path, the table's text) -> the table, marshalled (a fresh copy per read, in C)."""
_seen: set[int] = set()
"""Long tables met once: kept in the memo the second time only (a session's own data,
long too, never comes twice and would push the exam definitions out)."""
_SEEN_SIZE = 4096


class _Unsupported(Exception):
    """Not in the subset: ``tomllib`` decides."""


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads(text)``, faster on what ``tomli_w`` writes (``TOMLDecodeError`` alike)."""
    doc = fast(text)
    return doc if doc is not None else tomllib.loads(text)


def fast(text: str) -> dict[str, Any] | None:
    """What the subset reads of ``text`` alone (``None``: ``tomllib`` would be asked)."""
    try:
        return _Parser(text).document()
    except (_Unsupported, ValueError, IndexError, KeyError, TypeError, RecursionError):
        return None


def unescape(raw: str) -> str:
    """A basic string's body (between its quotes) as tomllib reads it; ``ValueError``
    for an escape tomllib refuses (not a Unicode scalar value)."""
    try:
        return _unescape(raw)
    except _Unsupported as exc:
        raise ValueError(raw) from exc


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    return _ESCAPE.sub(_one_escape, raw)


def _one_escape(m: re.Match[str]) -> str:
    simple = m.group(1)
    if simple is not None:
        return _SIMPLE[simple]
    code = int(m.group(2) or m.group(3), 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _Unsupported  # not a Unicode scalar value: tomllib says so
    return chr(code)


def _key(m: re.Match[str]) -> str:
    bare = m.group(1)
    return bare if bare is not None else _unescape(m.group(2))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pending: list[tuple[tuple[str, str], int, dict[str, Any]]] = []
        """Tables being read that go to the memo once read: (key, where they end, table)."""
        self.to_keep: tuple[str, str] | None = None
        self.root: dict[str, Any] = {}
        self.defined: set[int] = set()
        """Tables declared by a ``[header]`` (a second declaration is an error)."""
        self.arrays: set[int] = set()
        """Arrays of tables (``[[header]]``): the only arrays a header may extend."""
        self.frozen: set[int] = set()
        """Inline tables and arrays given as values: no header may extend them."""
        self.sealed: set[int] = set()
        """Tables copied from the memo: a header that reaches into one goes to tomllib."""

    def document(self) -> dict[str, Any]:
        text = self.text
        end = len(text)
        pos = 0
        table = self.root
        while pos < end:
            if self.pending:
                self._keep(pos)
            if text[pos] == "\n":  # a blank line
                pos += 1
                continue
            line = _SCALAR_LINE.match(text, pos)
            if line is not None:
                bare, quoted, string, _, _, real, whole = line.groups()
                key = bare if bare is not None else _unescape(quoted)
                if key in table:
                    raise _Unsupported  # defined twice: tomllib's error
                if string is not None:
                    table[key] = _unescape(string) if "\\" in string else string
                elif whole is not None:
                    table[key] = int(whole)
                elif real is not None:
                    table[key] = float(real)
                else:
                    table[key] = line.lastindex == 4  # true (4) or false (5)
                pos = line.end()
                continue
            eol = text.find("\n", pos)
            if eol < 0:
                eol = end
            first = text[pos]
            if first == "[":
                header = _HEADER.fullmatch(text, pos, eol)
                if header is None:
                    raise _Unsupported
                many = header.group(1) is not None
                path = header.group(1) if many else header.group(2)
                if not many:
                    after = self._memoized(path, pos)
                    if after is not None:
                        pos = after
                        continue
                table = self._header(path.split("."), many)
                if self.to_keep is not None:
                    self.pending.append((self.to_keep, pos + len(self.to_keep[1]), table))
                    self.to_keep = None
                pos = eol + 1
                continue
            kv = _KEY_VALUE.match(text, pos, eol)
            if kv is None:
                raise _Unsupported
            key = _key(kv)
            if key in table:
                raise _Unsupported  # defined twice: tomllib's error
            start = kv.end()
            scalar = _SCALAR.fullmatch(text, start, eol)
            if scalar is not None:
                table[key] = _scalar_value(scalar)
                pos = eol + 1
                continue
            value, after = self._value(start)
            if after != end and text[after] != "\n":
                raise _Unsupported
            table[key] = value
            pos = after + 1
        self._keep(end)
        return self.root

    def _memoized(self, path: str, pos: int) -> int | None:
        """A long new table and its sub-tables as read before: the position after them.

        ``None`` when the table is short, exists already, or was not read
        twice yet: it is then read here as usual (and kept, the second time).
        A header after it that would reach into a copy goes to ``tomllib``.
        """
        text = self.text
        end = _extent(text, pos, path)
        if end - pos < MEMO_FROM:
            return None
        *parents, last = path.split(".")
        table = self._walk(parents)
        if last in table:
            return None
        key = (path, text[pos:end])
        blob = _memo.get(key)
        if blob is None:
            digest = hash(key)
            if digest in _seen:
                self.to_keep = key
            else:
                if len(_seen) >= _SEEN_SIZE:
                    _seen.clear()
                _seen.add(digest)
            return None
        copy = table[last] = marshal.loads(blob)
        self.sealed.add(id(copy))
        return end

    def _keep(self, pos: int) -> None:
        """Memoize the tables read to their end by ``pos``."""
        while self.pending and self.pending[-1][1] <= pos:
            key, _, table = self.pending.pop()
            if len(_memo) >= _MEMO_SIZE:
                _memo.clear()
            _memo[key] = marshal.dumps(table)

    def _walk(self, parts: list[str]) -> dict[str, Any]:
        """The table at ``parts`` as a header reaches it (created when missing)."""
        table = self.root
        for part in parts:
            child = table.get(part)
            if child is None:
                child = table[part] = {}
            elif isinstance(child, list):
                if id(child) not in self.arrays:
                    raise _Unsupported
                child = child[-1]
            elif (
                not isinstance(child, dict) or id(child) in self.frozen or id(child) in self.sealed
            ):
                raise _Unsupported
            table = child
        return table

    def _header(self, parts: list[str], many: bool) -> dict[str, Any]:
        table = self._walk(parts[:-1])
        last = parts[-1]
        existing = table.get(last)
        if many:
            new: dict[str, Any] = {}
            if existing is None:
                array = table[last] = [new]
                self.arrays.add(id(array))
            elif isinstance(existing, list) and id(existing) in self.arrays:
                existing.append(new)
            else:
                raise _Unsupported
            return new
        if existing is None:
            existing = table[last] = {}
        elif (
            not isinstance(existing, dict)
            or id(existing) in self.defined
            or id(existing) in self.frozen
            or id(existing) in self.sealed
        ):
            raise _Unsupported
        self.defined.add(id(existing))
        return existing

    def _value(self, pos: int) -> tuple[Any, int]:
        """The value starting at ``pos`` and the position after it."""
        text = self.text
        first = text[pos]
        if first == "[":
            return self._array(pos + 1)
        if first == "{":
            return self._inline_table(pos + 1)
        scalar = _SCALAR.match(text, pos)
        if scalar is None:
            raise _Unsupported
        return _scalar_value(scalar), scalar.end()

    def _array(self, pos: int) -> tuple[list[Any], int]:
        text = self.text
        items: list[Any] = []
        self.frozen.add(id(items))
        while True:
            pos = _skip(text, pos, " \n")
            if text[pos] == "]":
                return items, pos + 1
            value, pos = self._value(pos)
            items.append(value)
            pos = _skip(text, pos, " \n")
            if text[pos] == ",":
                pos += 1
            elif text[pos] == "]":
                return items, pos + 1
            else:
                raise _Unsupported

    def _inline_table(self, pos: int) -> tuple[dict[str, Any], int]:
        text = self.text
        table: dict[str, Any] = {}
        self.frozen.add(id(table))
        pos = _skip(text, pos, " ")
        if text[pos] == "}":
            return table, pos + 1
        while True:
            kv = _KEY_VALUE.match(text, pos)
            if kv is None:
                raise _Unsupported
            key = _key(kv)
            if key in table:
                raise _Unsupported
            table[key], pos = self._value(kv.end())
            pos = _skip(text, pos, " ")
            if text[pos] == ",":
                pos = _skip(text, pos + 1, " ")
            elif text[pos] == "}":
                return table, pos + 1
            else:
                raise _Unsupported


def _extent(text: str, pos: int, path: str) -> int:
    """Where the table whose header starts at ``pos`` ends, its sub-tables included."""
    inside = (f"[{path}.", f"[[{path}.")
    at = text.find("\n[", pos)
    while at >= 0:
        if not text.startswith(inside, at + 1):
            return at + 1
        at = text.find("\n[", at + 1)
    return len(text)


def _skip(text: str, pos: int, chars: str) -> int:
    while text[pos] in chars:
        pos += 1
    return pos


def _scalar_value(m: re.Match[str]) -> Any:
    index = m.lastindex
    if index == 1:
        return _unescape(m.group(1))
    if index == 2:
        return True
    if index == 3:
        return False
    if index == 4:
        return float(m.group(4))
    return int(m.group(5))

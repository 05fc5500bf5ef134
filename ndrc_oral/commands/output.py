"""What the commands print on standard output: one door, so that every way it fails is one line.

* ``say(text)``: text for a person (tables, messages, JSON for a reader): control
  characters a name or a note holds are written out (``\\u001b``), always.
* ``send(data)``: an export's bytes, as they are, to a pipe or a file; to a
  terminal, the same text with its control characters written out, so that a
  candidate's name never drives the terminal (retitles it, clears it...).

A standard output that cannot be written (``> /dev/full``: the disk is full)
is an ``NdrcError``, one line on stderr; a reader that left (``| head``) ends
the command quietly, as before (``BrokenPipeError`` reaches the entry point).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from ndrc_oral.errors import NdrcError, describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.printable import printable


def say(text: str) -> None:
    """Print ``text``; characters the terminal cannot show become "?" instead of a crash."""
    text = printable(text)
    try:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:
            encoding = sys.stdout.encoding or "ascii"
            sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
        sys.stdout.flush()  # a full disk says so now, not at exit
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _lost(exc) from None


def send(data: bytes) -> None:
    """Write an export's bytes to standard output (made printable for a terminal)."""
    try:
        if sys.stdout.isatty():
            text = data.decode("utf-8", "replace").replace("\r\n", "\n")
            data = printable(text).encode(sys.stdout.encoding or "utf-8", "replace")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _lost(exc) from None


def deliver(data: bytes, output: str | None, default: Path, *, to_stdout: bool) -> int:
    """An export's bytes where ``-o`` says: ``-`` (or no ``-o`` when ``to_stdout``) to
    standard output (``send``); else the file it names, or ``default``, written atomically
    and only over a regular file, its path said. The command's exit code."""
    from ndrc_oral.transcript.exports import write_atomic

    if output == "-" or (output is None and to_stdout):
        send(data)
        return 0
    target = Path(output) if output is not None else default
    replaced = write_atomic(target, data)
    say(t("logs.export.replaced" if replaced else "logs.export.written", path=target) + "\n")
    return 0


def _lost(exc: OSError) -> NdrcError:
    # What could not be written stays in the buffer, and the interpreter would
    # try again at exit and print its own traceback: the rest goes nowhere.
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return NdrcError(t("cli.error.stdout", why=describe_os_error(exc)))

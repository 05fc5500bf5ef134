"""Transcripts: durable, hash-chained event logs on disk, and everything read from them.

Knows nothing of Textual (``tests/test_layers.py``).
"""

from typing import TYPE_CHECKING

from ndrc_oral.lazy import exports

if TYPE_CHECKING:
    from ndrc_oral.transcript.directory import Store
    from ndrc_oral.transcript.reader import Integrity, Transcript, TranscriptError, read_transcript
    from ndrc_oral.transcript.recorder import (
        LiveSession,
        LoadedSession,
        exam_of,
        load_session,
        new_session,
        reopen_session,
        resume_session,
        try_load_session,
    )
    from ndrc_oral.transcript.writer import SaveError, TranscriptWriter

__all__ = [
    "Integrity",
    "LiveSession",
    "LoadedSession",
    "SaveError",
    "Store",
    "Transcript",
    "TranscriptError",
    "TranscriptWriter",
    "exam_of",
    "load_session",
    "new_session",
    "read_transcript",
    "reopen_session",
    "resume_session",
    "try_load_session",
]

__getattr__ = exports(
    __name__,
    {
        "Store": "directory",
        "Integrity": "reader",
        "Transcript": "reader",
        "TranscriptError": "reader",
        "read_transcript": "reader",
        "LiveSession": "recorder",
        "LoadedSession": "recorder",
        "exam_of": "recorder",
        "load_session": "recorder",
        "new_session": "recorder",
        "reopen_session": "recorder",
        "resume_session": "recorder",
        "try_load_session": "recorder",
        "SaveError": "writer",
        "TranscriptWriter": "writer",
    },
)

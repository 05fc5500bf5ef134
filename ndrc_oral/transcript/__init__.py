"""Transcripts: durable, hash-chained event logs on disk, and everything read from them.

Knows nothing of Textual (``tests/test_layers.py``).
"""

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

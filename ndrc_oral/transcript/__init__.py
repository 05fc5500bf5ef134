"""Transcripts: durable, hash-chained event logs on disk, and everything read from them.

Knows nothing of Textual (``tests/test_layers.py``).
"""

from ndrc_oral.transcript.recorder import (
    LiveSession,
    LoadedSession,
    exam_of,
    load_session,
    new_session,
    resume_session,
    try_load_session,
)
from ndrc_oral.transcript.store import (
    Integrity,
    SaveError,
    Store,
    Transcript,
    TranscriptError,
    TranscriptWriter,
    read_transcript,
)

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
    "resume_session",
    "try_load_session",
]

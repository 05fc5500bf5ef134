"""``ndrc-oral display [SESSION_ID]``: the candidate's own screen, following the kiosk.

It reads the records the kiosk publishes for the data directory's sessions
(in the user cache directory; ``display.channel``), never a transcript.
"""

from __future__ import annotations

import argparse

from ndrc_oral.commands.kiosk import kiosk_settings
from ndrc_oral.display.channel import Channel, channel_dir
from ndrc_oral.paths import data_dir
from ndrc_oral.session.clock import SystemClock


def display(args: argparse.Namespace) -> int:
    """Follow the live session of the data directory (or ``SESSION_ID``) full screen."""
    settings = kiosk_settings(args)
    channel = Channel(channel_dir(data_dir(args.data_dir)))
    from ndrc_oral.tui.app import candidate_display

    app = candidate_display(
        channel,
        SystemClock(),
        session_id=args.session,
        settings=settings,
        poll=True if args.poll else None,
    )
    app.run()
    return 0

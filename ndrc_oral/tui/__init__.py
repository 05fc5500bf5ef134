"""The kiosk: the Textual app, its screens, dialogs and widgets, and their styles.

Nothing below it imports this package; the command line imports only
``tui.app``, once its arguments are checked. What the kiosk does without
Textual (requests and their checks, the interrupted sessions, the rescue, the
view models) lives in ``ndrc_oral.exam_room``.
"""

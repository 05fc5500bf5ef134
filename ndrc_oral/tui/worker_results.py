"""Handing a worker thread's result back to a screen that may have gone meanwhile."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.worker import get_current_worker


def deliver(node: DOMNode, callback: Callable[..., None], *args: Any) -> None:
    """From a worker thread: run ``callback(*args)`` on the UI thread if ``node`` is still there.

    The user may leave a screen (Escape) while its worker reads: the result is
    then dropped, instead of reaching widgets that no longer exist.
    """
    if get_current_worker().is_cancelled:
        return
    try:
        app = node.app
    except RuntimeError:  # no app any more: the node has just left it
        return

    def on_ui_thread() -> None:
        if node.is_attached:
            callback(*args)

    with contextlib.suppress(RuntimeError):  # the app is closing
        app.call_from_thread(on_ui_thread)


def tell(app: App[Any], message: str, *, error: bool = False) -> None:
    """From a worker thread: a notification, even if the user has left the screen meanwhile.

    An export finishes after its screen may be gone; the file is written all the
    same, and the user must still be told where (or why not). ``app`` is taken
    before the work starts: a screen that has gone no longer knows its app.
    """

    def on_ui_thread() -> None:
        if error:
            app.notify(message, severity="error", timeout=10, markup=False)
        else:
            app.notify(message, timeout=8, markup=False)

    with contextlib.suppress(RuntimeError):  # the app is closing
        app.call_from_thread(on_ui_thread)

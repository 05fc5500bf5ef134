"""The run screen (``RunScreen``) and its parts, one job per module."""

from ndrc_oral.tui.screens.run.screen import RunScreen
from ndrc_oral.tui.screens.run.seats import Seat

__all__ = ["RunScreen", "Seat"]

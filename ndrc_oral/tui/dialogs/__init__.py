"""The kiosk's dialogs: modal questions that answer through ``dismiss`` (Escape: ``None``)."""

from ndrc_oral.tui.dialogs.add_candidate import AddCandidateDialog, NewCandidate
from ndrc_oral.tui.dialogs.base import Dialog
from ndrc_oral.tui.dialogs.export_dir import ExportDirDialog
from ndrc_oral.tui.dialogs.questions import (
    ButtonsDialog,
    CarryDialog,
    ChoiceDialog,
    ConfirmDialog,
    ExtendDialog,
    ReasonDialog,
)
from ndrc_oral.tui.dialogs.redirect import Attempt, RedirectDialog

__all__ = [
    "AddCandidateDialog",
    "Attempt",
    "ButtonsDialog",
    "CarryDialog",
    "ChoiceDialog",
    "ConfirmDialog",
    "Dialog",
    "ExportDirDialog",
    "ExtendDialog",
    "NewCandidate",
    "ReasonDialog",
    "RedirectDialog",
]

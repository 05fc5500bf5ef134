"""The kiosk's dialogs: modal questions that answer through ``dismiss`` (Escape: ``None``).

Exported lazily (``ndrc_oral.lazy``): the first screen asks no question, and
the dialogs' modules (the export directory's with the review's exports, the
new candidate's form) would be loaded with the first one otherwise.
"""

from typing import TYPE_CHECKING

from ndrc_oral.lazy import exports

if TYPE_CHECKING:
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

__getattr__ = exports(
    __name__,
    {
        "AddCandidateDialog": "add_candidate",
        "NewCandidate": "add_candidate",
        "Dialog": "base",
        "ExportDirDialog": "export_dir",
        "ButtonsDialog": "questions",
        "CarryDialog": "questions",
        "ChoiceDialog": "questions",
        "ConfirmDialog": "questions",
        "ExtendDialog": "questions",
        "ReasonDialog": "questions",
        "Attempt": "redirect",
        "RedirectDialog": "redirect",
    },
)

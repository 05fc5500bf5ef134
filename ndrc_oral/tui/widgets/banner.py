"""The loud banner shown when something could not be saved."""

from __future__ import annotations

from textual.widgets import Static


class SaveBanner(Static):
    """Hidden until ``alert``; says what failed and how to keep going."""

    DEFAULT_CSS = """
    SaveBanner {
        display: none;
        dock: top;
        height: auto;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    SaveBanner.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)

    def alert(self, message: str) -> None:
        self.update(message)
        self.add_class("-shown")

    def clear(self) -> None:
        self.remove_class("-shown")
        self.update("")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")

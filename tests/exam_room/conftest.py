"""Fixtures of the headless exam-room tests: the shipped catalog, a FakeClock, French."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ndrc_oral.exams.loader import Catalog, load_catalog
from ndrc_oral.i18n import set_language
from ndrc_oral.session.clock import FakeClock

_CATALOG: list[Catalog] = []


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def catalog() -> Catalog:
    if not _CATALOG:  # read once: every test uses the same shipped definitions
        _CATALOG.append(load_catalog())
    return _CATALOG[0]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()

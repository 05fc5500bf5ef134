"""Pydantic models of an exam definition: phases, competences, criteria, rating scale.

An exam definition is data, written in TOML by us (``config/``) or by a centre
(``--config-dir``). Every field carries a docstring: it is the reference for
people who write their own definitions.

Definitions inside old transcripts
----------------------------------
Every transcript carries the definition it was run with: the ``exam_def`` of
its ``created`` event, these models dumped as JSON when the session began. A
transcript is read back (listed, reviewed, exported, resumed) with *today's*
models, through ``stored_exam`` only, so these models must keep accepting
every ``exam_def`` ever written, and read it as it was meant then:

* a new field gets a default that reproduces the behaviour before it existed
  (an old ``exam_def`` lacks it);
* a field is never renamed, removed, or made stricter (a narrower range, a
  tighter pattern, a new cross-field rule) unless ``stored_exam`` first
  migrates the old form into the new one; that function is the one place
  for such migrations, each with a fixture of the old form;
* ``tests/test_fixtures_v1.py`` validates the ``exam_def`` of every transcript
  made by version 0.1 and checks that the same phases and criteria come back.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ndrc_oral.i18n import t

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$"),
]
"""Lower-case letters, digits, '-' and '_', starting with a letter or digit (at most 64)."""

NonEmpty = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


class _Strict(BaseModel):
    """Base: unknown keys are errors (a typo in a definition must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(_Strict):
    """A text in French (required) and English (falls back to French)."""

    fr: NonEmpty
    """The French text: what the kiosk shows by default."""
    en: NonEmpty | None = None
    """The English text, shown with ``--lang en``; the French one when missing."""

    def get(self, lang: str) -> str:
        """The text in ``lang`` ("fr" or "en"), French when there is no English."""
        if lang == "en" and self.en:
            return self.en
        return self.fr


class Speaker(StrEnum):
    """Who speaks during a phase."""

    CANDIDATE = "candidate"
    COMMISSION = "commission"
    BOTH = "both"


class Phase(_Strict):
    """One timed phase of an exam."""

    id: Identifier
    """Unique within the exam; written in transcripts."""
    label: Label
    """What the kiosk shows for this phase."""
    duration_s: int = Field(gt=0, le=4 * 3600, strict=True)
    """The planned (maximum) duration in seconds."""
    speaker: Speaker = Speaker.CANDIDATE
    """Who speaks: ``candidate``, ``commission`` or ``both``."""
    warnings_s: list[Annotated[int, Field(gt=0, strict=True)]] = Field(
        default_factory=lambda: [120, 30]
    )
    """Seconds before the planned end at which the timer changes colour and the bell rings."""
    carry_over: bool = Field(default=False, strict=True)
    """If the phase ends early, whether its unused time goes to the next phase by default."""
    preparation: bool = Field(default=False, strict=True)
    """A preparation phase: the candidate works alone ("en loge")."""
    auto_start: bool = Field(default=True, strict=True)
    """Whether this phase starts by itself as soon as the previous one ends.
    ``false``: it waits for the commission's start key (the first phase always waits)."""
    auto_end: bool = Field(default=False, strict=True)
    """Whether the phase ends by itself at its planned end (no overtime), as a
    preparation does. ``false``: the timer counts overtime until the commission ends it."""

    @model_validator(mode="after")
    def _warnings_fit(self) -> Phase:
        for w in self.warnings_s:
            if w >= self.duration_s:
                raise ValueError(t("exams.rule.warning_late", duration=self.duration_s, found=w))
        if len(set(self.warnings_s)) != len(self.warnings_s):
            raise ValueError(t("exams.rule.warning_twice", found=self.warnings_s))
        return self


class Criterion(_Strict):
    """One row of the grille d'aide à l'évaluation."""

    id: Identifier
    """Unique within the exam; written in transcripts and exports."""
    label: Label
    """The criterion as the official grid words it."""


class Competence(_Strict):
    """A competence of the block, grouping its criteria."""

    id: Identifier
    """Unique within the exam."""
    label: Label
    """The competence as the référentiel words it."""
    criteria: list[Criterion] = Field(min_length=1)
    """Its criteria, in the order of the grid."""


class Level(_Strict):
    """One level of the rating scale."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,4}$")]
    """Short code, e.g. ``TI``."""
    label: Label
    """What the code means, e.g. "très insuffisant"."""


DEFAULT_SCALE: list[Level] = [
    Level(code="TI", label=Label(fr="très insuffisant", en="very insufficient")),
    Level(code="I", label=Label(fr="insuffisant", en="insufficient")),
    Level(code="S", label=Label(fr="satisfaisant", en="satisfactory")),
    Level(code="TS", label=Label(fr="très satisfaisant", en="very satisfactory")),
]


def parse_fraction(text: str) -> Fraction:
    """``"1/3"``, ``"0.5"`` or ``"1/4"`` as a fraction between 0 and 2 (both excluded for 0)."""
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"expected a fraction such as 1/3, found {text!r}") from exc
    if not 0 < value <= 2:
        raise ValueError(f"expected a fraction above 0 and at most 2, found {text!r}")
    return value


MAX_EXTRA_TIME = Fraction(1)
"""The most extra time a new session is given: as much again (a tiers-temps is 1/3)."""


def parse_extra_time(text: str) -> Fraction:
    """A new session's extra time: a fraction above 0 and at most ``MAX_EXTRA_TIME``.

    ``ValueError`` with the user's message otherwise. (Sessions already saved are
    read with ``parse_fraction``, which keeps the looser limit they were made with.)
    """
    try:
        value = parse_fraction(text)
    except ValueError:
        value = None
    if value is None or value > MAX_EXTRA_TIME:
        raise ValueError(t("tui.setup.error.extra_time", found=text.strip()))
    return value


class Exam(_Strict):
    """A whole exam: its phases in order, its grid and its options."""

    id: Identifier
    """How the exam is named on the command line (``ndrc-oral run e6-ccf-a``)."""
    title: Label
    """The exam's name as the kiosk shows it."""
    epreuve: Annotated[str, StringConstraints(pattern=r"^E[1-9]$")]
    """The épreuve it belongs to: ``E4``, ``E5`` or ``E6``."""
    situation: NonEmpty | None = None
    """The situation, for the fiche d'évaluation (e.g. "Situation A")."""
    phases: list[Phase] = Field(min_length=1, max_length=30)
    """The phases, in the order they run."""
    competences: list[Competence] = Field(min_length=1)
    """The grid: competences with their criteria."""
    scale: list[Level] = Field(default_factory=lambda: list(DEFAULT_SCALE), min_length=2)
    """The rating levels, from the lowest to the highest."""
    total_cap_s: int | None = Field(default=None, gt=0, strict=True)
    """The maximum of the timed oral (preparation excluded), in seconds."""
    extra_time_phases: list[Identifier] | None = None
    """The phases that extra time (tiers-temps) applies to; all phases when missing."""
    max_candidates: int = Field(default=1, ge=1, le=3, strict=True)
    """How many candidates one examiner may assess at once on the same subject (E5: 3)."""
    cms_choices: list[NonEmpty] = Field(default_factory=list)
    """For a practical on a website: the CMS a subject may use (recorded per session)."""

    @model_validator(mode="after")
    def _consistent(self) -> Exam:
        phase_ids = [p.id for p in self.phases]
        _no_duplicates("phases", phase_ids)
        criteria = [c.id for comp in self.competences for c in comp.criteria]
        _no_duplicates("criteria", criteria)
        _no_duplicates("competences", [c.id for c in self.competences])
        _no_duplicates("scale", [lvl.code for lvl in self.scale])
        for pid in self.extra_time_phases or []:
            if pid not in phase_ids:
                raise ValueError(
                    t("exams.rule.extra_time_phase", found=pid, phases=", ".join(phase_ids))
                )
        if self.total_cap_s is not None:
            oral = sum(p.duration_s for p in self.phases if not p.preparation)
            if oral > self.total_cap_s:
                raise ValueError(t("exams.rule.over_cap", total=oral, cap=self.total_cap_s))
        return self

    def criterion_ids(self) -> list[str]:
        """Every criterion id, in grid order."""
        return [c.id for comp in self.competences for c in comp.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with this id, if the grid has it."""
        for comp in self.competences:
            for c in comp.criteria:
                if c.id == criterion_id:
                    return c
        return None

    def level_codes(self) -> list[str]:
        """The scale's codes, lowest first."""
        return [lvl.code for lvl in self.scale]

    def phase_index(self, phase_id: str) -> int:
        """The position of a phase (``ValueError`` when unknown)."""
        for i, p in enumerate(self.phases):
            if p.id == phase_id:
                return i
        raise ValueError(f"unknown phase {phase_id!r}")

    def extra_time_applies(self, phase_id: str) -> bool:
        """Whether extra time lengthens this phase."""
        return self.extra_time_phases is None or phase_id in self.extra_time_phases


def _no_duplicates(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(t("exams.rule.duplicate", what=what, id=i))
        seen.add(i)


def stored_exam(exam_def: object) -> Exam:
    """The definition a transcript's ``created`` event carries, read with today's models.

    No field has changed since version 0.1, so nothing is migrated yet; a change
    that renames a field or makes one stricter converts the old form here,
    before validation (see the module's docstring). ``ValidationError`` when it
    is not a definition.
    """
    return Exam.model_validate(exam_def)

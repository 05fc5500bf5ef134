"""Pydantic models of an exam definition: its source, phases or situations, grid rows, fiche.

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
  (an old ``exam_def`` lacks it): ``source`` missing is ``None`` (shown as the
  2018 référentiel, which every definition followed before sources existed),
  ``covers`` missing is ``[]`` (one row per criterion), ``situations`` missing
  is ``[]`` (the exam's own ``phases`` run), ``milestones`` missing is ``[]``,
  ``fiche`` missing everywhere is the one appreciation the result form had
  (``Exam.fiche_blocks``);
* a field is never renamed, removed, or made stricter (a narrower range, a
  tighter pattern, a new cross-field rule) unless ``stored_exam`` first
  migrates the old form into the new one; that function is the one place
  for such migrations, each with a fixture of the old form (issue 9 only
  widened: ``phases`` may be empty beside ``situations``, a competence's
  ``label`` may be missing, a level's code may be a digit, ``epreuve`` may
  be ``EF2``); a rule only *new files* must follow (shipped files state
  their ``source``) is checked by the loader (``exams.loader``), not here;
* ``tests/test_fixtures_v1.py`` validates the ``exam_def`` of every transcript
  made by version 0.1 and checks that the same phases and criteria come back
  (``test_fixtures_v2.py`` the same for those made after issue 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

# Re-exported: the fractions live apart so that the headless session layer reads one
# without pydantic (a warm `logs list`).
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


def _no_duplicates(what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(t("exams.rule.duplicate", what=what, id=i))
        seen.add(i)


class Source(_Strict):
    """The official text a definition follows, and from which session on."""

    text: Label
    """The text as the fiche names it, e.g. "Circulaire nationale d'organisation, session 2025"."""
    first_session: int = Field(ge=2000, le=2100, strict=True)
    """The first exam session it applies to (2025)."""
    in_force: bool = Field(strict=True)
    """Whether commissions run it now. When several sets are in force, the one with the
    latest ``first_session`` leads (it comes first in the lists)."""


class Speaker(StrEnum):
    """Who speaks during a phase."""

    CANDIDATE = "candidate"
    COMMISSION = "commission"
    BOTH = "both"


class FieldKind(StrEnum):
    """What a field of the fiche d'évaluation holds."""

    TEXT = "text"
    """Free text (``lines`` above 1: a box of that many lines, as an appreciation)."""
    DATE = "date"
    """A date (``YYYY-MM-DD``; the form also takes ``JJ/MM/AAAA``)."""
    CHOICE = "choice"
    """One of ``choices`` is ticked."""
    CHOICES = "choices"
    """Any of ``choices`` are ticked (none, one or several)."""


class Choice(_Strict):
    """One box to tick on the fiche."""

    id: Identifier
    """Recorded in the result's ``fields``."""
    label: Label
    """As printed beside the box."""


class FicheField(_Strict):
    """One field of the fiche d'évaluation, as printed (appreciation, fiche n°, network type...)."""

    id: Identifier
    """Unique within the exam: the key of its value in the result's ``fields``."""
    label: Label
    """As printed on the fiche."""
    kind: FieldKind = FieldKind.TEXT
    """``text``, ``date``, ``choice`` (tick one) or ``choices`` (tick several)."""
    lines: int = Field(default=1, ge=1, le=20, strict=True)
    """A text field's height on the form and the fiche: 1 is one line; an appreciation 4 or 5."""
    choices: list[Choice] = Field(default_factory=list, max_length=12)
    """The boxes of a ``choice`` or ``choices`` field (at least two); none for the others."""
    hint: Label | None = None
    """What the empty field suggests on the form (e.g. "1/2" for two fiche numbers)."""

    @model_validator(mode="after")
    def _choices_fit(self) -> FicheField:
        ticks = self.kind in (FieldKind.CHOICE, FieldKind.CHOICES)
        if ticks and len(self.choices) < 2:
            raise ValueError(t("exams.rule.choices_missing", kind=self.kind))
        if not ticks and self.choices:
            raise ValueError(t("exams.rule.choices_extra", kind=self.kind))
        _no_duplicates("choices", [c.id for c in self.choices])
        return self


class Milestone(_Strict):
    """A moment inside a phase that the commission marks with one key (the entretien starts).

    The timer keeps the phase's one maximum: a milestone splits nothing, it is recorded."""

    id: Identifier
    """Unique within the phase; written in transcripts."""
    label: Label
    """What the key's description and the transcripts call it."""


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
    milestones: list[Milestone] = Field(default_factory=list, max_length=5)
    """Moments the commission marks with one key during the phase (``entretien``: where a
    text gives one maximum for "exposé et entretien", the moment the questions start)."""
    fiche: list[FicheField] = Field(default_factory=list, max_length=20)
    """The fiche's fields for this phase (its block on the fiche: fiche n°, appreciation...)."""
    remark: Label | None = None
    """A remark on the phase, shown by ``ndrc-oral exams`` (e.g. which text its duration
    comes from when the definition's own text does not restate it)."""

    @model_validator(mode="after")
    def _warnings_fit(self) -> Phase:
        for w in self.warnings_s:
            if w >= self.duration_s:
                raise ValueError(t("exams.rule.warning_late", duration=self.duration_s, found=w))
        if len(set(self.warnings_s)) != len(self.warnings_s):
            raise ValueError(t("exams.rule.warning_twice", found=self.warnings_s))
        _no_duplicates("milestones", [m.id for m in self.milestones])
        return self

    def milestone(self, milestone_id: str) -> Milestone | None:
        """The milestone with this id, if the phase has it."""
        return next((m for m in self.milestones if m.id == milestone_id), None)


class Situation(_Strict):
    """One situation of a CCF épreuve: its own session, on its own date."""

    id: Identifier
    """``a``, ``b``...: recorded in the session's ``created`` event."""
    label: Label
    """As the fiche heads its block ("Situation A – expérience réelle vécue")."""
    cap_s: int = Field(ge=0, le=4 * 3600, strict=True)
    """Its maximum in seconds; ``0``: untimed (the commission fills its form only)."""
    phases: list[Phase] = Field(default_factory=list, max_length=30)
    """Its phases in order (none when untimed)."""
    fiche: list[FicheField] = Field(default_factory=list, max_length=20)
    """The fiche's fields of this situation (date, fiche n°, network types, appreciation...)."""

    @model_validator(mode="after")
    def _timed_or_not(self) -> Situation:
        if (self.cap_s == 0) != (not self.phases):
            raise ValueError(t("exams.rule.untimed", id=self.id))
        oral = sum(p.duration_s for p in self.phases if not p.preparation)
        if self.cap_s and oral > self.cap_s:
            raise ValueError(t("exams.rule.over_cap", total=oral, cap=self.cap_s))
        _no_duplicates("phases", [p.id for p in self.phases])
        return self


class Criterion(_Strict):
    """One rated row of the grille d'aide à l'évaluation."""

    id: Identifier
    """Unique within the exam; written in transcripts and exports (a CSV column)."""
    label: Label
    """The row as the official grid words it (a sub-competence since 2025, a criterion in 2018)."""
    covers: list[Label] = Field(default_factory=list, max_length=12)
    """The performance criteria the row covers, printed under it in brackets (2025 grids);
    empty when the row is a criterion itself (2018)."""


class Competence(_Strict):
    """A competence of the block, grouping its rows."""

    id: Identifier
    """Unique within the exam."""
    label: Label | None = None
    """The competence as the référentiel words it; none for a grid without groups (EF2)."""
    criteria: list[Criterion] = Field(min_length=1)
    """Its rated rows, in the order of the grid."""


class Level(_Strict):
    """One level of the rating scale."""

    code: Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,4}$")]
    """Short code, e.g. ``TI`` (or ``1`` to ``4`` on a subject's own grid)."""
    label: Label
    """What the code means, e.g. "très insuffisant"."""


DEFAULT_SCALE: list[Level] = [
    Level(code="TI", label=Label(fr="très insuffisant", en="very insufficient")),
    Level(code="I", label=Label(fr="insuffisant", en="insufficient")),
    Level(code="S", label=Label(fr="satisfaisant", en="satisfactory")),
    Level(code="TS", label=Label(fr="très satisfaisant", en="very satisfactory")),
]

APPRECIATION = FicheField(
    id="appreciation",
    label=Label(fr="Appréciation de la commission", en="The commission's appreciation"),
    lines=5,
)
"""The one field of a definition that declares none (every earlier ``exam_def``)."""


@dataclass(frozen=True, slots=True)
class FicheBlock:
    """One block of the fiche d'évaluation: a phase's or a situation's fields, or the épreuve's."""

    scope: str
    """``phase``, ``situation`` or ``exam`` (the épreuve's own fields, printed last with the mark)."""
    id: str | None
    """The phase's or the situation's id (``None`` for the épreuve's block)."""
    title: Label | None
    """The block's heading on the fiche (the phase's or situation's label)."""
    fields: tuple[FicheField, ...]


class Exam(_Strict):
    """A whole exam: its source, its phases (or CCF situations), its grid, its fiche."""

    id: Identifier
    """How the exam is named on the command line (``ndrc-oral run e6-ccf-2025``)."""
    title: Label
    """The exam's name as the kiosk shows it."""
    epreuve: Annotated[str, StringConstraints(pattern=r"^EF?[1-9]$")]
    """The épreuve it belongs to: ``E4``, ``E5``, ``E6`` (``EF2``: the optional unit)."""
    source: Source | None = None
    """The official text it follows (required in shipped files; ``None`` reads as the 2018
    référentiel: see the migration rule above)."""
    situation: NonEmpty | None = None
    """A one-session exam's situation, for the fiche d'évaluation (e.g. "Situation A")."""
    phases: list[Phase] = Field(default_factory=list, max_length=30)
    """The phases, in the order they run (an exam without ``situations``)."""
    situations: list[Situation] = Field(default_factory=list, max_length=6)
    """A CCF épreuve: its situations in order, each its own session on its own date, with
    one grid and one mark for the épreuve (given after the last one). Then no ``phases``."""
    competences: list[Competence] = Field(min_length=1)
    """The grid: competences with their rated rows."""
    scale: list[Level] = Field(default_factory=lambda: list(DEFAULT_SCALE), min_length=2)
    """The rating levels, from the lowest to the highest."""
    total_cap_s: int | None = Field(default=None, gt=0, strict=True)
    """The maximum of the timed oral (preparation excluded), in seconds (no ``situations``;
    a situation has its own ``cap_s``)."""
    extra_time_phases: list[Identifier] | None = None
    """The phases that extra time (tiers-temps) applies to; all phases when missing."""
    max_candidates: int = Field(default=1, ge=1, le=3, strict=True)
    """How many candidates one examiner may assess at once on the same subject (E5: 3)."""
    cms_choices: list[NonEmpty] = Field(default_factory=list)
    """For a practical on a website: the CMS a subject may use (recorded per session)."""
    fiche: list[FicheField] = Field(default_factory=list, max_length=20)
    """The épreuve's own fields of the fiche (printed with the mark: an appréciation globale).
    A definition that declares no field anywhere has the one appreciation."""
    subject_grid: bool = Field(default=False, strict=True)
    """Whether a session may rate a subject's own grid, loaded from a file (E5: each subject
    comes with its grid); the definition's grid is the default."""

    @model_validator(mode="after")
    def _consistent(self) -> Exam:
        if bool(self.phases) == bool(self.situations):
            raise ValueError(t("exams.rule.phases_or_situations"))
        if self.situations and self.total_cap_s is not None:
            raise ValueError(t("exams.rule.cap_with_situations"))
        _no_duplicates("situations", [s.id for s in self.situations])
        _no_duplicates("phases", [p.id for p in self.phases])
        phase_ids = sorted({p.id for p in self.all_phases()})
        criteria = [c.id for comp in self.competences for c in comp.criteria]
        _no_duplicates("criteria", criteria)
        _no_duplicates("competences", [c.id for c in self.competences])
        _no_duplicates("scale", [lvl.code for lvl in self.scale])
        _no_duplicates("fiche", [f.id for b in self.fiche_blocks() for f in b.fields])
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

    # --- phases and situations ------------------------------------------------------------

    @property
    def ccf(self) -> bool:
        """Whether the épreuve runs as several situations (sessions) with one result."""
        return bool(self.situations)

    def all_phases(self) -> list[Phase]:
        """Every phase: the exam's, or every situation's in order."""
        if self.situations:
            return [p for s in self.situations for p in s.phases]
        return list(self.phases)

    def find_phase(self, phase_id: str, situation: str | None = None) -> Phase | None:
        """The phase with this id: in ``situation`` first (ids may repeat across situations)."""
        if situation is not None:
            for s in self.situations:
                if s.id == situation:
                    found = next((p for p in s.phases if p.id == phase_id), None)
                    if found is not None:
                        return found
        return next((p for p in self.all_phases() if p.id == phase_id), None)

    def run(self, situation: str | None = None) -> Run:
        """What one session runs: the exam's phases, or situation ``situation``'s.

        ``ValueError`` when a CCF exam is given no known situation or another exam one.
        """
        if not self.situations:
            if situation is not None:
                raise ValueError(t("exams.rule.no_situations", id=self.id, found=situation))
            return Run(self, None)
        for s in self.situations:
            if s.id == situation:
                return Run(self, s)
        known = ", ".join(s.id for s in self.situations)
        raise ValueError(t("exams.rule.unknown_situation", found=situation, known=known))

    def first_run(self) -> Run:
        """The run of a session whose situation is not known yet (its first one)."""
        return Run(self, self.situations[0] if self.situations else None)

    def extra_time_applies(self, phase_id: str) -> bool:
        """Whether extra time lengthens this phase."""
        return self.extra_time_phases is None or phase_id in self.extra_time_phases

    # --- the grid ----------------------------------------------------------------------------

    def criterion_ids(self) -> list[str]:
        """Every rated row's id, in grid order."""
        return [c.id for comp in self.competences for c in comp.criteria]

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The row with this id, if the grid has it."""
        for comp in self.competences:
            for c in comp.criteria:
                if c.id == criterion_id:
                    return c
        return None

    def level_codes(self) -> list[str]:
        """The scale's codes, lowest first."""
        return [lvl.code for lvl in self.scale]

    # --- the fiche -------------------------------------------------------------------------

    def fiche_blocks(self) -> list[FicheBlock]:
        """The fiche's blocks in print order: per situation (CCF) or per phase that declares
        fields, then the épreuve's own (always: it carries the mark)."""
        blocks: list[FicheBlock] = []
        if self.situations:
            for s in self.situations:
                fields = (*s.fiche, *(f for p in s.phases for f in p.fiche))
                blocks.append(FicheBlock("situation", s.id, s.label, fields))
        else:
            blocks.extend(
                FicheBlock("phase", p.id, p.label, tuple(p.fiche)) for p in self.phases if p.fiche
            )
        own = tuple(self.fiche)
        if not own and not any(b.fields for b in blocks):
            own = (APPRECIATION,)  # what every definition had before fields were declared
        blocks.append(FicheBlock("exam", None, None, own))
        return blocks

    def fiche_field(self, field_id: str) -> FicheField | None:
        """The fiche's field with this id, wherever it is declared."""
        for block in self.fiche_blocks():
            for f in block.fields:
                if f.id == field_id:
                    return f
        return None


@dataclass(frozen=True)
class Run:
    """What one session runs: the exam's own phases, or one situation's (CCF).

    The engine, the fold and the screens read the phases from here, so that
    nothing else asks whether an exam is a CCF épreuve.
    """

    exam: Exam
    situation: Situation | None
    """The situation this session is (``None``: an exam without situations)."""

    @property
    def phases(self) -> list[Phase]:
        return self.situation.phases if self.situation is not None else self.exam.phases

    @property
    def cap_s(self) -> int | None:
        """The maximum of the timed part (``0``: untimed situation; ``None``: not stated)."""
        return self.situation.cap_s if self.situation is not None else self.exam.total_cap_s

    @property
    def timed(self) -> bool:
        """Whether there is a timer at all (an untimed situation opens on its form)."""
        return bool(self.phases)

    @property
    def situation_id(self) -> str | None:
        return self.situation.id if self.situation is not None else None

    @property
    def last(self) -> bool:
        """Whether this session carries the result (the épreuve's last situation, or no CCF)."""
        return self.situation is None or self.situation.id == self.exam.situations[-1].id

    def next_situation(self) -> Situation | None:
        """The situation after this one (``None`` after the last)."""
        ids = [s.id for s in self.exam.situations]
        if self.situation is None or self.situation.id not in ids:
            return None
        i = ids.index(self.situation.id) + 1
        return self.exam.situations[i] if i < len(ids) else None

    def phase_index(self, phase_id: str) -> int:
        """The position of a phase (``ValueError`` when unknown)."""
        for i, p in enumerate(self.phases):
            if p.id == phase_id:
                return i
        raise ValueError(f"unknown phase {phase_id!r}")

    def phase(self, phase_id: str) -> Phase | None:
        """The phase with this id, if this run has it."""
        return next((p for p in self.phases if p.id == phase_id), None)

    def fiche_blocks(self) -> list[FicheBlock]:
        """The blocks this session's result form fills: its situation's (CCF), plus the
        épreuve's own on the last situation; every block for an exam without situations."""
        blocks = self.exam.fiche_blocks()
        if self.situation is None:
            return blocks
        own = [b for b in blocks if b.scope == "situation" and b.id == self.situation.id]
        return own + ([blocks[-1]] if self.last else [])

    def fiche_fields(self) -> list[FicheField]:
        """The fields of ``fiche_blocks``, in order."""
        return [f for b in self.fiche_blocks() for f in b.fields]


def stored_exam(exam_def: object) -> Exam:
    """The definition a transcript's ``created`` event carries, read with today's models.

    No field has been renamed or made stricter since version 0.1 (issue 9 added
    fields with defaults and widened others), so nothing is migrated yet; a
    change that renames a field or makes one stricter converts the old form
    here, before validation (see the module's docstring). ``ValidationError``
    when it is not a definition.
    """
    return Exam.model_validate(exam_def)

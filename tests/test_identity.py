"""A session's identity: one frozen model, recorded in the ``created`` event and parsed back.

Files made by version 0.1 (``fixtures/transcripts/v1``) parse into the model;
a new file keeps every key those had; members may now carry their role.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session, SessionError
from ndrc_oral.session.identity import (
    Member,
    Mode,
    Role,
    Scope,
    SessionIdentity,
    identity_field,
    members,
)
from ndrc_oral.transcript import Store, load_session, new_session, read_transcript
from ndrc_oral.transcript.report import build_report
from ndrc_oral.transcript.summary import summarize

V1 = Path(__file__).parent / "fixtures" / "transcripts" / "v1"


# --- files of version 0.1 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "e6-ccf-a-mark",
            SessionIdentity(
                candidate="Zoé Œuvre",
                number="0421",
                commission="12",
                members=members("M. Martin", "Mme Durand"),
            ),
        ),
        (
            "e4-ponctuel-reservee",
            SessionIdentity(
                candidate="Jean-Luc Dupont",
                number="00987",
                commission="4",
                members=members("Mme A", "M. B"),
                extra_time="1/3",
                extra_time_reason="tiers-temps (notification MDPH)",
            ),
        ),
        (
            "e5-group-alice",
            SessionIdentity(
                candidate="Alice",
                number="1",
                commission="7",
                members=members("Examinateur E5"),
                cms="WordPress",
                group="g-20260604-1400",
            ),
        ),
        ("e6-ccf-b-rehearsal", SessionIdentity(candidate="Moi", mode=Mode.REHEARSAL)),
        (
            "e4-ccf-b-absent",
            SessionIdentity(candidate="Absent Candidat", number="0099", commission="3"),
        ),
    ],
)
def test_a_v1_created_event_parses_into_the_model(name: str, expected: SessionIdentity) -> None:
    created = read_transcript(V1 / f"{name}.toml").created
    assert created is not None
    assert SessionIdentity.from_created(created.data) == expected
    assert load_session(V1 / f"{name}.toml").state.identity == expected
    # Members of those files have no role: it is unknown, not guessed.
    assert all(m.role is None for m in expected.members)


def test_a_new_file_keeps_every_key_version_0_1_wrote(tmp_path: Path, demo_exam: Exam) -> None:
    old = read_transcript(V1 / "e4-ponctuel-reservee.toml").created
    assert old is not None
    live = new_session(
        Store(tmp_path),
        demo_exam,
        FakeClock(),
        SessionIdentity.from_created(old.data),
        fsync=False,
    )
    live.close()
    new = read_transcript(live.path).created
    assert new is not None
    assert set(new.data) == set(old.data)
    for key in ("candidate", "commission", "members", "mode", "extra_time", "extra_time_reason"):
        assert new.data[key] == old.data[key], key


# --- recording -------------------------------------------------------------------------------


def test_what_the_created_event_records() -> None:
    plain = SessionIdentity(candidate="Ada", number="0421", commission="12")
    assert plain.to_created() == {
        "candidate": {"name": "Ada", "number": "0421"},
        "commission": "12",
        "members": [],
        "mode": "live",
    }
    full = SessionIdentity(
        candidate="Ada",
        members=members("M. Martin"),
        mode=Mode.REHEARSAL,
        extra_time="1/3",
        cms="WordPress",
        group="g1",
    )
    data = full.to_created()
    assert data["members"] == ["M. Martin"]  # no role known: plain names, as before
    assert (data["mode"], data["extra_time"], data["extra_time_reason"]) == ("rehearsal", "1/3", "")
    assert (data["cms"], data["group"]) == ("WordPress", "g1")
    # A reason without extra time is not recorded.
    assert "extra_time_reason" not in SessionIdentity("Ada", extra_time_reason="PAP").to_created()


def test_members_with_roles_are_tables_and_read_back(tmp_path: Path, demo_exam: Exam) -> None:
    identity = SessionIdentity(
        candidate="Ada",
        members=(Member("M. Martin", Role.ENSEIGNANT), Member("Mme Durand", Role.PROFESSIONNEL)),
    )
    live = new_session(Store(tmp_path), demo_exam, FakeClock(), identity, fsync=False)
    live.close()
    created = read_transcript(live.path).created
    assert created is not None
    assert created.data["members"] == [
        {"name": "M. Martin", "role": "enseignant"},
        {"name": "Mme Durand", "role": "professionnel"},
    ]
    loaded = load_session(live.path)
    assert loaded.state.identity.members == identity.members
    # Lists and exports still name them.
    assert build_report(loaded).members == ("M. Martin", "Mme Durand")
    assert summarize(live.path).candidate_name == "Ada"


def test_an_unknown_role_reads_as_unknown() -> None:
    data = {"candidate": {"name": "A"}, "members": [{"name": "X", "role": "juge"}, "Y", {"x": 1}]}
    assert SessionIdentity.from_created(data).members == (Member("X"), Member("Y"), Member(""))


def test_the_engine_records_the_identity_trimmed(demo_exam: Exam) -> None:
    saved: list[Any] = []
    raw = who(" Ada ", number=" 0421 ", members=[" M. Martin ", "  "], extra_time=" 1/3 ")
    session = Session.create(demo_exam, FakeClock(), saved.append, session_id="s", identity=raw)
    assert session.identity == SessionIdentity(
        candidate="Ada", number="0421", members=members("M. Martin"), extra_time="1/3"
    )
    assert saved[0].data["candidate"] == {"name": "Ada", "number": "0421"}


def test_the_engine_refuses_an_identity_without_a_candidate(demo_exam: Exam) -> None:
    with pytest.raises(SessionError):
        Session.create(demo_exam, FakeClock(), lambda e: None, session_id="s", identity=who("  "))


# --- reading never fails -----------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
_keys = st.sampled_from(
    [
        "candidate",
        "commission",
        "members",
        "mode",
        "extra_time",
        "extra_time_reason",
        "cms",
        "group",
    ]
)


@given(st.dictionaries(_keys, _values))
def test_any_created_data_gives_an_identity(data: dict[str, Any]) -> None:
    identity = SessionIdentity.from_created(data)
    assert isinstance(identity.candidate, str) and isinstance(identity.mode, Mode)
    assert all(isinstance(m, Member) for m in identity.members)


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
_identities = st.builds(
    SessionIdentity,
    candidate=_text,
    number=_text,
    commission=_text,
    members=st.lists(
        st.builds(Member, _text, st.none() | st.sampled_from(list(Role))), max_size=3
    ).map(tuple),
    mode=st.sampled_from(list(Mode)),
    extra_time=st.none() | st.sampled_from(["1/3", "1/4", "0.5"]),
    extra_time_reason=_text,
    cms=st.none() | _text,
    group=st.none() | _text,
)


@given(_identities)
def test_what_is_recorded_reads_back_the_same(identity: SessionIdentity) -> None:
    recorded = identity.normalized()
    assert SessionIdentity.from_created(recorded.to_created()) == recorded


# --- the next candidate, a candidate added on the same subject -----------------------------------


def test_the_next_candidate_keeps_the_commission_only() -> None:
    identity = SessionIdentity(
        candidate="Ada",
        number="1",
        commission="12",
        members=members("M. Martin"),
        mode=Mode.REHEARSAL,
        extra_time="1/3",
        extra_time_reason="PAP",
        cms="WordPress",
        group="g",
    )
    assert identity.next_candidate() == SessionIdentity(
        commission="12", members=members("M. Martin"), mode=Mode.REHEARSAL
    )
    assert identity.companion(candidate="Bob", number="2") == SessionIdentity(
        candidate="Bob",
        number="2",
        commission="12",
        members=members("M. Martin"),
        mode=Mode.REHEARSAL,
        cms="WordPress",
        group="g",
    )


# --- a new field is one line of the model ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _WithRoom(SessionIdentity):
    """The identity with one more field, declared as a new field would be."""

    room: str = identity_field("", Scope.SUBJECT)


def test_a_new_field_is_recorded_read_back_checked_and_shared_by_its_declaration() -> None:
    identity = _WithRoom(candidate="Ada", commission="12", room=" B12 ")
    recorded = identity.normalized()
    assert recorded.room == "B12"
    assert recorded.to_created()["room"] == "B12"
    assert _WithRoom.from_created(recorded.to_created()) == recorded
    assert "room" not in _WithRoom(candidate="Ada").to_created()  # empty: not recorded
    assert "B12" in list(recorded.texts())  # the length check sees it
    assert recorded.companion(candidate="Bob").room == "B12"  # shared on the subject (E5)
    assert recorded.next_candidate().room == ""  # not kept for the next candidate
    # A file made before the field existed reads it as empty.
    assert _WithRoom.from_created({"candidate": {"name": "Ada"}}).room == ""

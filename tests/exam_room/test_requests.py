"""Session requests, headless: the member fields of the forms, the defaults kept for the next."""

from __future__ import annotations

from ndrc_oral.exam_room.defaults import HomeDefaults
from ndrc_oral.exam_room.requests import SessionRequest, member_slots
from ndrc_oral.session.identity import Member, Mode, Role, SessionIdentity, members


def test_members_go_to_their_roles_field_and_the_others_fill_in_order() -> None:
    teacher, pro = Member("M. Martin", Role.ENSEIGNANT), Member("Mme Durand", Role.PROFESSIONNEL)
    assert member_slots((pro, teacher)) == ["M. Martin", "Mme Durand"]
    assert member_slots((pro,)) == ["", "Mme Durand"]
    assert member_slots(members("A", "B", "C")) == ["A", "B"]  # files without roles: in order
    assert member_slots((Member("X"), teacher)) == ["M. Martin", "X"]
    assert member_slots(()) == ["", ""]


def test_the_home_form_keeps_the_commission_for_the_next_candidate() -> None:
    identity = SessionIdentity(
        candidate="Ada",
        number="1",
        commission="12",
        members=members("M. Martin"),
        mode=Mode.REHEARSAL,
        extra_time="1/3",
        cms="WordPress",
    )
    defaults = HomeDefaults.from_request(SessionRequest("e5-pratique", identity))
    assert defaults.exam_id == "e5-pratique"
    assert defaults.identity == SessionIdentity(
        commission="12", members=members("M. Martin"), mode=Mode.REHEARSAL
    )

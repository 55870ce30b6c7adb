"""The permission matrix, generated from the URL map: every route that takes an id × every role
× (own region and taking part, own region and not taking part, other region) has an expected
answer. On pages that open, the categories the role may not see are absent (sentinel values).
A new route with an id that is not in EXPECTED makes this test fail."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.services import PersonInput, create_person
from levensloop.sharing.models import BreakGlass, CaseAssignment, CaseParticipant
from tests.conftest import Browser

OK, FORBIDDEN, NOT_FOUND, REDIRECT = "ok", 403, 404, 302
PR, LC, CR, KP, PO, FB, LA = (
    Role.PROCESREGISSEUR,
    Role.LEVENSLOOPCOORDINATOR,
    Role.CASUSREGISSEUR,
    Role.KETENPARTNER,
    Role.PRIVACY_OFFICER,
    Role.FUNCTIONEEL_BEHEERDER,
    Role.LANDELIJK_ANALIST,
)
SITUATIONS = ("deelnemer", "niet_deelnemer", "andere_regio")

SENTINEL = {
    "identiteit": "Matrixsentinelnaam",
    "contact": "06-55512345",
    "proces": "Procesnotitie-matrix",
}


# What each role sees of a person it may open (the OM has no contact data by default; a
# gemeente does).
VISIBLE = {
    PR: {"identiteit", "contact", "proces"},
    LC: {"identiteit", "contact", "proces"},
    CR: {"identiteit", "contact", "proces"},
    KP: {"identiteit", "proces"},
    PO: set(),
    FB: set(),
    LA: set(),
}


def _all(status):
    return dict.fromkeys(SITUATIONS, status)


def _own(status, other=NOT_FOUND, not_part=None):
    return {
        "deelnemer": status,
        "niet_deelnemer": status if not_part is None else not_part,
        "andere_regio": other,
    }


def _person_read():
    return {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(OK, not_part=FORBIDDEN),
        KP: _own(OK, not_part=FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    }


def _admin():
    return {role: (_own(OK) if role == FB else _all(FORBIDDEN)) for role in Role}


# Writing a person's titles, placements, refusals or documents; and the same by an id of
# theirs (a random id: who may write gets 404, the others are refused before that).
_TITLE_WRITE = {
    PR: _own(OK),
    LC: _own(OK, not_part=FORBIDDEN),
    CR: _own(FORBIDDEN),
    KP: _own(FORBIDDEN),
    PO: _all(FORBIDDEN),
    FB: _all(FORBIDDEN),
    LA: _all(FORBIDDEN),
}
_TITLE_BY_ID = {
    PR: _own(NOT_FOUND),
    LC: _own(NOT_FOUND, not_part=FORBIDDEN),
    CR: _own(FORBIDDEN),
    KP: _own(FORBIDDEN),
    PO: _all(FORBIDDEN),
    FB: _all(FORBIDDEN),
    LA: _all(FORBIDDEN),
}


_HANDOVER_BY_ID = {
    PR: _own(NOT_FOUND),
    LC: _own(NOT_FOUND, not_part=FORBIDDEN),
    CR: _own(NOT_FOUND, not_part=FORBIDDEN),
    KP: _own(NOT_FOUND, not_part=FORBIDDEN),
    PO: _all(FORBIDDEN),
    FB: _all(FORBIDDEN),
    LA: _all(FORBIDDEN),
}


def _escalation_pages():
    return {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _all(FORBIDDEN),
        KP: _all(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    }


# (endpoint, method) -> role -> situation -> expected
EXPECTED = {
    ("persons.detail", "GET"): _person_read(),
    ("persons.shared", "GET"): _person_read(),
    ("persons.edit", "GET"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.edit", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.shared", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.end_participation", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.break_glass", "GET"): {
        PR: _own(REDIRECT),
        LC: _own(REDIRECT, not_part=OK),
        CR: _all(FORBIDDEN),
        KP: _all(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.break_glass", "POST"): {
        PR: _own(REDIRECT),
        LC: _own(REDIRECT, not_part=OK),
        CR: _all(FORBIDDEN),
        KP: _all(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("privacy.access_report", "GET"): {
        role: (_own(OK) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("privacy.review", "POST"): {
        role: (_own(REDIRECT) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("privacy.request_detail", "GET"): {
        role: (_own(OK) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("privacy.request_extend", "POST"): {
        role: (_own(OK) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("privacy.request_status", "POST"): {
        role: (_own(OK) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("privacy.request_export", "POST"): {
        role: (_own(OK) if role == PO else _all(FORBIDDEN)) for role in Role
    },
    ("persons.information", "GET"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _all(FORBIDDEN),
        KP: _all(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.information", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _all(FORBIDDEN),
        KP: _all(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.network_tab", "GET"): _person_read(),
    ("persons.network_tab", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.end_contact", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.timeline_tab", "GET"): _person_read(),
    ("titles.index", "GET"): _person_read(),
    ("titles.create_title", "POST"): _TITLE_WRITE,
    ("titles.add_placement", "POST"): _TITLE_WRITE,
    ("titles.add_refusal", "POST"): _TITLE_WRITE,
    ("titles.status", "GET"): _TITLE_BY_ID,
    ("titles.status", "POST"): _TITLE_BY_ID,
    ("titles.extend", "GET"): _TITLE_BY_ID,
    ("titles.extend", "POST"): _TITLE_BY_ID,
    ("titles.end_placement", "GET"): _TITLE_BY_ID,
    ("titles.end_placement", "POST"): _TITLE_BY_ID,
    ("documents.index", "GET"): _person_read(),
    ("documents.upload", "POST"): _TITLE_WRITE,
    ("documents.download", "GET"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(NOT_FOUND, not_part=FORBIDDEN),
        KP: _own(NOT_FOUND, not_part=FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("documents.delete", "GET"): _TITLE_BY_ID,
    ("documents.delete", "POST"): _TITLE_BY_ID,
    ("handovers.index", "GET"): _person_read(),
    **{
        (endpoint, method): _escalation_pages()
        for endpoint, method in (
            ("escalations.person_index", "GET"),
            ("escalations.new", "GET"),
            ("escalations.new", "POST"),
            ("escalations.detail", "GET"),
            ("escalations.take", "POST"),
            ("escalations.escalate", "POST"),
            ("escalations.resolve", "POST"),
            ("escalations.suspend", "POST"),
            ("escalations.extend", "POST"),
            ("escalations.withdraw", "GET"),
            ("escalations.withdraw", "POST"),
        )
    },
    ("handovers.new", "GET"): _TITLE_WRITE,
    ("handovers.new", "POST"): _TITLE_WRITE,
    **{
        (endpoint, method): _HANDOVER_BY_ID
        for endpoint, method in (
            ("handovers.detail", "GET"),
            ("handovers.offer", "POST"),
            ("handovers.accept", "POST"),
            ("handovers.complete", "POST"),
            ("handovers.checklist", "POST"),
            ("handovers.withdraw", "GET"),
            ("handovers.withdraw", "POST"),
            ("handovers.reject", "GET"),
            ("handovers.reject", "POST"),
            ("handovers.dossier_pdf", "GET"),
        )
    },
    ("reviews.index", "GET"): _person_read(),
    ("notifications.mark_read", "POST"): {role: _all(NOT_FOUND) for role in Role},
    ("reviews.new", "GET"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("reviews.new", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("reviews.detail", "GET"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(NOT_FOUND, not_part=FORBIDDEN),
        KP: _own(NOT_FOUND, not_part=FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("persons.log_tab", "GET"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    # Referrals: the procesregisseur sees all of the region; others only their own (none here).
    ("referrals.detail", "GET"): {
        PR: _own(OK),
        LC: _own(FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    **{
        (endpoint, method): {
            role: (_own(OK, other=other) if role == PO else _all(FORBIDDEN)) for role in Role
        }
        for endpoint, method, other in (
            ("retention.entry", "GET", NOT_FOUND),
            ("retention.approve", "POST", NOT_FOUND),
            ("retention.extend", "POST", NOT_FOUND),
            ("retention.hold", "POST", NOT_FOUND),
            ("retention.lift_hold", "POST", NOT_FOUND),
            ("retention.edit_rule", "GET", OK),
            ("retention.edit_rule", "POST", OK),
        )
    },
    ("referrals.known_elsewhere", "POST"): {
        PR: _own(OK),
        LC: _own(FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("referrals.start_triage", "POST"): {
        PR: _own(REDIRECT),
        LC: _own(FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("referrals.triage", "POST"): {
        PR: _own(OK),
        LC: _own(FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("inclusion.meeting", "GET"): {
        role: (_own(OK) if role == PR else _all(FORBIDDEN)) for role in Role
    },
    ("inclusion.decision", "GET"): {
        role: (_own(OK) if role == PR else _all(FORBIDDEN)) for role in Role
    },
    ("inclusion.decision", "POST"): {
        role: (_own(OK) if role == PR else _all(FORBIDDEN)) for role in Role
    },
    ("inclusion.trajectory", "GET"): {
        role: (_own(OK) if role == PR else _all(FORBIDDEN)) for role in Role
    },
    ("inclusion.trajectory", "POST"): {
        role: (_own(OK) if role == PR else _all(FORBIDDEN)) for role in Role
    },
    ("plans.show", "GET"): _person_read(),
    ("plans.new_version", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.start_execution", "POST"): {
        PR: _own(OK),
        LC: _own(OK, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.section", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.goal", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.action", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.adopt", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("plans.action_status", "POST"): {
        PR: _own(NOT_FOUND),
        LC: _own(NOT_FOUND, not_part=FORBIDDEN),
        CR: _own(FORBIDDEN),
        KP: _own(FORBIDDEN),
        PO: _all(FORBIDDEN),
        FB: _all(FORBIDDEN),
        LA: _all(FORBIDDEN),
    },
    ("users.detail", "GET"): _admin(),
    ("users.detail", "POST"): _admin(),
    ("users.add_role", "POST"): _admin(),
    ("users.remove_role", "POST"): _admin(),
    ("users.confirm_action", "GET"): _admin(),
    ("users.confirm_action", "POST"): _admin(),
    ("organisations.edit", "GET"): _admin(),
    ("organisations.edit", "POST"): _admin(),
    ("api_tokens.revoke", "POST"): _admin(),
    ("sharing.edit", "GET"): {
        role: (_own(OK, other=OK) if role == FB else _all(FORBIDDEN)) for role in Role
    },
    ("sharing.edit", "POST"): {
        role: (_own(OK, other=OK) if role == FB else _all(FORBIDDEN)) for role in Role
    },
}


def _routes_with_arguments(app):
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint != "static":
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found.add((rule.endpoint, method))
    return found


@pytest.mark.asvs("V8.2.2")
def test_every_route_with_an_id_is_in_the_matrix(app):
    missing = _routes_with_arguments(app) - set(EXPECTED)
    assert not missing, f"niet in de permissiematrix: {sorted(missing)}"
    assert all(set(cells) == set(Role) for cells in EXPECTED.values())


@pytest.fixture
def scene(world):
    """Persons and objects in both regions; the caller's role decides what 'taking part' means."""
    om = Organisation(region_id=world.west.id, name="OM Matrix", type=OrganisationType.OM)
    gemeente = Organisation(
        region_id=world.west.id, name="Gemeente Matrix", type=OrganisationType.GEMEENTE
    )
    db.session.add_all([om, gemeente])
    db.session.commit()
    data = PersonInput(
        achternaam=SENTINEL["identiteit"], telefoon=SENTINEL["contact"], notities=SENTINEL["proces"]
    )
    own_part = create_person(None, world.west, data)
    own_other = create_person(None, world.west, data)
    foreign = create_person(None, world.oost, data)
    other_region_user = world.user(Role.KETENPARTNER, region=world.oost)
    return {
        "om": om,
        "gemeente": gemeente,
        "persons": {"deelnemer": own_part, "niet_deelnemer": own_other, "andere_regio": foreign},
        "other_user": other_region_user,
    }


def _make_caller(world, scene, role):
    organisation = {KP: scene["om"], CR: scene["gemeente"]}.get(role, world.west_zvh)
    user = world.user(role, organisation=organisation)
    person = scene["persons"]["deelnemer"]
    if role in (LC, CR):
        db.session.add(
            CaseAssignment(
                person_id=person.id,
                user_id=user.id,
                role="coordinator" if role == LC else "casusregisseur",
                start_date=local_today(),
            )
        )
    if role == KP:
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=person.id,
            organisation_id=scene["om"].id,
            legal_basis="wgs",
            start_date=local_today(),
        )
        db.session.add(participant)
        participant.purpose = "Afstemming in de matrixtest"
    db.session.commit()
    return user


def _objects(world, scene, situation):
    """The ids to put in URLs for one situation."""
    person = scene["persons"][situation]
    foreign = situation == "andere_regio"
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=(world.oost_zvh if foreign else world.west_ggz).id,
        legal_basis="wgs",
        start_date=local_today(),
    )
    db.session.add(participant)
    participant.purpose = "Deelname voor de matrixtest"
    glass = BreakGlass(
        id=uuid.uuid4(),
        user_id=scene["other_user"].id,
        person_id=person.id,
        region_id=(world.oost if foreign else world.west).id,
        started_at=db.func.now(),
        expires_at=db.func.now(),
    )
    db.session.add(glass)
    glass.reason = "Reden voor noodtoegang in de matrixtest, lang genoeg"
    db.session.commit()
    from levensloop.privacy.models import RequestKind, RightsRequest

    rights_request = RightsRequest(
        id=uuid.uuid4(),
        region_id=(world.oost if foreign else world.west).id,
        person_id=person.id,
        kind=RequestKind.INZAGE,
        received_on=local_today(),
        due_on=local_today(),
    )
    db.session.add(rights_request)
    from levensloop.inclusion.models import Referral

    referral = Referral(
        id=uuid.uuid4(),
        region_id=(world.oost if foreign else world.west).id,
        person_id=person.id,
        referrer_organisation_id=(world.oost_zvh if foreign else world.west_zvh).id,
        referrer_user_id=scene["other_user"].id,
    )
    db.session.add(referral)
    referral.reason = "Aanmelding voor de matrixtest, lang genoeg"
    from levensloop.inclusion.models import InclusionMeeting, Trajectory

    region_id = (world.oost if foreign else world.west).id
    meeting = InclusionMeeting(
        id=uuid.uuid4(),
        region_id=region_id,
        held_on=local_today(),
        chair_id=scene["other_user"].id,
        attendees="",
    )
    trajectory = Trajectory(
        id=uuid.uuid4(),
        region_id=region_id,
        person_id=person.id,
        status="plan_in_opstelling",
        included_on=local_today(),
    )
    db.session.add_all([meeting, trajectory])
    db.session.commit()
    target_user = (
        scene["other_user"]
        if foreign
        else world.user(Role.KETENPARTNER, organisation=world.west_ggz)
    )
    organisation = world.oost_zvh if foreign else world.west_ggz
    from datetime import UTC, datetime, timedelta

    from levensloop.api.models import ApiToken

    api_token = ApiToken(
        id=uuid.uuid4(),
        name="Matrixsleutel",
        managed_region_id=region_id,
        scopes="reports:read",
        token_hash=uuid.uuid4().hex * 2,
        token_prefix="llk_test",
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    db.session.add(api_token)
    db.session.commit()
    from levensloop.retention.models import DestructionEntry

    # An open entry on the destruction list; an empty POST to approve only asks to confirm.
    entry = DestructionEntry(
        id=uuid.uuid4(),
        region_id=region_id,
        person_id=person.id,
        record_type="persoon_na_uitstroom",
        period_months=60,
        rule_unconfirmed=True,
        trigger_date=date(2020, 1, 1),
        due_since=date(2025, 1, 1),
        status="voorgesteld",
    )
    db.session.add(entry)
    db.session.commit()
    from levensloop.escalations.models import Escalation

    # A level-0 escalation that is open: at level 1 the coördinator may not act on it.
    escalation = Escalation(
        id=uuid.uuid4(),
        region_id=region_id,
        person_id=person.id,
        level=0,
        reason="overig",
        status="open",
        owner_organisation_id=(world.oost_zvh if foreign else world.west_zvh).id,
        opened_on=local_today(),
        initial_due_date=local_today(),
        due_date=local_today(),
    )
    db.session.add(escalation)
    escalation.description = "Escalatie voor de matrixtest"
    db.session.commit()
    from levensloop.notifications.services import notify

    # A notification of another user: nobody else may mark it read.
    notification = notify(
        target_user.id,
        region_id,
        kind="titel_loopt_af",
        title="Een titel loopt over 30 dagen af",
        link=f"/personen/{person.id}/titels",
        person_id=person.id,
        dedup_key=f"matrix:{uuid.uuid4()}",
    )
    db.session.commit()
    return {
        "person_id": person.id,
        "participant_id": participant.id,
        "glass_id": glass.id,
        "user_id": target_user.id,
        "assignment_id": target_user.model.roles[0].id,
        "organisation_id": organisation.id,
        "action": "deactiveren",
        "request_id": rights_request.id,
        "referral_id": referral.id,
        "meeting_id": meeting.id,
        "trajectory_id": trajectory.id,
        "plan_id": uuid.uuid4(),
        "domain": "wonen",
        "action_id": uuid.uuid4(),
        "organisation_type": "om",
        "contact_id": uuid.uuid4(),
        "token_id": api_token.id,
        "entry_id": entry.id,
        "record_type": "persoon_na_uitstroom",
        "handover_id": uuid.uuid4(),
        "escalation_id": escalation.id,
        "document_id": uuid.uuid4(),
        "notification_id": notification.id,
        "review_id": uuid.uuid4(),
        "title_id": uuid.uuid4(),
        "placement_id": uuid.uuid4(),
    }


def _url(app, endpoint, values):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    return rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]


def _matches(expected, status):
    if expected == OK:
        return status in (200, 302, 409)
    return status == expected


@pytest.mark.parametrize("role", list(Role), ids=[str(r) for r in Role])
@pytest.mark.asvs("V8.2.1", "V8.2.2", "V8.2.3", "V8.3.1", "V8.4.1")
def test_permission_matrix(world, scene, app, clock, role):
    caller = _make_caller(world, scene, role)
    browser = Browser(app.test_client())
    browser.login(caller)
    token_page = browser.get("/account")
    failures = []
    for situation in SITUATIONS:
        values = _objects(world, scene, situation)
        for (endpoint, method), cells in sorted(EXPECTED.items()):
            expected = cells[role][situation]
            url = _url(app, endpoint, values)
            if method == "GET":
                response = browser.get(url)
            else:
                response = browser.post_from(token_page, url, {})
            if not _matches(expected, response.status_code):
                failures.append(
                    f"{endpoint} {method} {situation}: verwacht {expected}, kreeg "
                    f"{response.status_code}"
                )
                continue
            if endpoint in ("persons.detail",) and response.status_code == 200:
                html = response.get_data(as_text=True)
                allowed = VISIBLE[role]
                for category, sentinel in SENTINEL.items():
                    if category not in allowed and sentinel in html:
                        failures.append(f"{endpoint} {situation}: categorie {category} zichtbaar")
                    if category in allowed and sentinel not in html:
                        failures.append(
                            f"{endpoint} {situation}: toegestane categorie {category} ontbreekt"
                        )
    assert not failures, "\n".join(failures)

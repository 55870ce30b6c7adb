"""Between regions: the inter-regional handover and the "known elsewhere" check.

Regions are hard partitions (DOMAIN.md §1). The two functions here are the only places in this
module that look across them, each deliberately and narrowly: they pass the query option
``skip_region_scope`` (see levensloop/sharing/scoping.py) on exactly the statements that need
it, never on a session.

What moves when the receiving region's procesregisseur accepts an inter-regional handover
-----------------------------------------------------------------------------------------
The person's case file goes to the receiving region: every row below gets that region's id.

- ``persons``: the person (identity, contact, notes; the data key and the blind indexes do not
  depend on the region, so nothing is re-encrypted).
- ``trajectories``: the open trajectory only; its procesregisseur becomes the accepting one.
  Provider and coördinator stay as they were until the receiving region assigns its own.
- ``plans`` and ``plan_reviews`` of that open trajectory.
- ``legal_titles``, ``placements``, ``placement_refusals``: the titles and the
  behandelgeschiedenis (what was tried belongs to the person, not to a region).
- ``documents``: the person's documents.
- ``information_notices``: whether the person was informed (the informatieplicht is about the
  person and the joint controllers share one contactpunt).
- ``escalations``: the person's escalations, open and closed, so the receiving region sees what
  got stuck and takes over the open ones.

What stays with the sending region (its own records of what it did):

- ``audit_events``: each region's log is its own, append-only and hash-chained; the handover is
  recorded in both.
- ``referrals`` (and their triages) and the inclusion decisions: the sending region's inflow
  and its table's decisions; its monthly counts must not change afterwards.
- earlier, closed trajectories with their plans and reviews: the sending region's history.
- ``rights_requests``: answered by the region where they were received.
- ``notifications``: addressed to the sending region's users.
- ``break_glass``: emergency access granted in the sending region (it lapses on its own; the
  policy needs a role in the person's region anyway).
- ``destruction_entries``: the sending region's retention queue.
- ``handovers``: a handover keeps its sending region; the receiving region sees it through
  ``to_region_id``.

Rows without a region (case participants and assignments, network contacts, goals, actions,
title extensions, document contents) follow the person by its id. At completion the
participations of the sending region's organisations and the assignments of users without a
role in the receiving region end that day.
"""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from levensloop.audit.services import record
from levensloop.auth.models import Role, RoleAssignment
from levensloop.crypto import blind_index
from levensloop.errors import DomainError, NotAllowed
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, Region
from levensloop.persons.models import Person
from levensloop.persons.validation import is_valid_bsn
from levensloop.sharing import policy
from levensloop.sharing.models import CaseAssignment, CaseParticipant

# Tables whose rows of the person move with the person (all rows of the person).
MOVED = (
    "legal_titles",
    "placements",
    "placement_refusals",
    "documents",
    "information_notices",
    "escalations",
)
# Tables whose rows of the open trajectory move with it.
MOVED_WITH_TRAJECTORY = ("plans", "plan_reviews")
# Tables with a person and a region that deliberately stay with the sending region.
KEPT = (
    "audit_events",
    "referrals",
    "rights_requests",
    "notifications",
    "break_glass",
    "destruction_entries",
    "handovers",
)


def move_to_region(actor, handover, person: Person, trajectory) -> dict[str, int]:
    """Move the person's file to the receiving region (see the module docstring). Part of the
    acceptance's transaction; returns how many rows moved per table (for the audit record)."""
    target = handover.to_region_id
    moved: dict[str, int] = {}
    tables = db.metadata.tables
    for name in MOVED:
        table = tables.get(name)
        if table is None:
            continue
        result = db.session.execute(
            sa.update(table)
            .where(table.c.person_id == person.id, table.c.region_id != target)
            .values(region_id=target)
            .execution_options(synchronize_session=False)
        )
        moved[name] = result.rowcount or 0
    if trajectory is not None:
        for name in MOVED_WITH_TRAJECTORY:
            table = tables.get(name)
            if table is None:
                continue
            result = db.session.execute(
                sa.update(table)
                .where(table.c.trajectory_id == trajectory.id)
                .values(region_id=target)
                .execution_options(synchronize_session=False)
            )
            moved[name] = result.rowcount or 0
        trajectory.region_id = target
        trajectory.procesregisseur_id = actor.id
        moved["trajectories"] = 1
    person.region_id = target
    moved["persons"] = 1
    for region_id in (handover.region_id, target):
        record(
            "region_move",
            actor=actor,
            region_id=region_id,
            person_id=person.id,
            object_type="overdracht",
            object_id=handover.id,
            categories=["proces"],
            details={
                "from_region": str(handover.region_id),
                "to_region": str(target),
                "moved": moved,
            },
        )
    return moved


def end_sending_region(actor, handover, person: Person, today: date) -> int:
    """At completion: the sending region's organisations stop taking part, and users without a
    role in the receiving region leave the caseload. Returns how many rows ended."""
    ended = 0
    sending = sa.select(Organisation.id).where(Organisation.region_id == handover.region_id)
    for participant in db.session.scalars(
        sa.select(CaseParticipant).where(
            CaseParticipant.person_id == person.id,
            CaseParticipant.organisation_id.in_(sending),
            policy.active_on(CaseParticipant, today),
        )
    ):
        participant.end_date = today
        participant.ended_by_id = actor.id
        ended += 1
    staying = sa.select(RoleAssignment.user_id).where(
        RoleAssignment.region_id == handover.to_region_id
    )
    for assignment in db.session.scalars(
        sa.select(CaseAssignment).where(
            CaseAssignment.person_id == person.id,
            policy.active_on(CaseAssignment, today),
            CaseAssignment.user_id.not_in(staying),
        )
    ):
        assignment.end_date = today
        ended += 1
    return ended


# ---------------------------------------------------------------- known elsewhere


def known_elsewhere(
    actor,
    region: Region,
    *,
    bsn: str | None = None,
    achternaam: str | None = None,
    geboortedatum: date | None = None,
) -> list[tuple[str, str | None]]:
    """Is this person (by BSN, or by surname and birth date) known in another region? The
    answer names only the regions and their contactpunt, never anything about the person.

    The lookup goes through the blind indexes; because they are truncated on purpose (so that
    an index alone identifies nobody), a candidate is confirmed by comparing its decrypted field
    inside this function before its region counts. Each check is recorded in the asking region
    and in every region where it matched (event "known_elsewhere_check"; no search terms, no
    personal data in the details). For the procesregisseur; the lead calls it at referral with
    the procesregisseur who handles the referral as actor."""
    from levensloop.persons.services import _index

    if actor is None or Role.PROCESREGISSEUR not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de procesregisseur vraagt na of iemand elders bekend is."))
    wanted_bsn = blind_index.normalise_bsn(bsn) if bsn and bsn.strip() else ""
    wanted_name = blind_index.normalise_name(achternaam) if achternaam else ""
    if wanted_bsn:
        if not is_valid_bsn(wanted_bsn):
            raise DomainError(
                _(
                    "Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de "
                    "elfproef. Controleer het nummer."
                ),
                field="bsn",
            )
        condition = Person.bsn_bidx == _index("bsn", wanted_bsn)
        by = "bsn"
    elif wanted_name and geboortedatum:
        condition = Person.achternaam_geboortedatum_bidx == _index(
            "achternaam_geboortedatum",
            f"{wanted_name}|{blind_index.normalise_date(geboortedatum)}",
        )
        by = "naam"
    else:
        raise DomainError(
            _("Vul het BSN in, of de achternaam met de geboortedatum."),
            field="achternaam" if wanted_name else "bsn",
        )
    candidates = list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.region_id != region.id, Person.shredded_at.is_(None), condition)
            .execution_options(skip_region_scope=True)
        )
    )
    matches: dict[uuid.UUID, list[uuid.UUID]] = {}
    for person in candidates:
        if by == "bsn":
            same = blind_index.normalise_bsn(person.bsn) == wanted_bsn
        else:
            same = (
                blind_index.normalise_name(person.achternaam) == wanted_name
                and person.geboortedatum == geboortedatum
            )
        if same:
            matches.setdefault(person.region_id, []).append(person.id)
    regions = (
        list(
            db.session.scalars(
                sa.select(Region).where(Region.id.in_(list(matches))).order_by(Region.name)
            )
        )
        if matches
        else []
    )
    record(
        "known_elsewhere_check",
        actor=actor,
        region_id=region.id,
        object_type="bekend_elders",
        categories=["identiteit"],
        details={"by": by, "regions": len(regions)},
    )
    for found in regions:
        for person_id in matches[found.id]:
            record(
                "known_elsewhere_check",
                actor=actor,
                region_id=found.id,
                object_type="person",
                object_id=person_id,
                categories=["identiteit"],
                details={"by": by, "asking_region": str(region.id)},
            )
    db.session.commit()
    return [(found.name, found.contactpunt_email) for found in regions]

"""The alerts of DOMAIN.md §5 and §6 and issue #6, computed per region for one day.

Each alert becomes a notification in the inbox of the people who must act, once: the dedup
key names the object and the step (e.g. the 60-day mark of a title), so running the
computation again on the same day, or the next day for the same step, adds nothing. Titles
of notifications carry no personal data; the inbox shows the person's name only to who may
see it.

- A title ends within 90, 60 or 30 days with no successor title and no accepted handover:
  the coördinator; at 30 days also the procesregisseur.
- A handover offered and unanswered for 5 werkdagen: the receiver and the sender.
- An escalation past its response time: its owner and the next level (the procesregisseur).
- A plan review due within 14 days or overdue: the coördinator.
- Actions overdue (once a week per person): the coördinator.
- A deferred informatieplicht notice due for review: the coördinator, else the regisseur.
- A rights request due within 7 days or overdue: the privacy officers.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.inclusion.states import UITGESTROOMD
from levensloop.notifications.services import notify
from levensloop.organisations.models import Region
from levensloop.persons.models import Person
from levensloop.sharing.models import CaseAssignment
from levensloop.sharing.policy import active_on
from levensloop.workdays import add_workdays

TITLE_MARKS = (30, 60, 90)  # days before the end; the smallest mark reached counts
UNANSWERED_WORKDAYS = 5
REVIEW_AHEAD_DAYS = 14
RIGHTS_AHEAD_DAYS = 7


@dataclass
class Result:
    created: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, kind: str, notification) -> None:
        if notification is not None:
            self.created[kind] += 1

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def summary(self) -> str:
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(self.created.items()))
        return f"{self.total} nieuwe signalen" + (f" ({parts})" if parts else "")


class _Recipients:
    """Who to tell, looked up once per region: coördinators per person, regisseurs, privacy
    officers (active users only)."""

    def __init__(self, region: Region, today: date) -> None:
        self.region = region
        self.coordinators: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for person_id, user_id in db.session.execute(
            sa.select(CaseAssignment.person_id, CaseAssignment.user_id)
            .join(User, User.id == CaseAssignment.user_id)
            .join(Person, Person.id == CaseAssignment.person_id)
            .where(
                Person.region_id == region.id,
                CaseAssignment.role == "coordinator",
                active_on(CaseAssignment, today),
                User.active,
            )
        ):
            self.coordinators[person_id].append(user_id)
        self._by_role: dict[Role, list[uuid.UUID]] = defaultdict(list)
        for role, user_id in db.session.execute(
            sa.select(RoleAssignment.role, RoleAssignment.user_id)
            .join(User, User.id == RoleAssignment.user_id)
            .where(RoleAssignment.region_id == region.id, User.active)
        ):
            self._by_role[role].append(user_id)

    def role(self, role: Role) -> list[uuid.UUID]:
        return self._by_role.get(role, [])

    def coordinators_or_regisseurs(self, person_id: uuid.UUID) -> list[uuid.UUID]:
        return self.coordinators.get(person_id) or self.role(Role.PROCESREGISSEUR)


def _send(result, kind, users, region, *, title, link, person_id, key) -> None:
    for user_id in dict.fromkeys(u for u in users if u):
        result.add(
            kind,
            notify(
                user_id,
                region.id,
                kind=kind,
                title=title,
                link=link,
                person_id=person_id,
                dedup_key=key,
            ),
        )


def compute(region: Region, today: date | None = None) -> Result:
    """Create today's alerts for one region. Commits."""
    today = today or local_today()
    result = Result()
    who = _Recipients(region, today)
    _titles(region, today, who, result)
    _handovers(region, today, who, result)
    _escalations(region, today, who, result)
    _reviews(region, today, who, result)
    _actions(region, today, who, result)
    _notices(region, today, who, result)
    _rights_requests(region, today, who, result)
    db.session.commit()
    return result


def compute_all(today: date | None = None) -> Result:
    total = Result()
    for region in db.session.scalars(sa.select(Region).where(Region.active)):
        for kind, count in compute(region, today).created.items():
            total.created[kind] += count
    return total


# ---------------------------------------------------------------- titles


def _titles(region, today, who, result) -> None:
    """A running title ending within 90 days with nobody taking over: no later title of the
    person that runs or is planned, and no accepted or completed handover from this title."""
    from levensloop.handovers import states as hs
    from levensloop.handovers.models import Handover
    from levensloop.titles.models import LegalTitle
    from levensloop.titles.states import GEPLAND, RUNNING

    successor = sa.orm.aliased(LegalTitle)
    has_successor = sa.exists().where(
        successor.person_id == LegalTitle.person_id,
        successor.id != LegalTitle.id,
        successor.status.in_((GEPLAND, *RUNNING)),
        successor.start_date > LegalTitle.start_date,
    )
    taken_over = sa.exists().where(
        Handover.predecessor_title_id == LegalTitle.id,
        Handover.status.in_((hs.GEACCEPTEERD, hs.AFGEROND)),
    )
    rows = db.session.execute(
        sa.select(LegalTitle.id, LegalTitle.person_id, LegalTitle.expected_end)
        .join(Trajectory, Trajectory.person_id == LegalTitle.person_id)
        .where(
            LegalTitle.region_id == region.id,
            LegalTitle.status.in_(RUNNING),
            LegalTitle.expected_end >= today,
            LegalTitle.expected_end <= today + timedelta(days=max(TITLE_MARKS)),
            Trajectory.status != UITGESTROOMD,
            ~has_successor,
            ~taken_over,
        )
    ).all()
    for title_id, person_id, ends_on in rows:
        days = (ends_on - today).days
        mark = min(m for m in TITLE_MARKS if days <= m)
        users = list(who.coordinators_or_regisseurs(person_id))
        if mark == min(TITLE_MARKS):
            users += who.role(Role.PROCESREGISSEUR)
        _send(
            result,
            "titel_loopt_af",
            users,
            region,
            title=f"Een titel loopt binnen {mark} dagen af en niemand neemt het over",
            link=f"/personen/{person_id}/titels",
            person_id=person_id,
            key=f"titel:{title_id}:{mark}",
        )


# ---------------------------------------------------------------- handovers and escalations


def _handovers(region, today, who, result) -> None:
    from levensloop.handovers import states as hs
    from levensloop.handovers.models import Handover

    for handover in db.session.scalars(
        sa.select(Handover).where(
            Handover.status == hs.AANGEBODEN,
            sa.or_(Handover.region_id == region.id, Handover.to_region_id == region.id),
            Handover.offered_at.is_not(None),
        )
    ):
        offered = handover.offered_at.date()
        if add_workdays(offered, UNANSWERED_WORKDAYS) > today:
            continue
        receivers = [handover.to_user_id] if handover.to_user_id else []
        if not receivers and handover.to_organisation_id:
            receivers = list(
                db.session.scalars(
                    sa.select(User.id)
                    .join(RoleAssignment, RoleAssignment.user_id == User.id)
                    .where(
                        User.organisation_id == handover.to_organisation_id,
                        User.active,
                        RoleAssignment.region_id == region.id,
                        RoleAssignment.role.in_(
                            (Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.PROCESREGISSEUR)
                        ),
                    )
                )
            )
        if handover.to_region_id and handover.to_region_id == region.id:
            receivers += who.role(Role.PROCESREGISSEUR)
        senders = [handover.offered_by_id, handover.from_user_id]
        if handover.region_id != region.id:
            senders = []  # the sending region tells its own people
        _send(
            result,
            "overdracht_onbeantwoord",
            receivers + senders,
            region,
            title="Een aangeboden overdracht is al 5 werkdagen niet beantwoord",
            link=f"/personen/{handover.person_id}/overdrachten",
            person_id=handover.person_id,
            key=f"overdracht:{handover.id}:onbeantwoord",
        )


def _escalations(region, today, who, result) -> None:
    from levensloop.escalations.models import Escalation
    from levensloop.escalations.services import overdue_escalations

    for escalation in db.session.scalars(
        overdue_escalations(today).where(Escalation.region_id == region.id)
    ):
        owners = [escalation.owner_user_id] if escalation.owner_user_id else []
        if not owners:
            owners = list(
                db.session.scalars(
                    sa.select(User.id)
                    .join(RoleAssignment, RoleAssignment.user_id == User.id)
                    .where(
                        User.organisation_id == escalation.owner_organisation_id,
                        User.active,
                        RoleAssignment.region_id == region.id,
                        RoleAssignment.role == Role.PROCESREGISSEUR,
                    )
                )
            )
        # The next level: the procesregisseur decides on escalating it further.
        _send(
            result,
            "escalatie_te_laat",
            owners + who.role(Role.PROCESREGISSEUR),
            region,
            title=f"Een escalatie op niveau {escalation.level} is over haar reactietermijn",
            link=f"/personen/{escalation.person_id}/escalaties/{escalation.id}",
            person_id=escalation.person_id,
            key=f"escalatie:{escalation.id}:{escalation.due_date.isoformat()}",
        )


# ---------------------------------------------------------------- plan, notices, requests


def _reviews(region, today, who, result) -> None:
    from levensloop.reviews.schedule import reviews_due

    due = reviews_due(today, region_id=region.id).subquery()
    for person_id, due_date in db.session.execute(
        sa.select(Trajectory.person_id, due.c.due_date)
        .join(due, due.c.trajectory_id == Trajectory.id)
        .where(due.c.due_date <= today + timedelta(days=REVIEW_AHEAD_DAYS))
    ):
        late = due_date < today
        _send(
            result,
            "evaluatie_nodig",
            who.coordinators_or_regisseurs(person_id),
            region,
            title="De evaluatie van het levensloopplan is te laat"
            if late
            else "De evaluatie van het levensloopplan is binnen twee weken nodig",
            link=f"/personen/{person_id}/plan/evaluaties",
            person_id=person_id,
            key=f"evaluatie:{person_id}:{due_date.isoformat()}:{'laat' if late else 'binnenkort'}",
        )


def _actions(region, today, who, result) -> None:
    from levensloop.plans.domains import VERVALLEN
    from levensloop.plans.models import Action, Goal, Plan

    week = today.isocalendar()
    for person_id, count in db.session.execute(
        sa.select(Action.person_id, sa.func.count())
        .join(Goal, Goal.id == Action.goal_id)
        .join(Plan, Plan.id == Goal.plan_id)
        .where(
            Plan.region_id == region.id,
            Plan.status != VERVALLEN,
            Action.status != "gereed",
            Action.due_date < today,
        )
        .group_by(Action.person_id)
    ):
        _send(
            result,
            "actie_te_laat",
            who.coordinators_or_regisseurs(person_id),
            region,
            title=f"{count} actie(s) uit het levensloopplan over de termijn",
            link=f"/personen/{person_id}/plan",
            person_id=person_id,
            key=f"acties:{person_id}:{week.year}-W{week.week:02d}",
        )


def _notices(region, today, who, result) -> None:
    from levensloop.privacy.models import InformationNotice

    latest = (
        sa.select(
            InformationNotice.person_id, sa.func.max(InformationNotice.recorded_at).label("at")
        )
        .where(InformationNotice.region_id == region.id)
        .group_by(InformationNotice.person_id)
        .subquery()
    )
    for notice in db.session.scalars(
        sa.select(InformationNotice)
        .join(
            latest,
            sa.and_(
                latest.c.person_id == InformationNotice.person_id,
                latest.c.at == InformationNotice.recorded_at,
            ),
        )
        .where(InformationNotice.status == "uitgesteld", InformationNotice.review_on <= today)
    ):
        _send(
            result,
            "informatieplicht",
            who.coordinators_or_regisseurs(notice.person_id),
            region,
            title="Een uitgestelde informatieplicht moet opnieuw worden beoordeeld",
            link=f"/personen/{notice.person_id}/informatieplicht",
            person_id=notice.person_id,
            key=f"informatieplicht:{notice.id}",
        )


def _rights_requests(region, today, who, result) -> None:
    from levensloop.privacy.models import RequestStatus, RightsRequest

    due = sa.func.coalesce(RightsRequest.extended_until, RightsRequest.due_on)
    for request_id, person_id, due_on in db.session.execute(
        sa.select(RightsRequest.id, RightsRequest.person_id, due).where(
            RightsRequest.region_id == region.id,
            RightsRequest.status.in_((RequestStatus.ONTVANGEN, RequestStatus.IN_BEHANDELING)),
            due <= today + timedelta(days=RIGHTS_AHEAD_DAYS),
        )
    ):
        _send(
            result,
            "rechtenverzoek",
            who.role(Role.PRIVACY_OFFICER),
            region,
            title="Een verzoek van een betrokkene moet binnen 7 dagen zijn afgehandeld"
            if due_on >= today
            else "Een verzoek van een betrokkene is over de termijn",
            link=f"/privacybeheer/verzoeken/{request_id}",
            person_id=person_id,
            key=f"verzoek:{request_id}:{due_on}:{'laat' if due_on < today else 'bijna'}",
        )

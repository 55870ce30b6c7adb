"""Timeline entries of the route in: referral, triage, the table's decision and trajectories."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import (
    InclusionDecision,
    InclusionMeeting,
    Referral,
    Trajectory,
    Triage,
)
from levensloop.organisations.models import Organisation
from levensloop.sharing.categories import Category
from levensloop.timeline import Entry, provider


@provider
def route_in(person, today: date) -> list[Entry]:
    entries = []
    for referral, organisation in db.session.execute(
        sa.select(Referral, Organisation.name)
        .join(Organisation, Organisation.id == Referral.referrer_organisation_id)
        .where(Referral.person_id == person.id)
    ):
        entries.append(
            Entry(
                referral.created_at.date(),
                Category.PROCES,
                _("Aanmelding"),
                _("Aangemeld door %(organisation)s", organisation=organisation),
            )
        )
    for triage in db.session.scalars(sa.select(Triage).where(Triage.person_id == person.id)):
        entries.append(
            Entry(
                triage.held_on,
                Category.PROCES,
                _("Triage"),
                _("Uitkomst: %(outcome)s", outcome=states.REFERRAL.label(triage.outcome)),
            )
        )
    for decision, held_on in db.session.execute(
        sa.select(InclusionDecision, InclusionMeeting.held_on)
        .join(InclusionMeeting, InclusionMeeting.id == InclusionDecision.meeting_id)
        .where(InclusionDecision.person_id == person.id)
    ):
        entries.append(
            Entry(
                held_on,
                Category.PROCES,
                _("Inclusietafel"),
                str(states.DECISIONS.get(decision.outcome, decision.outcome)),
            )
        )
    for trajectory in db.session.scalars(
        sa.select(Trajectory).where(Trajectory.person_id == person.id)
    ):
        entries.append(
            Entry(trajectory.included_on, Category.PROCES, _("Traject"), _("Traject gestart"))
        )
        if trajectory.exited_on:
            reason = states.EXIT_REASONS.get(trajectory.exit_reason, trajectory.exit_reason)
            entries.append(
                Entry(
                    trajectory.exited_on,
                    Category.PROCES,
                    _("Traject"),
                    _("Uitgestroomd: %(reason)s", reason=reason),
                )
            )
    return entries

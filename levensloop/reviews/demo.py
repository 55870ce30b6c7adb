"""Demo data: one past review for each of the demo coördinator's trajectories in execution, one
of which is now overdue for its next review. Plainly fictional, marked "(demo)"."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.extensions import db
from levensloop.inclusion import states
from levensloop.inclusion.models import Trajectory
from levensloop.organisations.models import Region
from levensloop.plans.domains import VASTGESTELD
from levensloop.plans.models import Plan
from levensloop.reviews import schedule
from levensloop.reviews.models import PlanReview
from levensloop.reviews.services import VOORTZETTEN, store_review
from levensloop.sharing.models import CaseParticipant
from levensloop.sharing.policy import active_on

COORDINATOR = "coordinator@zvh-demo.example"


def seed_demo(region: Region, today: date) -> int:
    """Add the demo reviews to `region` (after `levensloop.demo.seed_case_work`) and fill in the
    review schedule of its trajectories. Skips trajectories that already have a review. Commits.
    Returns the number of reviews added."""
    coordinator = db.session.scalar(sa.select(User).where(User.username == COORDINATOR))
    if coordinator is None:
        return 0
    trajectories = list(
        db.session.scalars(
            sa.select(Trajectory)
            .where(
                Trajectory.region_id == region.id,
                Trajectory.coordinator_id == coordinator.id,
                Trajectory.status == states.IN_UITVOERING,
                ~sa.exists().where(PlanReview.trajectory_id == Trajectory.id),
            )
            .order_by(Trajectory.included_on)
        )
    )
    plans = {
        p.trajectory_id: p
        for p in db.session.scalars(
            sa.select(Plan).where(
                Plan.trajectory_id.in_([t.id for t in trajectories]), Plan.status == VASTGESTELD
            )
        )
    }
    interval = schedule.interval_months(region.id)
    added = 0
    for n, trajectory in enumerate(trajectories):
        plan = plans.get(trajectory.id)
        if plan is None or plan.adopted_on is None:
            continue
        overdue = n == 0  # the first one's next review has passed
        held_on = max(plan.adopted_on, today - timedelta(days=120 if overdue else 40 + 5 * n))
        if held_on >= today:
            continue
        next_on = schedule.add_months(held_on, interval)
        if overdue and next_on >= today:
            next_on = max(held_on + timedelta(days=1), today - timedelta(days=7))
        attendees = list(
            dict.fromkeys(
                [
                    *(
                        [trajectory.provider_organisation_id]
                        if trajectory.provider_organisation_id
                        else []
                    ),
                    *db.session.scalars(
                        sa.select(CaseParticipant.organisation_id).where(
                            CaseParticipant.person_id == trajectory.person_id,
                            active_on(CaseParticipant, held_on),
                        )
                    ),
                ]
            )
        )
        store_review(
            coordinator,
            region.id,
            trajectory,
            plan,
            held_on=held_on,
            decision=VOORTZETTEN,
            next_review_on=next_on,
            attendees=attendees,
            attendee_persons="Coördinator, FACT-behandelaar en woonbegeleider (demo)",
            motivation="Het plan loopt; de tafel zet het voort en kijkt bij de volgende "
            "evaluatie opnieuw naar wonen (demo).",
            domains={
                "wonen": ("Kamer in beschermd wonen gevonden; intake is gepland (demo).", 3),
                "zorg": ("Komt de afspraken bij het FACT-team na (demo).", None),
            },
        )
        added += 1
    schedule.ensure_schedules(region.id, today)
    db.session.commit()
    return added

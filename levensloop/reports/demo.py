"""Demo data: the last twelve months of both demo regions, frozen from the demo history."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from levensloop.extensions import db
from levensloop.organisations.models import Region
from levensloop.reports import services
from levensloop.reports.measures import Month, last_months

DEMO_REGIONS = ("demo-west", "demo-oost")


def seed_demo(today: date) -> int:
    """Freeze the twelve months before `today`'s month for the demo regions (the same service
    as `flask reports snapshot`). Months that are already frozen are kept. Commits."""
    months = last_months(Month.of(today).previous(), 12)
    regions = list(
        db.session.scalars(
            sa.select(Region).where(Region.code.in_(DEMO_REGIONS)).order_by(Region.code)
        )
    )
    count = 0
    for region in regions:
        count += services.backfill(region, months, source=services.DEMO)
    db.session.commit()
    return count

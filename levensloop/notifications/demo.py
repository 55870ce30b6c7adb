"""Demo data: a few notifications in the inboxes of the demo coördinator and procesregisseur.
Plainly fictional, marked "(demo)"; titles without personal data, as real ones."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.db import utcnow
from levensloop.extensions import db
from levensloop.notifications.services import notify
from levensloop.organisations.models import Region
from levensloop.sharing.models import CaseAssignment

COORDINATOR = "coordinator@zvh-demo.example"
PROCESREGISSEUR = "procesregisseur@zvh-demo.example"


def seed_demo(region: Region, today: date) -> int:
    """Add demo notifications in `region` (after the persons and the coördinator's caseload
    exist). Harmless to repeat (dedup keys). Commits. Returns the number added."""
    users = {
        u.username: u
        for u in db.session.scalars(
            sa.select(User).where(User.username.in_((COORDINATOR, PROCESREGISSEUR)))
        )
    }
    coordinator, regisseur = users.get(COORDINATOR), users.get(PROCESREGISSEUR)
    if coordinator is None or regisseur is None:
        return 0
    person_ids = list(
        db.session.scalars(
            sa.select(CaseAssignment.person_id)
            .where(CaseAssignment.user_id == coordinator.id, CaseAssignment.role == "coordinator")
            .order_by(CaseAssignment.start_date, CaseAssignment.person_id)
            .limit(3)
        )
    )
    wanted = []
    for n, person_id in enumerate(person_ids):
        wanted.append(
            (
                coordinator,
                "actie_te_laat" if n != 1 else "evaluatie_nodig",
                "Een actie in het levensloopplan is over de datum (demo)"
                if n != 1
                else "Het levensloopplan moet opnieuw worden geëvalueerd (demo)",
                f"/personen/{person_id}/plan",
                person_id,
                n == 2,  # one of them already read
            )
        )
    wanted.append(
        (
            regisseur,
            "escalatie_te_laat",
            "Een escalatie is over de reactietermijn (demo)",
            "/escalaties/",
            None,
            False,
        )
    )
    added = 0
    for user, kind, title, link, person_id, read in wanted:
        notification = notify(
            user.id,
            region.id,
            kind=kind,
            title=title,
            link=link,
            person_id=person_id,
            dedup_key=f"demo:{kind}:{person_id or 'regio'}:{today.isoformat()}",
        )
        if notification is not None:
            added += 1
            if read:
                notification.read_at = utcnow()
    db.session.commit()
    return added

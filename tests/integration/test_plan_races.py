"""Two saves of the same plan section or action that both pass the version check: the one whose
UPDATE comes second matches no row and gets the conflict message, never a server error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from levensloop.errors import Conflict
from levensloop.extensions import db
from levensloop.plans import services
from levensloop.plans.models import Action, PlanSection
from tests.integration.test_plans import _plan, case  # noqa: F401 (fixture)


def _bump_behind_the_session(table: str, row_id) -> None:
    """Another request's edit: the row's version moves on in the database while this session
    still holds the version it read (raw SQL, so the session's copy is not refreshed)."""
    db.session.connection().execute(
        sa.text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"),  # noqa: S608
        {"id": row_id.hex if db.engine.dialect.name == "sqlite" else row_id},
    )


@pytest.mark.parametrize("kind", ["section", "action"])
def test_losing_update_of_a_race_is_a_conflict(world, case, kind):  # noqa: F811
    browser, url = case["browser"], case["url"]
    assert browser.post_form(url, {}, action=f"{url}/nieuw").status_code == 302
    plan = _plan()
    person, coordinator = case["person"], case["coordinator"].model
    if kind == "section":
        section = next(s for s in plan.sections if s.domain == "wonen")
        read_version = section.version
        _bump_behind_the_session("plan_sections", section.id)
        with pytest.raises(Conflict, match="intussen gewijzigd"):
            services.update_section(
                coordinator,
                world.west,
                person,
                plan,
                "wonen",
                situation="Tekst die de race verliest",
                score=2,
                version=read_version,
            )
        db.session.expire_all()
        stored = db.session.get(PlanSection, section.id)
        # the rollback also undid the simulated edit (same transaction): nothing was written
        assert stored.version == read_version and stored.situation is None
    else:
        goals_url = f"{url}/{plan.id}"
        browser.post_form(
            url,
            {"domain": "wonen", "text": "Binnen drie maanden een eigen kamer"},
            action=f"{goals_url}/doel",
        )
        goal = _plan().goals[0]
        browser.post_form(
            url,
            {
                "goal": str(goal.id),
                "text": "Aanmelden bij de woningcorporatie",
                "owner_organisation": str(world.west_ggz.id),
            },
            action=f"{goals_url}/actie",
        )
        action = db.session.scalar(sa.select(Action))
        read_version = action.version
        _bump_behind_the_session("actions", action.id)
        with pytest.raises(Conflict, match="intussen gewijzigd"):
            services.set_action_status(
                coordinator, world.west, person, action.id, "loopt", read_version
            )
        db.session.expire_all()
        stored = db.session.get(Action, action.id)
        assert stored.version == read_version and stored.status == "open"

"""Query scoping: inside a request, every ORM query for persons (and break-glass grants) only
sees the current region, so that a forgotten filter cannot leak another region's rows.

Services still filter explicitly; this is the second lock. Code that must look across regions
(a later inter-regional handover) passes ``execution_options(skip_region_scope=True)``.
"""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

SCOPED_MODELS: list[type] = []


def _scope(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("skip_region_scope"):
        return
    if not has_request_context():
        return
    # The id, not the Region object: touching an expired object here would query again.
    region_id = g.get("region_id")
    if region_id is None:
        return
    for model in SCOPED_MODELS:
        state.statement = state.statement.options(
            with_loader_criteria(
                model, lambda cls: cls.region_id == region_id, include_aliases=True
            )
        )


def install() -> None:
    from levensloop.persons.models import Person
    from levensloop.sharing.models import BreakGlass

    SCOPED_MODELS[:] = [Person, BreakGlass]
    if not event.contains(Session, "do_orm_execute", _scope):
        event.listen(Session, "do_orm_execute", _scope)

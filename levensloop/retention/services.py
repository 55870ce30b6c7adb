"""Retention: the rules per region, the nightly draft of the destruction list, the privacy
officer's review (approve and destroy, extend, legal hold) and the destruction report.

Who is drafted. A person of the region whose data have not been destroyed yet, and
- with a trajectory: every trajectory has ended and the last exit date (or a later closed
  referral) lies at least the period of `persoon_na_uitstroom` back;
- without a trajectory: a referral ended in `andere_route`/`niet_passend` or a
  `niet_geincludeerd` decision, the last such end at least the period of
  `persoon_niet_geincludeerd` back.
Never drafted: a person with a running trajectory, a referral still being handled, a rights
request still open, a legal hold, an extension that has not expired, or an open proposal.
The filter runs in SQL (NOT EXISTS per exclusion, plain date cut-offs per rule); the exact
trigger dates of the few persons found come from three grouped queries.

Destruction is crypto-shredding by `persons.services.shred_person` (the person's data key and
blind indexes go; the person row stays as a tombstone with region and dates, trajectories keep
their dates, so monthly counts over the past do not change). Document content is purged too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.models import AuditEvent
from levensloop.audit.services import record
from levensloop.auth.models import Role, User
from levensloop.db import local_today, utcnow
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.inclusion import states as inclusion
from levensloop.inclusion.models import (
    InclusionDecision,
    InclusionMeeting,
    Referral,
    Trajectory,
)
from levensloop.organisations.models import Region
from levensloop.persons.models import Person
from levensloop.privacy.models import OPEN_STATUSES, RightsRequest
from levensloop.retention import rules
from levensloop.retention.models import DestructionEntry, RetentionRule
from levensloop.workflow import transition

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PAGE_SIZE = 25
CHUNK = 500  # ids per IN (...) list
MAX_EXTENSION_MONTHS = 120
MIN_REASON = 10


def _require_officer(actor, region: Region) -> None:
    if actor is None or Role.PRIVACY_OFFICER not in actor.roles_in(region.id):
        raise NotAllowed(_("Alleen de privacy officer beoordeelt bewaartermijnen en vernietiging."))


def _reason(text: str | None, field_name: str = "reason") -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) < MIN_REASON:
        raise DomainError(_("Geef de reden (minstens 10 tekens)."), field=field_name)
    return cleaned


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _local_date(moment: datetime | None) -> date | None:
    return moment.astimezone(AMSTERDAM).date() if moment is not None else None


def _start_of_day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, AMSTERDAM)


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class CurrentRule:
    """The period that applies now to one record type in one region."""

    kind: rules.RecordType
    months: int
    unconfirmed: bool
    rule: RetentionRule | None  # None: the default in code (always unconfirmed)

    @property
    def is_default(self) -> bool:
        return self.rule is None

    @property
    def version_no(self) -> int:
        return self.rule.version_no if self.rule else 0


def current_rules(region_id: uuid.UUID) -> dict[str, CurrentRule]:
    """Every record type's current rule in the region (one query); defaults where it has none."""
    latest = (
        sa.select(RetentionRule.record_type, sa.func.max(RetentionRule.version_no).label("v"))
        .where(RetentionRule.region_id == region_id)
        .group_by(RetentionRule.record_type)
        .subquery()
    )
    found = {
        r.record_type: r
        for r in db.session.scalars(
            sa.select(RetentionRule)
            .join(
                latest,
                sa.and_(
                    latest.c.record_type == RetentionRule.record_type,
                    latest.c.v == RetentionRule.version_no,
                ),
            )
            .where(RetentionRule.region_id == region_id)
        )
    }
    result = {}
    for key, kind in rules.RECORD_TYPES.items():
        rule = found.get(key)
        result[key] = (
            CurrentRule(kind, rule.period_months, rule.default_unconfirmed, rule)
            if rule
            else CurrentRule(kind, kind.default_months, True, None)
        )
    return result


def rule_history(region: Region) -> list[tuple[RetentionRule, str | None]]:
    """Every version of every rule of the region, newest first, with who set it (one query)."""
    return list(
        db.session.execute(
            sa.select(RetentionRule, User.display_name)
            .outerjoin(User, User.id == RetentionRule.created_by_id)
            .where(RetentionRule.region_id == region.id)
            .order_by(RetentionRule.record_type, RetentionRule.version_no.desc())
        ).all()
    )


def record_type(key: str) -> rules.RecordType:
    kind = rules.RECORD_TYPES.get(key)
    if kind is None:
        raise NotFound(_("Deze soort gegevens kent geen bewaarregel."))
    return kind


def set_rule(
    actor,
    region: Region,
    key: str,
    *,
    months: str | int | None,
    unconfirmed: bool,
    reason: str,
    version: int,
) -> RetentionRule:
    """Add the next version of the region's rule for one record type (privacy officer). The
    reason is policy, not about a person; the change is audited."""
    _require_officer(actor, region)
    kind = record_type(key)
    text = str(months if months is not None else "").strip()
    if (
        not (text.isascii() and text.isdigit())
        or not rules.MIN_MONTHS <= int(text) <= rules.MAX_MONTHS
    ):
        raise DomainError(
            _("Vul een termijn in hele maanden in, van 1 tot en met 1200."), field="period_months"
        )
    period = int(text)
    reason = _reason(reason)[:500]
    current = current_rules(region.id)[key]
    if version != current.version_no:
        raise Conflict(
            _(
                "Iemand anders heeft deze bewaarregel intussen gewijzigd (nu %(n)s maanden). "
                "Bekijk de nieuwe stand en sla opnieuw op als dat nog nodig is.",
                n=current.months,
            )
        )
    if period == current.months and bool(unconfirmed) == current.unconfirmed:
        raise DomainError(_("Er is niets gewijzigd."), field="period_months")
    rule = RetentionRule(
        id=uuid.uuid4(),
        region_id=region.id,
        record_type=key,
        version_no=current.version_no + 1,
        period_months=period,
        trigger_kind=kind.trigger_kind,
        default_unconfirmed=bool(unconfirmed),
        reason=reason,
        created_by_id=actor.id,
    )
    db.session.add(rule)
    record(
        "bewaarregel_gewijzigd",
        actor=actor,
        region_id=region.id,
        object_type="bewaarregel",
        object_id=rule.id,
        details={
            "record_type": key,
            "months": period,
            "previous_months": current.months,
            "unconfirmed": bool(unconfirmed),
            "version": rule.version_no,
        },
    )
    try:
        db.session.commit()
    except IntegrityError:  # someone saved the same version at the same moment
        db.session.rollback()
        raise Conflict(_("Iemand anders heeft deze bewaarregel intussen gewijzigd.")) from None
    return rule


# ---------------------------------------------------------------- who may (not) be destroyed


def _running(person_id):
    return sa.exists().where(
        Trajectory.person_id == person_id, Trajectory.status != inclusion.UITGESTROOMD
    )


def _open_referral(person_id):
    decided = sa.exists().where(
        InclusionDecision.referral_id == Referral.id,
        InclusionDecision.outcome.in_((inclusion.GEINCLUDEERD, inclusion.NIET_GEINCLUDEERD)),
    )
    return sa.exists().where(
        Referral.person_id == person_id,
        Referral.status.in_(
            (inclusion.INGEDIEND, inclusion.IN_TRIAGE, inclusion.NAAR_INCLUSIETAFEL)
        ),
        ~decided,
    )


def _pending_request(person_id):
    return sa.exists().where(
        RightsRequest.person_id == person_id, RightsRequest.status.in_(OPEN_STATUSES)
    )


def _entry_in(person_id, status: str, *extra):
    return sa.exists().where(
        DestructionEntry.person_id == person_id, DestructionEntry.status == status, *extra
    )


def _held(person_id):
    return _entry_in(person_id, rules.JURIDISCHE_BLOKKADE)


def _extended(person_id, today: date):
    return _entry_in(person_id, rules.VERLENGD, DestructionEntry.extended_until > today)


def _open_entry(person_id):
    return _entry_in(person_id, rules.VOORGESTELD)


_CLOSED_REFERRAL = (inclusion.ANDERE_ROUTE, inclusion.NIET_PASSEND)


def _referral_closed_at():
    return sa.func.coalesce(Referral.status_changed_at, Referral.updated_at)


def _closure(person_id, after: date | None = None):
    """SQL: the person has a referral that ended without inclusion (after `after`, if given)."""
    referral = [Referral.person_id == person_id, Referral.status.in_(_CLOSED_REFERRAL)]
    decision = [
        InclusionDecision.person_id == person_id,
        InclusionDecision.outcome == inclusion.NIET_GEINCLUDEERD,
    ]
    if after is not None:
        referral.append(_referral_closed_at() >= _start_of_day_after(after))
        decision.append(InclusionMeeting.held_on > after)
    return sa.or_(
        sa.exists().where(*referral),
        sa.select(InclusionDecision.id)
        .join(InclusionMeeting, InclusionMeeting.id == InclusionDecision.meeting_id)
        .where(*decision)
        .exists(),
    )


def _has_trajectory(person_id):
    return sa.exists().where(Trajectory.person_id == person_id)


def _candidate_ids(
    region_id: uuid.UUID, today: date, current: dict[str, CurrentRule]
) -> tuple[set, set]:
    """The persons whose retention has passed and who are not excluded: two queries, one per
    record type, each with plain date cut-offs."""
    exclusions = (
        Person.region_id == region_id,
        Person.shredded_at.is_(None),
        ~_running(Person.id),
        ~_open_referral(Person.id),
        ~_pending_request(Person.id),
        ~_held(Person.id),
        ~_extended(Person.id, today),
        ~_open_entry(Person.id),
    )
    after_exit = rules.cutoff(today, current[rules.PERSOON_NA_UITSTROOM].months)
    not_included = rules.cutoff(today, current[rules.PERSOON_NIET_GEINCLUDEERD].months)
    exited = set(
        db.session.scalars(
            sa.select(Person.id).where(
                *exclusions,
                _has_trajectory(Person.id),
                ~sa.exists().where(
                    Trajectory.person_id == Person.id, Trajectory.exited_on > after_exit
                ),
                ~_closure(Person.id, after=after_exit),
            )
        )
    )
    never_included = set(
        db.session.scalars(
            sa.select(Person.id).where(
                *exclusions,
                ~_has_trajectory(Person.id),
                _closure(Person.id),
                ~_closure(Person.id, after=not_included),
            )
        )
    )
    return exited, never_included


@dataclass
class Trigger:
    trajectories: int = 0
    last_exit: date | None = None
    last_closure: date | None = None

    @property
    def record_type(self) -> str:
        return rules.PERSOON_NA_UITSTROOM if self.trajectories else rules.PERSOON_NIET_GEINCLUDEERD

    @property
    def on(self) -> date | None:
        dates = [d for d in (self.last_exit, self.last_closure) if d is not None]
        if self.trajectories and self.last_exit is None:
            return None  # a trajectory without exit date: nothing to count from
        return max(dates) if dates else None


def _triggers(ids) -> dict[uuid.UUID, Trigger]:
    """Per person: how many trajectories, the last exit date, the last end of a referral
    without inclusion. Three grouped queries per chunk of ids."""
    found: dict[uuid.UUID, Trigger] = {i: Trigger() for i in ids}
    for chunk in _chunks(found):
        for person_id, count, last_exit in db.session.execute(
            sa.select(Trajectory.person_id, sa.func.count(), sa.func.max(Trajectory.exited_on))
            .where(Trajectory.person_id.in_(chunk))
            .group_by(Trajectory.person_id)
        ):
            found[person_id].trajectories, found[person_id].last_exit = count, last_exit
        for person_id, closed_at in db.session.execute(
            sa.select(Referral.person_id, sa.func.max(_referral_closed_at()))
            .where(Referral.person_id.in_(chunk), Referral.status.in_(_CLOSED_REFERRAL))
            .group_by(Referral.person_id)
        ):
            found[person_id].last_closure = _closure_date(closed_at)
        for person_id, held_on in db.session.execute(
            sa.select(InclusionDecision.person_id, sa.func.max(InclusionMeeting.held_on))
            .join(InclusionMeeting, InclusionMeeting.id == InclusionDecision.meeting_id)
            .where(
                InclusionDecision.person_id.in_(chunk),
                InclusionDecision.outcome == inclusion.NIET_GEINCLUDEERD,
            )
            .group_by(InclusionDecision.person_id)
        ):
            current = found[person_id].last_closure
            found[person_id].last_closure = max(held_on, current) if current else held_on
    return found


def _closure_date(value) -> date | None:
    """A max() over a timestamp column comes back as a string on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return _local_date(value)


def _expired_extensions(ids, today: date) -> dict[uuid.UUID, date]:
    """The latest extension date of each person that has passed (one query per chunk)."""
    found = {}
    for chunk in _chunks(ids):
        found.update(
            db.session.execute(
                sa.select(DestructionEntry.person_id, sa.func.max(DestructionEntry.extended_until))
                .where(
                    DestructionEntry.person_id.in_(chunk),
                    DestructionEntry.status == rules.VERLENGD,
                    DestructionEntry.extended_until <= today,
                )
                .group_by(DestructionEntry.person_id)
            ).all()
        )
    return found


def blockers(
    region_id: uuid.UUID, ids, today: date, current: dict[str, CurrentRule] | None = None
) -> dict[uuid.UUID, list[str]]:
    """Why each person may not be destroyed today (empty list: nothing stands in the way).
    A fixed number of queries whatever the number of persons."""
    current = current or current_rules(region_id)
    ids = set(ids)
    found: dict[uuid.UUID, list[str]] = {i: [] for i in ids}
    flags = (
        (rules.RUNNING_TRAJECTORY, _running(Person.id)),
        (rules.OPEN_REFERRAL, _open_referral(Person.id)),
        (rules.PENDING_REQUEST, _pending_request(Person.id)),
        (rules.LEGAL_HOLD, _held(Person.id)),
        (rules.EXTENDED, _extended(Person.id, today)),
    )
    for chunk in _chunks(ids):
        rows = db.session.execute(
            sa.select(
                Person.id,
                Person.shredded_at.is_not(None).label(rules.SHREDDED),
                *(clause.label(code) for code, clause in flags),
            ).where(Person.id.in_(chunk), Person.region_id == region_id)
        )
        for row in rows:
            mapping = row._mapping
            found[row.id] = [
                code for code in (rules.SHREDDED, *(c for c, _clause in flags)) if mapping[code]
            ]
    triggers = _triggers(ids)
    for person_id, trigger in triggers.items():
        kind = current[trigger.record_type]
        if trigger.on is None or rules.add_months(trigger.on, kind.months) > today:
            found[person_id].append(rules.NOT_DUE)
    return found


# ---------------------------------------------------------------- the nightly draft


@dataclass
class DraftResult:
    regions: int = 0
    added: int = 0
    withdrawn: int = 0
    skipped: int = 0  # regions whose list was being drafted at the same moment

    def summary(self) -> str:
        text = f"{self.regions} regio's: {self.added} voorgesteld, {self.withdrawn} ingetrokken"
        return text + (f", {self.skipped} overgeslagen" if self.skipped else "")


def draft_destruction_list(region: Region, today: date | None = None, *, actor=None) -> DraftResult:
    """Add a proposal (status `voorgesteld`) for every person of the region whose retention has
    passed and who is not excluded, and withdraw open proposals that no longer hold (a new
    trajectory, referral or rights request, a longer period). Idempotent: a second run adds
    nothing. `actor` is None for the night job, the privacy officer for the button."""
    if actor is not None:
        _require_officer(actor, region)
    today = today or local_today()
    current = current_rules(region.id)
    withdrawn = _withdraw_stale(region, today, current, actor)
    exited, never_included = _candidate_ids(region.id, today, current)
    triggers = _triggers(exited | never_included)
    extensions = _expired_extensions(triggers, today)
    rules_by_type = {key: current[key] for key in rules.PERSON_TYPES}
    added = 0
    for person_id in sorted(triggers, key=str):
        trigger = triggers[person_id]
        kind = rules_by_type[trigger.record_type]
        if trigger.on is None:
            continue
        due = rules.add_months(trigger.on, kind.months)
        if due > today:
            continue
        entry = DestructionEntry(
            id=uuid.uuid4(),
            region_id=region.id,
            person_id=person_id,
            rule_id=kind.rule.id if kind.rule else None,
            record_type=trigger.record_type,
            period_months=kind.months,
            rule_unconfirmed=kind.unconfirmed,
            trigger_date=trigger.on,
            due_since=max(due, extensions.get(person_id, due)),
            status=rules.VOORGESTELD,
            proposed_by_id=actor.id if actor is not None else None,
        )
        db.session.add(entry)
        record(
            "vernietiging_voorgesteld",
            actor=actor,
            region_id=region.id,
            person_id=person_id,
            object_type="vernietiging",
            object_id=entry.id,
            categories=["proces"],
            details={"record_type": trigger.record_type, "due_since": entry.due_since.isoformat()},
        )
        added += 1
    record(
        "vernietigingslijst_opgesteld",
        actor=actor,
        region_id=region.id,
        object_type="vernietigingslijst",
        details={"date": today.isoformat(), "added": added, "withdrawn": withdrawn},
    )
    try:
        db.session.commit()
    except IntegrityError:  # the night job and the button at the same moment
        db.session.rollback()
        raise Conflict(
            _("De lijst wordt op dit moment al opgesteld. Probeer het over een minuut opnieuw.")
        ) from None
    return DraftResult(1, added, withdrawn)


def _withdraw_stale(region: Region, today: date, current, actor) -> int:
    open_entries = list(
        db.session.scalars(
            sa.select(DestructionEntry).where(
                DestructionEntry.region_id == region.id,
                DestructionEntry.status == rules.VOORGESTELD,
            )
        )
    )
    if not open_entries:
        return 0
    found = blockers(region.id, {e.person_id for e in open_entries}, today, current)
    withdrawn = 0
    for entry in open_entries:
        codes = found.get(entry.person_id)
        if not codes:
            continue
        transition(
            rules.ENTRY,
            entry,
            rules.INGETROKKEN,
            actor=actor,
            region_id=region.id,
            person_id=entry.person_id,
            details={"grond": codes[0]},
        )
        entry.withdrawn_code = codes[0]
        withdrawn += 1
    return withdrawn


def draft_all_regions(today: date | None = None) -> DraftResult:
    """The night job: every region's list, each in its own transaction."""
    total = DraftResult()
    for region in db.session.scalars(sa.select(Region).order_by(Region.code)).all():
        total.regions += 1
        try:
            result = draft_destruction_list(region, today)
        except Conflict:  # the button in that region at the same moment; the next night
            total.skipped += 1
            continue
        total.added += result.added
        total.withdrawn += result.withdrawn
    return total


# ---------------------------------------------------------------- the privacy officer's review


def get_entry(region: Region, entry_id: uuid.UUID | None) -> DestructionEntry:
    entry = db.session.get(DestructionEntry, entry_id) if entry_id else None
    if entry is None or entry.region_id != region.id:
        raise NotFound(_("Deze vermelding staat niet op de lijst van deze regio."))
    return entry


def _check(entry: DestructionEntry, version: int, expected: str) -> None:
    if entry.version != version:
        raise Conflict(
            _("Iemand anders heeft deze vermelding intussen beoordeeld. Bekijk de nieuwe stand.")
        )
    if entry.status != expected:
        raise DomainError(
            _(
                "Deze vermelding heeft de status \u201c%(status)s\u201d; dat kan niet meer.",
                status=rules.ENTRY.label(entry.status),
            )
        )


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Iemand anders heeft deze vermelding intussen beoordeeld. Bekijk de nieuwe stand.")
        ) from None


def _step(actor, region: Region, entry: DestructionEntry, target: str, **details) -> None:
    transition(
        rules.ENTRY,
        entry,
        target,
        actor=actor,
        region_id=region.id,
        person_id=entry.person_id,
        details=details or None,
    )


def approve(actor, region: Region, entry: DestructionEntry, *, version: int) -> None:
    """Approve the proposal and destroy the person's data at once (crypto-shredding). Checked
    again first: a trajectory, referral, rights request or legal hold that came up since the
    draft, or a longer period, stops it. Who approved is kept on the entry."""
    from levensloop.documents.services import purge_person_documents
    from levensloop.persons.services import shred_person

    _require_officer(actor, region)
    _check(entry, version, rules.VOORGESTELD)
    codes = blockers(region.id, {entry.person_id}, local_today())[entry.person_id]
    if codes:
        raise DomainError(
            _(
                "Deze persoon kan nu niet worden vernietigd: %(reasons)s. De nachtelijke taak "
                "trekt het voorstel in.",
                reasons="; ".join(rules.blocker_label(c) for c in codes),
            )
        )
    person = db.session.get(Person, entry.person_id)
    now = utcnow()
    try:
        _step(actor, region, entry, rules.VERNIETIGD, record_type=entry.record_type)
        entry.decided_by_id, entry.decided_at, entry.destroyed_at = actor.id, now, now
        purge_person_documents(person.id)
        shred_person(actor, person, reason="retentie")  # commits the whole step at once
    except StaleDataError:
        db.session.rollback()
        raise Conflict(
            _("Iemand anders heeft deze vermelding intussen beoordeeld. Bekijk de nieuwe stand.")
        ) from None


def extend(
    actor, region: Region, entry: DestructionEntry, *, until: date | None, reason: str, version: int
) -> None:
    """Keep the person until `until` (with a reason); the next draft after that date may
    propose them again."""
    _require_officer(actor, region)
    _check(entry, version, rules.VOORGESTELD)
    today = local_today()
    if until is None:
        raise DomainError(_("Vul de datum in tot wanneer de gegevens bewaard blijven."), "until")
    if until <= today:
        raise DomainError(_("Kies een datum na vandaag."), field="until")
    latest = rules.add_months(today, MAX_EXTENSION_MONTHS)
    if until > latest:
        raise DomainError(
            _(
                "Verlengen kan tot ten hoogste tien jaar vooruit (uiterlijk %(date)s).",
                date=latest.strftime("%d-%m-%Y"),
            ),
            field="until",
        )
    reason = _reason(reason)
    _step(actor, region, entry, rules.VERLENGD, until=until.isoformat())
    entry.extended_until = until
    entry.reason = reason
    entry.decided_by_id, entry.decided_at = actor.id, utcnow()
    _commit()


def place_hold(actor, region: Region, entry: DestructionEntry, *, reason: str, version: int):
    """A legal hold: the person is not destroyed, nor proposed again, until it is lifted."""
    _require_officer(actor, region)
    _check(entry, version, rules.VOORGESTELD)
    reason = _reason(reason)
    _step(actor, region, entry, rules.JURIDISCHE_BLOKKADE)
    entry.reason = reason
    entry.decided_by_id, entry.decided_at = actor.id, utcnow()
    _commit()


def lift_hold(actor, region: Region, entry: DestructionEntry, *, reason: str, version: int):
    """Lift a legal hold (with a reason); the next draft may propose the person again."""
    _require_officer(actor, region)
    _check(entry, version, rules.JURIDISCHE_BLOKKADE)
    reason = _reason(reason)
    _step(actor, region, entry, rules.BLOKKADE_OPGEHEVEN)
    entry.lift_reason = reason
    _commit()


# ---------------------------------------------------------------- screens


@dataclass
class ListView:
    pagination: object
    names: dict  # person id -> display name, or None where the viewer may not see it
    counts: dict  # status -> number of entries
    rules: dict[str, CurrentRule]
    status: str


def status_counts(region: Region) -> dict[str, int]:
    counts = dict.fromkeys(rules.ENTRY.labels, 0)
    counts.update(
        db.session.execute(
            sa.select(DestructionEntry.status, sa.func.count())
            .where(DestructionEntry.region_id == region.id)
            .group_by(DestructionEntry.status)
        ).all()
    )
    return counts


def destruction_list(actor, region: Region, *, status: str, page: int) -> ListView:
    """One page of the region's destruction list, soonest due first, filtered by status (paged
    in SQL). Names come from the policy: a privacy officer sees none (no case content) and
    judges by dates, the rule and the access report instead. Reading the list is logged."""
    from levensloop.persons.services import names_for

    status = status if status in (*rules.LIST_STATUSES, "alle") else rules.VOORGESTELD
    query = sa.select(DestructionEntry).where(DestructionEntry.region_id == region.id)
    if status == "alle":
        query = query.where(DestructionEntry.status != rules.VERNIETIGD)
    else:
        query = query.where(DestructionEntry.status == status)
    pagination = db.paginate(
        query.order_by(DestructionEntry.due_since, DestructionEntry.proposed_at),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    names = names_for(actor, region, [e.person_id for e in pagination.items])
    record(
        "read",
        actor=actor,
        region_id=region.id,
        object_type="vernietigingslijst",
        categories=["proces"],
        details={"status": status, "page": pagination.page, "rows": len(pagination.items)},
    )
    db.session.commit()
    return ListView(pagination, names, status_counts(region), current_rules(region.id), status)


@dataclass
class EntryView:
    entry: DestructionEntry
    registered_on: date | None
    shredded_at: datetime | None
    trigger: Trigger
    blockers: list[str]
    last_activity: datetime | None
    users: dict = field(default_factory=dict)  # user id -> display name
    rule: CurrentRule | None = None
    name: str | None = None


def entry_view(actor, region: Region, entry_id: uuid.UUID | None) -> EntryView:
    """What the privacy officer needs to judge one entry, without case content: the tombstone
    id and registration date, the rule and its trigger date, what stands in the way today, and
    when the file was last used (from the audit log). Reading it is logged."""
    from levensloop.persons.services import names_for

    entry = get_entry(region, entry_id)
    person = db.session.get(Person, entry.person_id)
    today = local_today()
    trigger = _triggers({entry.person_id})[entry.person_id]
    found = (
        blockers(region.id, {entry.person_id}, today)[entry.person_id]
        if entry.status == rules.VOORGESTELD
        else []
    )
    last_activity = db.session.scalar(
        sa.select(sa.func.max(AuditEvent.occurred_at)).where(
            AuditEvent.person_id == entry.person_id,
            AuditEvent.region_id == region.id,
            sa.or_(AuditEvent.object_type.is_(None), AuditEvent.object_type != "vernietiging"),
            AuditEvent.event_type.not_in(("audit_read", "access_denied")),
        )
    )
    user_ids = {
        entry.proposed_by_id,
        entry.decided_by_id,
        entry.status_changed_by_id,
    } - {None}
    users = (
        dict(
            db.session.execute(
                sa.select(User.id, User.display_name).where(User.id.in_(user_ids))
            ).all()
        )
        if user_ids
        else {}
    )
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=entry.person_id,
        object_type="vernietiging",
        object_id=entry.id,
        categories=["proces"],
    )
    db.session.commit()
    return EntryView(
        entry,
        _local_date(person.created_at) if person else None,
        person.shredded_at if person else None,
        trigger,
        found,
        _aware(last_activity),
        users,
        current_rules(region.id).get(entry.record_type),
        names_for(actor, region, [entry.person_id]).get(entry.person_id),
    )


def _aware(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value


# ---------------------------------------------------------------- the destruction report


def _report_query(region: Region):
    return (
        sa.select(DestructionEntry)
        .where(
            DestructionEntry.region_id == region.id,
            DestructionEntry.status == rules.VERNIETIGD,
        )
        .order_by(DestructionEntry.destroyed_at.desc(), DestructionEntry.id)
    )


def _approvers(entries) -> dict:
    ids = {e.decided_by_id for e in entries} - {None}
    if not ids:
        return {}
    return dict(
        db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all()
    )


def destruction_report(actor, region: Region, *, page: int):
    """The destroyed entries, newest first, paged in SQL, with who approved them (one more
    query). Only ids, dates and rules: the personal data are gone. Kept forever."""
    pagination = db.paginate(_report_query(region), page=page, per_page=PAGE_SIZE, error_out=False)
    approvers = _approvers(pagination.items)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        object_type="vernietigingsrapport",
        details={"page": pagination.page},
    )
    db.session.commit()
    return pagination, approvers


def destruction_report_rows(actor, region: Region) -> list[list]:
    """Every destroyed entry of the region as CSV rows (the export is logged)."""
    entries = list(db.session.scalars(_report_query(region)))
    approvers = _approvers(entries)
    rows = [
        [
            _local_date(e.destroyed_at).isoformat() if e.destroyed_at else "",
            str(rules.RECORD_TYPES[e.record_type].label)
            if e.record_type in rules.RECORD_TYPES
            else e.record_type,
            e.period_months,
            _("ja") if e.rule_unconfirmed else _("nee"),
            e.trigger_date.isoformat(),
            e.due_since.isoformat(),
            approvers.get(e.decided_by_id, ""),
            str(e.person_id),
            str(e.id),
        ]
        for e in entries
    ]
    record(
        "export",
        actor=actor,
        region_id=region.id,
        object_type="vernietigingsrapport",
        details={"rows": len(rows), "format": "csv"},
    )
    db.session.commit()
    return rows

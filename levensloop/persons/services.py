"""Creating, reading, editing, searching and shredding persons, region-scoped and audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from levensloop.audit.services import record
from levensloop.auth.models import Role
from levensloop.crypto import blind_index
from levensloop.db import local_today, utcnow
from levensloop.errors import Conflict, DomainError, NotAllowed, NotFound
from levensloop.extensions import db
from levensloop.keys import services as keys
from levensloop.organisations.models import Region
from levensloop.persons.models import PERSON_FIELDS, Person
from levensloop.persons.validation import is_valid_bsn
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.sharing.policy import Access

CASE_ROLES = frozenset(
    {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR, Role.KETENPARTNER, Role.CASUSREGISSEUR}
)

PAGE_SIZE = 25


@dataclass
class PersonInput:
    """What a form hands the service: plain values, never request objects."""

    voornamen: str | None = None
    roepnaam: str | None = None
    tussenvoegsel: str | None = None
    achternaam: str | None = None
    bsn: str | None = None
    geboortedatum: date | None = None
    geslacht: str | None = None
    adres: str | None = None
    briefadres: bool = False
    telefoon: str | None = None
    email: str | None = None
    notities: str | None = None

    def cleaned(self) -> PersonInput:
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value.strip() if isinstance(value, str) else value
        if values["bsn"]:
            values["bsn"] = blind_index.normalise_bsn(values["bsn"])
        return PersonInput(**values)


class PossibleDuplicate(DomainError):
    def __init__(self, candidates: list[Person]) -> None:
        super().__init__(
            _(
                "Er bestaat al een persoon met hetzelfde BSN of dezelfde achternaam en "
                "geboortedatum in deze regio. Controleer of het om dezelfde persoon gaat."
            )
        )
        self.candidates = candidates


# ---------------------------------------------------------------- blind indexes


def _index(column: str, normalised: str) -> int | None:
    if not normalised:
        return None
    key = keys.keyring().index_key_for("persons", column)
    return blind_index.compute(key, normalised, blind_index.BITS[column])


def _set_indexes(person: Person, data: PersonInput) -> None:
    achternaam = blind_index.normalise_name(data.achternaam)
    person.bsn_bidx = _index("bsn", blind_index.normalise_bsn(data.bsn))
    person.achternaam_bidx = _index("achternaam", achternaam)
    person.achternaam_geboortedatum_bidx = (
        _index(
            "achternaam_geboortedatum",
            f"{achternaam}|{blind_index.normalise_date(data.geboortedatum)}",
        )
        if achternaam and data.geboortedatum
        else None
    )


def _validate(data: PersonInput) -> None:
    if not data.achternaam:
        raise DomainError(_("Vul de achternaam in."), field="achternaam")
    if data.bsn and not is_valid_bsn(data.bsn):
        raise DomainError(
            _(
                "Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de "
                "elfproef. Controleer het nummer."
            ),
            field="bsn",
        )
    if data.geboortedatum and not (date(1900, 1, 1) <= data.geboortedatum <= local_today()):
        raise DomainError(
            _("De geboortedatum moet tussen 1900 en vandaag liggen."), field="geboortedatum"
        )


# ---------------------------------------------------------------- search


def search(
    actor,
    region: Region,
    *,
    bsn: str | None = None,
    achternaam: str | None = None,
    voornaam: str | None = None,
    geboortedatum: date | None = None,
    audit: bool = True,
) -> list[Person]:
    """Exact search through the blind indexes; candidates are decrypted and compared, so the
    result never holds a person who does not match. The search terms are not logged."""
    query = sa.select(Person).where(Person.region_id == region.id, Person.shredded_at.is_(None))
    wanted_bsn = blind_index.normalise_bsn(bsn) if bsn else ""
    wanted_name = blind_index.normalise_name(achternaam) if achternaam else ""
    wanted_first = blind_index.normalise_name(voornaam) if voornaam else ""
    if wanted_bsn:
        query = query.where(Person.bsn_bidx == _index("bsn", wanted_bsn))
    elif wanted_name and geboortedatum:
        query = query.where(
            Person.achternaam_geboortedatum_bidx
            == _index(
                "achternaam_geboortedatum",
                f"{wanted_name}|{blind_index.normalise_date(geboortedatum)}",
            )
        )
    elif wanted_name:
        query = query.where(Person.achternaam_bidx == _index("achternaam", wanted_name))
    else:
        raise DomainError(
            _("Zoek op BSN, of op achternaam (eventueel met voornaam en geboortedatum)."),
            field="bsn",
        )
    matches = []
    for person in db.session.scalars(query):
        if wanted_bsn and blind_index.normalise_bsn(person.bsn) != wanted_bsn:
            continue
        if wanted_name and blind_index.normalise_name(person.achternaam) != wanted_name:
            continue
        if geboortedatum and person.geboortedatum != geboortedatum:
            continue
        if wanted_first and not _first_name_matches(person, wanted_first):
            continue
        matches.append(person)
    if audit:
        record(
            "search",
            actor=actor,
            region_id=region.id,
            object_type="person",
            details={"by": "bsn" if wanted_bsn else "naam", "results": len(matches)},
        )
        db.session.commit()
    return matches


def _first_name_matches(person: Person, wanted: str) -> bool:
    names = blind_index.normalise_name(person.voornamen).split() + [
        blind_index.normalise_name(person.roepnaam)
    ]
    return wanted in names or blind_index.normalise_name(person.voornamen) == wanted


def possible_duplicates(
    region: Region, data: PersonInput, exclude: uuid.UUID | None = None
) -> list[Person]:
    found: dict[uuid.UUID, Person] = {}
    if data.bsn:
        for person in search(None, region, bsn=data.bsn, audit=False):
            found[person.id] = person
    if data.achternaam and data.geboortedatum:
        for person in search(
            None, region, achternaam=data.achternaam, geboortedatum=data.geboortedatum, audit=False
        ):
            found[person.id] = person
    found.pop(exclude, None)
    return list(found.values())


# ---------------------------------------------------------------- create, read, update


def create_person(
    actor, region: Region, data: PersonInput, *, confirm_duplicate: bool = False
) -> Person:
    data = data.cleaned()
    _validate(data)
    duplicates = possible_duplicates(region, data)
    if duplicates and not confirm_duplicate:
        raise PossibleDuplicate(duplicates)
    person = Person(id=uuid.uuid4(), region_id=region.id, created_by_id=actor.id if actor else None)
    db.session.add(person)
    keys.create_data_key(person.id)
    _assign(person, data)
    db.session.flush()
    if (
        actor is not None
        and Role.LEVENSLOOPCOORDINATOR in actor.roles_in(region.id)
        and Role.PROCESREGISSEUR not in actor.roles_in(region.id)
    ):
        # A coördinator who registers a person takes the case into their caseload.
        from levensloop.sharing.models import CaseAssignment

        db.session.add(
            CaseAssignment(
                person_id=person.id, user_id=actor.id, role="coordinator", start_date=local_today()
            )
        )
    record(
        "create",
        actor=actor,
        region_id=region.id,
        object_type="person",
        object_id=person.id,
        categories=["identiteit", "contact"],
        details={"duplicate_confirmed": bool(duplicates)},
    )
    db.session.commit()
    return person


def _assign(person: Person, data: PersonInput) -> list[str]:
    changed = []
    for name in PERSON_FIELDS:
        value = getattr(data, name)
        if value in ("", None) and name != "briefadres":
            value = None
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    _set_indexes(person, data)
    return changed


def load_person(region: Region, person_id: uuid.UUID | None) -> Person:
    """A person of this region; anything else (other region, unknown id) is 404."""
    person = db.session.get(Person, person_id) if person_id else None
    if person is None or person.region_id != region.id:
        raise NotFound(_("Deze persoon bestaat niet in deze regio."))
    return person


def get_person(
    actor, region: Region, person_id: uuid.UUID | None, *, need: str = "read"
) -> tuple[Person, Access]:
    """A person the actor may open, with the access decision. 404 for another region or an
    unknown id; 403 (recorded) when the policy says no."""
    person = load_person(region, person_id)
    decision = policy.access(actor, person)
    allowed = decision.any if need == "read" else policy.can(actor, need, person)
    if not allowed and not person.is_shredded:
        record(
            "access_denied",
            actor=actor,
            outcome="failure",
            region_id=region.id,
            object_type="person",
            object_id=person.id,
            details={"need": need},
        )
        db.session.commit()
        raise NotAllowed(
            _(
                "U heeft geen toegang tot deze persoon. Bent u betrokken en is het dringend, "
                "vraag dan noodtoegang aan."
            )
        )
    if (
        person.is_shredded
        and not decision.any
        and not (actor and actor.roles_in(region.id) & CASE_ROLES)
    ):
        raise NotAllowed(_("U heeft geen toegang tot deze persoon."))
    return person, decision


@dataclass
class PersonView:
    """What a screen may show of a person: only the permitted categories, already decrypted."""

    id: uuid.UUID
    shredded: bool
    shredded_at: object
    display_name: str
    categories: frozenset
    sections: dict = field(default_factory=dict)  # category -> list of (label, value)
    bsn_hidden: bool = False
    via: tuple = ()
    break_glass: object = None
    can_update: bool = False
    can_manage: bool = False
    legal_basis: str | None = None


FIELD_LABELS = {
    "voornamen": _l("Voornamen"),
    "roepnaam": _l("Roepnaam"),
    "tussenvoegsel": _l("Tussenvoegsel"),
    "achternaam": _l("Achternaam"),
    "bsn": _l("BSN"),
    "geboortedatum": _l("Geboortedatum"),
    "geslacht": _l("Geslacht (zoals geregistreerd)"),
    "adres": _l("Adres"),
    "telefoon": _l("Telefoonnummer"),
    "email": _l("E-mailadres"),
    "notities": _l("Notities"),
}


def header_view(person: Person, decision: Access) -> PersonView:
    """What the tabs of a person's file need (name, emergency access, rights), no fields."""
    visible_name = person.is_shredded or Category.IDENTITEIT in decision.categories
    return PersonView(
        id=person.id,
        shredded=person.is_shredded,
        shredded_at=person.shredded_at,
        display_name=person.display_name if visible_name else str(_l("Persoon")),
        categories=decision.categories,
        via=decision.via,
        break_glass=decision.break_glass,
        can_update=decision.can_update and not person.is_shredded,
        can_manage=decision.can_manage and not person.is_shredded,
        legal_basis=decision.legal_basis,
    )


def person_view(
    actor, region: Region, person: Person, decision: Access, *, reveal_bsn: bool = False
) -> PersonView:
    """Build the view model and record exactly one read with the categories it shows."""
    view = header_view(person, decision)
    shown: set[str] = set()
    if not person.is_shredded:
        for name, (_kind, category) in PERSON_FIELDS.items():
            if category not in decision.categories or name == "briefadres":
                continue
            value = getattr(person, name)
            if name == "bsn" and value and not reveal_bsn:
                view.bsn_hidden = True
                value = str(_l("verborgen"))
            elif isinstance(value, date):
                value = format_date(value, "long")
            if name == "adres" and person.briefadres:
                label = _l("Briefadres")
            else:
                label = FIELD_LABELS[name]
            view.sections.setdefault(category, []).append((str(label), value))
            shown.add(category)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        object_type="person",
        object_id=person.id,
        categories=sorted(shown),
        legal_basis=decision.legal_basis,
        purpose="noodtoegang" if decision.break_glass is not None else None,
        details={
            "bsn": bool(reveal_bsn and not view.bsn_hidden and Category.IDENTITEIT in shown),
            "break_glass": decision.break_glass is not None,
            "via": list(decision.via),
        },
    )
    db.session.commit()
    return view


def update_person(
    actor, region: Region, person: Person, data: PersonInput, *, version: int
) -> Person:
    if actor is not None and not policy.can(actor, policy.UPDATE, person):
        raise NotAllowed(_("U mag de gegevens van deze persoon niet wijzigen."))
    if person.is_shredded:
        raise DomainError(
            _("De gegevens van deze persoon zijn vernietigd en kunnen niet worden gewijzigd.")
        )
    if person.version != version:
        raise Conflict(
            _(
                "Iemand anders heeft deze persoon intussen gewijzigd. Hieronder staan de nieuwste "
                "gegevens en uw eigen invoer; voer uw wijziging zo nodig opnieuw in."
            )
        )
    data = data.cleaned()
    _validate(data)
    changed = _assign(person, data)
    try:
        record(
            "update",
            actor=actor,
            region_id=region.id,
            object_type="person",
            object_id=person.id,
            categories=sorted({PERSON_FIELDS[name][1] for name in changed}),
            details={"fields": changed},
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_("Iemand anders heeft deze persoon intussen gewijzigd.")) from None
    return person


def names_for(actor, region: Region, person_ids) -> dict:
    """Display names for a page of persons, only where the actor may see identity data; the
    rest map to None. Three queries whatever the page size: which persons the actor may see,
    those persons, and their data keys."""
    ids = {i for i in person_ids if i is not None}
    if not ids:
        return {}
    visible = set(
        db.session.scalars(
            sa.select(Person.id).where(
                Person.id.in_(ids),
                Person.region_id == region.id,
                policy.accessible_persons_clause(actor, region.id),
            )
        )
    )
    rows = list(db.session.scalars(sa.select(Person).where(Person.id.in_(visible))))
    keys.preload_data_keys(p.id for p in rows)
    names = dict.fromkeys(ids)
    names.update({p.id: p.display_name for p in rows})
    return names


def may_search(actor, region: Region) -> bool:
    """Searching the whole registry is for the procesregisseur and the coördinator (to find a
    person before registering or referring); partners see only their own cases."""
    return bool(actor.roles_in(region.id) & {Role.PROCESREGISSEUR, Role.LEVENSLOOPCOORDINATOR})


def list_persons(actor, region: Region, *, page: int = 1):
    """The persons this user may see in the region, newest first, paged in SQL."""
    query = (
        sa.select(Person)
        .where(Person.region_id == region.id, policy.accessible_persons_clause(actor, region.id))
        .order_by(Person.created_at.desc(), Person.id)
    )
    pagination = db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)
    keys.preload_data_keys(p.id for p in pagination.items)  # one query for the page's keys
    return pagination


# ---------------------------------------------------------------- crypto-shredding


def shred_person(actor, person: Person, *, reason: str) -> bool:
    """Destroy the person's data key and blind indexes; keep a tombstone (region, dates,
    status). Every copy of the data, backups included, becomes unreadable. Harmless to repeat:
    returns False when the person was already shredded."""
    already = person.is_shredded
    destroyed = keys.shred_data_key(person.id)
    for name in PERSON_FIELDS:
        setattr(person, f"{name}_enc", None)
    person.bsn_bidx = person.achternaam_bidx = person.achternaam_geboortedatum_bidx = None
    person.status = "vernietigd"
    if not already:
        person.shredded_at = utcnow()
        record(
            "shred",
            actor=actor,
            region_id=person.region_id,
            object_type="person",
            object_id=person.id,
            details={"reason": reason, "key_destroyed": destroyed},
        )
    from levensloop.documents.services import purge_person_documents

    # The key is gone, so the documents are unreadable already; remove their ciphertext too.
    purge_person_documents(person.id)
    db.session.commit()
    return not already


# ---------------------------------------------------------------- network, timeline, log


@dataclass
class NetworkView:
    professionals: list  # (role label, user name, organisation name), category proces
    contacts: list | None  # None: the viewer may not see contact data
    can_edit: bool


ASSIGNMENT_LABELS = {
    "coordinator": _l("Levensloopcoördinator"),
    "casusregisseur": _l("Gemeentelijke casusregisseur"),
}


def network_view(actor, region: Region, person: Person, decision: Access):
    """Who is around the person: the professionals assigned to the case (one query) and, for
    who may see contact data, the personal network."""
    from levensloop.auth.models import User
    from levensloop.organisations.models import Organisation
    from levensloop.persons import network
    from levensloop.sharing.models import CaseAssignment

    today = local_today()
    contact_visible = Category.CONTACT in decision.categories
    professionals = [
        (str(ASSIGNMENT_LABELS.get(role, role)), name, organisation)
        for role, name, organisation in db.session.execute(
            sa.select(CaseAssignment.role, User.display_name, Organisation.name)
            .join(User, User.id == CaseAssignment.user_id)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(CaseAssignment.person_id == person.id, policy.active_on(CaseAssignment, today))
            .order_by(CaseAssignment.role)
        )
    ]
    contacts = network.contacts(person) if contact_visible and not person.is_shredded else None
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="netwerk",
        categories=["proces", "contact"] if contacts is not None else ["proces"],
    )
    db.session.commit()
    return NetworkView(professionals, contacts, network.may_edit(actor, person))


TIMELINE_PAGE = 50


def timeline_page(actor, region: Region, person: Person, decision: Access, *, category, page):
    """The person's timeline, filtered by the policy before anything is shown. The entries come
    from every module's provider (a fixed number of queries each); a page is cut in memory."""
    from levensloop import timeline
    from levensloop.web import simple_page

    if person.is_shredded:
        entries = []
    else:
        entries = timeline.entries_for(
            person, decision.categories, today=local_today(), category=category
        )
    paging = simple_page(len(entries), page, TIMELINE_PAGE)
    start = (paging.page - 1) * TIMELINE_PAGE
    shown = entries[start : start + TIMELINE_PAGE]
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="tijdlijn",
        categories=sorted({str(e.category) for e in shown}) or ["proces"],
    )
    db.session.commit()
    return shown, paging


def log_page(actor, region: Region, person: Person, *, page: int):
    """Who saw and changed this file (the logboek tab): the audit log, paged in SQL. Reading it
    is itself recorded."""
    from levensloop.privacy.services import access_page

    rows, paging = access_page(region, person.id, page)
    record(
        "read",
        actor=actor,
        region_id=region.id,
        person_id=person.id,
        object_type="logboek",
        categories=["proces"],
    )
    db.session.commit()
    return rows, paging

"""Demo data: two fictional regions, partner organisations and one user per role.

Everything here is plainly fictional and for trying the product only. The command refuses to
run under the production configuration.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from levensloop.audit.services import record
from levensloop.auth import passwords
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.db import local_today, utcnow
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType, Region

DEMO_PASSWORD = "Demo-Levensloop-2026"

REGIONS = (
    ("demo-west", "ZVH Demo West", "contactpunt@west.zvh-demo.example"),
    ("demo-oost", "ZVH Demo Oost", "contactpunt@oost.zvh-demo.example"),
)

ORGANISATIONS = (
    ("demo-west", "Zorg- en Veiligheidshuis Demo West", OrganisationType.ZVH),
    ("demo-west", "Gemeente Voorbeeldstad", OrganisationType.GEMEENTE),
    ("demo-west", "Politie eenheid Demo", OrganisationType.POLITIE),
    ("demo-west", "Reclassering Demo", OrganisationType.RECLASSERING),
    ("demo-west", "GGZ Voorbeeld (FACT)", OrganisationType.GGZ),
    ("demo-west", "Forensische Zorg Fictief", OrganisationType.FORENSISCHE_ZORG),
    ("demo-west", "Woonstichting Denkbeeld", OrganisationType.WONINGCORPORATIE),
    ("demo-west", "Landelijk Coördinatiepunt Demo", OrganisationType.LANDELIJK),
    ("demo-oost", "Zorg- en Veiligheidshuis Demo Oost", OrganisationType.ZVH),
    ("demo-oost", "Gemeente Verzinnebroek", OrganisationType.GEMEENTE),
    ("demo-oost", "Verslavingszorg Proefregio", OrganisationType.VERSLAVINGSZORG),
    ("demo-oost", "Beschermd Wonen Oefenhuis", OrganisationType.MO_BW),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    organisation: str
    roles: tuple[tuple[str, Role], ...]
    totp_secret: str


# Fixed TOTP secrets so the demo logins can be documented. Demo only, never for real use.
USERS = (
    DemoUser(
        "coordinator@zvh-demo.example",
        "Demo Coördinator",
        "GGZ Voorbeeld (FACT)",
        (("demo-west", Role.LEVENSLOOPCOORDINATOR),),
        "DEMOCOORDINATORAAAAAAAAAAAAAAAAA",
    ),
    DemoUser(
        "procesregisseur@zvh-demo.example",
        "Demo Procesregisseur",
        "Zorg- en Veiligheidshuis Demo West",
        (("demo-west", Role.PROCESREGISSEUR), ("demo-oost", Role.PROCESREGISSEUR)),
        "DEMOPROCESREGISSEURAAAAAAAAAAAAA",
    ),
    DemoUser(
        "casusregisseur@zvh-demo.example",
        "Demo Casusregisseur",
        "Gemeente Voorbeeldstad",
        (("demo-west", Role.CASUSREGISSEUR),),
        "DEMOCASUSREGISSEURAAAAAAAAAAAAAA",
    ),
    DemoUser(
        "ketenpartner@zvh-demo.example",
        "Demo Ketenpartner",
        "Reclassering Demo",
        (("demo-west", Role.KETENPARTNER),),
        "DEMOKETENPARTNERAAAAAAAAAAAAAAAA",
    ),
    DemoUser(
        "privacy@zvh-demo.example",
        "Demo Privacy Officer",
        "Zorg- en Veiligheidshuis Demo West",
        (("demo-west", Role.PRIVACY_OFFICER),),
        "DEMOPRIVACYOFFICERAAAAAAAAAAAAAA",
    ),
    DemoUser(
        "beheerder@zvh-demo.example",
        "Demo Beheerder",
        "Zorg- en Veiligheidshuis Demo West",
        (("demo-west", Role.FUNCTIONEEL_BEHEERDER), ("demo-oost", Role.FUNCTIONEEL_BEHEERDER)),
        "DEMOBEHEERDERAAAAAAAAAAAAAAAAAAA",
    ),
    DemoUser(
        "analist@zvh-demo.example",
        "Demo Analist",
        "Landelijk Coördinatiepunt Demo",
        (("demo-west", Role.LANDELIJK_ANALIST),),
        "DEMOANALISTAAAAAAAAAAAAAAAAAAAAA",
    ),
)


# Plainly fictional persons: invented surnames, BSNs from the 99999xxxx test range.
DEMO_SURNAMES = (
    "Verzonnen",
    "Denkbeeld",
    "Proefmans",
    "Oefenaar",
    "Fictiefsma",
    "Testerhuis",
    "Bedachtveld",
    "Voorbeeldink",
    "Schijnhout",
    "Demostra",
    "Nepperman",
    "Droomsma",
    "Papiertje",
    "Spelberg",
    "Versierder",
    "Fabeltje",
    "Kunstmatig",
    "Bedenker",
    "Verhaaltje",
    "Plaatsvervanger",
    "Onwerkelijk",
    "Maakseltje",
)
DEMO_FIRST_NAMES = (
    "Anna Demo",
    "Bram",
    "Cas Fictief",
    "Dewi",
    "Eline",
    "Fedde",
    "Gijs",
    "Hanna",
    "Ilse",
    "Jurre",
    "Kiki",
    "Lars",
    "Mila",
    "Noud",
    "Olga",
    "Pim",
    "Quinty",
    "Ruben",
    "Sanne",
    "Tijn",
    "Uma",
    "Vince",
)


def demo_bsns(count: int, start: int = 999990000) -> list[str]:
    from levensloop.persons.validation import is_valid_bsn

    found, number = [], start
    while len(found) < count:
        number += 1
        if is_valid_bsn(str(number)):
            found.append(str(number))
    return found


def seed_persons(regions: dict[str, Region], per_region: int = 22) -> int:
    from datetime import date

    from levensloop.persons.services import PersonInput, create_person

    bsns = iter(demo_bsns(per_region * len(regions)))
    created = 0
    for offset, region in enumerate(regions.values()):
        for n in range(per_region):
            surname = DEMO_SURNAMES[(n + offset * 5) % len(DEMO_SURNAMES)]
            first = DEMO_FIRST_NAMES[(n * 3 + offset) % len(DEMO_FIRST_NAMES)]
            data = PersonInput(
                voornamen=first,
                achternaam=surname,
                tussenvoegsel="van" if n % 7 == 3 else None,
                bsn=next(bsns) if n % 6 != 5 else None,
                geboortedatum=date(1960 + (n * 7) % 40, 1 + n % 12, 1 + (n * 5) % 28),
                geslacht=("vrouw", "man", "onbekend")[n % 3],
                adres=f"Verzinstraat {n + 1}, 1234 AB Demostad"
                if n % 4
                else "Postbus 0, Demostad (briefadres)",
                briefadres=n % 4 == 0,
                telefoon=f"06-0000{n:04d}",
                email=None,
                notities="Fictieve demopersoon; alle gegevens zijn verzonnen.",
            )
            person = create_person(None, region, data, confirm_duplicate=True)
            created += 1
            if region.code == "demo-west":
                _demo_sharing(region, person, n)
    db.session.commit()
    return created


def _demo_sharing(region: Region, person, n: int) -> None:
    """Demo West: the demo coördinator has a caseload of ten; Reclassering Demo (the demo
    ketenpartner's organisation) takes part in six cases; the casusregisseur has four."""
    from datetime import timedelta

    from levensloop.sharing.models import CaseAssignment, CaseParticipant

    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    start = local_today() - timedelta(days=30 + n)
    if n < 10:
        db.session.add(
            CaseAssignment(
                person_id=person.id,
                user_id=users["coordinator@zvh-demo.example"].id,
                role="coordinator",
                start_date=start,
            )
        )
    if n < 4:
        db.session.add(
            CaseAssignment(
                person_id=person.id,
                user_id=users["casusregisseur@zvh-demo.example"].id,
                role="casusregisseur",
                start_date=start,
            )
        )
    if n % 3 == 0 and n < 18:
        reclassering = db.session.scalar(
            sa.select(Organisation).where(
                Organisation.region_id == region.id, Organisation.name == "Reclassering Demo"
            )
        )
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=person.id,
            organisation_id=reclassering.id,
            legal_basis="wgs",
            start_date=start,
        )
        db.session.add(participant)
        participant.purpose = "Toezicht en afstemming over bijzondere voorwaarden (demo)"


def database_is_empty() -> bool:
    return not db.session.scalar(sa.select(sa.func.count()).select_from(Region))


def seed(seal_totp) -> list[DemoUser]:
    """Create the demo regions, organisations and users. `seal_totp(user, secret)` encrypts a
    TOTP secret for a user (the auth service's sealing)."""
    regions = {
        code: Region(code=code, name=name, contactpunt_email=mail) for code, name, mail in REGIONS
    }
    db.session.add_all(regions.values())
    db.session.flush()
    organisations = {}
    for region_code, name, type_ in ORGANISATIONS:
        organisations[name] = Organisation(region_id=regions[region_code].id, name=name, type=type_)
    db.session.add_all(organisations.values())
    db.session.flush()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    now = utcnow()
    for demo in USERS:
        user = User(
            username=demo.username,
            display_name=demo.display_name,
            organisation_id=organisations[demo.organisation].id,
            password_hash=password_hash,
            password_changed_at=now,
            totp_enrolled_at=now,
        )
        user.roles = [
            RoleAssignment(region_id=regions[code].id, role=role) for code, role in demo.roles
        ]
        db.session.add(user)
        db.session.flush()
        user.totp_secret = seal_totp(user, demo.totp_secret)
    record(
        "demo_seeded",
        details={"regions": len(regions), "organisations": len(organisations), "users": len(USERS)},
    )
    db.session.commit()
    seed_persons(regions)
    seed_case_work(regions["demo-west"])

    from levensloop.reviews.demo import seed_demo as seed_reviews

    seed_reviews(regions["demo-west"], local_today())
    from levensloop.titles.demo import seed_demo as seed_titles

    seed_titles(regions["demo-west"], local_today())
    from levensloop.handovers.demo import seed_demo as seed_handovers

    seed_handovers(regions["demo-west"], local_today())
    from levensloop.notifications.demo import seed_demo as seed_notifications

    seed_notifications(regions["demo-west"], local_today())
    from levensloop.documents.demo import seed_demo as seed_documents

    seed_documents(regions["demo-west"], local_today())
    from levensloop.escalations.demo import seed_demo as seed_escalations

    seed_escalations(regions["demo-west"], local_today())
    from levensloop.retention.demo import seed_demo as seed_retention

    seed_retention(regions["demo-west"], local_today())
    _demo_exit_preparation(regions["demo-west"])
    from levensloop.reports.demo import seed_demo as seed_reports

    seed_reports(local_today())
    return list(USERS)


def seed_case_work(region: Region) -> None:
    """Demo West: trajectories for six of the coördinator's persons (plans with goals and some
    overdue actions), a referral waiting for triage and one waiting for the inclusion table."""
    from datetime import date, timedelta

    from levensloop.inclusion import services as referrals
    from levensloop.inclusion import states
    from levensloop.inclusion.models import Trajectory
    from levensloop.persons.services import PersonInput
    from levensloop.plans.domains import DOMAINS
    from levensloop.plans.models import Action, Goal, Plan, PlanSection
    from levensloop.sharing.models import CaseAssignment

    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    coordinator = users["coordinator@zvh-demo.example"]
    regisseur = users["procesregisseur@zvh-demo.example"]
    ggz = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.region_id == region.id, Organisation.name == "GGZ Voorbeeld (FACT)"
        )
    )
    casusregisseur = users["casusregisseur@zvh-demo.example"]
    person_ids = list(
        db.session.scalars(
            sa.select(CaseAssignment.person_id)
            .where(CaseAssignment.user_id == coordinator.id)
            .order_by(CaseAssignment.start_date)
        )
    )[:6]
    today = local_today()
    phases = ["groen", "geel", "rood", "geel", "donkerrood", "groen"]
    for n, person_id in enumerate(person_ids):
        status = states.IN_UITVOERING if n < 4 else states.PLAN_IN_OPSTELLING
        trajectory = Trajectory(
            id=uuid.uuid4(),
            region_id=region.id,
            person_id=person_id,
            status=status,
            included_on=today - timedelta(days=200 - n * 20),
            ave_phase=phases[n],
            provider_organisation_id=ggz.id,
            coordinator_id=coordinator.id,
            casusregisseur_id=casusregisseur.id,
            procesregisseur_id=regisseur.id,
        )
        plan = Plan(
            id=uuid.uuid4(),
            trajectory_id=trajectory.id,
            person_id=person_id,
            region_id=region.id,
            version_no=1,
            status="vastgesteld" if n < 4 else "concept",
            adopted_on=today - timedelta(days=150) if n < 4 else None,
        )
        db.session.add_all([trajectory, plan])
        described = {
            "wonen": (2, "Woont tijdelijk in de nachtopvang (demo)."),
            "inkomen": (3, "Uitkering loopt; schulden in beeld bij de gemeente (demo)."),
            "zorg": (2, "In behandeling bij het FACT-team (demo)."),
        }
        for domain in DOMAINS:  # every domain, as a plan made in the application has
            score, text = described.get(domain, (None, None))
            section = PlanSection(
                id=uuid.uuid4(), plan=plan, person_id=person_id, domain=domain, score=score
            )
            db.session.add(section)
            if text:
                section.situation = text
        goal = Goal(
            id=uuid.uuid4(),
            plan=plan,
            person_id=person_id,
            domain="wonen",
            target_date=today + timedelta(days=90),
        )
        db.session.add(goal)
        goal.text = "Binnen drie maanden een vaste woonplek met ambulante begeleiding (demo)."
        for m, (offset, action_status) in enumerate(
            ((-10 - n, "open"), (14 + n, "loopt"), (-40, "gereed"))
        ):
            if n % 2 and offset < 0 and action_status == "open":
                continue  # only some persons have overdue actions
            action = Action(
                id=uuid.uuid4(),
                goal=goal,
                person_id=person_id,
                owner_organisation_id=ggz.id,
                due_date=today + timedelta(days=offset),
                status=action_status,
            )
            db.session.add(action)
            action.text = [
                "Aanmelding beschermd wonen indienen",
                "Kennismaking met de woonbegeleider",
                "Briefadres regelen",
            ][m] + " (demo)"
            action.owner_person = "FACT-team"
    db.session.commit()
    _demo_network(region, person_ids[:3], coordinator)
    _demo_criteria(region, users["beheerder@zvh-demo.example"])
    partner = users["ketenpartner@zvh-demo.example"]
    referrals.refer(
        partner,
        region,
        PersonInput(achternaam="Aanmeldsma", voornamen="Wessel", geboortedatum=date(1979, 4, 12)),
        reason="Demo: zorgen over wonen, schulden en dreigementen richting buren; "
        "reclassering en politie betrokken.",
        criteria=["meerdere_leefgebieden", "veiligheid", "meerdere_ketens"],
    )
    table = referrals.refer(
        partner,
        region,
        PersonInput(achternaam="Tafeltje", voornamen="Ilse", geboortedatum=date(1990, 9, 3)),
        reason="Demo: al jaren wisselende opnames, nu zonder woonplek en zonder zorg; "
        "veiligheid van omgeving in het geding.",
        criteria=["meerdere_leefgebieden", "veiligheid", "veel_geprobeerd"],
    )
    referrals.start_triage(regisseur, region, table)
    referrals.record_triage(
        regisseur,
        region,
        table,
        held_on=today,
        participants="ZVH, GGZ, reclassering, politie",
        outcome=states.NAAR_INCLUSIETAFEL,
        motivation="Voldoet aan de criteria; agenderen (demo).",
    )


def _demo_network(region: Region, person_ids, coordinator: User) -> None:
    """A few people around the first persons of the coördinator's caseload."""
    from levensloop.persons.network import NetworkContact

    contacts = (
        ("Moeder (demo)", "familie", True, "06-00000001 (demo)"),
        ("Oud-buurman (demo)", "buurt", False, None),
        ("Vriend van de sportclub (demo)", "vriend", True, "06-00000002 (demo)"),
    )
    for n, person_id in enumerate(person_ids):
        for name, relation, supportive, reach in contacts[: 3 - n]:
            contact = NetworkContact(
                id=uuid.uuid4(),
                person_id=person_id,
                relation=relation,
                supportive=supportive,
                created_by_id=coordinator.id,
            )
            db.session.add(contact)
            contact.name = name
            contact.reach = reach
    db.session.commit()


def _demo_criteria(region: Region, beheerder: User) -> None:
    """Demo West has one criterion of its own on top of the five national ones."""
    from levensloop.inclusion import table

    table.set_criteria(
        beheerder,
        region,
        ["De persoon woont of verblijft in de regio of heeft er zijn netwerk (demo)"],
        "Afspraak in het regionale convenant (demo)",
    )


def _demo_exit_preparation(region: Region) -> None:
    """One trajectory of the coördinator prepares its exit, so every state is in the demo."""
    from levensloop.inclusion import states
    from levensloop.inclusion.models import Trajectory
    from levensloop.workflow import transition

    regisseur = db.session.scalar(
        sa.select(User).where(User.username == "procesregisseur@zvh-demo.example")
    )
    trajectory = db.session.scalar(
        sa.select(Trajectory)
        .where(Trajectory.region_id == region.id, Trajectory.status == states.IN_UITVOERING)
        .order_by(Trajectory.included_on)
        .limit(1)
    )
    if trajectory is not None:
        transition(
            states.TRAJECTORY,
            trajectory,
            states.UITSTROOM_VOORBEREIDING,
            actor=regisseur,
            region_id=region.id,
            person_id=trajectory.person_id,
        )
        db.session.commit()

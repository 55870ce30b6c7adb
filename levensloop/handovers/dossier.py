"""The handover dossier: a PDF for the receiver with only what the receiver may see.

Its contents follow the categories that the region's sharing matrix grants the receiving
organisation type (`services.receiver_grants`), whoever downloads it (the sender may check what
goes out): identity, contact and the personal network, the process (trajectory, handover,
checklist), the plan's domains of the granted categories, the titles of the granted categories
and, with `zorg`, the behandelgeschiedenis. Nothing else is read for it.

The PDF uses the standard PDF fonts (always present, no font files to ship), which cover
Latin-1; the few characters outside it are written without their accent or replaced.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from levensloop.audit.services import record
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.handovers import services
from levensloop.handovers import states as s
from levensloop.sharing.categories import Category


@dataclass
class Section:
    title: str
    pairs: list = field(default_factory=list)  # (label, value)
    paragraphs: list = field(default_factory=list)  # (heading or "", text)


@dataclass
class Dossier:
    categories: frozenset
    sections: list
    shows_bsn: bool = False


def _date(value) -> str:
    return format_date(value, "long") if value else "—"


def build(handover, person) -> Dossier:
    """The dossier's contents for the receiver of `handover` (a fixed number of queries)."""
    from levensloop.persons.network import RELATIONS, contacts
    from levensloop.plans.domains import DOMAINS, SCORES
    from levensloop.plans.services import adopted_plan, working_plan
    from levensloop.titles.models import LegalTitle, Placement, PlacementRefusal, TitleType
    from levensloop.titles.states import SETTINGS, TITLE

    categories = services.receiver_grants(handover)
    names = services.names_for([handover])
    from_text, to_text = services.ends(handover, names)
    sections = [
        Section(
            _("Overdracht"),
            pairs=[
                (_("Soort"), s.kind_label(handover.kind)),
                (_("Status"), s.HANDOVER.label(handover.status)),
                (_("Van"), from_text),
                (_("Naar"), to_text),
                (_("Rond op"), _date(handover.due_date)),
                (
                    _("Gegevens in dit dossier"),
                    ", ".join(Category(c).label for c in sorted(categories)),
                ),
            ],
        )
    ]
    shows_bsn = False
    if Category.IDENTITEIT in categories:
        shows_bsn = bool(person.bsn)
        sections.append(
            Section(
                _("Identiteit"),
                pairs=[
                    (_("Naam"), person.display_name),
                    (_("Voornamen"), person.voornamen or "—"),
                    (_("BSN"), person.bsn or "—"),
                    (_("Geboortedatum"), _date(person.geboortedatum)),
                    (_("Geslacht (zoals geregistreerd)"), person.geslacht or "—"),
                ],
            )
        )
    if Category.CONTACT in categories:
        network = Section(
            _("Contact en netwerk"),
            pairs=[
                (_("Briefadres") if person.briefadres else _("Adres"), person.adres or "—"),
                (_("Telefoonnummer"), person.telefoon or "—"),
                (_("E-mailadres"), person.email or "—"),
            ],
        )
        for contact in contacts(person):
            if contact.ended_on is not None:
                continue
            relation = str(RELATIONS.get(contact.relation, contact.relation))
            text = ", ".join(p for p in (contact.reach, contact.note) if p)
            network.paragraphs.append((f"{contact.name} ({relation})", text or "—"))
        sections.append(network)
    trajectory = services.current_trajectory(person.id)
    if Category.PROCES in categories:
        process = Section(
            _("Proces"),
            pairs=[(_("Opmerking bij de overdracht"), handover.note or "—")]
            + [
                (str(label), _("gereed") if getattr(handover, item) else _("nog open"))
                for item, label in s.CHECKLIST.items()
            ],
        )
        if trajectory is not None:
            from levensloop.inclusion.states import TRAJECTORY

            process.pairs[:0] = [
                (_("Traject"), TRAJECTORY.label(trajectory.status)),
                (_("Geïncludeerd op"), _date(trajectory.included_on)),
            ]
        sections.append(process)
    plan = (adopted_plan(trajectory) or working_plan(trajectory)) if trajectory else None
    if plan is not None:
        visible = [d for d, (_label, category) in DOMAINS.items() if category in categories]
        if visible:
            part = Section(_("Levensloopplan, versie %(n)s", n=plan.version_no))
            for domain in visible:
                section = next((x for x in plan.sections if x.domain == domain), None)
                score = str(SCORES[section.score]) if section and section.score else "—"
                heading = f"{DOMAINS[domain][0]} ({_('score')} {score})"
                part.paragraphs.append((heading, (section.situation if section else None) or "—"))
                for goal in plan.goals:
                    if goal.domain != domain:
                        continue
                    part.paragraphs.append((_("Doel"), goal.text or ""))
                    for action in goal.actions:
                        part.paragraphs.append(("", f"- {action.text or ''} ({action.status})"))
            sections.append(part)
    title_categories = [str(c) for c in categories if c in {"justitie", "zorg", "sociaal"}]
    if title_categories:
        titles = db.session.execute(
            sa.select(LegalTitle, TitleType.name)
            .join(TitleType, TitleType.code == LegalTitle.type_code)
            .where(LegalTitle.person_id == person.id, TitleType.category.in_(title_categories))
            .order_by(LegalTitle.start_date.desc())
        ).all()
        if titles:
            part = Section(_("Titels"))
            for title, name in titles:
                part.paragraphs.append(
                    (
                        f"{name} — {TITLE.label(title.status)}",
                        _(
                            "Van %(start)s, verwacht einde %(end)s.",
                            start=_date(title.start_date),
                            end=_date(title.expected_end),
                        )
                        + (f" {title.conditions}" if title.conditions else ""),
                    )
                )
            sections.append(part)
    if Category.ZORG in categories:
        placements = list(
            db.session.scalars(
                sa.select(Placement)
                .where(Placement.person_id == person.id)
                .order_by(Placement.start_date)
            )
        )
        refusals = list(
            db.session.scalars(
                sa.select(PlacementRefusal)
                .where(PlacementRefusal.person_id == person.id)
                .order_by(PlacementRefusal.refused_on)
            )
        )
        if placements or refusals:
            part = Section(_("Behandelgeschiedenis"))
            for p in placements:
                part.paragraphs.append(
                    (
                        f"{_date(p.start_date)}: {p.provider_name or ''}",
                        _(
                            "%(setting)s, beveiligingsniveau %(level)s, tot %(end)s. %(reason)s",
                            setting=str(SETTINGS.get(p.setting, p.setting)),
                            level=p.security_level,
                            end=_date(p.end_date) if p.end_date else _("heden"),
                            reason=p.end_reason or "",
                        ),
                    )
                )
            for r in refusals:
                part.paragraphs.append(
                    (
                        f"{_date(r.refused_on)}: {_('weigering')} {r.provider_name or ''}",
                        r.reason or "",
                    )
                )
            sections.append(part)
    return Dossier(categories, sections, shows_bsn)


# ---------------------------------------------------------------- rendering


_REPLACEMENTS = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u20ac": "EUR",
    "\u2022": "-",
}


def latin1(text) -> str:
    """Text the standard PDF fonts can show: Latin-1 as is, the rest without its accent or
    replaced by a close character (or "?")."""
    out = []
    for ch in str(text or ""):
        if ord(ch) < 256:
            out.append(ch)
            continue
        if ch in _REPLACEMENTS:
            out.append(_REPLACEMENTS[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def render(dossier: Dossier, today: date) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(latin1(_("Overdrachtsdossier")))
    pdf.set_creator("Levensloop")
    pdf.set_lang("nl")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, latin1(_("Overdrachtsdossier")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        latin1(
            _(
                "Opgesteld op %(date)s. Vertrouwelijk: bevat alleen de gegevens die de "
                "ontvanger mag inzien. Niet verder verspreiden; vernietigen na gebruik.",
                date=_date(today),
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for section in dossier.sections:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(0, 7, latin1(section.title), new_x="LMARGIN", new_y="NEXT")
        for label, value in section.pairs:
            pdf.set_font("Helvetica", "B", 10)
            pdf.multi_cell(0, 5, latin1(f"{label}:"), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")
        for heading, text in section.paragraphs:
            if heading:
                pdf.set_font("Helvetica", "B", 10)
                pdf.multi_cell(0, 5, latin1(heading), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
            pdf.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def export(actor, region, opened) -> bytes:
    """Build, render and record the export (in the person's region and, when the receiving
    region downloads it before the person has moved, in that region too)."""
    dossier = build(opened.handover, opened.person)
    data = render(dossier, local_today())
    for region_id in sorted({region.id, opened.person.region_id}, key=str):
        record(
            "export",
            actor=actor,
            region_id=region_id,
            person_id=opened.person.id,
            object_type="overdrachtsdossier",
            object_id=opened.handover.id,
            categories=sorted(str(c) for c in dossier.categories),
            purpose="warme overdracht",
            details={"bsn": dossier.shows_bsn, "receiver": opened.limited},
        )
    db.session.commit()
    return data

"""What the dashboard shows per role. Modules add their widgets here as they arrive."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _

from levensloop.auth.models import Role


@dataclass
class Section:
    role: Role
    title: str
    empty_text: str
    links: list[tuple[str, str]] = field(default_factory=list)


def sections_for(user, region) -> list[Section]:
    if region is None:
        return []
    roles = user.roles_in(region.id)
    texts = {
        Role.LEVENSLOOPCOORDINATOR: (
            _("Mijn caseload"),
            _("De personen in uw caseload met hun eerstvolgende termijn en achterstallige acties."),
            [
                (url_for("overview.caseload"), _("Mijn caseload")),
                (
                    url_for("overview.caseload", filter="achterstallig"),
                    _("Personen met achterstallige acties"),
                ),
                (
                    url_for("overview.caseload", filter="titels"),
                    _("Titels die binnen 90 dagen aflopen"),
                ),
                (url_for("overview.caseload", filter="evaluatie"), _("Evaluaties te laat")),
                (url_for("handovers.region_list"), _("Overdrachten")),
                (url_for("escalations.index"), _("Escalaties")),
                (url_for("notifications.index"), _("Berichten")),
                (url_for("referrals.create"), _("Persoon aanmelden")),
            ],
        ),
        Role.PROCESREGISSEUR: (
            _("Regio-overzicht"),
            _("Aanmeldingen, de inclusietafel en de trajecten van de regio."),
            [
                (url_for("referrals.index"), _("Aanmeldingen")),
                (url_for("inclusion.meetings"), _("Inclusietafel")),
                (url_for("overview.region"), _("Regio-overzicht")),
                (
                    url_for("overview.region", achterstallig="1"),
                    _("Trajecten met achterstallige acties"),
                ),
                (url_for("overview.region", carrousel="1"), _("Carrousel")),
                (url_for("escalations.index"), _("Escalaties, te laat eerst")),
                (url_for("handovers.region_list"), _("Overdrachten")),
                (url_for("reports.index"), _("Maandcijfers van de regio")),
            ],
        ),
        Role.CASUSREGISSEUR: (
            _("Basisvoorzieningen"),
            _(
                "Hier verschijnen de personen voor wie u als gemeentelijke casusregisseur "
                "briefadres, ID, onderdak en inkomen regelt, zodra u aan een traject bent "
                "gekoppeld."
            ),
            [(url_for("persons.index"), _("Personen"))],
        ),
        Role.KETENPARTNER: (
            _("Casussen van mijn organisatie"),
            _(
                "Hier verschijnen de casussen waaraan uw organisatie deelneemt. U ziet alleen de "
                "gegevens die uw organisatie volgens de deelmatrix van de regio mag zien."
            ),
            [
                (url_for("persons.index"), _("Personen")),
                (url_for("handovers.region_list"), _("Overdrachten aan mijn organisatie")),
                (url_for("referrals.create"), _("Persoon aanmelden")),
            ],
        ),
        Role.PRIVACY_OFFICER: (
            _("Privacy"),
            _(
                "Beantwoord de vraag wie een dossier heeft ingezien, behandel verzoeken van "
                "betrokkenen, "
                "beoordeel noodtoegang en doorzoek het auditlogboek."
            ),
            [
                (url_for("privacy.index"), _("Toegangsrapport per persoon")),
                (url_for("privacy.requests_index"), _("Verzoeken van betrokkenen")),
                (url_for("privacy.break_glass_list"), _("Noodtoegang beoordelen")),
                (url_for("privacy.log"), _("Auditlogboek doorzoeken")),
                (url_for("retention.index"), _("Vernietigingslijst beoordelen")),
            ],
        ),
        Role.FUNCTIONEEL_BEHEERDER: (
            _("Beheer"),
            _("Beheer de gebruikers, organisaties en instellingen van deze regio."),
            [
                (url_for("users.index"), _("Gebruikers beheren")),
                (url_for("organisations.index"), _("Organisaties beheren")),
                (url_for("sharing.index"), _("Deelmatrix beheren")),
                (url_for("inclusion.criteria"), _("Inclusiecriteria van de regio")),
                (url_for("review_settings.edit"), _("Evaluatietermijn")),
                (url_for("escalations.settings"), _("Escalatieroute")),
                (url_for("api_tokens.index"), _("API-sleutels beheren")),
                (url_for("users.events"), _("Beheerlogboek bekijken")),
            ],
        ),
        Role.LANDELIJK_ANALIST: (
            _("Landelijke cijfers"),
            _(
                "De maandelijkse inclusiecijfers per regio, geaggregeerd en beschermd tegen "
                "herleidbaarheid."
            ),
            [(url_for("reports.index"), _("Landelijke maandcijfers"))],
        ),
    }
    sections = []
    for role in Role:
        if role in roles:
            title, empty_text, links = texts[role]
            sections.append(Section(role=role, title=title, empty_text=empty_text, links=links))
    return sections

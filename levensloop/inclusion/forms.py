from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.forms import choices
from levensloop.inclusion import states
from levensloop.persons.forms import DateRequired, DutchDateField, bsn_check


class ReferralForm(FlaskForm):
    voornamen = StringField(_l("Voornamen"), validators=[Optional(), Length(max=200)])
    achternaam = StringField(
        _l("Achternaam"), validators=[DataRequired(_l("Vul de achternaam in.")), Length(max=200)]
    )
    geboortedatum = DutchDateField(_l("Geboortedatum"), validators=[Optional()])
    bsn = StringField(_l("BSN"), validators=[Optional(), Length(max=20), bsn_check])
    reason = TextAreaField(
        _l("Waarom meldt u deze persoon aan?"),
        validators=[
            DataRequired(_l("Beschrijf waarom u aanmeldt.")),
            Length(max=3000, message=_l("Gebruik hoogstens 3000 tekens.")),
        ],
    )
    criteria = SelectMultipleField(
        _l("Welke criteria zijn van toepassing?"),
        choices=lambda: choices((k, str(v)) for k, v in states.REFERRAL_CRITERIA.items()),
        validators=[Optional()],
    )


class TriageForm(FlaskForm):
    held_on = DutchDateField(
        _l("Datum van de triage"), validators=[DateRequired(_l("Vul de datum van de triage in."))]
    )
    participants = TextAreaField(
        _l("Deelnemers aan de triage"),
        validators=[DataRequired(_l("Noem wie aan de triage deelnamen.")), Length(max=1000)],
    )
    outcome = SelectField(
        _l("Uitkomst"),
        validators=[DataRequired(_l("Kies de uitkomst van de triage."))],
        choices=lambda: choices(
            [("", _l("Kies de uitkomst"))]
            + [(s, states.REFERRAL.label(s)) for s in states.TRIAGE_OUTCOMES]
        ),
    )
    motivation = TextAreaField(
        _l("Motivering"), validators=[DataRequired(_l("Motiveer de uitkomst.")), Length(max=3000)]
    )


class RegionCriteriaForm(FlaskForm):
    criteria = TextAreaField(
        _l("Eigen criteria van de regio, één per regel"),
        validators=[Optional(), Length(max=4000, message=_l("Gebruik hoogstens 4000 tekens."))],
    )
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[
            DataRequired(_l("Geef de reden van de wijziging.")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.forms import choices
from levensloop.persons.forms import DateRequired, DutchDateField, bsn_check


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    persoon = StringField(_l("Persoonskenmerk"), validators=[Optional(), Length(max=40)])
    gebruiker = SelectField(_l("Gebruiker"), validators=[Optional()])
    organisatie = SelectField(_l("Organisatie"), validators=[Optional()])
    gebeurtenis = SelectField(_l("Gebeurtenis"), validators=[Optional()])
    van = DutchDateField(_l("Van"), validators=[Optional()])
    tot = DutchDateField(_l("Tot en met"), validators=[Optional()])


class PersonLookupForm(FlaskForm):
    bsn = StringField(
        _l("BSN van de betrokkene"),
        validators=[DataRequired(_l("Vul het BSN in.")), Length(max=20), bsn_check],
    )


class ReviewForm(FlaskForm):
    remark = TextAreaField(
        _l("Beoordeling"),
        validators=[
            DataRequired(_l("Schrijf een korte toelichting.")),
            Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens.")),
        ],
    )


def _kind_choices():
    from levensloop.privacy.models import RequestKind

    return choices((str(k), k.label) for k in RequestKind)


def _status_choices():
    from levensloop.privacy.models import RequestStatus

    return choices((str(s), s.label) for s in RequestStatus)


class RequestForm(FlaskForm):
    bsn = StringField(
        _l("BSN van de betrokkene"),
        validators=[DataRequired(_l("Vul het BSN in.")), Length(max=20), bsn_check],
    )
    kind = SelectField(
        _l("Soort verzoek"),
        choices=_kind_choices,
        validators=[DataRequired(_l("Kies de soort verzoek."))],
    )
    received_on = DutchDateField(
        _l("Ontvangen op"), validators=[DateRequired(_l("Vul de ontvangstdatum in."))]
    )


class ExtendForm(FlaskForm):
    until = DutchDateField(
        _l("Verlengen tot"), validators=[DateRequired(_l("Vul de nieuwe termijn in."))]
    )
    reason = TextAreaField(
        _l("Reden van de verlenging"),
        validators=[DataRequired(_l("Geef de reden.")), Length(max=1000)],
    )
    version = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Status"), choices=_status_choices, validators=[DataRequired(_l("Kies een status."))]
    )
    outcome = TextAreaField(_l("Uitkomst"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class NoticeForm(FlaskForm):
    status = RadioField(
        _l("Informatieplicht"),
        choices=lambda: choices(
            [
                ("gegeven", _l("De persoon is geïnformeerd")),
                ("uitgesteld", _l("Informeren is (nog) uitgesteld")),
            ]
        ),
        validators=[DataRequired(_l("Kies of de informatie is gegeven of uitgesteld."))],
    )
    given_on = DutchDateField(_l("Geïnformeerd op"), validators=[Optional()])
    channel = SelectField(
        _l("Hoe"),
        validators=[Optional()],
        choices=lambda: choices(
            [
                ("", _l("Kies hoe")),
                ("mondeling", _l("Mondeling")),
                ("brief", _l("Per brief")),
                ("e-mail", _l("Per e-mail")),
                ("via_hulpverlener", _l("Via de hulpverlener")),
            ]
        ),
    )
    ground = TextAreaField(_l("Grond voor uitstel"), validators=[Optional(), Length(max=1000)])
    review_on = DutchDateField(_l("Opnieuw beoordelen op"), validators=[Optional()])

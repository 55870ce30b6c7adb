"""Forms of the tab "titels en plaatsingen". Syntax only; the rules live in services.py.

The three forms on the tab carry a prefix ("titel-", "plaatsing-", "weigering-") so their
field ids stay unique on one page and each error links to its own field.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from levensloop.forms import choices
from levensloop.persons.forms import DateRequired, DutchDateField
from levensloop.titles.states import FINANCIERS, SECURITY_LEVELS, SETTINGS, SUPERVISORS

PICK = _l("Kies uit de lijst.")


TOO_LONG = {
    200: _l("Gebruik hoogstens 200 tekens."),
    2000: _l("Gebruik hoogstens 2000 tekens."),
    5000: _l("Gebruik hoogstens 5000 tekens."),
}


def _long(limit: int):
    return Length(max=limit, message=TOO_LONG[limit])


def _level_choices():
    return choices(
        [("", _l("Kies een niveau"))] + [(str(k), v) for k, v in SECURITY_LEVELS.items()]
    )


def _setting_choices():
    return choices([("", _l("Kies een setting"))] + list(SETTINGS.items()))


class TitleForm(FlaskForm):
    title_type = SelectField(
        _l("Soort titel"),
        validators=[DataRequired(_l("Kies het soort titel."))],
        invalid_choice_message=_l("Kies een soort titel uit de lijst."),
    )
    start_date = DutchDateField(
        _l("Begindatum"), validators=[DateRequired(_l("Vul de begindatum in."))]
    )
    expected_end = DutchDateField(_l("Verwachte einddatum"), validators=[Optional()])
    executor = SelectField(
        _l("Uitvoerende organisatie"), validators=[Optional()], invalid_choice_message=PICK
    )
    financier = SelectField(
        _l("Financier"),
        choices=lambda: choices([("", _l("Onbekend"))] + list(FINANCIERS.items())),
        validators=[Optional()],
        invalid_choice_message=PICK,
    )
    supervisor = SelectField(
        _l("Toezicht"),
        choices=lambda: choices([("", _l("Onbekend"))] + list(SUPERVISORS.items())),
        validators=[Optional()],
        invalid_choice_message=PICK,
    )
    conditions = TextAreaField(_l("Voorwaarden"), validators=[Optional(), _long(5000)])
    legal_basis_note = TextAreaField(
        _l("Grondslag en kenmerk van het besluit"), validators=[Optional(), _long(2000)]
    )


class StatusForm(FlaskForm):
    status = SelectField(
        _l("Nieuwe status"),
        validators=[DataRequired(_l("Kies de nieuwe status."))],
        invalid_choice_message=_l("Kies een status uit de lijst."),
    )
    on = DutchDateField(_l("Met ingang van"), validators=[Optional()])
    version = HiddenField()
    confirmed = HiddenField()


class ExtensionForm(FlaskForm):
    new_end = DutchDateField(
        _l("Nieuwe einddatum"), validators=[DateRequired(_l("Vul de nieuwe einddatum in."))]
    )
    decided_on = DutchDateField(
        _l("Datum van het besluit"),
        validators=[DateRequired(_l("Vul de datum van het besluit in."))],
    )
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), _long(2000)])
    version = HiddenField()


class _ProviderFields(FlaskForm):
    provider_organisation = SelectField(
        _l("Aanbieder in de regio"), validators=[Optional()], invalid_choice_message=PICK
    )
    provider_name = StringField(
        _l("Of: naam van de aanbieder"), validators=[Optional(), _long(200)]
    )
    setting = SelectField(
        _l("Setting"),
        choices=_setting_choices,
        validators=[DataRequired(_l("Kies de setting."))],
        invalid_choice_message=PICK,
    )
    security_level = SelectField(
        _l("Beveiligingsniveau"),
        choices=_level_choices,
        validators=[InputRequired(_l("Kies het beveiligingsniveau."))],
        invalid_choice_message=PICK,
    )


class PlacementForm(_ProviderFields):
    start_date = DutchDateField(
        _l("Begindatum"), validators=[DateRequired(_l("Vul de begindatum in."))]
    )
    end_date = DutchDateField(_l("Einddatum"), validators=[Optional()])
    end_reason = TextAreaField(_l("Reden van beëindiging"), validators=[Optional(), _long(2000)])


class RefusalForm(_ProviderFields):
    refused_on = DutchDateField(
        _l("Datum van de weigering"),
        validators=[DateRequired(_l("Vul de datum van de weigering in."))],
    )
    reason = TextAreaField(
        _l("Reden van de weigering"),
        validators=[DataRequired(_l("Beschrijf de reden van de weigering.")), _long(2000)],
    )


class EndPlacementForm(FlaskForm):
    end_date = DutchDateField(
        _l("Einddatum"), validators=[DateRequired(_l("Vul de einddatum in."))]
    )
    end_reason = TextAreaField(_l("Reden van beëindiging"), validators=[Optional(), _long(2000)])
    version = HiddenField()

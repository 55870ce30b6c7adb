from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)

from levensloop.forms import choices
from levensloop.persons.validation import is_valid_bsn


def bsn_check(form, field) -> None:
    if field.data and not is_valid_bsn(field.data):
        raise ValidationError(
            _l(
                "Dit is geen geldig BSN: het moet uit 9 cijfers bestaan en voldoen aan de "
                "elfproef. Controleer het nummer."
            )
        )


class DateRequired:
    """Like DataRequired, but keeps the field's own message for input that is not a date."""

    field_flags = {"required": True}

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.raw_data or not str(field.raw_data[0]).strip():
            field.errors[:] = []
            raise StopValidation(self.message)


class DutchDateField(DateField):
    """A date field with a Dutch message instead of WTForms' English one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Vul een geldige datum in, bijvoorbeeld 17-03-1985.")) from None
        if self.data is None and valuelist and valuelist[0].strip():
            raise ValueError(_l("Vul een geldige datum in, bijvoorbeeld 17-03-1985."))


class PersonForm(FlaskForm):
    voornamen = StringField(
        _l("Voornamen"),
        validators=[Optional(), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    roepnaam = StringField(
        _l("Roepnaam"),
        validators=[Optional(), Length(max=100, message=_l("Gebruik hoogstens 100 tekens."))],
    )
    tussenvoegsel = StringField(
        _l("Tussenvoegsel"),
        validators=[Optional(), Length(max=30, message=_l("Gebruik hoogstens 30 tekens."))],
    )
    achternaam = StringField(
        _l("Achternaam"),
        validators=[
            Length(min=1, max=200, message=_l("Vul de achternaam in (hoogstens 200 tekens)."))
        ],
    )
    bsn = StringField(
        _l("BSN"),
        validators=[Optional(), Length(max=20, message=_l("Een BSN heeft 9 cijfers.")), bsn_check],
    )
    geboortedatum = DutchDateField(_l("Geboortedatum"), validators=[Optional()])
    geslacht = StringField(
        _l("Geslacht (zoals geregistreerd)"),
        validators=[Optional(), Length(max=40, message=_l("Gebruik hoogstens 40 tekens."))],
    )
    adres = TextAreaField(
        _l("Adres"),
        validators=[Optional(), Length(max=500, message=_l("Gebruik hoogstens 500 tekens."))],
    )
    briefadres = BooleanField(_l("Dit is een briefadres"))
    telefoon = StringField(
        _l("Telefoonnummer"),
        validators=[Optional(), Length(max=40, message=_l("Gebruik hoogstens 40 tekens."))],
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            Optional(),
            Length(max=200),
            Email(_l("Vul een geldig e-mailadres in."), check_deliverability=False),
        ],
    )
    notities = TextAreaField(
        _l("Notities"),
        validators=[Optional(), Length(max=5000, message=_l("Gebruik hoogstens 5000 tekens."))],
    )
    confirm_duplicate = BooleanField(_l("Ik heb gecontroleerd dat het om een andere persoon gaat"))
    version = HiddenField()


class PersonSearchForm(FlaskForm):
    bsn = StringField(_l("BSN"), validators=[Optional(), Length(max=20), bsn_check])
    achternaam = StringField(_l("Achternaam"), validators=[Optional(), Length(max=200)])
    voornaam = StringField(_l("Voornaam"), validators=[Optional(), Length(max=100)])
    geboortedatum = DutchDateField(_l("Geboortedatum"), validators=[Optional()])


class ParticipantForm(FlaskForm):
    organisation = SelectField(
        _l("Organisatie"), validators=[DataRequired(_l("Kies een organisatie."))]
    )
    purpose = TextAreaField(
        _l("Doel van de deelname"),
        validators=[
            DataRequired(_l("Beschrijf het doel van de deelname.")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )
    legal_basis = SelectField(_l("Grondslag"), validators=[DataRequired(_l("Kies een grondslag."))])
    article = StringField(
        _l("Wet en artikel"),
        validators=[Optional(), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    start_date = DutchDateField(_l("Begindatum"), validators=[Optional()])
    end_date = DutchDateField(_l("Einddatum"), validators=[Optional()])


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        _l("Waarom heeft u nu toegang nodig?"),
        validators=[
            DataRequired(_l("Beschrijf waarom u noodtoegang nodig heeft.")),
            Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens.")),
        ],
    )
    password = PasswordField(
        _l("Uw wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=256)]
    )
    code = StringField(
        _l("Code uit uw authenticator-app"),
        validators=[DataRequired(_l("Vul de code in.")), Length(max=40)],
    )


class NetworkContactForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[DataRequired(_l("Vul de naam in.")), Length(max=200)],
    )
    relation = SelectField(
        _l("Relatie"),
        validators=[DataRequired(_l("Kies de relatie."))],
        invalid_choice_message=_l("Kies de relatie uit de lijst."),
    )
    supportive = SelectField(
        _l("Betekenis voor de persoon"),
        choices=lambda: choices(
            [("", _l("onbekend")), ("ja", _l("steunend")), ("nee", _l("een risico"))]
        ),
        validators=[Optional()],
        invalid_choice_message=_l("Kies uit de lijst."),
    )
    reach = StringField(
        _l("Bereikbaar via"),
        validators=[Optional(), Length(max=300, message=_l("Gebruik hoogstens 300 tekens."))],
    )
    since = DutchDateField(_l("Sinds"), validators=[Optional()])
    note = TextAreaField(
        _l("Toelichting"),
        validators=[Optional(), Length(max=2000, message=_l("Gebruik hoogstens 2000 tekens."))],
    )

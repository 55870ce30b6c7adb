"""The form for a new API token (functioneel beheerder)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from levensloop.api.services import MAX_NAME, SCOPES
from levensloop.forms import choices
from levensloop.persons.forms import DutchDateField

REACH = {
    "regio": _l("Alleen deze regio"),
    "landelijk": _l("Alle regio's (voor landelijk gebruik)"),
}


class TokenForm(FlaskForm):
    name = StringField(
        _l("Naam van de sleutel"),
        validators=[
            DataRequired(
                _l("Geef de sleutel een naam, bijvoorbeeld de toepassing die hem gebruikt.")
            ),
            Length(max=MAX_NAME, message=_l("Gebruik hoogstens %(n)s tekens.", n=MAX_NAME)),
        ],
    )
    scopes = SelectMultipleField(
        _l("Wat mag de sleutel"),
        choices=lambda: choices(SCOPES.items()),
        validate_choice=False,
        validators=[InputRequired(_l("Kies wat de sleutel mag."))],
    )
    reach = RadioField(
        _l("Cijfers van"),
        choices=lambda: choices(REACH.items()),
        validate_choice=False,
        validators=[InputRequired(_l("Kies van welke regio's de sleutel cijfers geeft."))],
    )
    valid_until = DutchDateField(
        _l("Geldig tot en met"),
        validators=[InputRequired(_l("Vul een geldige datum in, bijvoorbeeld 17-03-2027."))],
    )

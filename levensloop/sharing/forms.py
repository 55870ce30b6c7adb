from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length

from levensloop.forms import choices
from levensloop.sharing.categories import Category


class MatrixRowForm(FlaskForm):
    categories = SelectMultipleField(
        _l("Categorieën die deze soort organisatie mag zien"),
        choices=lambda: choices((str(c), f"{c.label} ({c.description})") for c in Category),
    )
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[
            DataRequired(_l("Geef de reden van de wijziging.")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )

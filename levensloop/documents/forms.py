"""The upload form. Syntax only; the rules (size, type, category) live in the service."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.documents.services import DESCRIPTION_MAX, TITLE_MAX


class UploadForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[
            DataRequired(_l("Geef het document een titel.")),
            Length(max=TITLE_MAX, message=_l("De titel is te lang.")),
        ],
    )
    description = TextAreaField(
        _l("Omschrijving"),
        validators=[
            Optional(),
            Length(max=DESCRIPTION_MAX, message=_l("De omschrijving is te lang.")),
        ],
    )
    # Choices are the categories the uploader may see; the service checks the value.
    category = SelectField(
        _l("Categorie"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(_l("Kies de categorie van het document."))],
    )
    file = FileField(_l("Bestand"), validators=[FileRequired(_l("Kies een bestand."))])

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.forms import choices
from levensloop.organisations.models import OrganisationType


def type_choices():
    return choices((str(t), t.label) for t in OrganisationType)


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Naam"),
        validators=[
            DataRequired(_l("Vul de naam van de organisatie in.")),
            Length(max=160, message=_l("Gebruik hoogstens 160 tekens.")),
        ],
    )
    type = SelectField(
        _l("Soort organisatie"),
        choices=type_choices,
        validators=[DataRequired(_l("Kies de soort organisatie."))],
    )


class OrganisationEditForm(OrganisationForm):
    active = BooleanField(_l("Actief"))
    version = HiddenField()


class OrganisationFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam"), validators=[Optional(), Length(max=100)])
    type = SelectField(_l("Soort"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=choices([("", _l("Alle")), ("actief", _l("Actief")), ("inactief", _l("Inactief"))]),
        validators=[Optional()],
    )

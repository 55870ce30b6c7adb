"""Forms for login, second factor, passwords and user administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.validators import Email as EmailValidator

from levensloop.auth.models import Role
from levensloop.forms import choices


class LoginForm(FlaskForm):
    username = StringField(
        _l("Gebruikersnaam"),
        validators=[DataRequired(_l("Vul uw gebruikersnaam in.")), Length(max=120)],
    )
    password = PasswordField(
        _l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in.")), Length(max=256)]
    )


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(_l("Vul de code in.")), Length(max=40)])


class ContinueForm(FlaskForm):
    """A button only (CSRF-protected)."""


class NewPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(_l("Vul een nieuw wachtwoord in.")), Length(max=256)],
    )
    new_password_repeat = PasswordField(
        _l("Herhaal het nieuwe wachtwoord"),
        validators=[
            DataRequired(_l("Herhaal het nieuwe wachtwoord.")),
            EqualTo("new_password", _l("De twee wachtwoorden zijn niet gelijk.")),
        ],
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Huidig wachtwoord"),
        validators=[DataRequired(_l("Vul uw huidige wachtwoord in.")), Length(max=256)],
    )


def role_choices():
    return choices((str(role), role.label) for role in Role)


class UserForm(FlaskForm):
    username = StringField(
        _l("Gebruikersnaam"),
        validators=[
            DataRequired(_l("Vul een gebruikersnaam in.")),
            Length(min=3, max=120, message=_l("Gebruik 3 tot 120 tekens.")),
            Regexp(
                r"^[A-Za-z0-9._@+-]+$", message=_l("Gebruik alleen letters, cijfers en . _ @ + -")
            ),
        ],
    )
    display_name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=160)]
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            Optional(),
            Length(max=200),
            EmailValidator(_l("Vul een geldig e-mailadres in."), check_deliverability=False),
        ],
    )
    organisation = SelectField(
        _l("Organisatie"), validators=[DataRequired(_l("Kies een organisatie."))]
    )
    roles = SelectMultipleField(
        _l("Rollen in deze regio"),
        choices=role_choices,
        validators=[DataRequired(_l("Kies minstens één rol."))],
    )


class UserEditForm(FlaskForm):
    display_name = StringField(
        _l("Naam"), validators=[DataRequired(_l("Vul de naam in.")), Length(max=160)]
    )
    email = EmailField(
        _l("E-mailadres"),
        validators=[
            Optional(),
            Length(max=200),
            EmailValidator(_l("Vul een geldig e-mailadres in."), check_deliverability=False),
        ],
    )
    organisation = SelectField(
        _l("Organisatie"), validators=[DataRequired(_l("Kies een organisatie."))]
    )
    version = HiddenField()


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Rol"), choices=role_choices, validators=[DataRequired(_l("Kies een rol."))]
    )


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Zoek op naam of gebruikersnaam"), validators=[Optional(), Length(max=100)])
    organisation = SelectField(_l("Organisatie"), validators=[Optional()])
    role = SelectField(_l("Rol"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=choices(
            [("", _l("Alle")), ("actief", _l("Actief")), ("inactief", _l("Gedeactiveerd"))]
        ),
        validators=[Optional()],
    )
    page = IntegerField(validators=[Optional()])

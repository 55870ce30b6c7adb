"""Forms of the escalation route. Syntactic checks only; the services check the rules and name
the field, all fields at once (so a required field is only marked here, see `Required`). The
action forms on the detail page use field names of their own, so that several forms can share
one page without two fields with the same id."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from levensloop.escalations.services import MAX_REASON, MAX_TEXT
from levensloop.escalations.states import LEVEL3_TYPES, LEVELS, REASONS
from levensloop.forms import choices
from levensloop.persons.forms import DutchDateField


class Required:
    """Marks a field as required (label and aria-required); the service checks it and gives the
    Dutch message, together with every other field's."""

    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class DateInput(DutchDateField):
    """A date; left empty it is None without an error, so the service names what is missing."""

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


def _level3_choices():
    return choices([("", _l("Niet van toepassing (alleen bij niveau 3)")), *LEVEL3_TYPES.items()])


def _too_long(n: int):
    return Length(max=n, message=_l("Gebruik hoogstens %(n)s tekens.", n=n))


class EscalationForm(FlaskForm):
    """A new escalation from a person's file. The view fills the level and owner choices."""

    level = SelectField(_l("Niveau"), choices=[], validate_choice=False)
    reason = RadioField(
        _l("Reden"),
        choices=lambda: choices(REASONS.items()),
        validate_choice=False,
        validators=[Required()],
    )
    level3_type = SelectField(
        _l("Landelijk punt (niveau 3)"), choices=_level3_choices, validate_choice=False
    )
    description = TextAreaField(
        _l("Wat loopt er vast?"),
        validators=[Required(), _too_long(MAX_TEXT)],
    )
    owner_organisation = SelectField(
        _l("Organisatie die moet handelen"), choices=[], validate_choice=False
    )


class EscalateForm(FlaskForm):
    escalate_type = SelectField(
        _l("Landelijk punt (niveau 3)"), choices=_level3_choices, validate_choice=False
    )
    motivation = TextAreaField(
        _l("Waarom is het volgende niveau nodig?"),
        validators=[Required(), _too_long(MAX_TEXT)],
    )


class ResolveForm(FlaskForm):
    outcome = TextAreaField(
        _l("Uitkomst en besluit"),
        validators=[Required(), _too_long(MAX_TEXT)],
    )


class WithdrawForm(FlaskForm):
    withdraw_reason = TextAreaField(
        _l("Waarom wordt de escalatie ingetrokken?"),
        validators=[Required(), _too_long(MAX_REASON)],
    )


class SuspendForm(FlaskForm):
    suspend_until = DateInput(
        _l("Opgeschort tot en met"),
        validators=[Required()],
    )
    suspend_reason = TextAreaField(
        _l("Reden van de opschorting"),
        validators=[Required(), _too_long(MAX_REASON)],
    )


class ExtendForm(FlaskForm):
    extend_due = DateInput(
        _l("Nieuwe termijn"),
        validators=[Required()],
    )
    extend_reason = TextAreaField(
        _l("Reden van de verlenging"),
        validators=[Required(), _too_long(MAX_REASON)],
    )


class LevelsForm(FlaskForm):
    """The region's four levels: a name and a response time in werkdagen each."""

    stamp = HiddenField()
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[Required(), _too_long(500)],
    )

    def level_fields(self, level: int):
        return getattr(self, f"name_{level}"), getattr(self, f"days_{level}")


for _level in LEVELS:
    setattr(
        LevelsForm,
        f"name_{_level}",
        StringField(
            _l("Naam van niveau %(level)s", level=_level),
            validators=[Required()],
        ),
    )
    setattr(
        LevelsForm,
        f"days_{_level}",
        StringField(
            _l("Reactietermijn niveau %(level)s (werkdagen)", level=_level),
            validators=[Required()],
        ),
    )
del _level

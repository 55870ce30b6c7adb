"""Forms of the handovers. Syntax only; the rules (who, which kind needs what, the due date
before the title ends) live in services.py and come back as field errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.forms import choices
from levensloop.handovers.states import CHECKLIST, KINDS
from levensloop.persons.forms import DateRequired, DutchDateField, bsn_check

PICK = _l("Kies uit de lijst.")
TOO_LONG = _l("Gebruik hoogstens 2000 tekens.")


class KindForm(FlaskForm):
    """Step one of a new handover: what is handed over (a GET form, no CSRF needed)."""

    class Meta:
        csrf = False

    soort = RadioField(
        _l("Wat wordt er overgedragen?"),
        choices=lambda: choices(list(KINDS.items())),
        validators=[DataRequired(_l("Kies wat er wordt overgedragen."))],
    )


class HandoverForm(FlaskForm):
    to_organisation = SelectField(
        _l("Ontvangende organisatie"), validators=[Optional()], invalid_choice_message=PICK
    )
    to_user = SelectField(
        _l("Ontvangende coördinator"), validators=[Optional()], invalid_choice_message=PICK
    )
    to_region = SelectField(
        _l("Ontvangende regio"), validators=[Optional()], invalid_choice_message=PICK
    )
    predecessor_title = SelectField(
        _l("Titel die afloopt"), validators=[Optional()], invalid_choice_message=PICK
    )
    successor_title = SelectField(
        _l("Nieuwe titel (als die er al is)"), validators=[Optional()], invalid_choice_message=PICK
    )
    due_date = DutchDateField(
        _l("Rond op"),
        validators=[DateRequired(_l("Vul de datum in waarop de overdracht rond moet zijn."))],
    )
    note = TextAreaField(
        _l("Toelichting voor de ontvanger"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )


class StepForm(FlaskForm):
    """A button with the version the page was made from (offer, accept, complete)."""

    version = HiddenField()


class ConfirmForm(FlaskForm):
    """Withdrawing: asks for confirmation first."""

    version = HiddenField()
    confirmed = HiddenField()


class RejectForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(
        _l("Reden van de afwijzing"),
        validators=[
            DataRequired(_l("Geef de reden van de afwijzing.")),
            Length(min=10, message=_l("Geef de reden in minstens 10 tekens.")),
            Length(max=2000, message=TOO_LONG),
        ],
    )


def checklist_form_class():
    """A form with one checkbox per checklist item (the list lives in states.py)."""

    class ChecklistForm(FlaskForm):
        version = HiddenField()

    for item, label in CHECKLIST.items():
        setattr(ChecklistForm, item, BooleanField(label))
    return ChecklistForm


ChecklistForm = checklist_form_class()


class KnownElsewhereForm(FlaskForm):
    bsn = StringField(
        _l("BSN"),
        validators=[Optional(), bsn_check],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    achternaam = StringField(
        _l("Achternaam"),
        validators=[Optional(), Length(max=200, message=_l("Gebruik hoogstens 200 tekens."))],
    )
    geboortedatum = DutchDateField(_l("Geboortedatum"), validators=[Optional()])


class CaseloadForm(FlaskForm):
    departing = SelectField(
        _l("Coördinator die vertrekt"),
        validators=[DataRequired(_l("Kies de coördinator die vertrekt."))],
        invalid_choice_message=PICK,
    )
    receiving = SelectField(
        _l("Coördinator die de caseload overneemt"),
        validators=[DataRequired(_l("Kies de coördinator die de caseload overneemt."))],
        invalid_choice_message=PICK,
    )
    due_date = DutchDateField(
        _l("Rond op"),
        validators=[DateRequired(_l("Vul de datum in waarop de overdrachten rond moeten zijn."))],
    )
    note = TextAreaField(
        _l("Toelichting voor de ontvangers"),
        validators=[Optional(), Length(max=2000, message=TOO_LONG)],
    )
    confirmed = HiddenField()

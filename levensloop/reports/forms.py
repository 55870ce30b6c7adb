"""Forms of the monthly report: the month selector, freezing a month and a correction."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from levensloop.reports.services import MAX_REASON


class MonthForm(FlaskForm):
    """The month selector: a GET form, nothing changes, so no CSRF token."""

    class Meta:
        csrf = False

    maand = SelectField(_l("Maand"), choices=[], validate_choice=False)


class SnapshotForm(FlaskForm):
    snapshot_month = SelectField(
        _l("Maand om vast te leggen"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Kies een maand."))],
    )


class CorrectionForm(FlaskForm):
    correction_month = SelectField(
        _l("Maand om te corrigeren"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Kies een maand."))],
    )
    correction_reason = TextAreaField(
        _l("Reden van de correctie"),
        validators=[
            DataRequired(_l("Geef de reden van de correctie.")),
            Length(max=MAX_REASON, message=_l("Gebruik hoogstens %(n)s tekens.", n=MAX_REASON)),
        ],
    )

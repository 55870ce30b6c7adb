"""Forms of the retention screens (privacy officer)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from levensloop.persons.forms import DateRequired, DutchDateField

REASON_LENGTH = Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))


class RuleForm(FlaskForm):
    period_months = StringField(
        _l("Bewaartermijn in maanden"),
        validators=[DataRequired(_l("Vul de termijn in maanden in.")), Length(max=5)],
    )
    unconfirmed = BooleanField(_l("Deze termijn is voorlopig (nog niet door de Wgs bevestigd)"))
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[
            DataRequired(_l("Geef de reden (minstens 10 tekens).")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )
    version = HiddenField()


class ApproveForm(FlaskForm):
    confirmed = HiddenField()
    version = HiddenField()


class ExtendForm(FlaskForm):
    until = DutchDateField(
        _l("Bewaren tot"),
        id="verlengen-tot",
        validators=[DateRequired(_l("Vul de datum in tot wanneer de gegevens bewaard blijven."))],
    )
    reason = TextAreaField(
        _l("Reden van de verlenging"),
        validators=[DataRequired(_l("Geef de reden (minstens 10 tekens).")), REASON_LENGTH],
        id="verlengen-reden",
    )
    version = HiddenField()


class HoldForm(FlaskForm):
    reason = TextAreaField(
        _l("Grond van de juridische blokkade"),
        validators=[DataRequired(_l("Geef de reden (minstens 10 tekens).")), REASON_LENGTH],
        id="blokkade-reden",
    )
    version = HiddenField()


class LiftForm(FlaskForm):
    reason = TextAreaField(
        _l("Reden om de blokkade op te heffen"),
        validators=[DataRequired(_l("Geef de reden (minstens 10 tekens).")), REASON_LENGTH],
        id="opheffen-reden",
    )
    version = HiddenField()

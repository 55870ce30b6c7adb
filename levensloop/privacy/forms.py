from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from levensloop.persons.forms import DutchDateField, bsn_check


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    persoon = StringField(_l("Persoonskenmerk"), validators=[Optional(), Length(max=40)])
    gebruiker = SelectField(_l("Gebruiker"), validators=[Optional()])
    organisatie = SelectField(_l("Organisatie"), validators=[Optional()])
    gebeurtenis = SelectField(_l("Gebeurtenis"), validators=[Optional()])
    van = DutchDateField(_l("Van"), validators=[Optional()])
    tot = DutchDateField(_l("Tot en met"), validators=[Optional()])


class PersonLookupForm(FlaskForm):
    bsn = StringField(_l("BSN van de betrokkene"), validators=[DataRequired(_l("Vul het BSN in.")), Length(max=20), bsn_check])


class ReviewForm(FlaskForm):
    remark = TextAreaField(_l("Beoordeling"), validators=[DataRequired(_l("Schrijf een korte toelichting.")),
                                                         Length(max=1000, message=_l("Gebruik hoogstens 1000 tekens."))])

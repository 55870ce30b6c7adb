"""Forms of the reviews: recording a review (fields per visible domain) and the interval."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from levensloop.forms import choices
from levensloop.persons.forms import DateRequired, DutchDateField
from levensloop.plans.domains import DOMAINS, SCORES
from levensloop.reviews.schedule import MAX_INTERVAL, MIN_INTERVAL
from levensloop.reviews.services import DECISIONS, MAX_MOTIVATION, MAX_PERSONS, MAX_PROGRESS


class ReviewForm(FlaskForm):
    """The fixed part; `review_form(domains)` adds a progress text and a score per domain.
    Choices are not checked here (WTForms' own message is English): the service does that."""

    held_on = DutchDateField(
        _l("Datum van de evaluatie"),
        validators=[DateRequired(_l("Vul de datum van de evaluatie in."))],
    )
    attendees = SelectMultipleField(_l("Organisaties aan tafel"), choices=[], validate_choice=False)
    attendee_persons = TextAreaField(
        _l("Aanwezige personen"),
        validators=[
            Optional(),
            Length(max=MAX_PERSONS, message=_l("Gebruik hoogstens 1000 tekens.")),
        ],
    )
    decision = RadioField(
        _l("Besluit"),
        choices=lambda: choices(DECISIONS.items()),
        validate_choice=False,
        validators=[InputRequired(_l("Kies het besluit van de tafel."))],
    )
    motivation = TextAreaField(
        _l("Motivering van het besluit"),
        validators=[
            DataRequired(_l("Motiveer het besluit in minstens 10 tekens.")),
            Length(max=MAX_MOTIVATION, message=_l("Gebruik hoogstens 3000 tekens.")),
        ],
    )
    next_review_on = DutchDateField(_l("Volgende evaluatie"), validators=[Optional()])

    def domain_fields(self, domain: str):
        return getattr(self, f"progress_{domain}"), getattr(self, f"score_{domain}")


def review_form(domains: list[str], **kwargs) -> ReviewForm:
    """A ReviewForm with, for each domain given, `progress_<domain>` and `score_<domain>`."""

    class Form(ReviewForm):
        pass

    score_choices = choices(
        [("", _l("geen nieuwe score")), *((str(k), v) for k, v in SCORES.items())]
    )
    for domain in domains:
        label = DOMAINS[domain][0]
        setattr(
            Form,
            f"progress_{domain}",
            TextAreaField(
                _l("Voortgang: %(domain)s", domain=label),
                validators=[
                    Optional(),
                    Length(max=MAX_PROGRESS, message=_l("Gebruik hoogstens 2000 tekens.")),
                ],
            ),
        )
        setattr(
            Form,
            f"score_{domain}",
            SelectField(
                _l("Nieuwe ZRM-score: %(domain)s", domain=label),
                choices=score_choices,
                validate_choice=False,
            ),
        )
    return Form(**kwargs)


class IntervalForm(FlaskForm):
    interval_months = SelectField(
        _l("Termijn tussen twee evaluaties"),
        choices=lambda: choices(
            (str(n), _l("%(num)s maand", num=n) if n == 1 else _l("%(num)s maanden", num=n))
            for n in range(MIN_INTERVAL, MAX_INTERVAL + 1)
        ),
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reden van de wijziging"),
        validators=[
            DataRequired(_l("Geef de reden van de wijziging (minstens 10 tekens).")),
            Length(max=500, message=_l("Gebruik hoogstens 500 tekens.")),
        ],
    )
    version = HiddenField()

    def validate_interval_months(self, field) -> None:
        value = str(field.data or "").strip()
        if (
            not (value.isascii() and value.isdigit())
            or not MIN_INTERVAL <= int(value) <= MAX_INTERVAL
        ):
            raise ValidationError(_l("Kies een termijn van 1 tot en met 12 maanden."))

"""Schemathesis against `/api/v1/openapi.json`, in process through WSGI: data that fits the
schema and data that does not, with a valid bearer token, without one and with a wrong one.
No answer is a 5xx, every answer matches the document (status code, content type, headers,
body), a request without a valid token gets 401, and no answer or log record holds a person's
data."""

from __future__ import annotations

import contextvars
import logging
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from levensloop.api.models import ApiToken
from levensloop.api.services import hash_token
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.persons.services import PersonInput, create_person
from levensloop.reports import services as reports
from levensloop.reports.measures import Month

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

SCHEMA_PATH = "/api/v1/openapi.json"
OCTOBER = Month(2026, 10)
SENTINELS = ("Apifuzzsentinelwest", "Apifuzzsentineloost")
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 40  # per operation, mode and token; derandomized
API_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=(Phase.explicit, Phase.generate),
    print_blob=False,
)


def isolated(function, *args, **kwargs):
    """Run a request in a fresh context, as in a real server (its own app context and
    database session), not the test's."""
    return contextvars.Context().run(function, *args, **kwargs)


@pytest.fixture
def api(world, app, clock, caplog):
    """Frozen October figures for both regions, a valid token and the loaded schema."""
    caplog.set_level(logging.DEBUG, logger="levensloop")
    for region, name, count in ((world.west, SENTINELS[0], 6), (world.oost, SENTINELS[1], 2)):
        for n in range(count):
            person = create_person(None, region, PersonInput(achternaam=f"{name}{n}"))
            db.session.add(
                Trajectory(
                    id=uuid.uuid4(),
                    region_id=region.id,
                    person_id=person.id,
                    status="in_uitvoering",
                    included_on=date(2026, 10, 1 + n),
                )
            )
    db.session.commit()
    reports.freeze_missing(OCTOBER, source=reports.CLI)
    secret = "llk_" + uuid.uuid4().hex + uuid.uuid4().hex[:11]
    db.session.add(
        ApiToken(
            id=uuid.uuid4(),
            name="Fuzzsleutel",
            managed_region_id=world.west.id,
            scopes="reports:read",
            token_hash=hash_token(secret),
            token_prefix=secret[:8],
            expires_at=datetime.now(UTC) + timedelta(days=30),
        )
    )
    db.session.commit()
    schema = isolated(schemathesis.openapi.from_wsgi, SCHEMA_PATH, app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "het OpenAPI-document beschrijft geen operaties"
    return {"secret": secret, "operations": operations, "caplog": caplog}


def _clean(response, caplog) -> None:
    """No person's data in the answer; no error and no person's data in the log."""
    body = response.content.decode("utf-8", "replace")
    assert not any(name in body for name in SENTINELS), "persoonsgegevens in een API-antwoord"
    assert "Traceback" not in body
    for record in caplog.records:
        assert record.levelno < logging.ERROR, record.getMessage()[:200]
        assert not any(name in record.getMessage() for name in SENTINELS)


def _expect_refusal(response, case) -> None:
    """401 with a Bearer challenge; only a NUL in the query is refused before that (400)."""
    if any("\x00" in str(value) for value in (case.query or {}).values()):
        assert response.status_code == 400, f"{response.status_code} voor {case.query!r}"
        return
    assert response.status_code == 401, f"{response.status_code} voor {case.query!r}"
    assert response.headers["www-authenticate"][0].startswith("Bearer")


def _run(operation, mode, headers, checks, caplog, expect=None, counter=None):
    @API_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    @example(case=operation.Case(query={"maand": "2026-10"}))
    @example(case=operation.Case(query={"maand": "2026-10", "regio": "test-west"}))
    @example(case=operation.Case(query={"maand": "2026-10", "regio": "bestaat-niet"}))
    @example(case=operation.Case(query={"maand": "2099-01"}))
    @example(case=operation.Case(query={"maand": "0000-00"}))
    @example(case=operation.Case(query={"maand": "2026-10", "regio": "a\x00b"}))
    def call(case):
        caplog.clear()
        if not headers and case.headers:
            case.headers.pop("Authorization", None)  # schemathesis fills in the scheme
        response = isolated(case.call_and_validate, headers=headers, checks=checks)
        if counter is not None:
            counter[response.status_code] = counter.get(response.status_code, 0) + 1
        if expect is not None:
            _expect_refusal(response, case)
        _clean(response, caplog)

    call()


@pytest.mark.asvs("V2.2.1", "V16.5.1", "V16.2.5")
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_answers_every_generated_request_as_documented(api, mode):
    counter: dict[int, int] = {}
    checks = CONFORMANCE + ([negative_data_rejection] if mode == "negative" else [])
    headers = {"Authorization": f"Bearer {api['secret']}"}
    for operation in api["operations"]:
        _run(
            operation,
            schemathesis.GenerationMode(mode),
            headers,
            checks,
            api["caplog"],
            counter=counter,
        )
    statuses = dict(sorted(counter.items()))
    print(f"\napi {mode}: {sum(counter.values())} verzoeken, statussen {statuses}")
    if mode == "positive":
        assert counter.get(200), "geen enkel geldig verzoek beantwoord: de fuzz bereikt niets"


BAD_TOKENS = st.one_of(
    st.just(None),
    st.just("Bearer llk_" + "0" * 54),
    st.just("Bearer"),
    st.just("Bearer "),
    st.just("Basic dXNlcjpwYXNz"),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300).map(
        lambda s: "Bearer " + s
    ),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=80),
)


@pytest.mark.asvs("V16.5.1")
@pytest.mark.parametrize("token_kind", ["zonder", "fout"])
def test_api_refuses_a_missing_or_wrong_token_with_401(api, token_kind):
    """Without a token and with a wrong one: 401 as documented, never a 5xx."""
    for operation in api["operations"]:
        if token_kind == "zonder":
            _run(
                operation,
                schemathesis.GenerationMode.POSITIVE,
                {},
                CONFORMANCE,
                api["caplog"],
                expect=True,
            )
            continue

        @API_SETTINGS
        @given(header=BAD_TOKENS, case=operation.as_strategy())
        def call(header, case):
            headers = {} if header is None else {"Authorization": header}
            if header is None and case.headers:
                case.headers.pop("Authorization", None)
            api["caplog"].clear()
            response = isolated(case.call_and_validate, headers=headers, checks=CONFORMANCE)
            _expect_refusal(response, case)
            _clean(response, api["caplog"])

        call()

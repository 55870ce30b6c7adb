"""The JSON API and its tokens: the functioneel beheerder creates (shown once, stored as a
hash), lists and revokes tokens; the API answers 401 without a valid token, 403 without the
scope, applies the national suppression always and returns no person data."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from levensloop.api.models import ApiToken
from levensloop.api.services import hash_token
from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role
from levensloop.db import local_today
from levensloop.extensions import db
from levensloop.inclusion.models import Trajectory
from levensloop.persons.services import PersonInput, create_person
from levensloop.reports import measures as m
from levensloop.reports import services
from levensloop.reports.measures import Month
from tests.conftest import Browser

OCTOBER = Month(2026, 10)
URL = "/api/v1/rapportages/maand"
SECRET_RE = re.compile(r'id="api-secret"[^>]*value="(llk_[A-Za-z0-9_-]+)"')


@pytest.fixture
def beheerder(world, app, clock):
    browser = Browser(app.test_client())
    browser.login(world.user(Role.FUNCTIONEEL_BEHEERDER))
    return browser


def _create(browser, **fields):
    data = {
        "name": "Dashboard ministerie",
        "scopes": "reports:read",
        "reach": "landelijk",
        "valid_until": (local_today() + timedelta(days=90)).isoformat(),
    }
    data.update(fields)
    return browser.post_form("/beheer/api-sleutels/", data)


def _secret(response) -> str:
    match = SECRET_RE.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)[:3000]
    return match.group(1)


@pytest.fixture
def counts(world, app, clock):
    """October 2026: West has 7 included persons, Oost 2; both frozen."""
    names = []
    for region, count in ((world.west, 7), (world.oost, 2)):
        for n in range(count):
            name = f"Apipersoon{region.code[5:]}{n}"
            names.append(name)
            person = create_person(None, region, PersonInput(achternaam=name))
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
    services.freeze_missing(OCTOBER, source=services.CLI)
    return names


def _token(
    world, *, scopes="reports:read", region=None, expires_in=timedelta(days=30), revoked=False
):
    secret = "llk_" + uuid.uuid4().hex + uuid.uuid4().hex[:11]
    token = ApiToken(
        id=uuid.uuid4(),
        name="Testsleutel",
        managed_region_id=world.west.id,
        region_id=region.id if region else None,
        scopes=scopes,
        token_hash=hash_token(secret),
        token_prefix=secret[:8],
        expires_at=datetime.now(UTC) + expires_in,
        revoked_at=datetime.now(UTC) if revoked else None,
    )
    db.session.add(token)
    db.session.commit()
    return token, secret


def _get(client, secret=None, query="maand=2026-10", header=None):
    headers = {}
    if header is not None:
        headers["Authorization"] = header
    elif secret is not None:
        headers["Authorization"] = f"Bearer {secret}"
    return client.get(f"{URL}?{query}", headers=headers)


# ---------------------------------------------------------------- token management


def test_beheerder_creates_a_token_that_is_shown_once_and_stored_hashed(world, beheerder):
    page = beheerder.get("/beheer/api-sleutels/")
    assert page.status_code == 200 and "Nog geen API-sleutels" in page.get_data(as_text=True)
    created = _create(beheerder)
    assert created.status_code == 200
    secret = _secret(created)
    assert len(secret) >= 4 + 43  # 32 random bytes in URL-safe base64
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.scopes == "reports:read" and token.region_id is None
    assert token.valid_through == local_today() + timedelta(days=90)
    # The secret itself is nowhere in the database, and the list never shows it again.
    for table in ("api_tokens", "audit_events"):
        dump = " ".join(str(row) for row in db.session.execute(sa.text(f"SELECT * FROM {table}")))
        assert secret not in dump and secret[4:] not in dump
    listing = beheerder.get("/beheer/api-sleutels/").get_data(as_text=True)
    assert "Dashboard ministerie" in listing and secret not in listing
    assert token.token_prefix in listing
    assert "Set-Cookie" not in created.headers or secret not in created.headers["Set-Cookie"]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.event_type == "api_token_created")
    )
    assert event.object_id == str(token.id) and secret not in str(event.details)


@pytest.mark.parametrize(
    "fields,field,message",
    [
        ({"name": ""}, "name", "Geef de sleutel een naam"),
        ({"valid_until": ""}, "valid_until", "Vul een geldige datum in"),
        ({"valid_until": "2026-10-01"}, "valid_until", "vanaf vandaag"),
        ({"valid_until": "2028-01-01"}, "valid_until", "hoogstens een jaar"),
        ({"scopes": "alles:schrijven"}, "scopes", "Kies wat de sleutel mag"),
        ({"reach": ""}, "reach", "Kies van welke regio"),
    ],
)
def test_bad_token_input_gets_a_message_at_the_field(world, beheerder, fields, field, message):
    response = _create(beheerder, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert f'id="{field}-error"' in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoking_a_token_and_another_regions_token(world, beheerder):
    secret = _secret(_create(beheerder, reach="regio"))
    token = db.session.scalar(sa.select(ApiToken))
    assert token.region_id == world.west.id
    page = beheerder.get("/beheer/api-sleutels/")
    done = beheerder.post_from(page, f"/beheer/api-sleutels/{token.id}/intrekken", {})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert "Ingetrokken" in beheerder.get("/beheer/api-sleutels/").get_data(as_text=True)
    assert _get(beheerder.client, secret).status_code == 401
    foreign = ApiToken(
        id=uuid.uuid4(),
        name="Oost",
        managed_region_id=world.oost.id,
        scopes="reports:read",
        token_hash="0" * 64,
        token_prefix="llk_0000",
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    db.session.add(foreign)
    db.session.commit()
    refused = beheerder.post_from(page, f"/beheer/api-sleutels/{foreign.id}/intrekken", {})
    assert refused.status_code == 404
    assert "Oost" not in beheerder.get("/beheer/api-sleutels/").get_data(as_text=True)


@pytest.mark.asvs("V8.2.1")
def test_only_the_beheerder_manages_tokens(world, app, clock):
    for role in (Role.PROCESREGISSEUR, Role.LANDELIJK_ANALIST, Role.PRIVACY_OFFICER):
        browser = Browser(app.test_client())
        browser.login(world.user(role))
        assert browser.get("/beheer/api-sleutels/").status_code == 403


# ---------------------------------------------------------------- the API


@pytest.mark.asvs("V8.2.1")
def test_no_token_gets_401_with_a_bearer_challenge(world, client, counts):
    for header in (None, "", "Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer llk_onbekend", "Bearer x"):
        response = _get(client, header=header)
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.is_json and response.get_json()["error"] == 401
    unknown = _get(client, header="Bearer llk_" + "a" * 43)
    assert 'error="invalid_token"' in unknown.headers["WWW-Authenticate"]


@pytest.mark.asvs("V8.2.1")
def test_expired_and_revoked_tokens_get_401(world, client, counts):
    _expired, expired_secret = _token(world, expires_in=timedelta(seconds=-1))
    revoked, revoked_secret = _token(world, revoked=True)
    response = _get(client, expired_secret)
    assert response.status_code == 401 and "verlopen" in response.get_json()["message"]
    response = _get(client, revoked_secret)
    assert response.status_code == 401 and "ingetrokken" in response.get_json()["message"]
    denied = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event_type == "api_denied")
    ).all()
    assert {e.details["reden"] for e in denied} == {"expired", "revoked"}
    assert str(revoked.id) in {e.object_id for e in denied}
    assert all(revoked_secret not in str(e.details) for e in denied)


@pytest.mark.asvs("V8.2.1")
def test_a_token_without_the_scope_gets_403(world, client, counts):
    _token_row, secret = _token(world, scopes="iets:anders")
    response = _get(client, secret)
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert 'scope="reports:read"' in response.headers["WWW-Authenticate"]


@pytest.mark.asvs("V15.3.1", "V14.2.6")
def test_the_api_applies_the_national_suppression_and_has_no_person_data(
    world, app, client, counts
):
    token, secret = _token(world)
    response = _get(client, secret)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    data = response.get_json()
    assert data["maand"] == "2026-10"
    assert data["afscherming"]["drempel"] == 5 and data["afscherming"]["drempel_gevoelig"] == 10
    assert [r["code"] for r in data["regios"]] == ["test-oost", "test-west"]
    cells = {
        r["code"]: {(c["maatregel"], c["uitsplitsing"]): c for c in r["cijfers"]}
        for r in data["regios"]
    }
    west, oost = cells["test-west"], cells["test-oost"]
    # Oost has 2 included: "<5"; West's 7 is hidden too, or the national 9 would give it away.
    assert oost[m.INCLUDED, ""] == {
        "maatregel": "included",
        "uitsplitsing": "",
        "waarde": None,
        "weergave": "<5",
        "onderdrukt": True,
    }
    assert west[m.INCLUDED, ""]["onderdrukt"] and west[m.INCLUDED, ""]["waarde"] is None
    national = {(c["maatregel"], c["uitsplitsing"]): c for c in data["landelijk"]["cijfers"]}
    assert national[m.INCLUDED, ""]["waarde"] == 9 and not national[m.INCLUDED, ""]["onderdrukt"]
    # Wlz is sensitive: the "nee" of 7 in West is below 10.
    assert west[m.WLZ, "nee"]["weergave"] == "<10"
    # The same as the national page.
    tables = services.national_tables(OCTOBER)
    assert west[m.INCLUDED, ""]["weergave"] == tables.summary.table.cells[1][0].label
    # No person data: no names, no person ids.
    text = response.get_data(as_text=True)
    for name in counts:
        assert name not in text
    person_ids = db.session.scalars(sa.text("SELECT id FROM persons")).all()
    for person_id in person_ids:
        assert str(person_id).replace("-", "") not in text.replace("-", "")
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event_type == "api_read"))
    assert event.object_id == str(token.id) and event.person_id is None
    assert secret not in str(event.details) and event.actor_user_id is None
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_a_region_filter_keeps_the_national_suppression(world, client, counts):
    _token_row, secret = _token(world)
    full = _get(client, secret).get_json()
    only = _get(client, secret, query="maand=2026-10&regio=test-west").get_json()
    assert [r["code"] for r in only["regios"]] == ["test-west"]
    west_full = next(r for r in full["regios"] if r["code"] == "test-west")
    assert only["regios"][0]["cijfers"] == west_full["cijfers"]
    assert only["landelijk"] == full["landelijk"]


@pytest.mark.asvs("V8.4.1")
def test_a_region_token_reads_its_own_region_only(world, client, counts):
    _token_row, secret = _token(world, region=world.west)
    data = _get(client, secret).get_json()
    assert [r["code"] for r in data["regios"]] == ["test-west"]
    assert _get(client, secret, query="maand=2026-10&regio=test-oost").status_code == 403
    assert _get(client, secret, query="maand=2026-10&regio=test-west").status_code == 200


@pytest.mark.parametrize(
    "query,status",
    [
        ("", 400),
        ("maand=oktober", 400),
        ("maand=2026-13", 400),
        ("maand=2026-11", 400),
        ("maand=2026-10&regio=bestaat-niet", 404),
        ("maand=2020-01", 200),
    ],
)
@pytest.mark.asvs("V2.2.1")
def test_bad_parameters_get_a_dutch_json_error(world, client, counts, query, status):
    _token_row, secret = _token(world)
    response = _get(client, secret, query=query)
    assert response.status_code == status and response.is_json
    if status != 200:
        assert response.get_json()["message"]
    else:
        assert response.get_json()["regios"] == []


def test_the_openapi_document(client, world):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    operation = doc["paths"]["/rapportages/maand"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"maand", "regio"}
    assert {"200", "401", "403"} <= set(operation["responses"])
    scheme = doc["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert operation["security"] == [{"bearerAuth": ["reports:read"]}]
    schema = doc["components"]["schemas"]["Maandcijfers"]
    assert set(schema["required"]) >= {"maand", "regios", "landelijk"}
    assert doc["servers"][0]["url"].endswith("/api/v1")


def test_a_real_answer_has_the_documented_fields(world, client, counts):
    _token_row, secret = _token(world)
    doc = client.get("/api/v1/openapi.json").get_json()
    schemas = doc["components"]["schemas"]
    data = _get(client, secret).get_json()
    assert set(data) == set(schemas["Maandcijfers"]["properties"])
    cell_fields = set(schemas["Cel"]["properties"])
    for region in data["regios"]:
        assert set(region) == set(
            schemas["Maandcijfers"]["properties"]["regios"]["items"]["properties"]
        )
        assert all(set(cell) == cell_fields for cell in region["cijfers"])
    assert all(set(cell) == cell_fields for cell in data["landelijk"]["cijfers"])

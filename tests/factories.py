"""Test data built with the application's own models and services (encrypted like real data)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

from levensloop.auth import passwords
from levensloop.auth.models import Role, RoleAssignment, User
from levensloop.auth.services import _seal_totp
from levensloop.db import utcnow
from levensloop.extensions import db
from levensloop.organisations.models import Organisation, OrganisationType, Region

PASSWORD = "Een-lange-testzin-voor-inloggen"
_counter = itertools.count(1)


@dataclass
class TestUser:
    __test__ = False
    model: User
    password: str
    totp_secret: str | None

    @property
    def username(self) -> str:
        return self.model.username

    @property
    def id(self):
        return self.model.id

    def current_code(self, at: datetime | None = None) -> str:
        assert self.totp_secret, "gebruiker heeft geen TOTP gekoppeld"
        return pyotp.TOTP(self.totp_secret).at(at or datetime.now(UTC))


@dataclass
class World:
    west: Region
    oost: Region
    west_zvh: Organisation
    west_ggz: Organisation
    oost_zvh: Organisation

    @classmethod
    def build(cls) -> World:
        west = Region(code="test-west", name="ZVH Test West")
        oost = Region(code="test-oost", name="ZVH Test Oost")
        db.session.add_all([west, oost])
        db.session.flush()
        west_zvh = Organisation(region_id=west.id, name="ZVH Test West", type=OrganisationType.ZVH)
        west_ggz = Organisation(region_id=west.id, name="GGZ Test", type=OrganisationType.GGZ)
        oost_zvh = Organisation(region_id=oost.id, name="ZVH Test Oost", type=OrganisationType.ZVH)
        db.session.add_all([west_zvh, west_ggz, oost_zvh])
        db.session.commit()
        return cls(west, oost, west_zvh, west_ggz, oost_zvh)

    def user(
        self,
        *roles: Role,
        region: Region | None = None,
        organisation: Organisation | None = None,
        enrolled: bool = True,
        active: bool = True,
        must_change_password: bool = False,
        password: str = PASSWORD,
    ) -> TestUser:
        n = next(_counter)
        region = region or self.west
        organisation = organisation or (self.west_zvh if region is self.west else self.oost_zvh)
        user = User(
            username=f"gebruiker{n}@test.example",
            display_name=f"Testgebruiker {n}",
            organisation_id=organisation.id,
            password_hash=passwords.hash_password(password),
            active=active,
            must_change_password=must_change_password,
        )
        user.roles = [RoleAssignment(region_id=region.id, role=role) for role in roles]
        db.session.add(user)
        db.session.flush()
        secret = None
        if enrolled:
            secret = pyotp.random_base32()
            user.totp_secret = _seal_totp(user, "totp_secret", secret)
            user.totp_enrolled_at = utcnow()
        db.session.commit()
        return TestUser(user, password, secret)

"""The stored ciphertext is standard AES-256-GCM: a person's field, read raw from the database,
opens with the `cryptography` AESGCM primitive, a 256-bit data key and the documented layout."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from levensloop.crypto import aead, fields
from levensloop.extensions import db
from levensloop.keys.models import DataKey
from levensloop.persons.models import Person
from levensloop.persons.services import PersonInput, create_person


@pytest.mark.asvs("V11.3.1", "V11.3.2", "V11.2.3")
def test_a_stored_field_is_aes_256_gcm(world, app):
    person_id = create_person(None, world.west, PersonInput(achternaam="Cijfertekst")).id
    db.session.remove()
    blob = db.session.scalar(sa.select(Person.achternaam_enc).where(Person.id == person_id))
    data_key = db.session.get(DataKey, person_id)
    ring = app.extensions["levensloop_keyring"]
    assert all(len(key) == 32 for key in ring.master_keys.values())
    key = ring.unwrap(data_key.wrapped_key, str(person_id), data_key.master_version)
    assert len(key) == 32  # AES-256
    head = blob[: aead.HEADER_LEN]
    nonce = blob[aead.HEADER_LEN : aead.HEADER_LEN + aead.NONCE_LEN]
    body = blob[aead.HEADER_LEN + aead.NONCE_LEN :]
    assert len(nonce) == 12 and len(body) == len("Cijfertekst") + 16  # GCM: 96-bit nonce, tag
    context = head + fields.context("persons", "achternaam", person_id)
    assert AESGCM(key).decrypt(nonce, body, context) == b"Cijfertekst"
    with pytest.raises(InvalidTag):
        AESGCM(key).decrypt(nonce, body, head + fields.context("persons", "voornamen", person_id))

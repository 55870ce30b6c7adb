"""Documents on a person's file: type by content, size limit, encryption with the person's key,
a data category that the policy applies to the list, the download and the timeline, audited
downloads and deletions, and crypto-shredding."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from levensloop.audit.models import AuditEvent
from levensloop.auth.models import Role, User
from levensloop.crypto import aead
from levensloop.db import local_today
from levensloop.documents import detect, services
from levensloop.documents.models import Document, DocumentContent
from levensloop.errors import DomainError
from levensloop.extensions import db
from levensloop.keys.models import DataKey
from levensloop.organisations.models import Organisation, OrganisationType
from levensloop.persons.services import PersonInput, create_person, shred_person
from levensloop.sharing import policy
from levensloop.sharing.categories import Category
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from tests.conftest import Browser, csrf_from

# ---------------------------------------------------------------- sample files


def _zip(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and n == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/%s" ContentType="%s"/></Types>'
)


def docx() -> bytes:
    return _zip(
        [
            (
                "[Content_Types].xml",
                CONTENT_TYPES % (b"word/document.xml", detect._DOCX_MAIN),
            ),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document>Verslag</w:document>"),
        ]
    )


def xlsx() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES % (b"xl/workbook.xml", detect._XLSX_MAIN)),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def odt() -> bytes:
    return _zip(
        [
            ("mimetype", detect.ODT.encode()),
            ("content.xml", b"<office:document-content/>"),
            ("META-INF/manifest.xml", b"<manifest:manifest/>"),
        ],
        stored_first=True,
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nDossiertekst-sentinel-PDF\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(64))
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
RANDOM_ZIP = _zip([("foto.txt", b"gewoon een zip"), ("notities.txt", b"meer tekst")])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, detect.PDF),
        (PNG, detect.PNG),
        (JPEG, detect.JPEG),
        (docx(), detect.DOCX),
        (xlsx(), detect.XLSX),
        (odt(), detect.ODT),
        ("Gewone tekst met é en ü\n".encode(), detect.TEXT),
        ("\ufeffTekst met BOM".encode(), detect.TEXT),
    ],
    ids=["pdf", "png", "jpeg", "docx", "xlsx", "odt", "text", "text-bom"],
)
@pytest.mark.asvs("V5.2.2")
def test_allowed_types_are_recognised_by_content(data, expected):
    assert detect.detect(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"",
        EXE,
        ELF,
        HTML,
        b"  <svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>",
        b"Tekst met daarna <script>alert(1)</script>",
        b"tekst\x00met NUL",
        "UTF-16 tekst".encode("utf-16"),
        b"\xc3\x28 geen utf-8",
        RANDOM_ZIP,
        _zip([("mimetype", b"application/zip"), ("content.xml", b"x")], stored_first=True),
        _zip([("mimetype", detect.ODT.encode()), ("content.xml", b"x")]),  # compressed: no ODF
        _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"x")]),
        b"PK\x03\x04 kapotte zip",
        b"GIF89a" + b"\x00" * 20,
    ],
    ids=[
        "empty",
        "exe",
        "elf",
        "html",
        "svg",
        "script-in-text",
        "nul",
        "utf16",
        "not-utf8",
        "random-zip",
        "zip-wrong-mimetype",
        "zip-compressed-mimetype",
        "zip-without-main-type",
        "broken-zip",
        "gif",
    ],
)
@pytest.mark.asvs("V5.2.2", "V1.3.4")
def test_other_content_is_refused(data):
    assert detect.detect(data) is None


# ---------------------------------------------------------------- the case


@pytest.fixture
def case(world, app, clock):
    person = create_person(
        None, world.west, PersonInput(achternaam="Documentmans", voornamen="Dirk")
    )
    coordinator = world.user(Role.LEVENSLOOPCOORDINATOR, organisation=world.west_ggz)
    db.session.add(
        CaseAssignment(
            person_id=person.id,
            user_id=coordinator.id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    # A housing corporation takes part: identity, contact, social and process data, no health.
    corporation = Organisation(
        region_id=world.west.id, name="Woonstichting Test", type=OrganisationType.WONINGCORPORATIE
    )
    db.session.add(corporation)
    db.session.flush()
    participant = CaseParticipant(
        id=uuid.uuid4(),
        person_id=person.id,
        organisation_id=corporation.id,
        legal_basis="wgs",
        start_date=local_today(),
    )
    db.session.add(participant)
    participant.purpose = "Huisvesting regelen voor de documententest"
    db.session.commit()
    partner = world.user(Role.KETENPARTNER, organisation=corporation)
    browser = Browser(app.test_client())
    browser.login(coordinator)
    return {
        "person": person,
        "coordinator": coordinator,
        "partner": partner,
        "browser": browser,
        "url": f"/personen/{person.id}/documenten",
    }


def _login(app, clock, user) -> Browser:
    clock.advance(seconds=31)  # a new TOTP window
    browser = Browser(app.test_client())
    browser.login(user)
    return browser


def _upload(browser, url, *, data, name="verslag.pdf", title="Verslag", category="zorg", **extra):
    return browser.post_form(
        url,
        {
            "title": title,
            "category": category,
            "file": (io.BytesIO(data), name, extra.pop("mimetype", "application/octet-stream")),
            **extra,
        },
    )


def _documents() -> list[Document]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Document).order_by(Document.uploaded_at)))


def _events(event_type: str, object_type: str = "document") -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.event_type == event_type, AuditEvent.object_type == object_type)
            .order_by(AuditEvent.chain_seq)
        )
    )


# ---------------------------------------------------------------- upload and download


def test_empty_tab_says_what_to_do(case):
    html = case["browser"].get(case["url"]).get_data(as_text=True)
    assert "Nog geen documenten" in html and "Voeg hieronder een document toe" in html
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html


@pytest.mark.asvs("V3.2.1", "V5.4.1", "V5.4.2")
def test_upload_and_download_round_trip(case):
    browser, url = case["browser"], case["url"]
    response = _upload(
        browser, url, data=PDF, name="Verslag psychiater é.pdf", title="Verslag FACT-team"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [document] = _documents()
    assert (document.category, document.content_type, document.size) == (
        "zorg",
        detect.PDF,
        len(PDF),
    )
    assert document.title == "Verslag FACT-team"
    assert document.filename == "Verslag psychiater é.pdf"
    assert document.uploaded_by_organisation_id is not None

    page = browser.get(url).get_data(as_text=True)
    assert "Verslag FACT-team" in page and "Zorg" in page and "PDF" in page
    assert "Verslag psychiater" not in page  # the filename is not shown in the list, nor in URLs

    download = browser.get(f"{url}/{document.id}/download")
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="document.pdf"' in disposition
    assert "filename*=UTF-8''" + quote("Verslag psychiater é.pdf", safe="") in disposition
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download.headers["Cache-Control"]


@pytest.mark.asvs("V3.2.1", "V5.4.1")
def test_text_is_served_as_text_with_the_extension_of_its_type(case):
    browser, url = case["browser"], case["url"]
    text = "Afspraken uit het overleg: één keer per week bellen.\n".encode()
    assert (
        _upload(browser, url, data=text, name="notitie.html", category="sociaal").status_code == 302
    )
    [document] = _documents()
    assert document.content_type == detect.TEXT
    download = browser.get(f"{url}/{document.id}/download")
    assert download.data == text
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "filename*=UTF-8''notitie.html.txt" in download.headers["Content-Disposition"]


@pytest.mark.asvs("V5.2.2")
def test_type_comes_from_the_content_not_the_name(case):
    browser, url = case["browser"], case["url"]
    assert _upload(browser, url, data=PNG, name="scan.pdf", mimetype="application/pdf").status_code
    [document] = _documents()
    assert document.content_type == detect.PNG
    assert browser.get(f"{url}/{document.id}/download").headers["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("data", "name", "mimetype"),
    [
        (EXE, "setup.exe", "application/x-msdownload"),
        (ELF, "programma", "application/octet-stream"),
        (EXE, "verslag.pdf", "application/pdf"),  # renamed
        (RANDOM_ZIP, "verslag.docx", detect.DOCX),
        (HTML, "verslag.txt", "text/plain"),
    ],
    ids=["exe", "elf", "renamed-exe", "random-zip", "html"],
)
@pytest.mark.asvs("V5.2.2")
def test_refused_types_get_a_message_at_the_field_and_nothing_is_stored(case, data, name, mimetype):
    response = _upload(case["browser"], case["url"], data=data, name=name, mimetype=mimetype)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dit soort bestand kan niet worden toegevoegd" in html and "PDF, PNG, JPEG" in html
    assert 'id="file-error"' in html and 'aria-describedby="file-description file-error"' in html
    assert "<title>Fout:" in html
    assert _documents() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentContent)) == 0


@pytest.mark.asvs("V5.2.1")
def test_too_large_is_refused_at_the_field(case, app):
    browser, url = case["browser"], case["url"]
    app.config["ATTACHMENT_MAX_BYTES"] = 2000
    response = _upload(browser, url, data=b"a" * 2001, name="lang.txt", category="sociaal")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Het bestand is te groot" in html
    assert 'id="file-error"' in html
    # A body too large even to read: back to the tab, with the message at the field.
    huge = b"a" * (2000 + services.MULTIPART_MARGIN + 10)
    response = _upload(browser, url, data=huge, name="lang.txt", category="sociaal")
    assert response.status_code == 302 and "fout=te-groot" in response.headers["Location"]
    html = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het bestand is te groot" in html and 'id="file-error"' in html
    assert _documents() == []


def test_the_attachment_limit_is_not_cut_short_by_max_content_length(case, app):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    app.config["ATTACHMENT_MAX_BYTES"] = 8192
    data = b"b" * 6000
    response = _upload(case["browser"], case["url"], data=data, name="a.txt", category="sociaal")
    assert response.status_code == 302
    assert [d.size for d in _documents()] == [6000]


def test_a_category_is_required_and_must_be_one_the_uploader_may_see(case, world, monkeypatch):
    browser, url = case["browser"], case["url"]
    missing = _upload(browser, url, data=PDF, category="").get_data(as_text=True)
    assert "Kies de categorie van het document." in missing and 'id="category-error"' in missing
    unknown = _upload(browser, url, data=PDF, category="geheim").get_data(as_text=True)
    assert "Kies een categorie die u bij deze persoon mag zien." in unknown
    no_title = _upload(browser, url, data=PDF, title="").get_data(as_text=True)
    assert "Geef het document een titel." in no_title
    assert _documents() == []
    # Someone with the right to update who may not see health data cannot file a health document.
    monkeypatch.setattr(
        policy,
        "access",
        lambda *args, **kwargs: policy.Access(frozenset({Category.PROCES}), can_update=True),
    )
    with pytest.raises(DomainError) as refused:
        services.add_document(
            case["coordinator"].model,
            world.west,
            case["person"],
            title="Diagnose",
            category="zorg",
            filename="d.pdf",
            stream=io.BytesIO(PDF),
        )
    assert refused.value.field == "category"
    assert _documents() == []


# ---------------------------------------------------------------- who sees what


@pytest.mark.asvs("V8.2.3", "V16.3.2")
def test_partner_without_health_grant_sees_neither_list_entry_nor_download(case, app, clock):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF, title="Diagnose-sentinel-zorg", category="zorg")
    _upload(
        browser, url, data=b"Woonafspraken", name="w.txt", title="Woon-sentinel", category="sociaal"
    )
    zorg, sociaal = _documents()
    partner = _login(app, clock, case["partner"])
    html = partner.get(url).get_data(as_text=True)
    assert "Woon-sentinel" in html and "Diagnose-sentinel-zorg" not in html
    assert "multipart/form-data" not in html  # no upload form without the right to update
    assert partner.get(f"{url}/{sociaal.id}/download").status_code == 200
    assert partner.get(f"{url}/{zorg.id}/download").status_code == 403
    denied = _events("access_denied")
    assert denied and denied[-1].categories == "zorg" and denied[-1].object_id == str(zorg.id)
    # The category filter cannot be used to ask for what is hidden.
    assert "Diagnose-sentinel-zorg" not in partner.get(f"{url}?categorie=zorg").get_data(
        as_text=True
    )
    # The timeline passes the same filter.
    timeline = partner.get(f"/personen/{case['person'].id}/tijdlijn").get_data(as_text=True)
    assert "Woon-sentinel" in timeline and "Diagnose-sentinel-zorg" not in timeline
    own = browser.get(f"/personen/{case['person'].id}/tijdlijn").get_data(as_text=True)
    assert "Document toegevoegd" in own and "Diagnose-sentinel-zorg" in own
    # Updating is not theirs: upload and delete are refused.
    assert _upload(partner, url, data=PDF, category="sociaal").status_code == 403
    assert partner.get(f"{url}/{sociaal.id}/verwijderen").status_code == 403
    assert len(_documents()) == 2


@pytest.mark.asvs("V8.4.1")
def test_another_region_answers_404(case, app, clock, world):
    _upload(case["browser"], case["url"], data=PDF)
    [document] = _documents()
    outsider = _login(app, clock, world.user(Role.PROCESREGISSEUR, region=world.oost))
    assert outsider.get(case["url"]).status_code == 404
    assert outsider.get(f"{case['url']}/{document.id}/download").status_code == 404
    # Nor can a document be reached through a person of one's own region.
    foreign = create_person(None, world.oost, PersonInput(achternaam="Oostmans"))
    assert (
        outsider.get(f"/personen/{foreign.id}/documenten/{document.id}/download").status_code == 404
    )


@pytest.mark.asvs("V8.2.2")
def test_document_of_another_person_answers_404(case, world):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF)
    [document] = _documents()
    other = create_person(None, world.west, PersonInput(achternaam="Anderman"))
    db.session.add(
        CaseAssignment(
            person_id=other.id,
            user_id=case["coordinator"].id,
            role="coordinator",
            start_date=local_today(),
        )
    )
    db.session.commit()
    other_url = f"/personen/{other.id}/documenten/{document.id}"
    assert browser.get(f"{other_url}/download").status_code == 404
    assert browser.get(f"{other_url}/verwijderen").status_code == 404
    page = browser.get(f"/personen/{other.id}/documenten")
    assert (
        browser.post_from(page, f"{other_url}/verwijderen", {"bevestigd": "ja"}).status_code == 404
    )
    assert browser.get(f"{url}/{uuid.uuid4()}/download").status_code == 404
    assert len(_documents()) == 1


# ---------------------------------------------------------------- encryption and shredding


@pytest.mark.asvs("V14.2.4")
def test_nothing_personal_is_stored_in_plaintext(case):
    _upload(
        case["browser"], case["url"], data=PDF, name="Naam-sentinel.pdf", title="Titel-sentinel"
    )
    row = db.session.execute(
        sa.text(
            "SELECT d.title_enc, d.filename_enc, c.content_enc FROM documents d "
            "JOIN document_contents c ON c.document_id = d.id"
        )
    ).one()
    title_enc, filename_enc, content_enc = (bytes(v) for v in row)
    assert b"Titel-sentinel" not in title_enc and b"Naam-sentinel" not in filename_enc
    assert b"Dossiertekst-sentinel-PDF" not in content_enc and b"%PDF" not in content_enc
    assert content_enc[:2] == aead.MAGIC_FIELD


@pytest.mark.asvs("V11.3.3")
def test_the_ciphertext_is_bound_to_its_row(case):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF, title="Eerste")
    _upload(browser, url, data=b"Tweede document", name="b.txt", title="Tweede")
    first, second = _documents()
    first_content = db.session.get(DocumentContent, first.id)
    second_content = db.session.get(DocumentContent, second.id)
    second_content.content_enc = first_content.content_enc  # copied to another row
    db.session.commit()
    with pytest.raises(aead.DecryptionError):
        services._decrypt(db.session.get(DocumentContent, second.id))


@pytest.mark.asvs("V14.2.7")
def test_shredding_the_person_makes_documents_unreadable(case, world):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF, title="Te vernietigen")
    [document] = _documents()
    regisseur = world.user(Role.PROCESREGISSEUR)
    assert shred_person(regisseur.model, case["person"], reason="Bewaartermijn verstreken (test)")
    db.session.expire_all()
    db.session.info.pop("levensloop_key_source", None)  # a new session would hold no keys
    assert db.session.get(DataKey, case["person"].id).wrapped_key is None
    # Shredding removes the ciphertext as well; the metadata row stays as a tombstone.
    assert db.session.get(DocumentContent, document.id) is None
    assert db.session.get(Document, document.id).title_enc is None
    response = browser.get(f"{url}/{document.id}/download")
    assert response.status_code == 404 and PDF not in response.data
    html = browser.get(url).get_data(as_text=True)
    assert "Te vernietigen" not in html and "Documenten zijn niet meer te openen" in html
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentContent)) == 0


# ---------------------------------------------------------------- audit, CSRF, deletion


@pytest.mark.asvs("V16.2.1", "V16.2.5")
def test_upload_download_list_and_delete_are_audited_without_personal_data(case):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF, name="Naam-sentinel.pdf", title="Titel-sentinel")
    [document] = _documents()
    document_id = document.id
    browser.get(url)
    browser.get(f"{url}/{document.id}/download")
    page = browser.get(f"{url}/{document.id}/verwijderen")
    browser.post_from(page, f"{url}/{document.id}/verwijderen", {"bevestigd": "ja"})

    [created] = _events("create")
    assert created.categories == "zorg" and created.object_id == str(document_id)
    assert created.person_id == case["person"].id
    downloads = [e for e in _events("read") if (e.details or {}).get("download")]
    assert len(downloads) == 1 and downloads[0].categories == "zorg"
    assert downloads[0].actor_user_id == case["coordinator"].id
    assert _events("read", "documenten")
    [deleted] = _events("delete")
    assert deleted.categories == "zorg" and deleted.object_id == str(document_id)
    everything = json.dumps(
        [e.details for e in db.session.scalars(sa.select(AuditEvent))], default=str
    )
    assert "Titel-sentinel" not in everything and "Naam-sentinel" not in everything


@pytest.mark.asvs("V3.5.1")
def test_post_without_csrf_token_is_refused(case):
    browser, url = case["browser"], case["url"]
    refused = browser.client.post(
        url,
        data={"title": "x", "category": "zorg", "file": (io.BytesIO(PDF), "x.pdf")},
    )
    assert refused.status_code == 400 and _documents() == []
    _upload(browser, url, data=PDF)
    [document] = _documents()
    refused = browser.client.post(f"{url}/{document.id}/verwijderen", data={"bevestigd": "ja"})
    assert refused.status_code == 400 and len(_documents()) == 1


@pytest.mark.asvs("V3.5.3")
def test_delete_needs_the_confirmation_page(case):
    browser, url = case["browser"], case["url"]
    _upload(browser, url, data=PDF, title="Weg ermee")
    [document] = _documents()
    delete_url = f"{url}/{document.id}/verwijderen"
    assert f'href="{delete_url}"' in browser.get(url).get_data(as_text=True)
    confirm = browser.get(delete_url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Weg ermee" in html and "Definitief verwijderen" in html
    assert len(_documents()) == 1
    # A POST that did not come from the confirmation (no `bevestigd`) goes back to it.
    unconfirmed = browser.post_from(confirm, delete_url, {})
    assert unconfirmed.status_code == 302 and unconfirmed.headers["Location"].endswith(delete_url)
    assert len(_documents()) == 1
    confirmed = browser.post_from(confirm, delete_url, {"bevestigd": "ja"})
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith(url)
    assert _documents() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentContent)) == 0
    assert "Het document is verwijderd." in browser.get(url).get_data(as_text=True)


# ---------------------------------------------------------------- the list


def _add(world, case, n: int, category: str) -> None:
    for i in range(n):
        services.add_document(
            case["coordinator"].model,
            world.west,
            case["person"],
            title=f"{category}-document-{i:02d}",
            category=category,
            filename=f"{i}.txt",
            stream=io.BytesIO(f"inhoud {i}".encode()),
        )


def test_list_is_paged_and_filtered_in_sql(case, world, app):
    _add(world, case, 26, "sociaal")
    _add(world, case, 2, "zorg")
    browser, url = case["browser"], case["url"]
    statements = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        first = browser.get(url).get_data(as_text=True)
        on_first = len(statements)
        statements.clear()
        filtered = browser.get(f"{url}?categorie=zorg").get_data(as_text=True)
        on_filtered = len(statements)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert first.count('/download"') == 25 and "Pagina 1 van 2 (28 resultaten)" in first
    assert "zorg-document-00" in filtered and "sociaal-document" not in filtered
    assert on_first == on_filtered  # 25 rows or 2: the same queries
    second = browser.get(f"{url}?page=2").get_data(as_text=True)
    assert second.count('/download"') == 3


# ---------------------------------------------------------------- demo data


def test_demo_documents(case, world):
    from levensloop.documents import demo

    db.session.execute(
        sa.update(User).where(User.id == case["coordinator"].id).values(username=demo.COORDINATOR)
    )
    db.session.commit()
    assert demo.seed_demo(world.west, local_today()) == 2
    assert demo.seed_demo(world.west, local_today()) == 0
    documents = _documents()
    assert {d.content_type for d in documents} == {detect.TEXT, detect.PDF}
    assert all("(demo)" in d.title for d in documents)
    for document in documents:
        data = services._decrypt(db.session.get(DocumentContent, document.id))
        assert detect.detect(data) == document.content_type


def test_upload_page_is_wired_for_assistive_technology(case):
    html = _upload(case["browser"], case["url"], data=EXE).get_data(as_text=True)
    assert 'id="error-summary"' in html and 'href="#file"' in html
    assert 'aria-invalid="true"' in html and 'for="file"' in html and 'for="category"' in html
    assert csrf_from(html)

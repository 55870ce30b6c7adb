"""The main flow with the keyboard only: Tab, Shift+Tab, Enter, Space and the arrow keys, and
typing into the element that has focus. No clicks and no filling through selectors.

The demo coördinator, with and without JavaScript, skips to the main content, logs in
(username, password, TOTP code), opens the caseload, a person, the plan, adds an action and
sees the confirmation. At every key press the focused element is visible (not hidden, in view)
and has a visible focus indicator (an outline or a box shadow in its computed style), and focus
keeps moving (no keyboard trap).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import pyotp
import pytest
import sqlalchemy as sa

from levensloop import demo
from levensloop.auth.models import User
from levensloop.auth.services import _seal_totp
from levensloop.extensions import db
from levensloop.plans.models import Action, Goal, Plan
from levensloop.sharing.models import CaseAssignment, CaseParticipant
from tests.browser.conftest import ARTIFACTS

COORDINATOR = next(u for u in demo.USERS if u.username.startswith("coordinator@"))
MAX_TABS = 250
# A date input takes one Tab per part (day, month, year) and one for its calendar button: the
# same element for four presses.
SAME_ELEMENT_LIMIT = 5

FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  let hidden = r.width <= 1 || r.height <= 1 || cs.visibility !== 'visible'
    || !!el.closest('[hidden], [aria-hidden="true"], [inert]');
  for (let n = el; n; n = n.parentElement) {
    const s = getComputedStyle(n);
    if (s.display === 'none' || parseFloat(s.opacity) === 0) hidden = true;
  }
  const inView = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1;
  const shadow = cs.boxShadow !== 'none' && cs.boxShadow !== '';
  return {
    key: el.tagName.toLowerCase() + '#' + el.id + '|' + (el.getAttribute('href') || '')
      + '|' + (el.getAttribute('name') || '') + '|' + (el.innerText || '').trim().slice(0, 40),
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name') || '',
    href: el.getAttribute('href') || '',
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    inMain: !!el.closest('main'),
    hidden, inView, ring: outline || shadow,
    style: cs.outlineStyle + ' ' + cs.outlineWidth + ' / ' + cs.boxShadow,
  };
}"""


@pytest.fixture
def walk_app(live_app):
    demo.seed(lambda user, secret: _seal_totp(user, "totp_secret", secret))
    return live_app


def _concept_plan():
    """A person on the coördinator's caseload whose plan is being drawn up, with a goal and an
    organisation taking part (who may own a new action)."""
    coordinator = db.session.scalar(sa.select(User).where(User.username == COORDINATOR.username))
    plan = db.session.scalars(
        sa.select(Plan)
        .join(CaseAssignment, CaseAssignment.person_id == Plan.person_id)
        .join(Goal, Goal.plan_id == Plan.id)
        .where(CaseAssignment.user_id == coordinator.id, Plan.status == "concept")
    ).first()
    assert plan is not None, "geen conceptplan met een doel in de demo"
    has_participant = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(CaseParticipant)
        .where(CaseParticipant.person_id == plan.person_id, CaseParticipant.end_date.is_(None))
    )
    if not has_participant:
        participant = CaseParticipant(
            id=uuid.uuid4(),
            person_id=plan.person_id,
            organisation_id=coordinator.organisation_id,
            legal_basis="wgs",
            start_date=db.session.scalar(sa.select(CaseAssignment.start_date).limit(1)),
        )
        db.session.add(participant)
        participant.purpose = "Begeleiding vanuit het FACT-team (demo)"
        db.session.commit()
    return plan


def _actions_of(plan) -> int:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Action)
        .join(Goal, Action.goal_id == Goal.id)
        .where(Goal.plan_id == plan.id)
    )


class Keyboard:
    """Moves focus with the keyboard and checks every element focus lands on."""

    def __init__(self, page) -> None:
        self.page = page
        self.steps = 0

    def state(self):
        return self.page.evaluate(FOCUS_STATE)

    def _assert_visible(self, state) -> None:
        where = f"{self.page.url} {state['key']}"
        assert not state["hidden"], f"focus op een verborgen element: {where}"
        assert state["inView"], f"focus buiten beeld: {where}"
        assert state["ring"], f"geen zichtbare focus ({state['style']}): {where}"

    def press(self, key: str):
        self.page.keyboard.press(key)
        self.steps += 1
        state = self.state()
        for _ in range(30):
            # The theme scrolls smoothly (unless reduced motion is asked): let it arrive.
            if state is None or state["inView"]:
                break
            self.page.wait_for_timeout(100)
            state = self.state()
        if state is not None:
            self._assert_visible(state)
        return state

    def tab_to(self, matches, what: str, *, backwards: bool = False):
        """Tab (or Shift+Tab) until `matches(state)`; fails when focus stops moving (a trap)
        or the element is not reachable."""
        key = "Shift+Tab" if backwards else "Tab"
        previous, same = None, 0
        for _ in range(MAX_TABS):
            state = self.press(key)
            if state is not None and matches(state):
                return state
            current = state["key"] if state else None
            same = same + 1 if current == previous and current is not None else 0
            assert same < SAME_ELEMENT_LIMIT, f"toetsenbordval op {current} ({self.page.url})"
            previous = current
        raise AssertionError(f"{what} niet bereikbaar met Tab op {self.page.url}")

    def check_shift_tab(self) -> None:
        """Shift+Tab goes back to the element before, and Tab returns: no one-way focus."""
        here = self.state()
        before = self.press("Shift+Tab")
        assert before is not None and before["key"] != here["key"], "Shift+Tab bleef staan"
        again = self.press("Tab")
        assert again is not None and again["key"] == here["key"], "Tab na Shift+Tab kwam elders"

    def skip_to_main(self) -> None:
        """The first Tab on a page lands on the skip link; Enter moves focus to the main
        content, and the next Tab lands inside it."""
        first = self.press("Tab")
        assert first is not None and first["href"] == "#main-content", (
            f"eerste Tab niet op de link naar de hoofdinhoud: {first}"
        )
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main-content"


def _wait_for_path(page, path: str) -> None:
    """Wait for a page by its path (a skip link leaves #main-content in the address)."""
    page.wait_for_url(lambda url: urlsplit(url).path == path)


def _by(field, value):
    return lambda state: state[field] == value


def _text(value):
    return lambda state: state["text"] == value


@pytest.mark.parametrize("javascript", [True, False], ids=["met-js", "zonder-js"])
def test_main_flow_with_the_keyboard_only(playwright_browser, walk_app, javascript):
    plan = _concept_plan()
    before = _actions_of(plan)
    context = playwright_browser.new_context(
        base_url=walk_app.config["LIVE_URL"], locale="nl-NL", java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(10000)
    keys = Keyboard(page)
    suffix = "met-js" if javascript else "zonder-js"
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)

    # Log in: skip link, then username, password (Enter submits), code.
    page.goto("/inloggen")
    keys.skip_to_main()
    state = keys.press("Tab")
    assert state["inMain"], f"na de link naar de hoofdinhoud niet in de inhoud: {state}"
    if state["name"] != "username":
        keys.tab_to(_by("name", "username"), "gebruikersnaam")
    page.keyboard.type(COORDINATOR.username)
    keys.tab_to(_by("name", "password"), "wachtwoord")
    keys.check_shift_tab()
    page.keyboard.type(demo.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    _wait_for_path(page, "/inloggen/code")
    keys.skip_to_main()
    keys.tab_to(_by("name", "code"), "code")
    page.keyboard.type(pyotp.TOTP(COORDINATOR.totp_secret).now())
    keys.tab_to(_text("Inloggen"), "knop Inloggen")
    page.keyboard.press("Enter")
    _wait_for_path(page, "/dashboard")

    # The caseload from the main menu.
    keys.tab_to(_by("href", "/caseload"), "Mijn caseload in het hoofdmenu")
    keys.check_shift_tab()
    page.keyboard.press("Enter")
    _wait_for_path(page, "/caseload")
    page.screenshot(path=str(ARTIFACTS / "screenshots" / f"toetsenbord-caseload-{suffix}.png"))

    # The person, then the plan tab.
    person_url = f"/personen/{plan.person_id}"
    keys.skip_to_main()
    keys.tab_to(_by("href", person_url), "de persoon in de caseload")
    page.keyboard.press("Enter")
    _wait_for_path(page, person_url)
    keys.tab_to(_by("href", f"{person_url}/plan"), "het tabblad Plan")
    page.keyboard.press("Enter")
    _wait_for_path(page, f"{person_url}/plan")

    # Add an action: goal (first), text, owner by arrow key, owner person, then Space.
    keys.skip_to_main()
    keys.tab_to(_by("id", "goal"), "de keuze van het doel")
    keys.tab_to(_by("id", "action_text"), "de actie")
    page.keyboard.type("Intake bij het wijkteam plannen (demo)")
    keys.tab_to(_by("id", "owner_organisation"), "de eigenaar")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.value"), "pijltjestoets koos geen eigenaar"
    keys.tab_to(_by("id", "owner_person"), "de eigenaar (persoon)")
    page.keyboard.type("Wijkteam Demostad")
    button = keys.tab_to(_text("Actie toevoegen"), "knop Actie toevoegen")
    assert button["tag"] == "button"
    page.keyboard.press("Space")
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert "De actie is toegevoegd." in main, main[:500]
    assert "Intake bij het wijkteam plannen (demo)" in main
    assert _actions_of(plan) == before + 1
    page.screenshot(
        path=str(ARTIFACTS / "screenshots" / f"toetsenbord-actie-toegevoegd-{suffix}.png")
    )

    # The whole plan page can be walked forwards and back without a trap.
    keys.tab_to(_text("Uitloggen"), "Uitloggen", backwards=True)
    context.close()
    assert keys.steps > 20


def test_focus_is_visible_on_every_control_of_the_login_page(playwright_browser, walk_app):
    """Tab through the whole login page and back to the start: each stop is visible and has
    a focus indicator, and focus comes round again (no trap)."""
    context = playwright_browser.new_context(base_url=walk_app.config["LIVE_URL"], locale="nl-NL")
    page = context.new_page()
    page.goto("/inloggen")
    keys = Keyboard(page)
    first = keys.press("Tab")
    seen = [first["key"]]
    for _ in range(40):
        state = keys.press("Tab")
        if state is None:
            continue
        if state["key"] == first["key"]:
            break
        seen.append(state["key"])
    else:
        raise AssertionError(f"focus kwam niet rond: {seen}")
    assert len(seen) >= 5, seen
    assert len(set(seen)) == len(seen), f"element twee keer in één ronde: {seen}"
    context.close()

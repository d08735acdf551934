"""Keyboard only: sign in, answer a question, record the agreed answer — with visible focus.

Every element the Tab key lands on must show where the focus is (a computed outline or
box-shadow), as WCAG 2.4.7 asks; axe cannot check that.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG

pytestmark = pytest.mark.django_db(transaction=True)

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {visible: outline || shadow, what: el.outerHTML.slice(0, 120)};
}"""


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until ``selector`` has the focus, checking every stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        if focused is None:
            continue
        assert focused["visible"], f"no visible focus indicator on {focused['what']}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def sign_in_by_keyboard(page, email: str) -> None:
    page.goto("/accounts/sign-in/")
    tab_to(page, "input[name=username]")
    page.keyboard.type(email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def test_the_main_flow_works_by_keyboard_alone_with_visible_focus(db, new_page):
    call_command("seed_demo", verbosity=0)
    tool = f"/c/{DEMO_SLUG}/diagnose/tools/engage-potential-partners/"

    partner = new_page()
    sign_in_by_keyboard(partner, "partner@example.org")
    partner.goto(tool)
    tab_to(partner, "form.autosave textarea")
    partner.keyboard.press("Control+End")
    partner.keyboard.type(" We can host the Tuesday sessions.")
    status = partner.locator("form.autosave .autosave__status").first
    expect(status).to_contain_text("Saved at")

    facilitator = new_page()
    sign_in_by_keyboard(facilitator, "facilitator@example.org")
    facilitator.goto(tool)
    tab_to(facilitator, "form.agreed__form textarea")
    facilitator.keyboard.press("Control+A")
    facilitator.keyboard.type("The partners agree to meet every Tuesday.")
    tab_to(facilitator, "form.agreed__form select[name=status]")
    tab_to(facilitator, "form.agreed__form button[type=submit]")
    facilitator.keyboard.press("Enter")
    expect(facilitator.locator(".agreed__saved").first).to_contain_text("Saved at")
    facilitator.reload()
    expect(facilitator.locator("form.agreed__form textarea").first).to_have_value(
        "The partners agree to meet every Tuesday."
    )

"""axe-core finds no WCAG 2.2 A/AA violation on any page, for any role.

The pages are found by following links, as each person would, from the home page of the
seeded demo; the facilitator's crawl then compares what it visited with the URL resolver,
so a new page is covered the day it is linked from anywhere (and the test fails, naming it,
when it is reachable by nobody and not listed below). Forms with errors are checked too.
"""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from intersector.accounts.models import User
from intersector.collaborations.models import Collaboration, Role
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from intersector.notifications.tokens import DIGEST, unsubscribe_token
from intersector.reports.models import DataJob, ReportJob
from intersector.worksheets.models import TEXT_MAX_LENGTH
from tests.browser.conftest import axe_violations, sign_in
from tests.test_authorization_matrix import all_patterns

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {
    "facilitator": "facilitator@example.org",
    "partner": "partner@example.org",
    "observer": "observer@example.org",
}

PROPOSED_QUESTION = "design.facts.facts-we-accept"

# Reachable by GET but not an HTML page of ours (or only a redirect): never audited.
NOT_PAGES = {
    "logout",  # POST only
    "healthz",
    "favicon.ico",
    "reports:download",  # a PDF
    "reports:data-job-download",  # JSON
    "dashboards:export",  # CSV
    "collaborations:partner-row",  # redirects to the partners page (htmx row otherwise)
    "healthz-background",
    "notifications:open",  # marks the notification read and redirects to what it is about
    "notifications:calendar",  # an .ics for calendar apps
    "worksheets:mention-names",  # JSON: the names @ completes, fetched by app.js
    "worksheets:question-join",  # the presenter view's short link: redirects to the tool page
}
# Pages nobody reaches by a link from the demo; audited from these addresses instead.
DIRECT = {
    "password_reset_confirm": "/accounts/password/reset/MQ/not-a-valid-token/",
    "invitations:accept": "/invitations/not-a-valid-token/",
}


# Pages no link of the demo leads to (most add forms are linked from their "Add" buttons):
# audited from here.
def unlinked_member_pages() -> list[str]:
    from assess.sections import SECTIONS as ASSESS
    from design.sections import SECTIONS as DESIGN
    from diagnose.sections import SECTIONS as DIAGNOSE
    from implement.sections import SECTIONS as IMPLEMENT

    base = f"/c/{DEMO_SLUG}"
    pages = ["/accounts/password/change/done/"]
    # Linked only from questions with more than five other perspectives (none in the demo).
    pages += [f"{base}/worksheets/diagnose.engage.missing-sector/perspectives/"]
    # A section on a page of its own (linked from "Show more" under lists longer than a
    # page, none in the demo), and the add forms.
    stages = (("diagnose", DIAGNOSE), ("design", DESIGN), ("implement", IMPLEMENT))
    for stage, sections in (*stages, ("assess", ASSESS)):
        pages += [f"{base}/{stage}/{kind}/" for kind in sections]
        pages += [f"{base}/{stage}/{kind}/add/" for kind, s in sections.items() if s.listed]
    return pages


ANONYMOUS_PAGES = [
    "/accounts/sign-in/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/complete/",
]

# Answer only POST (405 to GET): the forms that post to them are on audited pages.
POST_ONLY = {
    "worksheets:stage-move",
    "worksheets:perspective-save",
    "worksheets:consensus-save",
    "worksheets:comment-add",
    "worksheets:proposal-open",
    "worksheets:proposal-respond",
    "worksheets:proposal-close",
    "worksheets:proposal-names",
    "reports:request",
    "reports:export-json",
    "invitations:create",
    "invitations:resend",
    "invitations:revoke",
    "collaborations:member-change",
    "notifications:read",
    "notifications:read-all",
    "notifications:calendar-reset",
}
# Reached from a link in an e-mail, signed for one person: audited with a real token.
SIGNED_LINK_PAGES = {"notifications:unsubscribe"}


# Arguments that pick an object, not a kind of page: a question's history, perspectives and
# presenter view are one template whatever the question; so are a sector's edit form and a
# report's page (the whole report holds every stage's).
OBJECT_ARGUMENTS = {"pk", "token", "question_key", "sector", "scope"}


def page_key(path: str):
    """(url name, its arguments except object ids): one audit per kind of page. A section's
    add form is its edit form, empty; every record's delete confirmation is one template."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name, ignored = match.view_name, OBJECT_ARGUMENTS
    app, _, view = name.rpartition(":")
    if view == "add":
        name = f"{app}:edit"
    elif view == "delete":
        ignored = OBJECT_ARGUMENTS | {"kind"}
    captured = match.captured_kwargs.items()
    return name, tuple(sorted((k, v) for k, v in captured if k not in ignored))


def assert_no_violations(page, what: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{what}: {violations}"


def crawl(page, start: list[str], visited_names: set) -> list[str]:
    """Visit every page linked from ``start`` (same origin), auditing each kind once.

    Collects every page's violations and fails once at the end, listing them all.
    """
    problems = []
    origin = urlsplit(page.url).netloc if page.url.startswith("http") else None
    queue, seen, audited = list(start), set(), []
    while queue:
        path = queue.pop(0)
        key = page_key(path)
        if key is None or key[0] in NOT_PAGES or key[0].startswith("admin:"):
            continue
        if key in seen:
            visited_names.add(resolve(path).view_name)
            continue
        seen.add(key)
        response = page.goto(path)
        expected = 404 if path in DIRECT.values() and "invitations" in path else 200
        assert response is not None and response.status == expected, f"{path}: {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        origin = origin or urlsplit(page.url).netloc
        visited_names.add(resolve(path).view_name)
        audited.append(path)
        if violations := axe_violations(page):
            problems.append((path, violations))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            if parts.netloc == origin and parts.path not in queue:
                queue.append(parts.path)
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems)
    return audited


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    collaboration = Collaboration.objects.get(slug=DEMO_SLUG)
    facilitator = collaboration.memberships.get(role=Role.FACILITATOR).user
    ReportJob.objects.create(
        collaboration=collaboration, scope="all", paper="a4", requested_by=facilitator
    )
    DataJob.objects.create(
        collaboration=collaboration,
        kind=DataJob.Kind.IMPORT,
        requested_by=facilitator,
        title="Imported compact",
        summary={"partners": 3, "people": 4, "records": 120},
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_member_can_reach_has_no_axe_violations(demo, page, role):
    sign_in(page, ROLES[role], DEMO_PASSWORD)
    # Each kind of question page is audited once: first for the question with the most on
    # it (the demo's open proposal, its rounds and its history).
    start = ["/", f"/c/{DEMO_SLUG}/", f"/c/{DEMO_SLUG}/worksheets/{PROPOSED_QUESTION}/history/"]
    if role == "facilitator":
        job = ReportJob.objects.get()
        data_job = DataJob.objects.get()
        start += [
            *unlinked_member_pages(),
            f"/c/{DEMO_SLUG}/report/jobs/{job.pk}/",
            f"/c/{DEMO_SLUG}/report/data/{data_job.pk}/",
        ]
    visited: set[str] = set()
    audited = crawl(page, start, visited)
    assert len(audited) > 10, audited
    if role == "facilitator":
        # The facilitator reaches every member page; the rest are the anonymous pages.
        anonymous = {page_key(path)[0] for path in [*ANONYMOUS_PAGES, *DIRECT.values()]}
        names = {p.name for p in all_patterns() if p.name and not p.name.startswith("admin:")}
        missing = sorted(names - visited - anonymous - NOT_PAGES - POST_ONLY - SIGNED_LINK_PAGES)
        assert not missing, f"pages no role reached by a link (link them, or list them): {missing}"
        # The presenter view is audited once above; the question with the demo's open
        # proposal also shows the round's live tally on the dark screen, names hidden and
        # then revealed.
        page.goto(f"/c/{DEMO_SLUG}/worksheets/{PROPOSED_QUESTION}/present/")
        assert_no_violations(page, "presenter view with an open proposal")
        page.locator("#present-tally").get_by_role("button", name="Reveal names").click()
        page.locator("#present-tally").get_by_role("button", name="Hide names").wait_for()
        assert_no_violations(page, "presenter view with the tally's names revealed")


def test_pages_for_people_not_signed_in_have_no_axe_violations(demo, page):
    start = [*ANONYMOUS_PAGES, *DIRECT.values()]
    visited: set[str] = set()
    crawl(page, start, visited)
    assert visited >= {page_key(path)[0] for path in start}, visited
    partner = User.objects.get(email=ROLES["partner"])
    response = page.goto(f"/notifications/unsubscribe/{unsubscribe_token(partner, DIGEST)}/")
    assert response.status == 200
    assert_no_violations(page, "unsubscribe confirmation")
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert_no_violations(page, "sign-in with an error")


def test_forms_with_errors_have_no_axe_violations(demo, new_page):
    facilitator = new_page()
    sign_in(facilitator, ROLES["facilitator"], DEMO_PASSWORD)

    # An invalid partner: no name.
    facilitator.goto(f"/c/{DEMO_SLUG}/partners/")
    form = facilitator.locator("form:has(input[name=name])").last
    form.locator("input[name=name]").fill("")
    form.locator("button[type=submit]").last.click()
    facilitator.locator(".errorlist, [role=alert], .field--error").first.wait_for()
    assert_no_violations(facilitator, "partner form with errors")

    # An invalid indicator: nothing filled in (the page without JavaScript's help).
    facilitator.goto(f"/c/{DEMO_SLUG}/design/indicators/add/")
    facilitator.locator("main form button[type=submit]").first.click()
    facilitator.locator(".errorlist, [role=alert]").first.wait_for()
    assert_no_violations(facilitator, "indicator form with errors")

    # An input request with no organisation and no date.
    facilitator.goto(f"/c/{DEMO_SLUG}/requests/new/")
    facilitator.locator("main form button[type=submit]").click()
    facilitator.locator("[role=alert]").first.wait_for()
    assert_no_violations(facilitator, "input request form with errors")

    # An over-long answer: the field's maxlength is bypassed, the server refuses it.
    partner = new_page()
    sign_in(partner, ROLES["partner"], DEMO_PASSWORD)
    partner.goto(f"/c/{DEMO_SLUG}/diagnose/")
    partner.locator("main a[href*='/tools/']").first.click()
    textarea = partner.locator("form.autosave textarea").first
    textarea.evaluate(
        "(el, n) => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(n); }",
        TEXT_MAX_LENGTH + 1,
    )
    partner.locator("form.autosave button[type=submit]").first.click()
    partner.locator(".autosave__error").first.wait_for()
    assert_no_violations(partner, "over-long answer")


def test_fault_pages_have_no_axe_violations(demo, new_page, tmp_path, settings):
    """The pages that say what went wrong: an import refused with its problems, a pending
    invitation whose e-mail failed, and the locked-out sign-in."""
    from django.utils import timezone

    from intersector.invitations.models import Invitation
    from intersector.notifications.models import EmailDelivery

    facilitator = new_page()
    sign_in(facilitator, ROLES["facilitator"], DEMO_PASSWORD)
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"schema_version": 1, "sections": {"collaboration": {"title": "X", "context": 5},'
        ' "partners": [{"name": ["a"], "influence": ' + "9" * 5000 + "}]}}"
    )
    facilitator.goto(f"/c/{DEMO_SLUG}/report/import/")
    facilitator.set_input_files("#id_file", str(bad))
    facilitator.get_by_role("button", name="Import as a new collaboration").click()
    facilitator.locator(".import-problems").wait_for()
    assert_no_violations(facilitator, "import refused with its problems")

    collaboration = Collaboration.objects.get(slug=DEMO_SLUG)
    delivery = EmailDelivery.objects.create(
        key="invitation:0:a11y", status=EmailDelivery.Status.FAILED, last_error="421 down"
    )
    Invitation.objects.create(
        collaboration=collaboration,
        email="undelivered@example.org",
        role=Role.OBSERVER,
        sent_at=timezone.now(),
        delivery=delivery,
    )
    facilitator.goto(f"/c/{DEMO_SLUG}/members/")
    facilitator.get_by_role("button", name="Send again undelivered@example.org").wait_for()
    assert_no_violations(facilitator, "members page with an undelivered invitation")

    person = new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        person.goto("/accounts/sign-in/")
        person.get_by_label("E-mail address").fill(ROLES["partner"])
        person.get_by_label("Password").fill("wrong password")
        person.get_by_role("button", name="Sign in").click()
        person.wait_for_load_state()
    person.get_by_role("heading", name="Too many failed sign-in attempts").wait_for()
    assert_no_violations(person, "locked out")

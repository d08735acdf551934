import re

from django.core import mail
from django.core.management import call_command

from intersector.collaborations.models import Membership, Role
from intersector.demo.management.commands.seed_demo import DEMO_PASSWORD, DEMO_SLUG
from tests.tasks import run_queued_tasks

from .conftest import axe_violations, sign_in


def test_facilitator_invites_a_partner_who_sets_a_password_and_lands_on_the_collaboration(
    page, new_page, transactional_db, settings, tmp_path, live_server
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url  # links in e-mails (written by the worker)
    with open(tmp_path / "seed.log", "w") as log:
        call_command("seed_demo", stdout=log)
    sign_in(page, "facilitator@example.org", DEMO_PASSWORD)
    page.goto(f"/c/{DEMO_SLUG}/members/")
    assert axe_violations(page) == []

    invite = page.get_by_role("region", name="Invite someone")
    invite.get_by_label("E-mail address").fill("newpartner@example.org")
    invite.get_by_label("Role").select_option("partner")
    invite.get_by_label("Speaks for").select_option(label="Northfield Manufacturing")
    invite.get_by_role("button", name="Send invitation").click()
    page.get_by_text("The invitation to newpartner@example.org is saved").wait_for()
    assert page.get_by_role("rowheader", name="newpartner@example.org").is_visible()
    assert axe_violations(page) == []

    run_queued_tasks()  # the worker sends the e-mail
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)

    invitee = new_page()
    invitee.goto(link)
    invitee.get_by_role("heading", level=1, name="Join Riverton Youth Jobs Compact").wait_for()
    assert axe_violations(invitee) == []
    invitee.get_by_label("Your name").fill("Nadia Newpartner")
    invitee.get_by_label("Password", exact=True).fill("a-long-and-unusual-passphrase")
    invitee.get_by_label("Password again").fill("a-long-and-unusual-passphrase")
    invitee.get_by_role("button", name="Create account and join").click()
    invitee.wait_for_url(f"**/c/{DEMO_SLUG}/")
    invitee.get_by_text("Welcome to Riverton Youth Jobs Compact").wait_for()
    assert "Partner · Northfield Manufacturing" in invitee.locator(".badge--role").inner_text()

    membership = Membership.objects.get(user__email="newpartner@example.org")
    assert membership.role == Role.PARTNER
    assert membership.partner.name == "Northfield Manufacturing"

    # The link worked once.
    again = new_page()
    again.goto(link)
    again.get_by_role("heading", name="This invitation link cannot be used").wait_for()

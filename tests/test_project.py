"""Project-wide checks: migrations are complete, the script parses, every page has one <h1>."""

import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from intersector.worksheets.toolkit import stages


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit:  # pragma: no cover - the failure path
        pytest.fail("Models changed without a migration:\n" + out.getvalue())


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_the_script_parses():
    # One syntax error stops every helper in it (autosave errors, mentions, live pages).
    script = Path(__file__).resolve().parents[1] / "static" / "js" / "app.js"
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _pages(collab, partner_org):
    slug = collab.slug
    pages = [
        reverse("home"),
        reverse("collaborations:create"),
        reverse("worksheets:overview", kwargs={"slug": slug}),
        reverse("collaborations:partners", kwargs={"slug": slug}),
        reverse("collaborations:partner-edit", kwargs={"slug": slug, "pk": partner_org.pk}),
        reverse("collaborations:partner-delete", kwargs={"slug": slug, "pk": partner_org.pk}),
        reverse("invitations:members", kwargs={"slug": slug}),
        reverse("password_change"),
    ]
    for stage in stages():
        pages.append(reverse(f"{stage.key}:index", kwargs={"slug": slug}))
        for tool in stage.tools:
            pages.append(
                reverse(f"{stage.key}:tool", kwargs={"slug": slug, "tool_slug": tool.slug})
            )
    return pages


def test_every_page_answers_200_with_exactly_one_h1(facilitator_client, collab, partner_org):
    for path in _pages(collab, partner_org):
        response = facilitator_client.get(path)
        assert response.status_code == 200, path
        assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1, path


@pytest.mark.parametrize("name", ["login", "password_reset"])
def test_public_pages_answer_200_with_one_h1(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1

"""The decision rule, recorded on the governance tool page (stored by the worksheets engine)."""

from django.urls import reverse

from intersector.worksheets.models import DecisionRule

HX = {"HTTP_HX_REQUEST": "true"}
TOOL = "establish-a-governance-structure"


def tool_url(collab):
    return reverse("design:tool", kwargs={"slug": collab.slug, "tool_slug": TOOL})


def edit_url(collab):
    return reverse("design:decision-rule-edit", kwargs={"slug": collab.slug})


def test_until_set_the_page_says_the_default_applies(partner_client, collab):
    page = partner_client.get(tool_url(collab)).content.decode()
    assert "Not set yet, so the default applies: consent" in page
    assert "quorum of 50% of the organisations" in page
    assert "7 days to respond" in page
    assert "Set the decision rule" not in page  # partners read it, facilitators set it


def test_facilitator_sets_the_rule_without_javascript(facilitator_client, collab):
    response = facilitator_client.post(
        edit_url(collab), {"rule": "majority", "quorum_percent": "60", "period_days": "10"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#artefact-decision-rule")
    rule = DecisionRule.of(collab)
    assert (rule.rule, rule.quorum_percent, rule.period_days) == ("majority", 60, 10)
    page = facilitator_client.get(tool_url(collab)).content.decode()
    assert "Not set yet" not in page
    assert "Majority: more organisations agree than object" in page
    assert "60% of member organisations respond" in page
    assert "Change the decision rule" in page


def test_the_rule_form_is_a_radio_group_with_a_legend(facilitator_client, collab):
    page = facilitator_client.get(edit_url(collab), **HX).content.decode()
    assert "<legend>Decision rule</legend>" in page
    assert page.count('type="radio"') == 3


def test_out_of_range_values_are_refused_in_place(facilitator_client, collab):
    response = facilitator_client.post(
        edit_url(collab), {"rule": "vote", "quorum_percent": "0", "period_days": "400"}, **HX
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "greater than or equal to 1" in page
    assert "less than or equal to 90" in page
    assert not DecisionRule.objects.exists()


def test_partner_and_observer_cannot_change_the_rule(partner_client, observer_client, collab):
    data = {"rule": "majority", "quorum_percent": "60", "period_days": "10"}
    assert partner_client.post(edit_url(collab), data).status_code == 403
    assert observer_client.post(edit_url(collab), data).status_code == 403
    assert not DecisionRule.objects.exists()

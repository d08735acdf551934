import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from diagnose.forms import DecisionForm
from diagnose.models import Apprehension, Decision, SectorAnalysis
from diagnose.selectors import map_dots
from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Partner, Sector
from intersector.worksheets.inline import PAGE_SIZE
from tests.conftest import make_partner

HX = {"HTTP_HX_REQUEST": "true"}


def tool_url(collab, tool):
    return reverse("diagnose:tool", kwargs={"slug": collab.slug, "tool_slug": tool})


def test_stakeholder_map_draws_one_dot_per_partner_prospective_ones_too(
    facilitator_client, collab, partner_org
):
    make_partner(collab, "Harbor Foundation", sector=Sector.PHILANTHROPIC, engagement="prospective")
    make_partner(collab, "Old Ally", sector=Sector.COMMUNITY, engagement="declined")
    html = facilitator_client.get(tool_url(collab, "engage-potential-partners")).content.decode()
    assert html.count('class="map-dot"') == 3
    assert 'role="img" aria-labelledby="map-title map-desc"' in html
    assert '<title id="map-title">Stakeholder map of 3 partners</title>' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    # The same data as a table.
    assert html.count('<th scope="row">') >= 3


def test_names_are_drawn_only_where_they_do_not_overlap(collab):
    pair = [Partner(pk=i, name=f"Pair {i}", influence=2, proximity=2) for i in (1, 2)]
    crowd = [Partner(pk=i, name=f"Crowd {i}", influence=4, proximity=4) for i in (3, 4, 5)]
    dots = {dot.partner.name: dot for dot in map_dots(pair + crowd)}
    # Two in a cell: one name below its dot, one above.
    assert dots["Pair 1"].label == "Pair 1" and dots["Pair 2"].label == "Pair 2"
    assert dots["Pair 1"].label_y > dots["Pair 1"].y > dots["Pair 2"].label_y
    # Three would overlap: the dots keep their tooltips instead.
    assert [dots[f"Crowd {i}"].label for i in (3, 4, 5)] == ["", "", ""]
    assert dots["Crowd 3"].title.startswith("Crowd 3 — ")


def test_a_large_map_stays_lean(facilitator_client, collab):
    """150 partners: one small group per dot, the table below lists the first page."""
    Partner.objects.bulk_create(
        Partner(collaboration=collab, name=f"Org {i:03}", influence=i % 5 + 1, proximity=i % 3 + 1)
        for i in range(150)
    )
    html = facilitator_client.get(tool_url(collab, "engage-potential-partners")).content.decode()
    svg = html.split('<svg class="chart chart--map"', 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="map-dot"') == 150
    assert len(svg) < 150 * 200
    assert html.count('<tr id="map-row-') == PAGE_SIZE
    assert f"{PAGE_SIZE} of 150 shown." in html


def test_editing_scores_moves_the_dot(facilitator_client, collab, partner_org):
    url = reverse("diagnose:map-partner-edit", kwargs={"slug": collab.slug, "pk": partner_org.pk})
    before = facilitator_client.get(tool_url(collab, "engage-potential-partners")).content.decode()
    response = facilitator_client.post(
        url, {"influence": 5, "proximity": 1, "engagement": "committed"}, **HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    # Alone in the top-left cell (influence 5, proximity 1), filled: committed.
    dot = html.split(f'id="map-dot-{partner_org.pk}">', 1)[1].split("</g>", 1)[0]
    assert "influence 5, proximity 1; Committed</title>" in dot
    assert '<circle cx="124" cy="54" r="10" fill="' in dot
    assert html != before
    partner_org.refresh_from_db()
    assert (partner_org.influence, partner_org.proximity) == (5, 1)


def test_map_scores_out_of_range_are_shown_next_to_the_field(
    facilitator_client, collab, partner_org
):
    url = reverse("diagnose:map-partner-edit", kwargs={"slug": collab.slug, "pk": partner_org.pk})
    response = facilitator_client.post(
        url, {"influence": 9, "proximity": 0, "engagement": "x"}, **HX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 5." in html
    assert "field--invalid" in html
    # Without htmx: the form page, also 422.
    assert facilitator_client.post(url, {"influence": 9}).status_code == 422


def test_plain_post_redirects_back_to_the_tool_anchor(facilitator_client, collab, partner_org):
    url = reverse("diagnose:map-partner-edit", kwargs={"slug": collab.slug, "pk": partner_org.pk})
    response = facilitator_client.post(
        url, {"influence": 2, "proximity": 2, "engagement": "engaged"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("engage-potential-partners/#artefact-stakeholder-map")


def test_partner_records_an_apprehension_for_their_own_organisation_only(
    partner_client, collab, partner_org, other_partner_org
):
    url = reverse("diagnose:add", kwargs={"kind": "apprehensions", "slug": collab.slug})
    response = partner_client.post(
        url,
        {"raised_by": other_partner_org.pk, "about": "Speaking for them", "status": "open"},
        **HX,
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    response = partner_client.post(
        url, {"raised_by": partner_org.pk, "about": "Data privacy", "status": "open"}, **HX
    )
    assert response.status_code == 200
    assert Apprehension.objects.get().raised_by == partner_org


def test_a_partner_from_another_collaboration_cannot_be_chosen(
    facilitator_client, collab, other_collab
):
    stranger = make_partner(other_collab, "Stranger Corp")
    url = reverse("diagnose:add", kwargs={"kind": "apprehensions", "slug": collab.slug})
    response = facilitator_client.post(
        url, {"raised_by": stranger.pk, "about": "x", "status": "open"}, **HX
    )
    assert response.status_code == 422
    assert not Apprehension.objects.exists()
    url = reverse("diagnose:decision-edit", kwargs={"slug": collab.slug})
    response = facilitator_client.post(
        url, {"outcome": "proceed", "reasons": "Yes", "agreed_by": [stranger.pk]}, **HX
    )
    assert response.status_code == 422
    assert not Decision.objects.exists()


def test_partner_edits_the_analysis_of_their_own_sector(partner_client, collab, partner_org):
    url = reverse("diagnose:sector-edit", kwargs={"slug": collab.slug, "sector": "nonprofit"})
    response = partner_client.post(
        url, {"limits_resources": "One-year grants", "interest": "Mission"}
    )
    assert response.status_code == 302
    analysis = SectorAnalysis.objects.get(collaboration=collab, sector="nonprofit")
    assert analysis.limits_resources == "One-year grants"


def test_sector_analysis_lists_every_sector_present(
    facilitator_client, collab, partner_org, other_partner_org
):
    html = facilitator_client.get(tool_url(collab, "account-for-resources")).content.decode()
    assert 'id="sector-nonprofit"' in html and 'id="sector-business"' in html
    assert 'id="sector-government"' not in html


def test_unknown_sector_is_404(facilitator_client, collab):
    url = reverse("diagnose:sector-edit", kwargs={"slug": collab.slug, "sector": "martians"})
    assert facilitator_client.get(url).status_code == 404


def test_decision_records_who_and_when_and_shows_on_the_overview(
    facilitator_client, facilitator, collab, partner_org
):
    url = reverse("diagnose:decision-edit", kwargs={"slug": collab.slug})
    response = facilitator_client.post(
        url,
        {
            "outcome": "proceed",
            "reasons": "No sector can do it alone.",
            "agreed_by": [partner_org.pk],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(collaboration=collab)
    assert decision.recorded_by == facilitator and decision.recorded_at is not None
    assert list(decision.agreed_by.all()) == [partner_org]
    overview = facilitator_client.get(collab.get_absolute_url()).content.decode()
    assert "Can collaboration help?" in overview
    assert "No sector can do it alone." in overview and "Proceed" in overview


def test_overview_without_a_decision_says_so(facilitator_client, collab):
    overview = facilitator_client.get(collab.get_absolute_url()).content.decode()
    assert "Not decided yet" in overview


def _decision_form(collab, facilitator, data):
    access = Access(collaboration=collab, membership=Membership.objects.get(user=facilitator))
    return DecisionForm(data, instance=Decision(collaboration=collab), access=access)


def test_revisit_needs_a_future_date(collab, facilitator):
    form = _decision_form(collab, facilitator, {"outcome": "revisit", "reasons": "Wait"})
    assert "revisit_on" in form.errors
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    form = _decision_form(
        collab, facilitator, {"outcome": "revisit", "reasons": "Wait", "revisit_on": past}
    )
    assert "revisit_on" in form.errors


def test_proceed_drops_a_stray_revisit_date(collab, facilitator):
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    form = _decision_form(
        collab, facilitator, {"outcome": "proceed", "reasons": "Go", "revisit_on": future}
    )
    assert form.is_valid(), form.errors
    assert form.save().revisit_on is None


def test_database_refuses_revisit_without_date(collab):
    with pytest.raises(IntegrityError):
        Decision.objects.create(collaboration=collab, outcome="revisit", reasons="x")


def test_partner_who_raised_an_apprehension_cannot_be_deleted(
    facilitator_client, collab, partner_org
):
    Apprehension.objects.create(collaboration=collab, raised_by=partner_org, about="Worry")
    url = reverse(
        "collaborations:partner-delete", kwargs={"slug": collab.slug, "pk": partner_org.pk}
    )
    response = facilitator_client.post(url)
    assert response.status_code == 409
    assert "apprehension" in response.content.decode()
    assert Partner.objects.filter(pk=partner_org.pk).exists()


def test_deleting_an_apprehension_asks_first_then_deletes(facilitator_client, collab, partner_org):
    item = Apprehension.objects.create(collaboration=collab, raised_by=partner_org, about="Worry")
    url = reverse(
        "diagnose:delete", kwargs={"kind": "apprehensions", "slug": collab.slug, "pk": item.pk}
    )
    assert "Delete this apprehension?" in facilitator_client.get(url).content.decode()
    assert facilitator_client.post(url).status_code == 302
    assert not Apprehension.objects.exists()


def _grow(collab, n, start=0):
    for i in range(start, start + n):
        p = make_partner(collab, f"Org {i}", sector=list(Sector)[i % 6])
        Apprehension.objects.create(collaboration=collab, raised_by=p, about=f"Worry {i}")
        SectorAnalysis.objects.get_or_create(collaboration=collab, sector=p.sector)


@pytest.mark.parametrize("tool", ["engage-potential-partners", "account-for-resources"])
def test_tool_pages_run_the_same_queries_at_two_sizes(facilitator_client, collab, tool):
    counts = []
    for n in (2, 12):
        _grow(collab, n if not counts else n - 2, start=len(counts) * 100)
        with CaptureQueriesContext(connection) as ctx:
            assert facilitator_client.get(tool_url(collab, tool)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert counts[1] <= 14


def test_region_htmx_answers_with_the_region(
    facilitator_client, collab, django_assert_max_num_queries
):
    url = reverse("diagnose:section", kwargs={"slug": collab.slug, "kind": "stakeholder-map"})
    _grow(collab, 8)
    with django_assert_max_num_queries(6):
        response = facilitator_client.get(url, **HX)
    assert response.content.decode().lstrip().startswith('<div id="stakeholder-map-section"')
    assert facilitator_client.get(url.replace("stakeholder-map", "nope"), **HX).status_code == 404


def test_user_text_is_escaped(facilitator_client, collab, partner_org):
    Apprehension.objects.create(
        collaboration=collab, raised_by=partner_org, about="<script>alert(1)</script>"
    )
    html = facilitator_client.get(tool_url(collab, "engage-potential-partners")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html

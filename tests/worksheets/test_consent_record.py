"""The consent record leaves the app whole: in the report, as CSV, and through JSON."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from intersector.collaborations.models import Collaboration
from intersector.reports.exports import export_collaboration, import_collaboration
from intersector.reports.rendering import report_html
from intersector.reports.selectors import build_report
from intersector.worksheets.models import Consensus, DecisionRule, Proposal, ProposalResponse
from tests.world import client_for

pytestmark = pytest.mark.django_db

DEMO = "riverton-youth-jobs-compact"
QUESTION = "design.governance.decision-rule"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return Collaboration.objects.get(slug=DEMO)


def test_the_report_carries_every_round_with_rule_outcome_and_reasons(demo):
    html = report_html(build_report(demo, scope="design", paper="a4", for_pdf=True))
    record = html[html.index("Consent record") :]
    assert "Round 1" in record and "Round 2" in record
    assert "Not passed" in record and "Passed" in record
    assert "Rule: Consensus" in record and "quorum 60%" in record
    assert "“A single chair deciding is not a shared decision.”" in record
    assert "Northfield Manufacturing</strong>: Object" in record
    assert "Outcome statement: Adopted at the steering group." in record
    assert "Decision rule for proposals" in html


def test_the_csv_lists_every_response_with_its_round_and_reason(demo):
    facilitator = demo.memberships.get(role="facilitator").user
    response = client_for(facilitator).get(
        reverse("dashboards:export", args=[demo.slug, "proposal-responses"])
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Question", "Round", "Rule"]
    assert len(body) == ProposalResponse.objects.filter(collaboration=demo).count()
    objection = next(r for r in body if r[header.index("Position")] == "Object")
    assert objection[header.index("Organisation")] == "Northfield Manufacturing"
    assert objection[header.index("Round")] == "1"
    assert objection[header.index("Outcome")] == "Not passed"
    assert objection[header.index("Reason")] == "A single chair deciding is not a shared decision."


def test_json_round_trip_keeps_rule_rounds_responses_and_which_round_agreed(demo):
    Consensus.objects.filter(collaboration=demo, question_key=QUESTION).update(
        changed_since_agreed=True
    )
    first = export_collaboration(demo)
    worksheets = first["sections"]["worksheets"]
    assert len(worksheets["proposals"]) == 3
    assert len(worksheets["proposal_responses"]) == 7
    assert worksheets["decision_rule"]["rule"] == "consensus"
    assert worksheets["agreements"] == [
        {"question_key": QUESTION, "round": 2, "changed_since_agreed": True}
    ]
    imported, _ = import_collaboration(json.dumps(first).encode())
    second = export_collaboration(imported)
    for key in ("proposals", "proposal_responses", "decision_rule", "agreements"):
        assert second["sections"]["worksheets"][key] == worksheets[key], key
    agreed = Consensus.objects.get(collaboration=imported, question_key=QUESTION)
    assert agreed.agreed_by == Proposal.objects.get(
        collaboration=imported, question_key=QUESTION, round=2
    )
    assert agreed.changed_since_agreed
    assert DecisionRule.of(imported).quorum_percent == 60
    assert Proposal.objects.filter(collaboration=imported, closed_at__isnull=True).count() == 1


def test_an_agreement_naming_a_missing_round_is_refused(demo):
    from intersector.collaborations.registry import ImportFailed

    document = export_collaboration(demo)
    document["sections"]["worksheets"]["agreements"][0]["round"] = 9
    before = Collaboration.objects.count()
    with pytest.raises(ImportFailed, match="agreements 1 names a proposal round the file lacks"):
        import_collaboration(json.dumps(document).encode())
    assert Collaboration.objects.count() == before

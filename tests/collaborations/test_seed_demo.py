from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bench import seed_scale
from intersector.collaborations.models import Collaboration, Membership, Partner


@pytest.mark.django_db
def test_seed_demo_twice_duplicates_nothing():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (Collaboration.objects.count(), Partner.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (
        Collaboration.objects.count(),
        Partner.objects.count(),
        Membership.objects.count(),
    ) == counts
    assert counts[0] == 1 and 4 <= counts[1] <= 6
    sectors = set(Partner.objects.values_list("sector", flat=True))
    assert {"government", "business", "nonprofit"} <= sectors
    printed = out.getvalue()
    for email in ("facilitator@example.org", "partner@example.org", "observer@example.org"):
        assert email in printed
    assert "intersector-demo" in printed
    facilitator = get_user_model().objects.get(email="facilitator@example.org")
    assert facilitator.check_password("intersector-demo")


@pytest.mark.django_db
def test_a_whole_collaboration_can_be_deleted_with_everything_in_it():
    """References inside a collaboration refuse single deletions, not the collaboration's."""
    call_command("seed_demo", stdout=StringIO())
    call_command(seed_scale.Command(), partners=5, answers=40, milestones=5, stdout=StringIO())
    for collaboration in Collaboration.objects.all():
        collaboration.delete()
    assert not Partner.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.django_db
def test_seed_scale_builds_the_requested_size_and_can_be_rebuilt():
    from intersector.worksheets.models import Perspective, PerspectiveRevision

    call_command(seed_scale.Command(), partners=7, answers=50, stdout=StringIO())
    call_command(seed_scale.Command(), partners=7, answers=50, stdout=StringIO())
    collaboration = Collaboration.objects.get(slug="scale-test")
    assert collaboration.partners.count() == 7
    assert Perspective.objects.filter(collaboration=collaboration).count() == 50
    assert PerspectiveRevision.objects.filter(collaboration=collaboration).count() == 150
    assert collaboration.memberships.filter(role="partner").count() == 7

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

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

"""Open (or close) a consent round on one question of the scale seed, for the load benchmark.

    DATABASE_URL=postgres://…/bench_db python bench/consent_round.py open QUESTION_KEY
    DATABASE_URL=postgres://…/bench_db python bench/consent_round.py close QUESTION_KEY

``open`` closes any earlier open round on the question, gives it an agreed answer to propose
if it has none, and opens a new round (the collaboration's consent rule, a week long), as
``bench/bench_consent.py`` does in-process; ``close`` closes it without an outcome, so the
seed is left as it was for the next run.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from intersector.collaborations.models import Collaboration  # noqa: E402
from intersector.worksheets.models import Consensus, Proposal  # noqa: E402

SLUG = "scale-test"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["open", "close"])
    parser.add_argument("question_key")
    args = parser.parse_args()
    collaboration = Collaboration.objects.get(slug=SLUG)
    now = timezone.now()
    rounds = Proposal.objects.filter(collaboration=collaboration, question_key=args.question_key)
    rounds.filter(closed_at__isnull=True).update(closed_at=now, outcome="no_quorum")
    if args.action == "close":
        return
    consensus, _created = Consensus.objects.get_or_create(
        collaboration=collaboration,
        question_key=args.question_key,
        defaults={"text": "The manager convenes the partners and reports to them monthly."},
    )
    if not consensus.text.strip():
        consensus.text = "The manager convenes the partners and reports to them monthly."
        consensus.save(update_fields=["text"])
    Proposal.objects.create(
        collaboration=collaboration,
        question_key=args.question_key,
        round=rounds.count() + 1,
        text=consensus.text,
        rule="consent",
        quorum_percent=50,
        closes_at=now + timezone.timedelta(days=7),
    )


if __name__ == "__main__":
    main()

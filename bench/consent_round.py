"""Open (or close) a consent round on one question of the scale seed, for the load benchmark.

    DATABASE_URL=postgres://…/bench_db python bench/consent_round.py open QUESTION_KEY
    DATABASE_URL=postgres://…/bench_db python bench/consent_round.py close QUESTION_KEY

``open`` closes any earlier open round on the question, gives it an agreed answer to propose
if it has none, and opens a new round (the consent rule, a week long; ``bench_consent.py``
opens its round with the same function); ``close`` closes it without an outcome, so the
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
PROPOSED_TEXT = "The manager convenes the partners and reports to them monthly."


def close_rounds(collaboration, question_key: str) -> None:
    """Close the question's open round, if any, without an outcome that counts."""
    Proposal.objects.filter(
        collaboration=collaboration, question_key=question_key, closed_at__isnull=True
    ).update(closed_at=timezone.now(), outcome="no_quorum")


def open_round(collaboration, question_key: str, text: str = PROPOSED_TEXT) -> Proposal:
    """A new round on the question (any open one closed first), proposing its agreed answer,
    which gets ``text`` when it has none. Made directly, not by ``proposal_open``: the
    benchmark measures responses, not the notices to every member a real round sends."""
    close_rounds(collaboration, question_key)
    consensus, _created = Consensus.objects.get_or_create(
        collaboration=collaboration, question_key=question_key, defaults={"text": text}
    )
    if not consensus.text.strip():
        consensus.text = text
        consensus.save(update_fields=["text"])
    rounds = Proposal.objects.filter(collaboration=collaboration, question_key=question_key)
    return Proposal.objects.create(
        collaboration=collaboration,
        question_key=question_key,
        round=rounds.count() + 1,
        text=consensus.text,
        rule="consent",
        quorum_percent=50,
        closes_at=timezone.now() + timezone.timedelta(days=7),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["open", "close"])
    parser.add_argument("question_key")
    args = parser.parse_args()
    collaboration = Collaboration.objects.get(slug=SLUG)
    if args.action == "open":
        open_round(collaboration, args.question_key)
    else:
        close_rounds(collaboration, args.question_key)


if __name__ == "__main__":
    main()

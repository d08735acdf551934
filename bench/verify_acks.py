"""After a workshop run: was any acknowledged autosave lost? (bench/load.py calls this.)

    .venv/bin/python bench/verify_acks.py RUN.json

RUN.json holds what the load generator saw of one run:

- ``acks``: [org index, question key, version, text] for every save the server answered
  with 200 and a version;
- ``unanswered``: [org index, question key, text] for every save that was sent but never
  answered: still in flight when the run stopped, or without an HTTP answer (timeout,
  connection error);
- ``ended_at``: when the run stopped (seconds since the epoch).

(A plain list is read as ``acks`` alone, as before.)

Each acknowledged version must be stored with exactly its text (as a revision row: a save
writes one for every version) and be either the final version of its answer or superseded by
a later acknowledged version. A version superseded only by unacknowledged saves is lost,
unless the save that superseded it was sent but never answered, or was created after the
run ended: the run stopped while it was in flight, and its writer had based it on the
acknowledged version (a save only applies on top of the answer's current version).

Prints a table of outcomes, then one JSON line (the last line; load.py reads it).
"""

import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

FINAL = "final version of its answer"
SUPERSEDED_BY_ACK = "superseded by a later acknowledged save"
SUPERSEDED_IN_FLIGHT = "superseded by an in-flight save (sent, never answered)"
LOST_OVERWRITTEN = "LOST: overwritten or missing"
LOST_UNACKNOWLEDGED = "LOST: superseded by an unacknowledged save"
OUTCOMES = [FINAL, SUPERSEDED_BY_ACK, SUPERSEDED_IN_FLIGHT, LOST_OVERWRITTEN, LOST_UNACKNOWLEDGED]
LOST = {LOST_OVERWRITTEN, LOST_UNACKNOWLEDGED}


def classify(
    acks: Iterable[tuple[Hashable, int, str]],
    stored: Mapping[Hashable, Mapping[int, tuple[str, datetime]]],
    *,
    unanswered: Iterable[tuple[Hashable, str]] = (),
    ended_at: datetime | None = None,
) -> list[tuple[Hashable, int, str]]:
    """Return (answer, version, outcome) for every acknowledged version.

    ``acks``: (answer, version, text) as the server acknowledged them; ``answer`` is any key
    naming one answer (organisation and question). ``stored``: what the database holds,
    {answer: {version: (text, created_at)}}. ``unanswered``: (answer, text) of saves sent
    but never answered. ``ended_at``: when the run stopped.
    """
    acks = list(acks)
    acknowledged = defaultdict(set)
    for answer, version, _text in acks:
        acknowledged[answer].add(version)
    unanswered = {(answer, text.strip()) for answer, text in unanswered}
    results = []
    for answer, version, text in acks:
        rows = stored.get(answer, {})
        if version not in rows or rows[version][0].strip() != text.strip():
            outcome = LOST_OVERWRITTEN
        elif version == max(rows):
            outcome = FINAL
        elif any(v > version for v in acknowledged[answer]):
            outcome = SUPERSEDED_BY_ACK
        else:
            next_text, next_created_at = rows[min(v for v in rows if v > version)]
            in_flight = (answer, next_text.strip()) in unanswered or (
                ended_at is not None and next_created_at >= ended_at
            )
            outcome = SUPERSEDED_IN_FLIGHT if in_flight else LOST_UNACKNOWLEDGED
        results.append((answer, version, outcome))
    return results


def summarise(results: list[tuple[Hashable, int, str]]) -> dict:
    counts = Counter(outcome for _answer, _version, outcome in results)
    return {
        "checked": len(results),
        "lost": sum(counts[o] for o in LOST),
        "in_flight": counts[SUPERSEDED_IN_FLIGHT],
        "outcomes": {o: counts[o] for o in OUTCOMES},
        "examples": [[a, v, o] for a, v, o in results if o in LOST][:3],
    }


def table(summary: dict) -> str:
    lines = ["| acknowledged version | count |", "|---|---:|"]
    lines += [f"| {o} | {n:,} |" for o, n in summary["outcomes"].items()]
    lines.append(f"| checked | {summary['checked']:,} |")
    return "\n".join(lines)


def read_run(path: str) -> tuple[list, list, datetime | None]:
    run = json.loads(Path(path).read_text())
    if isinstance(run, list):
        return run, [], None
    ended_at = run.get("ended_at")
    ended_at = datetime.fromtimestamp(ended_at, tz=UTC) if ended_at is not None else None
    return run["acks"], run.get("unanswered", []), ended_at


def main(path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")
    import django

    django.setup()
    from intersector.collaborations.models import Collaboration
    from intersector.worksheets.models import PerspectiveRevision

    acks, unanswered, ended_at = read_run(path)
    collaboration = Collaboration.objects.get(slug="scale-test")
    orgs = list(collaboration.partners.order_by("name").values_list("pk", flat=True))
    answers = {(orgs[org], key) for org, key, *_ in [*acks, *unanswered]}
    stored = defaultdict(dict)
    for partner_id, key, version, text, created_at in PerspectiveRevision.objects.filter(
        collaboration=collaboration,
        partner_id__in={partner_id for partner_id, _key in answers},
        question_key__in={key for _partner_id, key in answers},
    ).values_list("partner_id", "question_key", "version", "text", "created_at"):
        stored[(partner_id, key)][version] = (text, created_at)
    results = classify(
        [((orgs[org], key), version, text) for org, key, version, text in acks],
        stored,
        unanswered=[((orgs[org], key), text) for org, key, text in unanswered],
        ended_at=ended_at,
    )
    summary = summarise(results)
    print(table(summary))
    print(json.dumps(summary))


if __name__ == "__main__":
    main(sys.argv[1])

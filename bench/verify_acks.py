"""After a workshop run: was any acknowledged autosave lost? (bench/load.py calls this.)

Reads a JSON list of [org index, question key, version, text] — every save the server
answered with 200 and a version — and checks the database: the row of that version holds
exactly that text (append-only versions: nothing overwrote it), and it is either the final
version of the answer or a later version was acknowledged too. Prints one JSON line.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intersector.settings")

import django  # noqa: E402

django.setup()

from intersector.collaborations.models import Collaboration  # noqa: E402
from intersector.worksheets.models import Perspective  # noqa: E402


def main(path: str) -> None:
    acks = json.loads(Path(path).read_text())
    collaboration = Collaboration.objects.get(slug="scale-test")
    orgs = list(collaboration.partners.order_by("name").values_list("pk", flat=True))
    by_answer = defaultdict(dict)
    for org, key, version, text in acks:
        by_answer[(orgs[org], key)][version] = text
    lost = []
    for (partner_id, key), versions in by_answer.items():
        rows = dict(
            Perspective.objects.filter(
                collaboration=collaboration, partner_id=partner_id, question_key=key
            ).values_list("version", "text")
        )
        final = max(rows)
        for version, text in versions.items():
            if rows.get(version, "").strip() != text:
                lost.append((partner_id, key, version, "overwritten or missing"))
            elif version != final and not any(v > version for v in versions):
                lost.append((partner_id, key, version, "superseded by an unacknowledged save"))
    print(json.dumps({"checked": len(acks), "lost": len(lost), "examples": lost[:3]}))


if __name__ == "__main__":
    main(sys.argv[1])

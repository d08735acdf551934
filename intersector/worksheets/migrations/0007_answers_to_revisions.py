"""Every stored version becomes a revision row; the newest version of each answer stays as
its current row, first saved when its oldest version was. The same statements on SQLite and
PostgreSQL."""

from django.db import migrations

PERSPECTIVE_SAME_ANSWER = (
    "o.collaboration_id = worksheets_perspective.collaboration_id "
    "AND o.question_key = worksheets_perspective.question_key "
    "AND o.partner_id = worksheets_perspective.partner_id"
)
CONSENSUS_SAME_ANSWER = (
    "o.collaboration_id = worksheets_consensus.collaboration_id "
    "AND o.question_key = worksheets_consensus.question_key"
)

FORWARDS = [
    """
    INSERT INTO worksheets_perspectiverevision
        (collaboration_id, question_key, partner_id, version, text, author_id, created_at)
    SELECT collaboration_id, question_key, partner_id, version, text, author_id, created_at
    FROM worksheets_perspective
    """,
    f"""
    DELETE FROM worksheets_perspective WHERE EXISTS (
        SELECT 1 FROM worksheets_perspective o
        WHERE {PERSPECTIVE_SAME_ANSWER} AND o.version > worksheets_perspective.version)
    """,
    f"""
    UPDATE worksheets_perspective SET updated_at = created_at, created_at = (
        SELECT MIN(o.created_at) FROM worksheets_perspectiverevision o
        WHERE {PERSPECTIVE_SAME_ANSWER})
    """,
    """
    INSERT INTO worksheets_consensusrevision
        (collaboration_id, question_key, version, text, status, author_id, created_at)
    SELECT collaboration_id, question_key, version, text, status, author_id, created_at
    FROM worksheets_consensus
    """,
    f"""
    DELETE FROM worksheets_consensus WHERE EXISTS (
        SELECT 1 FROM worksheets_consensus o
        WHERE {CONSENSUS_SAME_ANSWER} AND o.version > worksheets_consensus.version)
    """,
    f"""
    UPDATE worksheets_consensus SET updated_at = created_at, created_at = (
        SELECT MIN(o.created_at) FROM worksheets_consensusrevision o
        WHERE {CONSENSUS_SAME_ANSWER})
    """,
]

# Backwards: the revisions are the versions again.
BACKWARDS = [
    "DELETE FROM worksheets_perspective",
    """
    INSERT INTO worksheets_perspective
        (collaboration_id, question_key, partner_id, version, text, author_id, created_at,
         updated_at)
    SELECT collaboration_id, question_key, partner_id, version, text, author_id, created_at,
           created_at
    FROM worksheets_perspectiverevision
    """,
    "DELETE FROM worksheets_perspectiverevision",
    "DELETE FROM worksheets_consensus",
    """
    INSERT INTO worksheets_consensus
        (collaboration_id, question_key, version, text, status, author_id, created_at,
         updated_at)
    SELECT collaboration_id, question_key, version, text, status, author_id, created_at,
           created_at
    FROM worksheets_consensusrevision
    """,
    "DELETE FROM worksheets_consensusrevision",
]


class Migration(migrations.Migration):
    dependencies = [("worksheets", "0006_answers_with_revisions")]

    operations = [migrations.RunSQL(FORWARDS, BACKWARDS)]

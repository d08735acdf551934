"""Each collaboration's change marker: a number the database moves on every write to it.

Pages of a collaboration are kept rendered under its marker (``intersector/pagecache.py``);
a page kept under an older marker is never served. So the marker must move on *every* write
path — ORM saves, queryset updates and deletes, bulk creates, raw SQL such as the autosave's
conditional insert, imports — and the only place all of them meet is the database. Triggers
on every table that holds a collaboration's data move it (``tests/collaborations/
test_change_markers.py`` fails for a table without them).

On PostgreSQL the triggers are constraint triggers deferred to commit: the marker's row is
locked only while a transaction commits, after all its other locks, so writers of one
collaboration never wait on each other's open transactions and cannot deadlock over it. The
new marker becomes visible in the same instant as the data it stands for. A reader that reads
the marker before the data (``get_collaboration_for_user`` does, in the first query) can only
pair a marker with data as new or newer — never keep old data under a new marker.

A marker is the later of "one more than before" and the current time in microseconds, so it
never repeats, even after a database is restored from an older backup while app servers keep
what they rendered.

A second number on the same row, the answers marker, moves only when which partners have
answered which questions, or which answers are agreed, changes: a perspective written where
there was none (or emptied), an agreed answer saved. Editing an answer's text does not move
it, so during a workshop, where every keystroke pause moves the change marker, the progress
counted from the current answers (``worksheets.selectors.collaboration_answers``) is kept.
"""

MARKER_TABLE = "collaborations_changemarker"

# The trigger name on every table, so that one statement can address them all:
# ``SET CONSTRAINTS mark_collaboration_changed IMMEDIATE`` (tests/conftest.py).
TRIGGER = "mark_collaboration_changed"

# Tables of a collaboration's data whose writes move its marker: every table with a
# collaboration_id column, except CurrentPerspective, which only the Perspective trigger
# writes (the Perspective insert that causes it has moved the marker already), and the
# marker table itself.
MARKED_TABLES = (
    "collaborations_partner",
    "collaborations_membership",
    "worksheets_perspective",
    "worksheets_consensus",
    "worksheets_comment",
    "worksheets_stagemove",
    "reports_reportjob",
    "invitations_invitation",
    "invitations_auditevent",
    "diagnose_sectoranalysis",
    "diagnose_apprehension",
    "diagnose_decision",
    "design_vision",
    "design_goal",
    "design_indicator",
    "design_activity",
    "design_task",
    "design_governance",
    "implement_milestone",
    "implement_progressupdate",
    "implement_feedbackentry",
    "implement_resourceissue",
    "implement_champion",
    "implement_win",
    "assess_evaluationplan",
    "assess_measurement",
    "assess_observation",
    "assess_lesson",
)
UNMARKED_TABLES = {"worksheets_currentperspective", MARKER_TABLE}

ANSWERS_TRIGGER = "mark_answers_changed"
ANSWERS_UPDATE_TRIGGER = f"{ANSWERS_TRIGGER}_on_update"  # PostgreSQL: a conditional one apart
# The answers marker's tables, and when an update of a row moves it (None: always).
ANSWERS_TABLES = {
    "worksheets_currentperspective": "OLD.answered <> NEW.answered",
    "worksheets_consensus": None,
}

_POSTGRESQL_NOW_US = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::bigint"
_SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"


def _bump(collaboration_id: str, now_us: str, greatest: str) -> str:
    return f"""
    INSERT INTO {MARKER_TABLE} (collaboration_id, version) VALUES ({collaboration_id}, {now_us})
    ON CONFLICT (collaboration_id) DO UPDATE
        SET version = {greatest}({MARKER_TABLE}.version + 1, {now_us});"""


def _bump_answers(collaboration_id: str, now_us: str, greatest: str) -> str:
    return f"""
    INSERT INTO {MARKER_TABLE} (collaboration_id, version, answers_version)
        VALUES ({collaboration_id}, {now_us}, {now_us})
    ON CONFLICT (collaboration_id) DO UPDATE
        SET answers_version = {greatest}({MARKER_TABLE}.answers_version + 1, {now_us});"""


def _bump_all(now_us: str, greatest: str) -> str:
    return f"UPDATE {MARKER_TABLE} SET version = {greatest}(version + 1, {now_us});"


# A person's name and e-mail address appear on every collaboration they ever wrote in, not
# only those they are a member of now: renaming someone (rare) moves every marker.
_USER_SHOWN_CHANGED = "OLD.full_name <> NEW.full_name OR OLD.email <> NEW.email"


def _postgresql(table: str) -> list[str]:
    return [
        f"""
        CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()
        """
    ]


def _sqlite(table: str) -> list[str]:
    bump = {
        "INSERT": _bump("NEW.collaboration_id", _SQLITE_NOW_US, "max"),
        "UPDATE": _bump("NEW.collaboration_id", _SQLITE_NOW_US, "max"),
        "DELETE": _bump("OLD.collaboration_id", _SQLITE_NOW_US, "max"),
    }
    return [
        f"CREATE TRIGGER {table}_{TRIGGER}_{event.lower()} AFTER {event} ON {table} "
        f"BEGIN {statement} END"
        for event, statement in bump.items()
    ]


def _postgresql_row_function(name: str, bump) -> str:
    """A trigger function that moves, with ``bump``, the marker of the written row's
    collaboration."""
    now, greatest = _POSTGRESQL_NOW_US, "GREATEST"
    return f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                {bump("OLD.collaboration_id", now, greatest)}
            ELSE
                {bump("NEW.collaboration_id", now, greatest)}
            END IF;
            RETURN NULL;
        END $$
        """


def _postgresql_functions() -> list[str]:
    now, greatest = _POSTGRESQL_NOW_US, "GREATEST"
    return [
        _postgresql_row_function(TRIGGER, _bump),
        f"""
        CREATE FUNCTION {TRIGGER}_itself() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {MARKER_TABLE} WHERE collaboration_id = OLD.id;
            ELSE
                {_bump("NEW.id", now, greatest)}
            END IF;
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE FUNCTION {TRIGGER}_by_person() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_bump_all(now, greatest)}
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE CONSTRAINT TRIGGER {TRIGGER}
            AFTER INSERT OR UPDATE OR DELETE ON collaborations_collaboration
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION {TRIGGER}_itself()
        """,
        f"""
        CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER UPDATE ON accounts_user
            DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN ({_USER_SHOWN_CHANGED})
            EXECUTE FUNCTION {TRIGGER}_by_person()
        """,
    ]


def _sqlite_functions() -> list[str]:
    now, greatest = _SQLITE_NOW_US, "max"
    return [
        f"CREATE TRIGGER collaborations_collaboration_{TRIGGER}_insert "
        f"AFTER INSERT ON collaborations_collaboration BEGIN {_bump('NEW.id', now, greatest)} END",
        f"CREATE TRIGGER collaborations_collaboration_{TRIGGER}_update "
        f"AFTER UPDATE ON collaborations_collaboration BEGIN {_bump('NEW.id', now, greatest)} END",
        f"CREATE TRIGGER collaborations_collaboration_{TRIGGER}_delete "
        f"AFTER DELETE ON collaborations_collaboration "
        f"BEGIN DELETE FROM {MARKER_TABLE} WHERE collaboration_id = OLD.id; END",
        f"CREATE TRIGGER accounts_user_{TRIGGER}_update AFTER UPDATE ON accounts_user "
        f"WHEN {_USER_SHOWN_CHANGED} BEGIN {_bump_all(now, greatest)} END",
    ]


def install(schema_editor, tables=MARKED_TABLES, *, with_functions: bool = False) -> None:
    """Create the triggers that move the marker on writes to ``tables`` (for migrations).

    ``with_functions`` also creates the shared trigger functions and the triggers on the
    collaboration and person tables; only the migration that creates the marker passes it.
    A later migration that adds a collaboration table calls ``install(schema_editor,
    ["app_newtable"])``.
    """
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No change-marker triggers for {vendor}")
    statements = []
    if with_functions:
        statements += _postgresql_functions() if vendor == "postgresql" else _sqlite_functions()
    for table in tables:
        statements += _postgresql(table) if vendor == "postgresql" else _sqlite(table)
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor, tables=MARKED_TABLES, *, with_functions: bool = False) -> None:
    """Drop what ``install`` with the same arguments created."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    statements = []
    for table in tables:
        if postgresql:
            statements.append(f"DROP TRIGGER {TRIGGER} ON {table}")
        else:
            statements += [
                f"DROP TRIGGER {table}_{TRIGGER}_{event}"
                for event in ("insert", "update", "delete")
            ]
    if with_functions and postgresql:
        statements += [
            f"DROP TRIGGER {TRIGGER} ON collaborations_collaboration",
            f"DROP TRIGGER {TRIGGER} ON accounts_user",
            f"DROP FUNCTION {TRIGGER}()",
            f"DROP FUNCTION {TRIGGER}_itself()",
            f"DROP FUNCTION {TRIGGER}_by_person()",
        ]
    elif with_functions:
        statements += [
            f"DROP TRIGGER collaborations_collaboration_{TRIGGER}_{event}"
            for event in ("insert", "update", "delete")
        ] + [f"DROP TRIGGER accounts_user_{TRIGGER}_update"]
    for statement in statements:
        schema_editor.execute(statement)


def _answers_postgresql() -> list[str]:
    statements = [_postgresql_row_function(ANSWERS_TRIGGER, _bump_answers)]
    for table, moved_by_update in ANSWERS_TABLES.items():
        if moved_by_update is None:
            triggers = [(ANSWERS_TRIGGER, "INSERT OR UPDATE OR DELETE", "")]
        else:  # an update that does not move the marker queues no trigger event at all
            triggers = [
                (ANSWERS_TRIGGER, "INSERT OR DELETE", ""),
                (ANSWERS_UPDATE_TRIGGER, "UPDATE", f"WHEN ({moved_by_update})"),
            ]
        statements += [
            f"""
            CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table}
                DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW {when} EXECUTE FUNCTION {ANSWERS_TRIGGER}()
            """
            for name, events, when in triggers
        ]
    return statements


def _answers_sqlite() -> list[str]:
    now, greatest = _SQLITE_NOW_US, "max"
    statements = []
    for table, moved_by_update in ANSWERS_TABLES.items():
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            when = f"WHEN {moved_by_update} " if event == "UPDATE" and moved_by_update else ""
            statements.append(
                f"CREATE TRIGGER {table}_{ANSWERS_TRIGGER}_{event.lower()} AFTER {event} "
                f"ON {table} {when}"
                f"BEGIN {_bump_answers(f'{row}.collaboration_id', now, greatest)} END"
            )
    return statements


def install_answers(schema_editor) -> None:
    """Create the triggers that move the answers marker (for migrations)."""
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in _answers_postgresql() if postgresql else _answers_sqlite():
        schema_editor.execute(statement)


def uninstall_answers(schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS {name} ON {table}"
            for table in ANSWERS_TABLES
            for name in (ANSWERS_TRIGGER, ANSWERS_UPDATE_TRIGGER)
        ] + [f"DROP FUNCTION {ANSWERS_TRIGGER}()"]
    else:
        statements = [
            f"DROP TRIGGER {table}_{ANSWERS_TRIGGER}_{event}"
            for table in ANSWERS_TABLES
            for event in ("insert", "update", "delete")
        ]
    for statement in statements:
        schema_editor.execute(statement)


def marked_tables(connection, trigger: str = TRIGGER) -> set[str]:
    """The tables that carry ``trigger``, read from the database's catalogue."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [trigger],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"%{trigger}%"],
            )
        return {row[0] for row in cursor.fetchall()}

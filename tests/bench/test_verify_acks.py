"""bench/verify_acks.py: which acknowledged autosaves count as lost after a load run."""

from datetime import UTC, datetime, timedelta

from bench.verify_acks import (
    FINAL,
    LOST_OVERWRITTEN,
    LOST_UNACKNOWLEDGED,
    SUPERSEDED_BY_ACK,
    SUPERSEDED_IN_FLIGHT,
    classify,
    summarise,
    table,
)

END = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BEFORE, AFTER = END - timedelta(seconds=1), END + timedelta(milliseconds=5)
ANSWER, OTHER = ("org 1", "remit"), ("org 2", "remit")


def outcomes(acks, stored, **kwargs):
    return [outcome for _answer, _version, outcome in classify(acks, stored, **kwargs)]


def test_acknowledged_versions_kept_or_superseded_by_acknowledged_saves_are_not_lost():
    stored = {ANSWER: {1: ("first", BEFORE), 2: ("second", BEFORE)}}
    acks = [(ANSWER, 1, "first"), (ANSWER, 2, "second")]

    assert outcomes(acks, stored, ended_at=END) == [SUPERSEDED_BY_ACK, FINAL]


def test_an_acknowledged_version_stored_with_other_text_or_missing_is_lost():
    stored = {ANSWER: {1: ("someone else's text", BEFORE)}}
    acks = [(ANSWER, 1, "mine"), (ANSWER, 2, "also mine")]

    assert outcomes(acks, stored) == [LOST_OVERWRITTEN, LOST_OVERWRITTEN]


def test_superseded_by_a_save_sent_but_never_answered_is_in_flight_not_lost():
    stored = {ANSWER: {1: ("first", BEFORE), 2: ("typed as the run stopped", BEFORE)}}

    result = outcomes(
        [(ANSWER, 1, "first")],
        stored,
        unanswered=[(ANSWER, "typed as the run stopped ")],
        ended_at=END,
    )

    assert result == [SUPERSEDED_IN_FLIGHT]


def test_superseded_by_a_version_created_after_the_run_ended_is_in_flight_not_lost():
    stored = {ANSWER: {1: ("first", BEFORE), 2: ("arrived late", AFTER)}}

    assert outcomes([(ANSWER, 1, "first")], stored, ended_at=END) == [SUPERSEDED_IN_FLIGHT]


def test_superseded_during_the_run_by_a_save_nobody_was_waiting_for_is_lost():
    stored = {ANSWER: {1: ("first", BEFORE), 2: ("from nowhere", BEFORE)}}
    # The same text in flight for another organisation's answer proves nothing here.
    unanswered = [(OTHER, "from nowhere")]

    result = outcomes([(ANSWER, 1, "first")], stored, unanswered=unanswered, ended_at=END)

    assert result == [LOST_UNACKNOWLEDGED]


def test_without_the_end_of_the_run_only_unanswered_saves_excuse_a_supersession():
    stored = {ANSWER: {1: ("first", BEFORE), 2: ("arrived late", AFTER)}}

    assert outcomes([(ANSWER, 1, "first")], stored) == [LOST_UNACKNOWLEDGED]


def test_the_summary_counts_each_outcome_and_in_flight_saves_are_not_counted_lost():
    stored = {
        ANSWER: {1: ("a", BEFORE), 2: ("b", BEFORE), 3: ("late", AFTER)},
        OTHER: {1: ("x", BEFORE), 2: ("y", BEFORE)},
    }
    acks = [(ANSWER, 1, "a"), (ANSWER, 2, "b"), (OTHER, 1, "x")]

    summary = summarise(classify(acks, stored, ended_at=END))

    assert summary["checked"] == 3
    assert summary["lost"] == 1
    assert summary["in_flight"] == 1
    assert summary["outcomes"][SUPERSEDED_BY_ACK] == 1
    assert summary["examples"] == [[OTHER, 1, LOST_UNACKNOWLEDGED]]
    assert f"| {SUPERSEDED_IN_FLIGHT} | 1 |" in table(summary)

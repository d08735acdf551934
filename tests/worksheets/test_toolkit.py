import re

from django.core.management import call_command

from intersector.worksheets.models import Comment, Consensus, Perspective
from intersector.worksheets.toolkit import questions_by_key, stages

KEY = re.compile(r"^(diagnose|design|implement|assess)\.[a-z]+\.[a-z0-9-]+$")


def test_every_stage_has_its_tools_in_toolkit_order():
    assert [s.key for s in stages()] == ["diagnose", "design", "implement", "assess"]
    assert [len(s.tools) for s in stages()] == [4, 7, 3, 3]
    numbers = [tool.number for stage in stages() for tool in stage.tools]
    assert numbers == list(range(1, 18))


def test_every_tool_has_why_and_four_to_eight_questions_with_help():
    for stage in stages():
        for tool in stage.tools:
            assert tool.why, tool.name
            assert 4 <= len(tool.questions) <= 8, tool.name
            for question in tool.questions:
                assert question.text.strip() and question.help.strip(), question.key


def test_question_keys_are_unique_readable_and_start_with_their_stage():
    keys = [q.key for s in stages() for t in s.tools for q in t.questions]
    assert len(keys) == len(set(keys)) == len(questions_by_key())
    for stage in stages():
        for tool in stage.tools:
            for question in tool.questions:
                assert KEY.match(question.key), question.key
                assert question.key.startswith(stage.key + ".")


def test_only_tools_13_and_16_use_our_naming():
    ours = [t.number for s in stages() for t in s.tools if t.our_naming]
    assert ours == [13, 16]


def test_every_stored_question_key_still_exists_in_the_toolkit(db):
    """Removing or renaming a question key orphans its answers: migrate them first."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    known = set(questions_by_key())
    stored = set()
    for model in (Perspective, Consensus, Comment):
        stored |= set(model.objects.values_list("question_key", flat=True))
    assert stored, "the demo should store answers"
    assert stored <= known, f"unknown keys in the database: {sorted(stored - known)}"


def test_demo_answers_every_stage_and_seeding_twice_duplicates_nothing(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Perspective.objects.count(), Consensus.objects.count(), Comment.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (
        Perspective.objects.count(),
        Consensus.objects.count(),
        Comment.objects.count(),
    )
    stages_with_agreed = {
        k.split(".")[0] for k in Consensus.objects.values_list("question_key", flat=True)
    }
    stages_with_perspectives = {
        k.split(".")[0] for k in Perspective.objects.values_list("question_key", flat=True)
    }
    assert (
        stages_with_agreed
        == stages_with_perspectives
        == {"diagnose", "design", "implement", "assess"}
    )
    assert Perspective.objects.values("partner").distinct().count() >= 3

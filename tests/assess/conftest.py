from tests.implement.factories import activity, foreign, goal, indicator, other_activity  # noqa: F401

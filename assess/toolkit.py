from intersector.worksheets.toolkit import Artefact, Stage, Tool

STAGE = Stage(
    key="assess",
    number=4,
    name="Assess",
    question="What have we learned, and what should others learn from us?",
    summary=(
        "Agree why and how to evaluate, evaluate from the start, and share the lessons "
        "with the partners and with other practitioners."
    ),
    tools=(
        Tool(
            number=15,
            slug="define-the-intent-of-the-evaluation",
            name="Define the Intent of the Evaluation",
            summary="Agree what the evaluation is for and who will use it.",
            artefacts=(
                Artefact(
                    key="plan",
                    title="Evaluation plan",
                    template="assess/plan.html",
                    context="assess.selectors.evaluation_plan",
                ),
            ),
        ),
        Tool(
            number=16,
            slug="evaluate-as-you-go",
            name="Evaluate as You Go",
            summary="Track successes and setbacks as they happen, with a method that fits.",
            artefacts=(
                Artefact(
                    key="measurements",
                    title="Measures of success over time",
                    template="assess/measurements.html",
                    context="assess.selectors.measurements",
                ),
                Artefact(
                    key="observations",
                    title="Successes and setbacks",
                    template="assess/observations.html",
                    context="assess.selectors.observations",
                ),
            ),
            our_naming=True,
        ),
        Tool(
            number=17,
            slug="tell-the-story",
            name="Tell the Story",
            summary="Share outcomes and lessons inside the collaboration and beyond it.",
            artefacts=(
                Artefact(
                    key="lessons",
                    title="Lessons learned",
                    template="assess/lessons.html",
                    context="assess.selectors.lessons",
                ),
            ),
        ),
    ),
)

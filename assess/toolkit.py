from intersector.worksheets.toolkit import Stage, Tool

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
        ),
        Tool(
            number=16,
            slug="evaluate-as-you-go",
            name="Evaluate as You Go",
            summary="Track successes and setbacks as they happen, with a method that fits.",
            our_naming=True,
        ),
        Tool(
            number=17,
            slug="tell-the-story",
            name="Tell the Story",
            summary="Share outcomes and lessons inside the collaboration and beyond it.",
        ),
    ),
)

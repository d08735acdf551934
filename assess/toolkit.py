from intersector.worksheets.toolkit import Artefact, Question, Stage, Tool

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
            why=(
                "Partners may want different things from an evaluation. Agreeing its purpose "
                "first makes the findings useful to all of them."
            ),
            questions=(
                Question(
                    "assess.intent.users-and-decisions",
                    "Who will use the evaluation, and for which decisions?",
                    "Boards, funders, the partners themselves, policymakers.",
                ),
                Question(
                    "assess.intent.process-or-outcomes",
                    "Are we judging how we worked, what we achieved, or both?",
                    "Process, outcomes, or both to adjust while the work goes on.",
                ),
                Question(
                    "assess.intent.questions-that-matter",
                    "Which evaluation questions matter most to our organisation?",
                    "Two or three questions you most need answered.",
                ),
                Question(
                    "assess.intent.who-evaluates",
                    "Do we have the skills, time and budget to evaluate ourselves, or do we "
                    "need an outside evaluator?",
                    "An outside evaluator adds independence and costs money.",
                ),
                Question(
                    "assess.intent.when-findings",
                    "When do we need findings: continuously, at milestones, or at the end?",
                    "This shapes the method and the budget.",
                ),
            ),
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
            our_naming=True,
            why=(
                "Evaluating from the early stages, not only at the end, catches setbacks "
                "while they can still be fixed and builds the evidence the final story needs."
            ),
            questions=(
                Question(
                    "assess.ongoing.method",
                    "Which evaluation method fits our questions, our data and our budget?",
                    "Choose the simplest method that answers the questions that matter.",
                ),
                Question(
                    "assess.ongoing.what-we-measure-when",
                    "What do we measure, how often, and who records it?",
                    "Link back to the measures of success agreed in Design.",
                ),
                Question(
                    "assess.ongoing.successes",
                    "What has gone better than expected so far, and why?",
                    "Successes are lessons too.",
                ),
                Question(
                    "assess.ongoing.setbacks",
                    "What setbacks have we had, and what did we do about them?",
                    "Record them when they happen, while memories are fresh.",
                ),
                Question(
                    "assess.ongoing.using-findings",
                    "How do interim findings reach the partners and change what we do?",
                    "Evaluation helps only if someone acts on it.",
                ),
            ),
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
                    paged=True,
                ),
            ),
        ),
        Tool(
            number=17,
            slug="tell-the-story",
            name="Tell the Story",
            summary="Share outcomes and lessons inside the collaboration and beyond it.",
            why=(
                "Sharing results and how they were reached makes the work transparent, shows "
                "the value of cross-sector collaboration and lets others learn from it or "
                "repeat it."
            ),
            questions=(
                Question(
                    "assess.story.audiences",
                    "Which audiences matter most: boards, funders, residents, peers, policymakers?",
                    "Pick the few that matter most.",
                ),
                Question(
                    "assess.story.key-message",
                    "What one change do we most want each audience to understand?",
                    "The story has to make sense to people from every sector.",
                ),
                Question(
                    "assess.story.evidence",
                    "Which evidence backs it up: figures, quotes, stories?",
                    "Mix numbers with the voices of the people involved.",
                ),
                Question(
                    "assess.story.struggles-to-share",
                    "What went wrong that we are willing to share?",
                    "Honest accounts of struggles help the next collaboration most.",
                ),
                Question(
                    "assess.story.spokespeople",
                    "Who speaks for the collaboration, and who approves what is said?",
                    "Agree this before the first interview request.",
                ),
                Question(
                    "assess.story.formats-and-timing",
                    "In which formats and channels, and when?",
                    "A report, a briefing, a video, a conference talk.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="lessons",
                    title="Lessons learned",
                    template="assess/lessons.html",
                    context="assess.selectors.lessons",
                    paged=True,
                ),
            ),
        ),
    ),
)

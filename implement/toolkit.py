from intersector.worksheets.toolkit import Artefact, Stage, Tool

STAGE = Stage(
    key="implement",
    number=3,
    name="Implement",
    question="How do we actually reach our goals together?",
    summary=(
        "Carry out the plan while keeping every partner engaged: value each sector, "
        "set reachable interim goals, listen, adapt and celebrate progress."
    ),
    tools=(
        Tool(
            number=12,
            slug="communicate-the-interdependency",
            name="Communicate the Interdependency of Each Sector",
            summary="Show how much the work relies on what each sector brings.",
            artefacts=(
                Artefact(
                    key="contributions",
                    title="What each partner brings",
                    template="implement/contributions.html",
                    context="implement.selectors.contributions",
                ),
            ),
        ),
        Tool(
            number=13,
            slug="sustain-capacity-and-champions",
            name="Sustain Capacity and Champions",
            summary="Act on feedback, solve capacity problems creatively and enlist champions.",
            artefacts=(
                Artefact(
                    key="feedback",
                    title="Feedback log",
                    template="implement/feedback.html",
                    context="implement.selectors.feedback",
                ),
                Artefact(
                    key="issues",
                    title="Capacity and resource issues",
                    template="implement/issues.html",
                    context="implement.selectors.issues",
                ),
                Artefact(
                    key="champions",
                    title="Champions and sponsors",
                    template="implement/champions.html",
                    context="implement.selectors.champions",
                ),
            ),
            our_naming=True,
        ),
        Tool(
            number=14,
            slug="manage-expectations",
            name="Manage Expectations of Process and Results",
            summary="Report progress, celebrate wins and stay flexible as things change.",
            artefacts=(
                Artefact(
                    key="wins",
                    title="Wins worth celebrating",
                    template="implement/wins.html",
                    context="implement.selectors.wins",
                ),
                Artefact(
                    key="milestones",
                    title="Milestones",
                    template="implement/milestones.html",
                    context="implement.selectors.milestones",
                ),
                Artefact(
                    key="updates",
                    title="Progress updates",
                    template="implement/updates.html",
                    context="implement.selectors.updates",
                ),
            ),
        ),
    ),
)

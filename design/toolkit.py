from intersector.worksheets.toolkit import Artefact, Stage, Tool

STAGE = Stage(
    key="design",
    number=2,
    name="Design",
    question="What groundwork turns our shared vision into something we can run?",
    summary=(
        "Agree on the problem and on how success is measured, then lay out the roadmap, "
        "the responsibilities and the structure that keeps everyone accountable."
    ),
    tools=(
        Tool(
            number=5,
            slug="establish-transparency-of-viewpoints",
            name="Establish Transparency of Viewpoints",
            summary="Make room for every partner to say openly what it needs and fears.",
        ),
        Tool(
            number=6,
            slug="build-a-common-fact-base",
            name="Build a Common Fact Base",
            summary="Settle which facts about the issue everyone accepts.",
        ),
        Tool(
            number=7,
            slug="agree-on-measures-of-success",
            name="Agree on Measures of Success",
            summary="Choose the indicators that will show progress and results.",
            artefacts=(
                Artefact(
                    key="vision",
                    title="Shared vision",
                    template="design/artefacts/vision.html",
                    context="design.selectors.vision_context",
                ),
                Artefact(
                    key="goals",
                    title="Goals and outcomes",
                    template="design/artefacts/goals.html",
                    context="design.selectors.goals_context",
                ),
                Artefact(
                    key="indicators",
                    title="Measures of success",
                    template="design/artefacts/indicators.html",
                    context="design.selectors.indicators_context",
                ),
            ),
        ),
        Tool(
            number=8,
            slug="commit-to-information-sharing",
            name="Commit to Information Sharing",
            summary="Decide what data each partner shares, with whom, and how often.",
        ),
        Tool(
            number=9,
            slug="share-discretion",
            name="Share Discretion",
            summary="Give decisions to the partners whose expertise fits them.",
        ),
        Tool(
            number=10,
            slug="establish-a-governance-structure",
            name="Establish a Governance Structure",
            summary="Set up how the collaboration is organised and how it decides.",
            artefacts=(
                Artefact(
                    key="governance",
                    title="Governance and project management",
                    template="design/artefacts/governance.html",
                    context="design.selectors.governance_context",
                ),
            ),
        ),
        Tool(
            number=11,
            slug="identify-a-manager",
            name="Identify a Manager",
            summary="Name one point of accountability that keeps the work moving.",
            artefacts=(
                Artefact(
                    key="roadmap",
                    title="Roadmap",
                    template="design/artefacts/roadmap.html",
                    context="design.selectors.roadmap_context",
                ),
                Artefact(
                    key="responsibilities",
                    title="Responsibilities",
                    template="design/artefacts/responsibilities.html",
                    context="design.selectors.responsibilities_context",
                ),
            ),
        ),
    ),
)

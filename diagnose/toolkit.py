from intersector.worksheets.toolkit import Artefact, Stage, Tool

STAGE = Stage(
    key="diagnose",
    number=1,
    name="Diagnose",
    question="Could a cross-sector approach actually help with our problem?",
    summary=(
        "Test whether the problem needs more than one sector, find who has a stake, "
        "and check the history and the resources before committing."
    ),
    tools=(
        Tool(
            number=1,
            slug="engage-potential-partners",
            name="Engage Potential Partners",
            summary="Find the organisations with a stake in the issue and judge how well each fits.",
            artefacts=(
                Artefact(
                    key="stakeholder-map",
                    title="Stakeholder map",
                    template="diagnose/artefacts/stakeholder_map.html",
                    context="diagnose.selectors.stakeholder_map_context",
                ),
                Artefact(
                    key="apprehensions",
                    title="Apprehensions raised",
                    template="diagnose/artefacts/apprehensions.html",
                    context="diagnose.selectors.apprehensions_context",
                ),
            ),
        ),
        Tool(
            number=2,
            slug="share-a-vision-of-success",
            name="Share a Vision of Success",
            summary="Agree what success would look like and which outcomes matter most.",
        ),
        Tool(
            number=3,
            slug="assess-the-history",
            name="Assess the History of Addressing the Issue",
            summary="Learn from earlier attempts on the same or a similar problem.",
        ),
        Tool(
            number=4,
            slug="account-for-resources",
            name="Account for Resources",
            summary="Take stock of what each partner can bring, and of what is still missing.",
            artefacts=(
                Artefact(
                    key="sector-analysis",
                    title="Why no sector can solve it alone",
                    template="diagnose/artefacts/sector_analysis.html",
                    context="diagnose.selectors.sector_analysis_context",
                ),
                Artefact(
                    key="decision",
                    title="The decision: can collaboration help?",
                    template="diagnose/artefacts/decision.html",
                    context="diagnose.selectors.decision_context",
                ),
            ),
        ),
    ),
)

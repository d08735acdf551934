from intersector.worksheets.toolkit import Stage, Tool

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
        ),
    ),
)

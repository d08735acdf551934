from intersector.worksheets.toolkit import Stage, Tool

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
        ),
        Tool(
            number=13,
            slug="sustain-capacity-and-champions",
            name="Sustain Capacity and Champions",
            summary="Act on feedback, solve capacity problems creatively and enlist champions.",
            our_naming=True,
        ),
        Tool(
            number=14,
            slug="manage-expectations",
            name="Manage Expectations of Process and Results",
            summary="Report progress, celebrate wins and stay flexible as things change.",
        ),
    ),
)

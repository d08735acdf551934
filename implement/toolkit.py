from intersector.worksheets.toolkit import Artefact, Question, Stage, Tool

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
            why=(
                "When partners see that what they can achieve depends on the others' "
                "contributions, they value them and stay through hard times instead of "
                "deciding they could manage alone."
            ),
            questions=(
                Question(
                    "implement.interdependency.cannot-do-without",
                    "For each partner: what could the collaboration not do without them?",
                    "Authority, capital, data, trust in the community, know-how.",
                ),
                Question(
                    "implement.interdependency.handoffs",
                    "Where does the work pass from one sector to another, and where does it stall?",
                    "Hand-offs are where delays and misunderstandings hide.",
                ),
                Question(
                    "implement.interdependency.least-valued",
                    "Which partner feels least valued at the moment, and why?",
                    "Ask them, rather than guess.",
                ),
                Question(
                    "implement.interdependency.making-it-visible",
                    "How will we regularly make each sector's contribution visible?",
                    "Meetings, reports, public credit.",
                ),
                Question(
                    "implement.interdependency.if-one-left",
                    "What would happen to our goals if one partner left tomorrow?",
                    "This shows where the collaboration is most fragile.",
                ),
            ),
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
            our_naming=True,
            why=(
                "Plans meet reality. Gathering feedback and changing course in time, finding "
                "creative answers when people or money run short, and winning champions who "
                "open doors keep the work alive after the first enthusiasm fades."
            ),
            questions=(
                Question(
                    "implement.capacity.feedback-sources",
                    "How do we hear what is and is not working, from partners and from the "
                    "people we serve?",
                    "Surveys, check-ins, front-line staff, complaints.",
                ),
                Question(
                    "implement.capacity.course-corrections",
                    "What have we changed in response to feedback, and who decided it?",
                    "Record the change and the reason, so the group can learn from it.",
                ),
                Question(
                    "implement.capacity.shortfalls",
                    "Where are we short of people, money or skills right now?",
                    "Name the shortfall and what it is holding up.",
                ),
                Question(
                    "implement.capacity.creative-solutions",
                    "What creative solutions could close those gaps?",
                    "Secondments, shared posts, volunteers, in-kind support, re-phasing.",
                ),
                Question(
                    "implement.capacity.champions",
                    "Who could champion or sponsor this work, and what would we ask of them?",
                    "Someone whose backing attracts resources and opens networks.",
                ),
                Question(
                    "implement.capacity.keeping-champions",
                    "How will we keep our champions informed and involved?",
                    "Champions drift away if they only hear from us when we need something.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="feedback",
                    title="Feedback log",
                    template="implement/feedback.html",
                    context="implement.selectors.feedback",
                    paged=True,
                ),
                Artefact(
                    key="issues",
                    title="Capacity and resource issues",
                    template="implement/issues.html",
                    context="implement.selectors.issues",
                    paged=True,
                ),
                Artefact(
                    key="champions",
                    title="Champions and sponsors",
                    template="implement/champions.html",
                    context="implement.selectors.champions",
                    paged=True,
                ),
            ),
        ),
        Tool(
            number=14,
            slug="manage-expectations",
            name="Manage Expectations of Process and Results",
            summary="Report progress, celebrate wins and stay flexible as things change.",
            why=(
                "Cross-sector work usually takes longer than planned. Reporting progress, "
                "celebrating interim wins and adapting openly when circumstances change keep "
                "partners patient and engaged."
            ),
            questions=(
                Question(
                    "implement.expectations.timeline-promised",
                    "What timeline have we given to our leadership and our funders?",
                    "Check it is realistic, and that every partner has said the same.",
                ),
                Question(
                    "implement.expectations.milestones-to-celebrate",
                    "Which milestones will we celebrate, and how?",
                    "An event, a note to the partners' boards, a story in the local press.",
                ),
                Question(
                    "implement.expectations.review-rhythm",
                    "How often do we review interim indicators, and who can call for a change "
                    "of strategy?",
                    "Agree this before the first disappointing result.",
                ),
                Question(
                    "implement.expectations.what-would-make-us-rethink",
                    "Which new information or events would make us rethink our approach?",
                    "Policy changes, funding shifts, surprising results.",
                ),
                Question(
                    "implement.expectations.explaining-changes",
                    "How will we record a change of course and explain it to everyone?",
                    "A short note of what changed and why.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="wins",
                    title="Wins worth celebrating",
                    template="implement/wins.html",
                    context="implement.selectors.wins",
                    paged=True,
                ),
                Artefact(
                    key="milestones",
                    title="Milestones",
                    template="implement/milestones.html",
                    context="implement.selectors.milestones",
                    paged=True,
                ),
                Artefact(
                    key="updates",
                    title="Progress updates",
                    template="implement/updates.html",
                    context="implement.selectors.updates",
                    paged=True,
                ),
            ),
        ),
    ),
)

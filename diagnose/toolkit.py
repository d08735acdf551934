from intersector.worksheets.toolkit import Artefact, Question, Stage, Tool

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
            why=(
                "Knowing who already works on the issue, and who will feel the effects, keeps "
                "you from duplicating efforts or leaving out someone who could later block the "
                "work. It also shows whose interests and resources line up with the outcomes "
                "you are after."
            ),
            questions=(
                Question(
                    "diagnose.engage.who-else-works-on-it",
                    "Who is already working on this issue, on their own or in a coalition, "
                    "and what have they learned?",
                    "Think of programmes, networks and campaigns, not only organisations.",
                ),
                Question(
                    "diagnose.engage.who-is-affected",
                    "Whose lives or operations will our work change, and how will they have a say?",
                    "Name the groups affected and the route by which their voice reaches us.",
                ),
                Question(
                    "diagnose.engage.what-each-brings-and-wants",
                    "For each possible partner: what do they bring, what do they hope to gain, "
                    "and what might make them leave?",
                    "A line per organisation is enough at this point.",
                ),
                Question(
                    "diagnose.engage.missing-sector",
                    "Which sector is missing or thin at the table today?",
                    "Government, business, non-profit, and community voices such as residents.",
                ),
                Question(
                    "diagnose.engage.who-could-block",
                    "Who could slow or stop the work if left out, and when should we talk to them?",
                    "Regulators, unions, funders and gatekeepers are common examples.",
                ),
                Question(
                    "diagnose.engage.worries-about-other-sectors",
                    "What worries do partners have about working with the other sectors, and "
                    "how will we bring them into the open?",
                    "Apprehensions voiced early are easier to handle than ones found late.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="stakeholder-map",
                    title="Stakeholder map",
                    template="diagnose/artefacts/stakeholder_map.html",
                    context="diagnose.selectors.stakeholder_map_context",
                    paged=True,
                ),
                Artefact(
                    key="apprehensions",
                    title="Apprehensions raised",
                    template="diagnose/artefacts/apprehensions.html",
                    context="diagnose.selectors.apprehensions_context",
                    paged=True,
                ),
            ),
        ),
        Tool(
            number=2,
            slug="share-a-vision-of-success",
            name="Share a Vision of Success",
            summary="Agree what success would look like and which outcomes matter most.",
            why=(
                "A purpose everyone can describe in the same way holds a group of very "
                "different organisations together, and lets each partner see what it stands "
                "to gain."
            ),
            questions=(
                Question(
                    "diagnose.vision.one-sentence",
                    "If we succeed, what will be different, for whom, and by when?",
                    "Try to say it in one sentence that any partner's board would understand.",
                ),
                Question(
                    "diagnose.vision.must-haves",
                    "Which parts of the vision are essential for our organisation, and which "
                    "can we negotiate?",
                    "Being clear about the must-haves now avoids deadlock later.",
                ),
                Question(
                    "diagnose.vision.fit-with-mission",
                    "How does this vision serve our own mission or mandate?",
                    "Partners stay when the shared goal also advances their own.",
                ),
                Question(
                    "diagnose.vision.out-of-scope",
                    "What is deliberately outside the scope of this collaboration?",
                    "Naming what we will not do is part of agreeing what we will do.",
                ),
                Question(
                    "diagnose.vision.outside-voices",
                    "Who outside the core group has shaped or tested this vision?",
                    "For example the people the work is meant to help.",
                ),
            ),
        ),
        Tool(
            number=3,
            slug="assess-the-history",
            name="Assess the History of Addressing the Issue",
            summary="Learn from earlier attempts on the same or a similar problem.",
            why=(
                "Earlier efforts, here or elsewhere, show which choices helped and which "
                "failed. Studying them lets the partners design for success instead of "
                "repeating old mistakes."
            ),
            questions=(
                Question(
                    "diagnose.history.earlier-efforts",
                    "Which earlier efforts, locally or elsewhere, tackled this issue, and how "
                    "did they end?",
                    "Include efforts that stalled or were quietly dropped.",
                ),
                Question(
                    "diagnose.history.what-explains-results",
                    "Which choices about decision-making, data sharing or evaluation seem to "
                    "explain their results?",
                    "Look at how they were organised, not only at what they did.",
                ),
                Question(
                    "diagnose.history.how-similar",
                    "How close are their place, scale and timeline to ours?",
                    "A lesson travels only as far as the context is similar.",
                ),
                Question(
                    "diagnose.history.who-to-talk-to",
                    "Who took part in those efforts and could tell us what happened?",
                    "Names or roles; someone in our group may already know them.",
                ),
                Question(
                    "diagnose.history.what-we-do-differently",
                    "What will we deliberately do differently, and why?",
                    "Tie each change to something the history taught us.",
                ),
            ),
        ),
        Tool(
            number=4,
            slug="account-for-resources",
            name="Account for Resources",
            summary="Take stock of what each partner can bring, and of what is still missing.",
            why=(
                "Counting money, people, data, networks and authority early shows whether "
                "the collaboration can reach its goals, and which gaps still call for new "
                "partners."
            ),
            questions=(
                Question(
                    "diagnose.resources.what-we-put-in",
                    "What does our organisation put in: money, staff time, premises, data, "
                    "networks, authority?",
                    "Estimate in hours or money where you can, so contributions compare.",
                ),
                Question(
                    "diagnose.resources.committed-or-hoped",
                    "Which contributions are firmly committed and which are only hoped for?",
                    "Be honest: plans built on hoped-for resources are fragile.",
                ),
                Question(
                    "diagnose.resources.conditions",
                    "What conditions or restrictions come with these resources?",
                    "Grant rules, procurement law, fiduciary limits, timing.",
                ),
                Question(
                    "diagnose.resources.gaps",
                    "Which capabilities are missing, and who could provide them?",
                    "Gaps point to partners we still need to recruit.",
                ),
                Question(
                    "diagnose.resources.minimum-to-start",
                    "What is the smallest resource base without which we should not start?",
                    "This becomes part of the go / no-go decision at the end of the stage.",
                ),
            ),
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

from intersector.worksheets.toolkit import Artefact, Question, Stage, Tool

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
            why=(
                "Partners from different sectors will disagree. A safe way to hear and answer "
                "every view builds trust, gives everyone equal airtime and makes later "
                "agreements on facts, measures and governance possible."
            ),
            questions=(
                Question(
                    "design.viewpoints.ground-rules",
                    "Which ground rules will we agree on for disagreement and confidentiality?",
                    "Short, written and accepted by every partner.",
                ),
                Question(
                    "design.viewpoints.equal-airtime",
                    "How will smaller or less powerful partners get the same airtime as the "
                    "largest?",
                    "Community groups are often the ones who go unheard.",
                ),
                Question(
                    "design.viewpoints.raising-concerns",
                    "Where can someone raise a concern privately or one to one?",
                    "Not every worry can be voiced in a full meeting.",
                ),
                Question(
                    "design.viewpoints.unspoken-needs",
                    "What does our organisation need from this collaboration that we have not "
                    "yet said out loud?",
                    "This is the place to say it.",
                ),
                Question(
                    "design.viewpoints.recording-dissent",
                    "How will we record disagreement instead of smoothing it over?",
                    "Recorded dissent can be revisited; hidden dissent festers.",
                ),
            ),
        ),
        Tool(
            number=6,
            slug="build-a-common-fact-base",
            name="Build a Common Fact Base",
            summary="Settle which facts about the issue everyone accepts.",
            why=(
                "Each sector looks at the problem through its own lens. Once everyone accepts "
                "the same core facts, the group can decide how to act without arguing about "
                "whose numbers are right."
            ),
            questions=(
                Question(
                    "design.facts.facts-we-accept",
                    "Which five to ten facts about the problem do we all accept today?",
                    "Short statements, each with its source.",
                ),
                Question(
                    "design.facts.sources-and-quality",
                    "Whose data are these, how recent are they, and how reliable?",
                    "Note where the data come from and any known weaknesses.",
                ),
                Question(
                    "design.facts.read-differently",
                    "Where do partners read the same figures differently, and why?",
                    "A non-profit may stress access where a business stresses efficiency.",
                ),
                Question(
                    "design.facts.lived-experience",
                    "Which first-hand accounts or interviews should sit beside the statistics?",
                    "Numbers and stories together give a fuller picture.",
                ),
                Question(
                    "design.facts.unknowns",
                    "What do we not know yet, and who will find out?",
                    "Give each gap an owner and a date.",
                ),
            ),
        ),
        Tool(
            number=7,
            slug="agree-on-measures-of-success",
            name="Agree on Measures of Success",
            summary="Choose the indicators that will show progress and results.",
            why=(
                "Agreeing up front what counts as success, in the short, medium and long "
                "term, makes every partner accountable and keeps the work on course."
            ),
            questions=(
                Question(
                    "design.measures.criteria",
                    "Which criteria must every indicator meet before we adopt it?",
                    "For example: fits the vision, fits the fact base, data available in time.",
                ),
                Question(
                    "design.measures.baseline-target-date",
                    "For each indicator, what is the starting point, the target and the deadline?",
                    "The structured indicators below hold the exact figures.",
                ),
                Question(
                    "design.measures.early-and-late-signals",
                    "Which indicators give early signals, and which show long-term outcomes?",
                    "Process and output measures come first; outcomes take longer.",
                ),
                Question(
                    "design.measures.data-rights",
                    "Who owns each data source, and are we allowed to use it?",
                    "Check consent, licences and confidentiality before relying on it.",
                ),
                Question(
                    "design.measures.community-experience",
                    "Does any indicator show how the people affected experience the change?",
                    "A survey or panel of participants can fill this gap.",
                ),
                Question(
                    "design.measures.analysis-capacity",
                    "Who will collect and analyse the data, and with what skills and tools?",
                    "Missing capacity here causes delays and errors later.",
                ),
            ),
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
            why=(
                "The partners can only steer by the evidence they can see. Clear commitments "
                "about sharing data, within the limits of law and confidentiality, keep "
                "everyone working from the same picture."
            ),
            questions=(
                Question(
                    "design.sharing.data-others-need",
                    "Which data do we hold that other partners need, and in what form?",
                    "Think of records, reports, dashboards and informal knowledge.",
                ),
                Question(
                    "design.sharing.limits",
                    "Which legal, privacy or commercial limits apply to sharing it?",
                    "Personal data, trade secrets, public-records obligations.",
                ),
                Question(
                    "design.sharing.agreement",
                    "Do we need a written data-sharing agreement, and who would sign it?",
                    "Name the people with authority to sign in each organisation.",
                ),
                Question(
                    "design.sharing.refresh-and-storage",
                    "How often will the data be refreshed, and where will it be kept?",
                    "Agree a rhythm and a safe place.",
                ),
                Question(
                    "design.sharing.credit-and-publication",
                    "How will shared data be credited and published?",
                    "Agree before anything is published, not after.",
                ),
            ),
        ),
        Tool(
            number=9,
            slug="share-discretion",
            name="Share Discretion",
            summary="Give decisions to the partners whose expertise fits them.",
            why=(
                "Putting decisions where the knowledge sits makes use of every partner's "
                "strengths and gives each a real stake. Partners who feel their expertise is "
                "ignored tend to pull back."
            ),
            questions=(
                Question(
                    "design.discretion.who-decides-what",
                    "Which decisions belong to which partner, and which must we take together?",
                    "List decision areas, then the partner best placed for each.",
                ),
                Question(
                    "design.discretion.when-needed",
                    "At which stage will our organisation's expertise be needed most?",
                    "Knowing this early lets partners plan their people's time.",
                ),
                Question(
                    "design.discretion.escalation",
                    "What happens when a delegated decision affects other partners?",
                    "Describe the route for raising it with the whole group.",
                ),
                Question(
                    "design.discretion.expertise-not-money",
                    "How will we check that authority follows expertise, not money or status?",
                    "Review the allocation once in a while.",
                ),
                Question(
                    "design.discretion.time-to-free-up",
                    "What will we need to free up, in time and staff, at each stage?",
                    "Be concrete: days per month, named roles.",
                ),
            ),
        ),
        Tool(
            number=10,
            slug="establish-a-governance-structure",
            name="Establish a Governance Structure",
            summary="Set up how the collaboration is organised and how it decides.",
            why=(
                "A clear structure, formal or informal, says who decides what and how. It "
                "keeps work moving when partners disagree and protects the voice of the "
                "smaller partners."
            ),
            questions=(
                Question(
                    "design.governance.models-considered",
                    "Which ways of organising are we considering?",
                    "A backbone organisation, a steering group with working groups, a "
                    "rotating chair, a lead agency, a new legal entity.",
                ),
                Question(
                    "design.governance.choosing-criteria",
                    "Which criteria will decide which model fits us?",
                    "Size, duration, flows of money, legal exposure.",
                ),
                Question(
                    "design.governance.decision-rule",
                    "How will we take decisions, and what happens when we are stuck?",
                    "Consensus, consent, majority or delegation, and a way out of deadlock.",
                ),
                Question(
                    "design.governance.fair-seats",
                    "How are seats shared so that community voices and small partners are not "
                    "outvoted by default?",
                    "Equity and inclusion have to be designed in.",
                ),
                Question(
                    "design.governance.joining-and-leaving",
                    "How do partners join, leave or change their role?",
                    "A simple written procedure avoids awkward moments later.",
                ),
                Question(
                    "design.governance.written-down",
                    "What do we write down (charter, memorandum, rules), and when do we review it?",
                    "Set a review date now.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="governance",
                    title="Governance and project management",
                    template="design/artefacts/governance.html",
                    context="design.selectors.governance_context",
                ),
                Artefact(
                    key="decision-rule",
                    title="Decision rule",
                    template="design/artefacts/decision_rule.html",
                    context="design.selectors.decision_rule_context",
                ),
            ),
        ),
        Tool(
            number=11,
            slug="identify-a-manager",
            name="Identify a Manager",
            summary="Name one point of accountability that keeps the work moving.",
            why=(
                "One person, team or organisation that coordinates the work gives the "
                "collaboration structure and gives partners confidence that things will "
                "actually happen."
            ),
            questions=(
                Question(
                    "design.manager.remit",
                    "What will the manager do, and what will they leave to the partners?",
                    "Coordination is not the same as doing the partners' work for them.",
                ),
                Question(
                    "design.manager.form-and-neutrality",
                    "Should the manager be a person, a team or an organisation, and how "
                    "important is neutrality?",
                    "A partner can manage, but others may then doubt its neutrality.",
                ),
                Question(
                    "design.manager.selection-criteria",
                    "Which criteria will all partners use to choose the manager?",
                    "Skills, track record, cost, availability for the whole term.",
                ),
                Question(
                    "design.manager.funding",
                    "How will the role be paid for, and for how long?",
                    "Coordination is often the first thing to lose its funding.",
                ),
                Question(
                    "design.manager.reporting",
                    "To whom does the manager report, and how is their work reviewed?",
                    "One clear line of accountability.",
                ),
            ),
            artefacts=(
                Artefact(
                    key="roadmap",
                    title="Roadmap",
                    template="design/artefacts/roadmap.html",
                    context="design.selectors.roadmap_context",
                    paged=True,
                ),
                Artefact(
                    key="responsibilities",
                    title="Responsibilities",
                    template="design/artefacts/responsibilities.html",
                    context="design.selectors.responsibilities_context",
                    paged=True,
                ),
            ),
        ),
    ),
)

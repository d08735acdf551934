"""Comments and @mentions: who hears of them, and who must not."""

import pytest
from django.core import mail
from django.urls import reverse

from intersector.collaborations.access import Access
from intersector.collaborations.models import Membership, Role
from intersector.notifications.models import Event, Notification
from intersector.worksheets import services
from intersector.worksheets.mentions import Mentionable, find_mentions
from intersector.worksheets.models import Comment
from intersector.worksheets.toolkit import questions_by_key
from tests.dashboards.helpers import perspective_version
from tests.tasks import committed, run_queued_tasks
from tests.world import client_for, make_member, make_partner, make_user

pytestmark = pytest.mark.django_db

QUESTION = next(iter(questions_by_key()))


def access_of(user, collab) -> Access:
    membership = Membership.objects.select_related("partner", "user").get(
        user=user, collaboration=collab
    )
    return Access(collaboration=collab, membership=membership)


def comment(user, collab, text, question=QUESTION) -> Comment:
    with committed():
        made = services.comment_add(
            access=access_of(user, collab), question_key=question, text=text
        )
    run_queued_tasks()
    return made


def told(kind=None) -> dict[str, set[str]]:
    rows = Notification.objects.select_related("event", "recipient")
    if kind:
        rows = rows.filter(event__kind=kind)
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row.event.kind, set()).add(row.recipient.email)
    return found


@pytest.fixture
def nora(collab, other_partner_org):
    """Speaks for Northfield Manufacturing, which has not answered the question."""
    user = make_user("nora@test.example", "Nora North")
    make_member(user, collab, Role.PARTNER, other_partner_org)
    return user


@pytest.fixture
def colleague(collab, partner_org):
    """Pat's colleague at Bright Futures."""
    user = make_user("colleague@test.example", "Cole League")
    make_member(user, collab, Role.PARTNER, partner_org)
    return user


@pytest.fixture
def answered(collab, partner_org, partner_user):
    return perspective_version(
        collaboration=collab,
        question_key=QUESTION,
        partner=partner_org,
        version=1,
        text="We run mentoring.",
        author=partner_user,
    )


# --- Comments --------------------------------------------------------------------------------


def test_a_comment_reaches_the_organisations_that_answered_the_question_and_nobody_else(
    collab, facilitator, partner_user, colleague, nora, observer, outsider, answered, partner_org
):
    Membership.objects.filter(user=observer).update(partner=partner_org)  # reads for it
    comment(facilitator, collab, "Can you say how many mentors?")
    assert told() == {"comment": {partner_user.email, colleague.email}}
    assert mail.outbox == []  # comments go to the digest by default


def test_the_commenter_is_not_told_of_their_own_comment(collab, partner_user, colleague, answered):
    comment(partner_user, collab, "Adding our numbers tomorrow.")
    assert told() == {"comment": {colleague.email}}


def test_a_question_nobody_answered_tells_nobody(collab, facilitator, partner_user):
    comment(facilitator, collab, "Anyone?")
    assert told() == {}


def test_the_notice_links_to_the_comment_on_its_tool_page(
    collab, facilitator, partner_user, answered
):
    made = comment(facilitator, collab, "Can you say how many mentors?")
    notification = Notification.objects.get(recipient=partner_user)
    assert notification.event.url.endswith(f"#comment-{made.pk}")
    client = client_for(partner_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert f'id="comment-{made.pk}"' in page


def test_someone_removed_before_the_fan_out_is_not_told(
    collab, facilitator, partner_user, colleague, answered
):
    with committed():
        services.comment_add(
            access=access_of(facilitator, collab), question_key=QUESTION, text="Any news?"
        )
    Membership.objects.filter(user=colleague).delete()
    run_queued_tasks()
    assert told() == {"comment": {partner_user.email}}


# --- Mentions in comments -----------------------------------------------------------------------


def test_mentioning_an_organisation_emails_its_members_at_once(
    collab, facilitator, partner_user, nora, observer, answered
):
    comment(facilitator, collab, "@Northfield Manufacturing could you host the mentors?")
    assert told() == {"mention": {nora.email}, "comment": {partner_user.email}}
    assert [message.to for message in mail.outbox] == [[nora.email]]
    assert "mentioned you or your organisation" in mail.outbox[0].subject


def test_a_person_mentioned_where_their_organisation_answered_hears_it_once(
    collab, facilitator, partner_user, colleague, answered
):
    comment(facilitator, collab, "What do you think, @pat partner?")  # any case
    assert told() == {"mention": {partner_user.email}, "comment": {colleague.email}}


def test_an_observer_can_be_mentioned_by_name(collab, facilitator, observer):
    comment(facilitator, collab, "@Olive Observer, FYI.")
    assert told() == {"mention": {observer.email}}


def test_mentioning_someone_who_is_not_a_member_does_nothing(
    collab, facilitator, outsider, other_collab
):
    make_partner(other_collab, "Northfield Manufacturing")  # an organisation of theirs
    Membership.objects.filter(user=outsider).update(
        partner=other_collab.partners.get(), role=Role.PARTNER
    )
    comment(facilitator, collab, "@Otto Outsider and @Northfield Manufacturing: see this")
    assert told() == {}
    assert mail.outbox == []


def test_mentioning_yourself_does_not_notify_you(collab, partner_user):
    comment(partner_user, collab, "Note to @Pat Partner: follow up.")
    assert told() == {}


def test_a_comment_without_at_raises_no_mention_event(collab, facilitator):
    comment(facilitator, collab, "Plain comment.")
    assert list(Event.objects.values_list("kind", flat=True)) == ["comment"]


# --- Mentions in perspectives ----------------------------------------------------------------


def save_perspective(user, collab, text, base):
    with committed():
        saved = services.perspective_save(
            access=access_of(user, collab), question_key=QUESTION, text=text, base_version=base
        )
    run_queued_tasks()
    return saved.version


def test_a_perspective_tells_only_those_it_newly_mentions(collab, partner_user, nora, facilitator):
    version = save_perspective(partner_user, collab, "With @Northfield Manufacturing", 0)
    assert told("mention") == {"mention": {nora.email}}
    version = save_perspective(
        partner_user, collab, "With @Northfield Manufacturing we place 40 people.", version
    )
    assert Notification.objects.filter(recipient=nora).count() == 1  # not again
    save_perspective(
        partner_user,
        collab,
        "With @Northfield Manufacturing we place 40 people; @Fran Facilitator agrees.",
        version,
    )
    assert Notification.objects.filter(recipient=nora).count() == 1
    assert told("mention") == {"mention": {nora.email, facilitator.email}}
    assert len(mail.outbox) == 2


# --- Recognising names ----------------------------------------------------------------------


NAMES = [
    Mentionable("Bright Futures", "organisation", 1),
    Mentionable("Bright Futures Trust", "organisation", 2),
    Mentionable("Pat Partner", "person", 3),
    Mentionable("Pat", "person", 4),
]


@pytest.mark.parametrize(
    ("text", "users", "partners"),
    [
        ("@Bright Futures Trust, hello", set(), {2}),  # the longest name wins
        ("@bright futures's plan", set(), {1}),
        ("@Brightside", set(), set()),  # not a name's end
        ("@Pat Partner and @Pat", {3, 4}, set()),
        ("mail pat@Bright Futures", set(), set()),  # an e-mail-like word is not a mention
        ("no at sign at all", set(), set()),
    ],
)
def test_find_mentions(text, users, partners):
    found = find_mentions(text, NAMES)
    assert (set(found.users), set(found.partners)) == (users, partners)


# --- The names the autocomplete offers ---------------------------------------------------------


def test_the_autocomplete_lists_members_and_organisations(
    collab, partner_user, nora, partner_client, outsider
):
    url = reverse("worksheets:mention-names", args=[collab.slug])
    names = partner_client.get(url).json()["names"]
    listed = {(entry["name"], entry["kind"]) for entry in names}
    assert ("Nora North", "person") in listed
    assert ("Bright Futures", "organisation") in listed
    assert ("Otto Outsider", "person") not in listed
    assert client_for(outsider).get(url).status_code == 404


def test_a_comment_costs_the_same_queries_however_many_answered(collab, facilitator):
    """The audience is worked out in the worker: the request only writes the event."""
    client = client_for(facilitator)
    url = reverse("worksheets:comment-add", args=[collab.slug, QUESTION])

    def post_and_count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.post(url, {"text": "@Bright Futures hello"})
        return len(queries)

    few = post_and_count()
    for n in range(20):
        partner = make_partner(collab, f"Org {n}")
        user = make_user(f"m{n}@test.example", f"Member {n}")
        make_member(user, collab, Role.PARTNER, partner)
        perspective_version(
            collaboration=collab, question_key=QUESTION, partner=partner, version=1, text="x"
        )
    assert post_and_count() == few


def test_raising_a_comments_events_twice_tells_nobody_twice(
    collab, facilitator, partner_user, nora, answered
):
    from intersector.worksheets.events import comment_notify

    made = comment(facilitator, collab, "@Northfield Manufacturing, see this")
    with committed():
        comment_notify(comment_id=made.pk)  # the task retried after a crash
    run_queued_tasks()
    assert Event.objects.count() == 2
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 1


def test_autosaves_that_mention_nobody_new_raise_no_event(collab, partner_user, nora):
    version = save_perspective(partner_user, collab, "With @Northfield Manufacturing", 0)
    for more in (" we", " we place", " we place 40"):
        version = save_perspective(
            partner_user, collab, "With @Northfield Manufacturing" + more, version
        )
    assert Event.objects.count() == 1


def test_a_text_of_many_at_signs_is_read_quickly():
    import time

    names = [Mentionable(f"Person {n}", "person", n) for n in range(300)]
    start = time.perf_counter()
    found = find_mentions("@" * 10_000 + " @Person 7", names)
    assert time.perf_counter() - start < 0.5
    assert set(found.users) == {7}

"""@mentions in comments and perspectives.

A mention is ``@`` followed by the exact name (any case) of one of the collaboration's
members (their display name) or organisations. Names contain spaces, so the text is not
split into words: at each ``@`` that does not follow a letter (an e-mail address) the longest known name that follows wins, and it must end
at a word boundary (``@Bright Futures's`` mentions Bright Futures; ``@Brightside`` does not).
A name nobody in the collaboration has is plain text: mentioning an outsider does nothing.

The names are read in the fan-out task (``events.py``), never in the request; the tool
page's autocomplete asks for them once, at the first ``@`` typed (``views.mention_names``).
"""

from __future__ import annotations

from dataclasses import dataclass

from intersector.collaborations.models import Membership, Partner, Sector


@dataclass(frozen=True)
class Mentionable:
    name: str
    kind: str  # "person" or "organisation"
    id: int  # the user's or the partner's id
    hint: str = ""  # what the autocomplete shows beside the name


@dataclass(frozen=True)
class Mentioned:
    users: frozenset[int] = frozenset()
    partners: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.users or self.partners)

    def __sub__(self, other: Mentioned) -> Mentioned:
        return Mentioned(users=self.users - other.users, partners=self.partners - other.partners)


def mentionable(collaboration_id: int) -> list[Mentionable]:
    """Everyone who can be mentioned in the collaboration: its members and its
    organisations, in two queries."""
    people = [
        Mentionable(
            name=membership.user.display_name,
            kind="person",
            id=membership.user_id,
            hint=membership.partner.name
            if membership.partner
            else str(membership.get_role_display()),
        )
        for membership in Membership.objects.filter(collaboration_id=collaboration_id)
        .select_related("user", "partner")
        .order_by("user__full_name", "user__email")
    ]
    organisations = [
        Mentionable(name=name, kind="organisation", id=pk, hint=str(Sector(sector).label))
        for pk, name, sector in Partner.objects.filter(collaboration_id=collaboration_id)
        .order_by("name")
        .values_list("pk", "name", "sector")
    ]
    return people + organisations


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def find_mentions(text: str, names: list[Mentionable]) -> Mentioned:
    """Who ``text`` mentions among ``names``."""
    if "@" not in text or not names:
        return Mentioned()
    folded = text.casefold()
    # By first letter, longest first: a text of many "@" costs little.
    candidates: dict[str, list[tuple[str, Mentionable]]] = {}
    for name in sorted(names, key=lambda name: len(name.name), reverse=True):
        folded_name = name.name.casefold()
        if folded_name.strip():
            candidates.setdefault(folded_name[0], []).append((folded_name, name))
    users, partners = set(), set()
    start = folded.find("@")
    while start != -1:
        after = start + 1
        if start > 0 and _is_word_character(folded[start - 1]):
            start = folded.find("@", after)  # an e-mail address, not a mention
            continue
        matched_length = None
        for folded_name, name in candidates.get(folded[after : after + 1], ()):
            if matched_length is not None and len(folded_name) < matched_length:
                break  # a shorter name inside the longest match is not a mention too
            end = after + len(folded_name)
            if folded.startswith(folded_name, after) and (
                end == len(folded) or not _is_word_character(folded[end])
            ):
                matched_length = len(folded_name)
                (users if name.kind == "person" else partners).add(name.id)
        start = folded.find("@", after)
    return Mentioned(users=frozenset(users), partners=frozenset(partners))

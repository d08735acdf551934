"""The toolkit's content as versioned data in code.

Each stage app declares its ``STAGE`` in ``<app>/toolkit.py`` with the classes below; this
module gathers them. Question keys are stable identifiers that stored answers refer to:
reword a question freely, but never reuse or drop a key without migrating its answers.
"""

from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.http import Http404

STAGE_APPS = ("diagnose", "design", "implement", "assess")


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    help: str


@dataclass(frozen=True)
class Artefact:
    """A structured record a tool produces, shown on the tool page below its questions.

    ``template`` is included with the context returned by the function at ``context``
    (a dotted path, called with the view's ``Access``). A ``paged`` artefact's context also
    takes ``window`` (``worksheets.inline.Window``): the tool page lists the first rows
    and a "Show more" control; without a window (the report) it lists every row.
    """

    key: str
    title: str
    template: str
    context: str
    paged: bool = False


@dataclass(frozen=True)
class Tool:
    number: int
    slug: str
    name: str
    summary: str
    why: str = ""
    questions: tuple[Question, ...] = ()
    artefacts: tuple[Artefact, ...] = ()
    # True where the toolkit's own name for the tool could not be confirmed and the name
    # is ours; such a tool can be renamed without touching its answers.
    our_naming: bool = False


@dataclass(frozen=True)
class Stage:
    key: str
    number: int
    name: str
    question: str
    summary: str
    tools: tuple[Tool, ...] = field(default_factory=tuple)

    def tool(self, slug: str) -> Tool:
        for tool in self.tools:
            if tool.slug == slug:
                return tool
        raise Http404(f"No tool {slug!r} in {self.name}")


@cache
def stages() -> tuple[Stage, ...]:
    return tuple(import_module(f"{app}.toolkit").STAGE for app in STAGE_APPS)


def get_stage(key: str) -> Stage:
    for stage in stages():
        if stage.key == key:
            return stage
    raise Http404(f"No stage {key!r}")


@cache
def questions_by_key() -> dict[str, tuple[Stage, Tool, Question]]:
    return {
        question.key: (stage, tool, question)
        for stage in stages()
        for tool in stage.tools
        for question in tool.questions
    }

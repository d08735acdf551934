"""Inline editing of a tool page's structured records: the one mechanism every stage uses.

Two helpers had grown in parallel (this module for Diagnose/Design, ``implement/inline.py``
for Implement/Assess). The choice, kept here:

- From ``implement/inline.py``: a record kind is **declared as data** (a ``Section``: model,
  form, the permission rules, texts) and served by **one set of generic views**, wired in
  each app's ``urls.py`` with the section as an extra argument. No per-model views. Every
  stage wires its ``Sections`` with ``record_urls(SECTIONS)`` (``<stage>:section``, ``add``,
  ``edit``, ``delete``, the key in the URL); the region's element id is ``<key>-section``.
  A section whose rows are not added or deleted on the page (one per collaboration, one
  per sector, a partner on the map) keeps an edit path of its own beside them.
- From the first ``collaborations/inline.py``: every htmx answer **redraws the whole artefact
  region** (the edit form sits in place of the row it edits), because that also serves
  table rows, one-per-collaboration records (vision, decision, evaluation plan) and regions
  whose other parts change with an edit (a chart beside its table, tallies). The answer
  carries ``HX-Retarget``/``HX-Reswap``, so the region is replaced whatever the link aimed at.

A section edits one ``worksheets.toolkit.Artefact`` (``stage``/``tool``/``key``): its region
is the artefact's template rendered with the artefact's context plus the form state
(``ctx.add_form``; or ``ctx.editing``, ``ctx.edit_form``, ``ctx.edit_pk``,
``ctx.cancel_url``, ``ctx.region_url``, ``ctx.form_title``). Without JavaScript the same URLs
answer with a form page, and a successful POST redirects to the tool page's anchor
``#artefact-<key>`` with a message. Invalid forms answer 422 with the errors next to the
fields. A row others still refer to is not deleted: 409 with the reason.

Who may do what: ``need`` (the role the view requires: 403 below it, 404 for non-members),
then ``may_add(access)`` and ``may_edit(access, row)`` (403). ``may_edit`` is checked again on
the row as it would be saved, so nobody can move a row out of their own reach.

Long lists are paged (``Artefact.paged``): the tool page lists a section's first
``page_size`` rows and a "Show more" control (``inline/more_rows.html``) that redraws the
region with more rows; without JavaScript the region's URL is a page of its own that takes the
same ``?rows=`` (``Window``, ``Rows``). The region keeps how many rows it shows in its
``hx-vals`` (``inline/region_attrs.html``), so editing a row further down, cancelling or
saving redraws the same rows; the row being edited or just saved is always shown. Add forms
are not drawn up front: the "Add" link asks for the region with the form open
(``inline/record_add.html``). After "Show more" the first new row takes the focus; that and
every save made with htmx are announced in the page's live region (``#announcer``).

Every form is a ``ScopedModelForm``: its ModelChoiceFields only offer the collaboration's rows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from intersector.collaborations.access import Access, Need, get_collaboration_for_user
from intersector.collaborations.hardening import HardenedFormMixin
from intersector.collaborations.models import Partner
from intersector.collaborations.services import delete_or_explain

from .toolkit import get_stage

FORM_PAGE = "inline/form_page.html"
REGION_PAGE = "inline/region_page.html"
PAGE_SIZE = 20
# More rows than this are never asked for at once (``?rows=`` is clamped to it).
MAX_ROWS = 5000

# --- Permission rules sections can use -------------------------------------------------------


def anyone(access: Access, obj: Any = None) -> bool:
    """No rule beyond the section's ``need``."""
    return True


def author_or_responsible(access: Access, obj) -> bool:
    """Facilitators edit all; partners what they wrote or what their organisation is
    responsible for (``obj.responsible_partner_ids()``); observers nothing."""
    if access.is_facilitator:
        return True
    if not access.can_contribute:
        return False
    return obj.created_by_id == access.membership.user_id or responsible_only(access, obj)


def responsible_only(access: Access, obj) -> bool:
    """Facilitators edit all; partners what their organisation is responsible for."""
    if access.is_facilitator:
        return True
    partner = access.partner
    return (
        access.can_contribute
        and partner is not None
        and partner.pk in obj.responsible_partner_ids()
    )


# --- The declaration --------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One kind of record edited inline on a tool page (see the module docstring)."""

    stage: str
    tool: str
    key: str
    model: type[models.Model]
    form_class: type[forms.ModelForm]
    noun: str = ""
    need: Need = Need.CONTRIBUTE
    may_add: Callable[[Access], bool] = anyone
    may_edit: Callable[[Access, Any], bool] = anyone
    not_yours: str = gettext_lazy(
        "Your organisation is not responsible for this; ask a facilitator."
    )
    # How the row is found: by ``pk`` among the collaboration's rows (default); the
    # collaboration's only row (``one_per_collaboration``); or ``lookup(access, **url_kwargs)``.
    one_per_collaboration: bool = False
    lookup: Callable[..., Any] | None = None
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # The stage's service when saving is more than ``form.save()``: every stage's writes
    # take the same keyword-only arguments, ``<thing>_save(*, access, form)``.
    save: Callable[..., Any] | None = None
    # Why a row cannot be deleted yet (others point to it), beyond the database's PROTECT.
    blockers: Callable[[Any], list[str]] | None = None
    # Extra context for ``records_context`` from the section's rows (all of them, not only
    # the listed page).
    summarise: Callable[[Access, list], dict] | None = None
    # A paged list (``Artefact.paged``) shows this many rows before "Show more".
    page_size: int = PAGE_SIZE
    label: Callable[[Any], str] = str
    # Texts: %(noun)s, %(Noun)s and %(what)s (the row's label) are filled in. By default
    # every message comes from the noun; a section overrides only what reads better.
    add_title: str = gettext_lazy("Add a %(noun)s")
    added_message: str = gettext_lazy("%(Noun)s “%(what)s” added.")
    edit_title: str = gettext_lazy("Edit %(what)s")
    saved_message: str = gettext_lazy("%(Noun)s saved.")
    delete_title: str = gettext_lazy("Delete “%(what)s”?")
    delete_explanation: str | Callable[[Any], str] = gettext_lazy(
        "This %(noun)s will be deleted for every partner."
    )
    # Rows that are neither added nor deleted on the page (a partner placed on the map):
    # like a one-per-collaboration or looked-up section, it is edited at a path of its own,
    # not at ``record_urls``' add, edit and delete.
    fixed_rows: bool = False
    # The page that shows the form without JavaScript. Another than the default gets the
    # region's context too (``ctx``, ``artefact``, ``heading_id``), to draw the region itself.
    form_page: str = FORM_PAGE

    @property
    def anchor(self) -> str:
        return f"artefact-{self.key}"

    @property
    def region_id(self) -> str:
        return f"{self.key}-section"

    @property
    def listed(self) -> bool:
        """Whether its rows are added, edited and deleted at ``record_urls``' routes."""
        return not (self.fixed_rows or self.one_per_collaboration or self.lookup)

    def tool_url(self, slug: str) -> str:
        return reverse(f"{self.stage}:tool", args=[slug, self.tool]) + f"#{self.anchor}"

    def region_url(self, slug: str) -> str:
        return reverse(f"{self.stage}:section", args=[slug, self.key])

    @property
    def toolkit_stage(self):
        return get_stage(self.stage)

    @property
    def artefact(self):
        for artefact in self.toolkit_stage.tool(self.tool).artefacts:
            if artefact.key == self.key:
                return artefact
        raise ImproperlyConfigured(f"No artefact {self.key!r} on {self.stage}/{self.tool}")

    def queryset(self, collaboration):
        qs = self.model.objects.filter(collaboration=collaboration)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs

    def find(self, access: Access, **url_kwargs):
        if self.lookup:
            return self.lookup(access, **url_kwargs)
        if self.one_per_collaboration:
            collaboration = access.collaboration
            return self.queryset(collaboration).first() or self.model(collaboration=collaboration)
        return get_object_or_404(self.queryset(access.collaboration), **url_kwargs)

    def text(self, template, obj=None) -> str:
        if callable(template) and not isinstance(template, str):
            return template(obj)
        noun = str(self.noun)
        what = self.label(obj) if obj is not None else ""
        return str(template) % {"noun": noun, "Noun": capfirst(noun), "what": what}


class Sections(dict):
    """Sections by key, for URLs that carry the key (``<slug:kind>/add/``); an unknown key
    is a 404."""

    def __init__(self, *sections: Section):
        super().__init__((section.key, section) for section in sections)

    def __missing__(self, key):
        raise Http404


@dataclass(frozen=True)
class Window:
    """Which rows of a paged list a region shows: the first ``rows`` in order (at least a
    page) and the ``pin`` row (being edited, or just saved) wherever it sorts. ``shown`` is
    how many were listed before a "Show more": the first new row takes the focus."""

    rows: int = 0
    shown: int | None = None
    pin: int | None = None

    @classmethod
    def from_request(cls, request, *, pin: int | None = None) -> "Window":
        data = request.POST if request.method == "POST" else request.GET
        return cls(rows=_count(data.get("rows")) or 0, shown=_count(data.get("shown")), pin=pin)


def _count(value) -> int | None:
    """A row count from the request; anything else (text, negative, huge) is ignored."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return min(number, MAX_ROWS) if number >= 0 else None


@dataclass
class Rows:
    """The rows a paged list region shows (``items``: the first ``shown`` of ``total``, plus
    a pinned row further down), and what its "Show more" control offers."""

    items: list
    total: int
    shown: int
    page_size: int
    url: str

    @property
    def more(self) -> int:
        return self.total - self.shown

    @property
    def next(self) -> int:
        """How many rows "Show more" shows."""
        return min(self.shown + self.page_size, self.total)

    @property
    def step(self) -> int:
        return self.next - self.shown

    @property
    def status(self) -> str:
        return ngettext(
            "%(shown)d of %(total)d shown.", "%(shown)d of %(total)d shown.", self.total
        ) % {"shown": self.shown, "total": self.total}


def list_rows(section: Section, access: Access, source, window: Window) -> Rows:
    """The window's rows of ``source`` (a queryset, or a list already in memory): for a
    queryset one query (the page), a second only when the page is full (the count) and a
    third only for a pinned row."""
    wanted = max(window.rows, section.page_size)
    if isinstance(source, list):
        total, items = len(source), source[:wanted]
        pinned = [obj for obj in source[wanted:] if obj.pk == window.pin]
    else:
        ordering = source.query.order_by or source.model._meta.ordering
        source = source.order_by(*ordering, "pk")  # a stable order, for pages
        items = list(source[:wanted])
        total = source.count() if len(items) == wanted else len(items)
        pinned = []
        if window.pin and total > len(items) and all(obj.pk != window.pin for obj in items):
            pinned = list(source.filter(pk=window.pin))
    # The first row "Show more" revealed takes the focus.
    revealed = window.shown if window.shown is not None and window.shown < len(items) else None
    for place, item in enumerate(items + pinned):
        item.first_new = place == revealed
    return Rows(
        items=items + pinned,
        total=total,
        shown=len(items),
        page_size=section.page_size,
        url=section.region_url(access.collaboration.slug),
    )


def records_context(section: Section, access: Access, window: Window | None = None) -> dict:
    """A list section's ``Artefact.context``: its rows (each with ``editable``; with a
    ``window``, only those and ``rows`` for the "Show more" control), whether the person may
    add, and the section's ``summarise`` extras."""
    queryset = section.queryset(access.collaboration)
    context = {"section": section}
    if section.summarise:
        everything = list(queryset)
        context.update(section.summarise(access, everything))
        source = everything
    else:
        source = queryset
    if window is None:
        items = list(source)
    else:
        context["rows"] = rows = list_rows(section, access, source, window)
        items = rows.items
    for item in items:
        item.editable = access.allows(section.need) and section.may_edit(access, item)
    context["items"] = items
    context["can_add"] = access.allows(section.need) and section.may_add(access)
    return context


# --- Rendering --------------------------------------------------------------------------------


# An artefact's template asks for these whether or not a form is open. Given, they are found
# at once: a name a template looks up in vain costs Django a failed lookup (an exception and
# a dir() of the object), once per row in the record lists.
NO_FORM_OPEN = {"editing": False, "edit_pk": None, "edit_form": None, "add_form": None}


def artefact_context(access: Access, artefact, window: Window | None = None, **form_state):
    """The ``ctx`` an artefact's template is drawn with: its context function's answer (a
    paged one's first page, or ``window``) and the form state (by default, no form open)."""
    context_of = import_string(artefact.context)
    ctx = context_of(access, window=window or Window()) if artefact.paged else context_of(access)
    return {**NO_FORM_OPEN, **ctx, **form_state}


def region_context(access: Access, section: Section, window: Window, **form_state) -> dict:
    """What the artefact's template is drawn with, as on the tool page, plus the form state."""
    artefact = section.artefact
    return {
        "ctx": artefact_context(access, artefact, window, **form_state),
        "artefact": artefact,
        "heading_id": section.anchor,
        "access": access,
        "collaboration": access.collaboration,
    }


def render_region(
    request,
    access: Access,
    section: Section,
    *,
    status: int = 200,
    pin: int | None = None,
    announce: str = "",
    **form_state,
):
    """The artefact's region alone, replacing the region on the page (whatever htmx aimed
    at); ``announce`` (or, after "Show more", how many rows are shown) goes to the page's
    live region."""
    window = Window.from_request(request, pin=pin)
    context = region_context(access, section, window, **form_state)
    response = render(request, section.artefact.template, context, status=status)
    rows = context["ctx"].get("rows")
    if not announce and rows is not None and window.shown is not None:
        announce = rows.status
    if announce:
        response.content += render_to_string("inline/announce.html", {"text": announce}).encode()
    return reswap(retarget(response, f"#{section.region_id}"), "outerHTML")


def _form_response(request, access, section, form, *, obj=None) -> HttpResponse:
    """GET shows the form; POST validates, saves, then redraws the region or redirects."""
    adding = obj is None
    slug = access.collaboration.slug
    if request.method == "POST" and form.is_valid() and _still_allowed(section, access, form):
        saved = (section.save or record_save)(access=access, form=form)
        message = section.text(section.added_message if adding else section.saved_message, saved)
        if request.htmx:
            return render_region(request, access, section, pin=saved.pk, announce=message)
        messages.success(request, message)
        return redirect(section.tool_url(slug))
    status = 422 if form.is_bound else 200
    title = section.text(section.add_title if adding else section.edit_title, obj)
    _focus_first_field(form)
    form_state = {
        "form_title": title,
        "cancel_url": section.tool_url(slug),
        "region_url": section.region_url(slug),
    }
    if adding:
        form_state["add_form"] = form
    else:
        form_state |= {"editing": True, "edit_form": form, "edit_pk": obj.pk}
    if request.htmx:
        pin = None if adding else obj.pk
        return render_region(request, access, section, status=status, pin=pin, **form_state)
    context = {"access": access, "collaboration": access.collaboration}
    if section.form_page != FORM_PAGE:
        context = region_context(access, section, Window(pin=None if adding else obj.pk))
        context["ctx"] |= form_state
    context |= {
        "title": title,
        "form": form,
        "action": request.path,
        "cancel_url": section.tool_url(slug),
    }
    return render(request, section.form_page, context, status=status)


def _focus_first_field(form) -> None:
    """Opened in place, a form takes the focus: its first field with an error, or its first."""
    names = [name for name in form.fields if name in form.errors] or list(form.fields)
    if names:
        form.fields[names[0]].widget.attrs["autofocus"] = True


def _still_allowed(section: Section, access: Access, form) -> bool:
    """After validation: is the row, as it would be saved, still this person's to edit?"""
    if section.may_edit is anyone or section.may_edit(access, form.save(commit=False)):
        return True
    form.add_error(None, section.not_yours)
    return False


@transaction.atomic
def record_save(*, access: Access, form):
    """A section's row as the form has it (the form already set the collaboration and author)."""
    obj = form.save(commit=False)
    obj.save()
    form.save_m2m()
    return obj


def record_delete(section: Section, obj) -> None:
    """Delete, or raise ``ValidationError`` saying what still points to the row."""
    reasons = section.blockers(obj) if section.blockers else []
    if reasons:
        raise ValidationError(
            _("“%(what)s” cannot be deleted while %(reasons)s. Remove those links first.")
            % {"what": section.label(obj), "reasons": _(" and ").join(reasons)}
        )
    delete_or_explain(obj, name=section.label(obj))


# --- The generic views ------------------------------------------------------------------------
# URL patterns pass ``section`` (a ``Section``, or ``Sections`` with the key in the URL as
# ``kind``/``key``); the remaining URL arguments find the row (``pk``, or the section's lookup).


def _open(request, slug: str, section, key: str | None, *, need: Need | None = None, listed=True):
    """The section (by the URL's key, an unknown one is a 404 like a foreign
    collaboration; ``listed``: only one whose rows are added and deleted there), then the
    access check: 404 for non-members, 403 below the section's role."""
    if isinstance(section, Sections):
        section = section[key]
        if listed and not section.listed:
            raise Http404
    access = get_collaboration_for_user(request, slug, need=need or section.need)
    return access, section


@login_required
@require_GET
def region_view(request, slug: str, section, kind: str | None = None):
    """The region alone (htmx: to cancel an edit, to show more rows); without htmx, a page
    of its own with the rows asked for (``?rows=``), under its tool's name."""
    access, section = _open(request, slug, section, kind, need=Need.READ, listed=False)
    if request.htmx:
        return render_region(request, access, section)
    stage = section.toolkit_stage
    context = region_context(access, section, Window.from_request(request))
    context |= {
        "stage": stage,
        "tool": stage.tool(section.tool),
        "tool_url": section.tool_url(slug),
    }
    return render(request, REGION_PAGE, context)


@login_required
@require_http_methods(["GET", "POST"])
def add_view(request, slug: str, section, kind: str | None = None):
    access, section = _open(request, slug, section, kind)
    if not section.may_add(access):
        raise PermissionDenied
    form = section.form_class(request.POST or None, access=access)
    return _form_response(request, access, section, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request, slug: str, section, kind: str | None = None, **url_kwargs):
    access, section = _open(request, slug, section, kind)
    obj = section.find(access, **url_kwargs)
    if not section.may_edit(access, obj):
        raise PermissionDenied
    form = section.form_class(request.POST or None, instance=obj, access=access)
    return _form_response(request, access, section, form, obj=obj)


@login_required
@require_http_methods(["GET", "POST"])
def delete_view(request, slug: str, section, kind: str | None = None, **url_kwargs):
    """Confirm, then delete; a row others still refer to stays, with a 409 and the reason."""
    access, section = _open(request, slug, section, kind)
    obj = section.find(access, **url_kwargs)
    if not section.may_edit(access, obj):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            record_delete(section, obj)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("“%(what)s” deleted.") % {"what": section.label(obj)})
            url = section.tool_url(slug)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(
        request,
        "collaborations/confirm_delete.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "title": section.text(section.delete_title, obj),
            "explanation": section.text(section.delete_explanation, obj),
            "error": error,
            "cancel_url": section.tool_url(slug),
        },
        status=409 if error else 200,
    )


def record_urls(sections: Sections) -> list:
    """The four routes of a stage's sections, the key in the URL: ``<kind>/`` (the region,
    for every section) and, for the listed ones, ``<kind>/add/``, ``<kind>/<pk>/edit/`` and
    ``<kind>/<pk>/delete/``; named section/add/edit/delete."""
    extra = {"section": sections}
    return [
        path("<slug:kind>/", region_view, extra, name="section"),
        path("<slug:kind>/add/", add_view, extra, name="add"),
        path("<slug:kind>/<int:pk>/edit/", edit_view, extra, name="edit"),
        path("<slug:kind>/<int:pk>/delete/", delete_view, extra, name="delete"),
    ]


# --- The form every section uses ---------------------------------------------------------------


class ScopedModelForm(HardenedFormMixin, forms.ModelForm):
    """A model form whose every choice comes from one collaboration.

    Every ModelChoiceField (single or multiple) is limited to rows of ``access.collaboration``
    (users: its members). ``own_partner_field`` names the field that, for a partner, can
    only be their own organisation. ``blank_label`` replaces the "---------" of optional
    selects. A new row belongs to the collaboration before validation (so the model's
    ``clean()`` can check cross-references) and, where the model records them, to its author
    (``created_by``, ``created_for``) and to whoever changed it last (``updated_by``).
    Field ids are ``<model>-<pk>-<field>`` (``new-<model>-<field>``), unique on a tool page.
    """

    own_partner_field: str | None = None
    blank_label: str | None = None

    def __init__(self, *args, access: Access, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_for(kwargs.get("instance")))
        super().__init__(*args, **kwargs)
        self.access = access
        collaboration = access.collaboration
        if self.instance.pk is None:
            self.instance.collaboration = collaboration
        User = get_user_model()
        for field in self.fields.values():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            model = field.queryset.model
            if model is User:
                field.queryset = field.queryset.filter(
                    memberships__collaboration=collaboration
                ).order_by("full_name", "email")
            elif any(f.name == "collaboration" for f in model._meta.fields):
                field.queryset = field.queryset.filter(collaboration=collaboration)
            else:
                raise ImproperlyConfigured(f"{model} cannot be scoped to a collaboration")
            if self.blank_label and isinstance(field.widget, forms.Select):
                field.empty_label = self.blank_label
        own = self.own_partner_field
        if own and not access.is_facilitator:
            field = self.fields[own]
            field.queryset = Partner.objects.filter(pk=access.membership.partner_id)
            field.empty_label = None
            field.help_text = _("You record this for your own organisation.")

    @classmethod
    def auto_id_for(cls, instance) -> str:
        name = cls._meta.model._meta.model_name
        if instance is not None and instance.pk:
            return f"{name}-{instance.pk}-%s"
        return f"new-{name}-%s"

    def save(self, commit: bool = True):
        instance = self.instance
        instance.collaboration = self.access.collaboration
        if instance.pk is None and hasattr(instance, "created_by_id"):
            instance.created_by = self.access.membership.user
            instance.created_for = self.access.partner
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = self.access.membership.user
        return super().save(commit=commit)

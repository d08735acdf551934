"""Inline editing of a stage's structured records, shared by Implement and Assess.

A ``Section`` declares one kind of record (its model, form, template and access rules).
Its records are listed on a tool page (through the worksheet engine's ``Artefact``
contract) and edited in place with htmx; without JavaScript the same URLs answer with a
plain page and redirect back to the tool page's section.

URLs per section (``<kind>`` is the section key):
  ``<kind>/``                 the section alone (htmx; otherwise redirect to the tool page)
  ``<kind>/add/``             add a record
  ``<kind>/<pk>/edit/``       edit a record
  ``<kind>/<pk>/delete/``     confirm and delete a record, or explain why it cannot go
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from intersector.collaborations.access import Access, Need, get_collaboration_for_user
from intersector.collaborations.hardening import HardenedFormMixin
from intersector.worksheets.toolkit import get_stage


class ScopedForm(HardenedFormMixin, forms.ModelForm):
    """A model form bound to one collaboration.

    Every model choice (single or multiple) is limited to the collaboration's own rows, so
    another collaboration's partner, indicator or milestone can never be chosen.
    """

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        collaboration = access.collaboration
        if self.instance.pk is None:
            # Set before validation so the model's own clean() can check cross-references.
            self.instance.collaboration = collaboration
        for form_field in self.fields.values():
            if isinstance(form_field, forms.ModelChoiceField):
                model = form_field.queryset.model
                if any(f.name == "collaboration" for f in model._meta.get_fields()):
                    form_field.queryset = form_field.queryset.filter(collaboration=collaboration)
                else:  # pragma: no cover - every choice we offer is collaboration-scoped
                    form_field.queryset = form_field.queryset.none()
            if isinstance(form_field.widget, forms.Select) and hasattr(form_field, "empty_label"):
                form_field.empty_label = _("— none —")

    def save(self, commit: bool = True):
        instance = self.instance
        instance.collaboration = self.access.collaboration
        if instance.pk is None and hasattr(instance, "created_by_id"):
            instance.created_by = self.access.membership.user
            instance.created_for = self.access.partner
        return super().save(commit=commit)


def may_edit(access: Access, obj, *, authorship_counts: bool = True) -> bool:
    """Facilitators edit all; partners what they wrote or what their organisation is
    responsible for; observers nothing."""
    if access.is_facilitator:
        return True
    if not access.can_contribute:
        return False
    if authorship_counts and obj.created_by_id == access.membership.user_id:
        return True
    return access.partner is not None and access.partner.pk in obj.responsible_partner_ids()


@dataclass(frozen=True)
class Section:
    key: str
    model: type[models.Model]
    form_class: type[ScopedForm]
    template: str
    stage: str
    tool_slug: str
    noun: str
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    # Whether writing a record makes it yours to edit (feedback, updates) or only the
    # responsible organisation may edit it (milestones, measurements).
    authorship_counts: bool = True
    not_yours: str = ""
    # Returns the reasons a record cannot be deleted (others point to it).
    blockers: Callable[[Any], list[str]] | None = None
    summarise: Callable[[Access, list], dict] | None = None
    label: Callable[[Any], str] = str
    options: dict = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"artefact-{self.key}"

    def queryset(self, collaboration):
        qs = self.model.objects.filter(collaboration=collaboration)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs

    def may_edit(self, access: Access, obj) -> bool:
        return may_edit(access, obj, authorship_counts=self.authorship_counts)

    def tool_url(self, slug: str) -> str:
        url = reverse(f"{self.stage}:tool", kwargs={"slug": slug, "tool_slug": self.tool_slug})
        return f"{url}#{self.anchor}"

    def artefact(self):
        for artefact in get_stage(self.stage).tool(self.tool_slug).artefacts:
            if artefact.key == self.key:
                return artefact
        return None


def section_context(section: Section, access: Access, *, form=None) -> dict:
    items = list(section.queryset(access.collaboration))
    for item in items:
        item.editable = section.may_edit(access, item)
    can_add = access.can_contribute
    if can_add and form is None:
        form = section.form_class(access=access, auto_id=f"id_{section.key}_%s")
    context = {"section": section, "items": items, "can_add": can_add, "form": form}
    if section.summarise:
        context.update(section.summarise(access, items))
    return context


def _page_context(request, access: Access, section: Section, **extra) -> dict:
    return {
        "access": access,
        "collaboration": access.collaboration,
        "section": section,
        "request": request,
        **extra,
    }


def _render_section(request, access, section, *, form=None, status=200) -> HttpResponse:
    context = _page_context(
        request,
        access,
        section,
        ctx=section_context(section, access, form=form),
        artefact=section.artefact(),
        heading_id=section.anchor,
    )
    response = render(request, f"{section.template}#section", context, status=status)
    if request.htmx:
        response = reswap(retarget(response, f"#{section.key}-section"), "outerHTML")
    return response


def _lookup(sections: dict[str, Section], kind: str) -> Section:
    try:
        return sections[kind]
    except KeyError:
        raise Http404 from None


def _check_form_permission(section: Section, access: Access, form) -> bool:
    """After validation: is the record as it would be saved still this person's to edit?"""
    instance = form.save(commit=False)
    if section.may_edit(access, instance):
        return True
    form.add_error(
        None,
        section.not_yours or _("Your organisation is not responsible for this; ask a facilitator."),
    )
    return False


def _save(form) -> Any:
    with transaction.atomic():
        obj = form.save(commit=False)
        obj.save()
        form.save_m2m()
    return obj


def section_view(request: HttpRequest, slug: str, kind: str, *, sections) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    section = _lookup(sections, kind)
    if not request.htmx:
        return redirect(section.tool_url(slug))
    return _render_section(request, access, section)


def add_view(request: HttpRequest, slug: str, kind: str, *, sections) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    section = _lookup(sections, kind)
    form = section.form_class(request.POST or None, access=access, auto_id=f"id_{section.key}_%s")
    if request.method == "POST":
        if form.is_valid() and _check_form_permission(section, access, form):
            obj = _save(form)
            if request.htmx:
                return _render_section(request, access, section)
            messages.success(
                request,
                _("%(noun)s “%(what)s” added.")
                % {"noun": section.noun.capitalize(), "what": section.label(obj)},
            )
            return redirect(section.tool_url(slug))
        if request.htmx:
            return _render_section(request, access, section, form=form, status=422)
    return render(
        request,
        "implement/item_form.html",
        _page_context(
            request,
            access,
            section,
            form=form,
            title=_("Add a %(noun)s") % {"noun": section.noun},
            action=reverse(f"{section.stage}:add", kwargs={"slug": slug, "kind": kind}),
            cancel_url=section.tool_url(slug),
        ),
        status=422 if form.is_bound else 200,
    )


def edit_view(request: HttpRequest, slug: str, kind: str, pk: int, *, sections) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    section = _lookup(sections, kind)
    obj = get_object_or_404(section.queryset(access.collaboration), pk=pk)
    if not section.may_edit(access, obj):
        raise PermissionDenied
    form = section.form_class(
        request.POST or None, instance=obj, access=access, auto_id=f"id_{section.key}_{pk}_%s"
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _check_form_permission(section, access, form)
    ):
        obj = _save(form)
        if request.htmx:
            return _render_section(request, access, section)
        messages.success(request, _("Saved."))
        return redirect(section.tool_url(slug))
    action = reverse(f"{section.stage}:edit", kwargs={"slug": slug, "kind": kind, "pk": pk})
    context = _page_context(
        request,
        access,
        section,
        form=form,
        obj=obj,
        title=_("Edit %(what)s") % {"what": section.label(obj)},
        action=action,
        cancel_url=section.tool_url(slug),
        section_url=reverse(f"{section.stage}:section", kwargs={"slug": slug, "kind": kind}),
    )
    status = 422 if form.is_bound else 200
    if request.htmx:
        return render(request, "implement/item_form.html#inline-form", context, status=status)
    return render(request, "implement/item_form.html", context, status=status)


def delete_record(section: Section, obj) -> None:
    """Delete, or explain what still points to the record (never a silent loss)."""
    reasons = section.blockers(obj) if section.blockers else []
    if reasons:
        raise ValidationError(
            _("“%(what)s” cannot be deleted while %(reasons)s. Remove those links first.")
            % {"what": section.label(obj), "reasons": _(" and ").join(reasons)}
        )
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as exc:
        kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise ValidationError(
            _("“%(what)s” cannot be deleted while these still refer to it: %(kinds)s.")
            % {"what": section.label(obj), "kinds": ", ".join(kinds)}
        ) from exc


def delete_view(request: HttpRequest, slug: str, kind: str, pk: int, *, sections) -> HttpResponse:
    access = get_collaboration_for_user(request, slug, need=Need.CONTRIBUTE)
    section = _lookup(sections, kind)
    obj = get_object_or_404(section.queryset(access.collaboration), pk=pk)
    if not section.may_edit(access, obj):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        try:
            delete_record(section, obj)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("“%(what)s” deleted.") % {"what": section.label(obj)})
            url = section.tool_url(slug)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    return render(
        request,
        "collaborations/confirm_delete.html",
        _page_context(
            request,
            access,
            section,
            title=_("Delete “%(what)s”?") % {"what": section.label(obj)},
            explanation=_("This %(noun)s will be deleted for every partner.")
            % {"noun": section.noun},
            error=error,
            cancel_url=section.tool_url(slug),
        ),
        status=409 if error else 200,
    )

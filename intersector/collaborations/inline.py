"""Inline editing of a stage artefact: one URL, two renderings.

A stage artefact (see ``worksheets.toolkit.Artefact``) is one region of a tool page. Its
editing endpoints answer htmx requests with the whole region re-rendered (so a chart and its
table stay in step), and plain requests with a small form page or a redirect back to the
tool page's anchor. Forms answer 422 with their errors next to the fields.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .access import Access
from .hardening import HardenedFormMixin
from .models import Partner


@dataclass(frozen=True)
class ArtefactRef:
    """Names one artefact of one tool: where it lives and how to redraw it."""

    stage: str
    tool: str
    key: str

    @property
    def artefact(self):
        from intersector.worksheets.toolkit import get_stage

        for artefact in get_stage(self.stage).tool(self.tool).artefacts:
            if artefact.key == self.key:
                return artefact
        raise ImproperlyConfigured(f"No artefact {self.key!r} on {self.stage}/{self.tool}")

    @property
    def heading_id(self) -> str:
        return f"artefact-{self.key}"

    def url(self, access: Access) -> str:
        base = reverse(f"{self.stage}:tool", args=[access.collaboration.slug, self.tool])
        return f"{base}#{self.heading_id}"


def render_region(request, access: Access, ref: ArtefactRef, *, status: int = 200, **extra):
    artefact = ref.artefact
    ctx = {**import_string(artefact.context)(access), **extra}
    return render(
        request,
        artefact.template,
        {
            "ctx": ctx,
            "artefact": artefact,
            "heading_id": ref.heading_id,
            "access": access,
            "collaboration": access.collaboration,
        },
        status=status,
    )


def edit_view(
    request,
    *,
    access: Access,
    ref: ArtefactRef,
    form: forms.BaseForm,
    title: str,
    saved_message: str,
    save: Callable[[forms.BaseForm], object] | None = None,
    adding: bool = False,
) -> HttpResponse:
    """GET shows the form; POST validates and saves, then redraws the region or redirects."""
    if request.method == "POST" and form.is_valid():
        save(form) if save else form.save()
        if request.htmx:
            return render_region(request, access, ref)
        messages.success(request, saved_message)
        return redirect(ref.url(access))
    status = 422 if form.is_bound else 200
    if request.htmx:
        extra = {"add_form": form} if adding else {"edit_form": form, "edit_pk": form.instance.pk}
        return render_region(request, access, ref, status=status, editing=not adding, **extra)
    return render(
        request,
        "collaborations/inline_form_page.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "title": title,
            "form": form,
            "action": request.path,
            "cancel_url": ref.url(access),
        },
        status=status,
    )


def delete_view(
    request, *, access: Access, ref: ArtefactRef, obj, title: str, explanation: str
) -> HttpResponse:
    """Confirm, then delete; anything that still points to ``obj`` refuses with a message."""
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                obj.delete()
        except ProtectedError as exc:
            kinds = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
            error = _("“%(name)s” cannot be deleted while these still refer to it: %(kinds)s.") % {
                "name": obj,
                "kinds": ", ".join(kinds),
            }
        else:
            messages.success(request, _("“%(name)s” deleted.") % {"name": obj})
            return redirect(ref.url(access))
    return render(
        request,
        "collaborations/confirm_delete.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "title": title,
            "explanation": explanation,
            "error": error,
            "cancel_url": ref.url(access),
        },
        status=409 if error else 200,
    )


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class ScopedModelForm(HardenedFormMixin, forms.ModelForm):
    """A model form whose every choice comes from one collaboration.

    Every ModelChoiceField is limited to rows of ``access.collaboration`` (users: its
    members). ``own_partner_field`` names the field that, for a partner, can only be their
    own organisation: what they create, their organisation owns.
    """

    own_partner_field: str | None = None

    def __init__(self, *args, access: Access, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_for(kwargs.get("instance")))
        super().__init__(*args, **kwargs)
        self.access = access
        collaboration = access.collaboration
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
        self.instance.collaboration = self.access.collaboration
        return super().save(commit=commit)

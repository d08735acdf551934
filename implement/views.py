"""Inline editing endpoints of the Implement stage; the logic lives in ``inline.py``."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET, require_http_methods

from . import inline
from .sections import SECTIONS


@login_required
@require_GET
def section(request, slug: str, kind: str):
    return inline.section_view(request, slug, kind, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def add(request, slug: str, kind: str):
    return inline.add_view(request, slug, kind, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, slug: str, kind: str, pk: int):
    return inline.edit_view(request, slug, kind, pk, sections=SECTIONS)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, slug: str, kind: str, pk: int):
    return inline.delete_view(request, slug, kind, pk, sections=SECTIONS)

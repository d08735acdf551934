from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from intersector.collaborations.access import get_collaboration_for_user

from .toolkit import get_stage


@login_required
def stage_page(request: HttpRequest, slug: str, stage_key: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    stage = get_stage(stage_key)
    return render(
        request,
        "worksheets/stage.html",
        {"access": access, "collaboration": access.collaboration, "stage": stage},
    )


@login_required
def tool_page(request: HttpRequest, slug: str, stage_key: str, tool_slug: str) -> HttpResponse:
    access = get_collaboration_for_user(request, slug)
    stage = get_stage(stage_key)
    tool = stage.tool(tool_slug)
    artefacts = [
        {"artefact": artefact, "context": import_string(artefact.context)(access)}
        for artefact in tool.artefacts
    ]
    return render(
        request,
        "worksheets/tool.html",
        {
            "access": access,
            "collaboration": access.collaboration,
            "stage": stage,
            "tool": tool,
            "artefacts": artefacts,
        },
    )

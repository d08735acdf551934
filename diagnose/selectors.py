"""Reads for the Diagnose artefacts. Each ``*_context`` is an ``Artefact.context``: called
with the view's ``Access``, it returns what the artefact's template needs, in a fixed
number of queries whatever the number of partners."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from intersector.collaborations.access import Access
from intersector.collaborations.models import Partner, Sector
from intersector.worksheets.inline import Window, list_rows, records_context

from . import rules
from .models import Apprehension, Decision, SectorAnalysis

# The same colours as the --government, --business… variables in app.css; SVG presentation
# attributes cannot read CSS variables.
SECTOR_COLOURS = {
    Sector.GOVERNMENT: "#1d4ed8",
    Sector.BUSINESS: "#b45309",
    Sector.NONPROFIT: "#15803d",
    Sector.ACADEMIC: "#6d28d9",
    Sector.PHILANTHROPIC: "#be185d",
    Sector.COMMUNITY: "#0e7490",
}

# Stakeholder map geometry (SVG user units): a 5 × 5 grid, proximity across, influence up.
MAP_WIDTH, MAP_HEIGHT = 680, 460
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 64, 16, 664, 396
CELL_W = (PLOT_RIGHT - PLOT_LEFT) / 5
CELL_H = (PLOT_BOTTOM - PLOT_TOP) / 5
DOT_R = 10
# Two names fit in a cell (one below its dot, one above); with more they overlap, so the
# cell's dots go unlabelled (each dot's tooltip and the table below still name them).
LABELS_PER_CELL = 2
# Drawing order: committed partners on top.
ENGAGEMENT_LAYERS = ("declined", "prospective", "engaged", "committed")


@dataclass
class Dot:
    partner: Partner
    x: float
    y: float
    colour: str
    label: str
    label_x: float
    label_y: float
    title: str  # the dot's tooltip: name, sector, position and engagement in words


def _coordinate(value: float) -> float | int:
    """Rounded to a tenth, and whole numbers without ".0": shorter SVG markup."""
    value = round(value, 1)
    return int(value) if value.is_integer() else value


def _short(name: str, limit: int = 16) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def map_dots(partners: list[Partner]) -> list[Dot]:
    """Place each partner in its cell; several in one cell sit on a small ring."""
    cells: dict[tuple[int, int], list[Partner]] = defaultdict(list)
    for partner in partners:
        cells[(partner.proximity, partner.influence)].append(partner)
    # Labels translated once, not per dot.
    sectors = {value: str(label) for value, label in Sector.choices}
    engagements = {value: str(label) for value, label in Partner.Engagement.choices}
    position = _("influence %(i)s, proximity %(x)s")
    dots = []
    for (proximity, influence), group in cells.items():
        cx = PLOT_LEFT + (proximity - 0.5) * CELL_W
        cy = PLOT_BOTTOM - (influence - 0.5) * CELL_H
        n = len(group)
        spacing = min(26, (CELL_W - 2 * DOT_R) / max(n - 1, 1))
        where = position % {"i": influence, "x": proximity}
        for i, partner in enumerate(group):
            # Several partners in one cell sit side by side; labels alternate below / above.
            x = cx + (i - (n - 1) / 2) * spacing
            below = i % 2 == 0
            dots.append(
                Dot(
                    partner=partner,
                    x=_coordinate(x),
                    y=_coordinate(cy),
                    colour=SECTOR_COLOURS.get(partner.sector, "#5b6675"),
                    label=_short(partner.name) if n <= LABELS_PER_CELL else "",
                    label_x=_coordinate(x),
                    label_y=_coordinate(cy + DOT_R + 14 if below else cy - DOT_R - 6),
                    title=f"{partner.name} — {sectors.get(partner.sector, partner.sector)}; "
                    f"{where}; {engagements.get(partner.engagement, partner.engagement)}",
                )
            )
    dots.sort(key=lambda d: d.partner.name)
    return dots


# Which of a dot's paints take its sector colour, by engagement (the rest is the layer's).
SECTOR_PAINT = {
    "declined": (False, False),
    "prospective": (False, True),
    "engaged": (True, True),
    "committed": (True, False),
}


def dot_layers(dots: list[Dot]) -> list[dict]:
    """The dots by engagement, so each layer states its drawing style once."""
    layers = {engagement: [] for engagement in ENGAGEMENT_LAYERS}
    for dot in dots:
        layers.get(dot.partner.engagement, layers["prospective"]).append(dot)
    return [
        {"engagement": e, "dots": layer, "fill": SECTOR_PAINT[e][0], "stroke": SECTOR_PAINT[e][1]}
        for e, layer in layers.items()
        if layer
    ]


def stakeholder_map_context(access: Access, window: Window | None = None) -> dict:
    """Every partner on the map; the table below it lists a page of them with a ``window``
    (the tool page), all of them without."""
    from .sections import MAP  # the sections module reads this one

    partners = list(access.collaboration.partners.all())
    rows = list_rows(MAP, access, partners, window) if window else None
    dots = map_dots(partners)
    ticks = [
        {
            "n": n,
            "x": PLOT_LEFT + (n - 0.5) * CELL_W,
            "y": PLOT_BOTTOM - (n - 0.5) * CELL_H,
            "gx": PLOT_LEFT + n * CELL_W,
            "gy": PLOT_BOTTOM - n * CELL_H,
        }
        for n in range(1, 6)
    ]
    present = {p.sector for p in partners}
    return {
        "partners": partners,
        "rows": rows,
        "table": rows.items if rows else partners,
        "dots": dots,
        "dot_layers": dot_layers(dots),
        "labels": [dot for dot in dots if dot.label],
        "ticks": ticks,
        "legend": [
            {"sector": s, "label": s.label, "colour": SECTOR_COLOURS[s]}
            for s in Sector
            if s in present
        ],
        "engagements": Partner.Engagement.choices,
        "can_edit": rules.can_edit_map(access),
        "geometry": {
            "width": MAP_WIDTH,
            "height": MAP_HEIGHT,
            "left": PLOT_LEFT,
            "right": PLOT_RIGHT,
            "top": PLOT_TOP,
            "bottom": PLOT_BOTTOM,
            "mid_x": (PLOT_LEFT + PLOT_RIGHT) / 2,
            "mid_y": (PLOT_TOP + PLOT_BOTTOM) / 2,
            "plot_w": PLOT_RIGHT - PLOT_LEFT,
            "half_w": (PLOT_RIGHT - PLOT_LEFT) / 2,
            "half_h": (PLOT_BOTTOM - PLOT_TOP) / 2,
            "plot_h": PLOT_BOTTOM - PLOT_TOP,
            "axis_x_y": PLOT_BOTTOM + 44,
            "axis_y_x": 18,
            "r": DOT_R,
        },
    }


def sector_analysis_context(access: Access) -> dict:
    collaboration = access.collaboration
    partners = list(collaboration.partners.all())
    by_sector: dict[str, list[Partner]] = defaultdict(list)
    for partner in partners:
        by_sector[partner.sector].append(partner)
    analyses = {a.sector: a for a in collaboration.sector_analyses.all()}
    rows = []
    for sector in Sector:
        if sector not in by_sector and sector not in analyses:
            continue
        analysis = analyses.get(sector) or SectorAnalysis(
            collaboration=collaboration, sector=sector
        )
        rows.append(
            {
                "sector": sector,
                "label": sector.label,
                "partners": by_sector.get(sector, []),
                "analysis": analysis,
                "can_edit": rules.can_edit_sector(access, sector),
            }
        )
    return {"rows": rows}


def apprehensions_context(access: Access, window: Window | None = None) -> dict:
    from .sections import APPREHENSIONS  # the sections module reads this one

    return records_context(APPREHENSIONS, access, window)


def apprehensions_open(access: Access, items: list) -> dict:
    """The apprehensions' ``summarise``: how many are not resolved yet."""
    return {"open_count": sum(1 for i in items if i.status != Apprehension.Status.RESOLVED)}


def decision_for(collaboration) -> Decision | None:
    return (
        Decision.objects.filter(collaboration=collaboration)
        .select_related("recorded_by")
        .prefetch_related("agreed_by")
        .first()
    )


def decision_context(access: Access) -> dict:
    decision = decision_for(access.collaboration)
    return {
        "decision": decision,
        "can_edit": rules.can_record_decision(access),
        "empty_text": _("Not decided yet."),
    }

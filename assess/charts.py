"""Server-side SVG line charts of an indicator's measurements against baseline and target.

Only numbers leave this module; ``assess/_chart.svg.html`` draws them with SVG
presentation attributes (no style attributes, no chart library).
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 20, 36


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: Decimal
    date: datetime.date


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis ticks (steps of 1, 2 or 5 × 10^k) covering low..high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    exponent = math.floor(math.log10(raw))
    base = raw / 10**exponent
    step = (1 if base <= 1 else 2 if base <= 2 else 5 if base <= 5 else 10) * 10**exponent
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(i * step, 6) for i in range(first, last + 1)]


def indicator_chart(indicator, measurements) -> dict:
    """Coordinates for one indicator: a point per measurement, baseline and target lines."""
    values = [float(m.value) for m in measurements]
    baseline, target = float(indicator.baseline), float(indicator.target)
    ticks = _nice_ticks(min([0.0, baseline, target, *values]), max([baseline, target, *values]))
    low, high = ticks[0], ticks[-1]
    if high == low:
        high = low + 1
    dates = [m.measured_on for m in measurements]
    if indicator.target_date:
        dates.append(indicator.target_date)
    first = min(dates) if dates else datetime.date.today()
    last = max(dates) if dates else first
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(date: datetime.date) -> float:
        return round(LEFT + plot_w * (date - first).days / span, 1)

    def sy(value: float) -> float:
        return round(TOP + plot_h * (1 - (value - low) / (high - low)), 1)

    points = [
        Point(sx(m.measured_on), sy(float(m.value)), m.value, m.measured_on) for m in measurements
    ]
    years = sorted({first.year, last.year} | {d.year for d in dates})
    x_ticks = [
        {"x": sx(datetime.date(year, 1, 1)), "label": str(year)}
        for year in range(years[0], years[-1] + 1)
        if first <= datetime.date(year, 1, 1) <= last
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "points": points,
        "line": " ".join(f"{p.x},{p.y}" for p in points),
        "baseline_y": sy(baseline),
        "target_y": sy(target),
        "target_x": sx(indicator.target_date) if indicator.target_date else None,
        "y_ticks": [{"y": sy(t), "label": f"{t:g}"} for t in ticks],
        "x_ticks": x_ticks,
        "first": first,
        "last": last,
    }

"""What the benchmark scripts share: the percentile of a list of timings."""


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0–100) by nearest rank."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]

"""Paired timings for the benchmarks: each repeat runs every variant once, back to back, in an order that rotates
from repeat to repeat, so that the machine's noise hits them alike; results are medians of per-repeat ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping


def paired_times(variants: Mapping[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Seconds of each variant in each of ``repeats`` rounds (``times[name][r]``: round ``r``)."""
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - start)
    return times


def median_ratio(times: Mapping[str, list[float]], name: str, base: str, scale: float = 1.0) -> float:
    """The median over rounds of ``scale`` × time of ``name`` / time of ``base`` in the same round."""
    return statistics.median(scale * t / b for t, b in zip(times[name], times[base], strict=True))

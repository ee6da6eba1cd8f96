"""The catalogue of report sections: which notebook, per council type or not, which data it reads.

A leaf module (only paths below it), so that the batch, the kernels' preload and
the site can all read the list of sections without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from councildigital.paths import NOTEBOOKS_DIR

ALL_DATA = ("published", "reference", "synthetic")


@dataclass(frozen=True)
class Section:
    """A report section: its notebook, whether it runs per council type, and the data it reads."""

    code: str
    notebook: str
    title: str
    per_council_type: bool = True
    reads: tuple[str, ...] = ALL_DATA

    @property
    def path(self) -> Path:
        return NOTEBOOKS_DIR / self.notebook


SECTIONS: tuple[Section, ...] = (
    Section(
        "evidence",
        "00_evidence.py",
        "The evidence base",
        per_council_type=False,
        reads=("published",),
    ),
    Section("vision", "01_vision.py", "Strategic vision and the role of digital"),
    Section(
        "potential_vs_plan", "02_potential_vs_plan.py", "Digital potential versus current plans"
    ),
    Section("barriers", "03_barriers.py", "Barriers and capability"),
    Section(
        "future_councils_costs",
        "04_future_councils_costs.py",
        "Future Councils cost estimates",
        reads=("published", "reference"),
    ),
    Section(
        "then_and_now", "05_then_and_now.py", "Then and now: 2013 and 2024", reads=("published",)
    ),
)


def find(code: str) -> Section:
    for candidate in SECTIONS:
        if candidate.code == code:
            return candidate
    raise ValueError(
        f"unknown section {code!r}; expected one of {', '.join(s.code for s in SECTIONS)}"
    )

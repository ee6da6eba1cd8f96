"""Time the identification bounds of a full page batch's statistics, cold (no disk cache).

The catalogue is what the survey pages show, for everyone and the four largest council
types: shares of every answer and means of every theme, barrier, could-help and planned
column; each type against the rest; potential minus plan per theme (a difference of
means and a paired gap); could help minus planned per theme and type; the crosstab of
could help by in plan (row shares and joint cells); mean barrier scores by capability.

    .venv/bin/python scripts/bench_bounds.py
"""

from __future__ import annotations

import os
import sys
import time

from councildigital.data import microdata, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct import bounds
from councildigital.reconstruct.claims import Quantity

GROUPS = (survey.ALL, "county", "london_borough", "unitary", "district")
TYPES = GROUPS[1:]


def catalogue() -> list[Quantity]:
    themes, kinds = survey.codes(survey.THEMES), survey.codes(survey.DIGITAL_TYPES)
    likert = [column_name(p, t) for p in ("sig", "pot", "plan") for t in themes]
    likert += [column_name("barrier", b) for b in survey.codes(survey.BARRIERS)]
    binary = [column_name(p, t, k) for p in ("help", "planned") for t in themes for k in kinds]
    answers = {
        "has_vision": survey.YES_NO_DONT_KNOW.values,
        "vision_could_help": survey.EXTENT.values,
        "vision_in_plan": survey.EXTENT.values,
        "has_capability": survey.YES_NO.values,
        **{col: (1,) for col in binary},
    }
    out = []
    for group in GROUPS:
        out += [Quantity("share", c, (v,), group) for c, vs in answers.items() for v in vs]
        out += [Quantity("mean", c, group=group) for c in [*likert, *binary]]
        for theme in themes:
            pot, plan = (
                Quantity("mean", column_name(p, theme), group=group) for p in ("pot", "plan")
            )
            out += [
                Quantity("difference", parts=(pot, plan)),
                Quantity("paired", parts=(pot, plan)),
            ]
            for kind in kinds:
                help_, planned = (
                    Quantity("share", column_name(p, theme, kind), (1,), group)
                    for p in ("help", "planned")
                )
                out.append(Quantity("difference", parts=(help_, planned)))
        for could, plan in ((c, p) for c in survey.EXTENT.values for p in survey.EXTENT.values):
            given = (("vision_could_help", (could,)),)
            out.append(Quantity("share", "vision_in_plan", (plan,), group, given=given))
            out.append(
                Quantity(
                    "joint",
                    group=group,
                    parts=(
                        Quantity("share", "vision_could_help", (could,)),
                        Quantity("share", "vision_in_plan", (plan,)),
                    ),
                )
            )
        for barrier in survey.codes(survey.BARRIERS):
            for answer in survey.YES_NO.values:
                given = (("has_capability", (answer,)),)
                out.append(
                    Quantity("mean", column_name("barrier", barrier), group=group, given=given)
                )
    for kind in TYPES:
        rest = (
            ("council_type", tuple(t for t in survey.codes(survey.COUNCIL_TYPES) if t != kind)),
        )
        for col in [*likert, *binary]:
            stat = "mean" if col in likert else "share"
            yes = () if col in likert else (1,)
            out.append(
                Quantity(
                    "difference",
                    parts=(Quantity(stat, col, yes, kind), Quantity(stat, col, yes, given=rest)),
                )
            )
    return out


def main() -> int:
    os.environ.pop(bounds.CACHE_ENV, None)
    frame = microdata.load_microdata().frame
    statistics = catalogue()
    start = time.perf_counter()
    found = bounds.identify_many(statistics, frame)
    seconds = time.perf_counter() - start
    empty = sum(v is None for v in found.values())
    assumed = sum(v is not None and bounds.status_of(v) == "assumed" for v in found.values())
    print(
        f"{len(found)} statistics in {seconds:.1f} s cold ({1000 * seconds / len(found):.1f} ms each); "
        f"{empty} with an empty base, {assumed} assumed, {len(found) - empty - assumed} bounded"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

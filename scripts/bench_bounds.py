"""Time the identification bounds of a full page batch's statistics, cold (no disk cache).

The catalogue is what the survey pages show, for everyone and the four largest council
types: shares of every answer and means of every theme, barrier, could-help and planned
column; each type against the rest; potential minus plan per theme (a difference of
means and a paired gap); could help minus planned per theme and type; the crosstab of
could help by in plan (row shares and joint cells); mean barrier scores by capability.
Prints the CPU seconds per class of statistic (kind by column family; a component's first
solve counts against the first statistic that needs it). ``--dump`` writes every interval
to a JSON file; ``--compare`` checks them against such a file (to 1e-9).

    .venv/bin/python scripts/bench_bounds.py [--dump PATH] [--compare PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import defaultdict

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
            by_answer = [
                Quantity(
                    "mean",
                    column_name("barrier", barrier),
                    group=group,
                    given=(("has_capability", (answer,)),),
                )
                for answer in (1, 0)
            ]
            out += [*by_answer, Quantity("difference", parts=tuple(by_answer))]
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


def family(q: Quantity) -> str:
    """The column family a statistic reads: 'vision', 'help', 'pot', ..., 'type vs rest'."""
    if q.parts:
        if q.parts[1].given and q.parts[1].given[0][0] == "council_type":
            return "type vs rest"
        return "/".join(dict.fromkeys(family(p) for p in q.parts))
    return "vision" if "vision" in q.column else q.column.removeprefix("has_").split("_")[0]


def kind(q: Quantity) -> str:
    """The statistic and, for a conditional one, what it is given."""
    if q.stat == "difference":
        return "difference of " + "/".join(dict.fromkeys(kind(p) for p in q.parts))
    return q.stat + "".join(f" given {column}" for column, _ in q.given)


def timed(found: dict[Quantity, float]):
    """``_Context.identify`` recording the CPU seconds of each statistic."""
    identify = bounds._Context.identify

    def wrapper(self, q):
        start = time.process_time()
        try:
            return identify(self, q)
        finally:
            found[q] = time.process_time() - start

    return wrapper


def values(interval: bounds.Interval | None) -> list[float | None] | None:
    if interval is None:
        return None
    got = (interval.low, interval.high, interval.free_low, interval.free_high)
    return [None if math.isnan(v) else v for v in got]


def differences(found: dict[Quantity, bounds.Interval | None], path: str) -> list[str]:
    with open(path) as handle:
        expected = json.load(handle)
    out = []
    for q, interval in found.items():
        want, got = expected.get(repr(q), "missing"), values(interval)
        same = (want is None and got is None) or (
            want not in (None, "missing")
            and got is not None
            and all(
                (a is None and b is None)
                or (a is not None and b is not None and abs(a - b) <= 1e-9)
                for a, b in zip(want, got, strict=True)
            )
        )
        if not same:
            out.append(f"{q!r}: expected {want}, got {got}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", help="write every interval to this JSON file")
    parser.add_argument("--compare", help="check every interval against this JSON file")
    args = parser.parse_args()
    os.environ.pop(bounds.CACHE_ENV, None)
    frame = microdata.load_microdata().frame
    statistics = catalogue()
    seconds: dict[Quantity, float] = {}
    bounds._Context.identify = timed(seconds)
    start, cpu = time.perf_counter(), time.process_time()
    found = bounds.identify_many(statistics, frame)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    classes: dict[tuple[str, str], list[float]] = defaultdict(list)
    for q, s in seconds.items():
        classes[kind(q), family(q)].append(s)
    print(f"{'statistic':<44} {'columns':<16} {'count':>5} {'CPU s':>7}")
    for (k, f), times in sorted(classes.items(), key=lambda item: -sum(item[1])):
        print(f"{k:<44} {f:<16} {len(times):>5} {sum(times):>7.2f}")
    empty = sum(v is None for v in found.values())
    assumed = sum(v is not None and bounds.status_of(v) == "assumed" for v in found.values())
    print(
        f"{len(found)} statistics in {cpu:.1f} s CPU, {wall:.1f} s wall, cold "
        f"({1000 * cpu / len(found):.1f} ms CPU each); "
        f"{empty} with an empty base, {assumed} assumed, {len(found) - empty - assumed} bounded"
    )
    if args.dump:
        with open(args.dump, "w") as out:
            json.dump({repr(q): values(v) for q, v in found.items()}, out)
    if args.compare:
        wrong = differences(found, args.compare)
        print("\n".join(wrong[:20]))
        print(f"{len(wrong)} of {len(found)} differ from {args.compare}")
        return 1 if wrong else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

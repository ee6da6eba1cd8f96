"""What the published figures pin down: identification bounds of any statistic of the microdata.

:func:`identify` gives the smallest and largest value a statistic (a
:class:`~councildigital.reconstruct.claims.Quantity`) can take over every
respondent-level dataset that

(a) has the same bases as the frame: the respondents of each council type and,
    per council type, how many gave each pattern of answered and missing over the
    columns involved, with the routing honoured (a follow-up is answered only
    where its filter question has the routed answer, e.g. ``has_vision == 1``);
(b) satisfies every checkable claim of :func:`claims.claims` connected to the
    statistic, with the tolerances :func:`claims.fidelity` uses (strict bounds
    and orderings by ``claims.EPS``, as the build does).

Only who answered what is taken from the frame, never the answers, so the
bounds are the same for every seed of the reconstruction (and for real
microdata with the same bases they say where the report puts the number).

The method. Counts of answer patterns ("cells") are integer variables; every
statistic is N/D with N and D linear in the counts (``claims.quantity_weights``
on the cells). Claims about council types alone (the respondent mix) are facts
about the bases, not constraints on the answers, and are left out.

1. The component: starting from the statistic's columns, every claim touching
   one of the columns brings in all of the claim's columns (its statistic, an
   ordering's siblings, a gap's or an 'above' claim's parts, a group's column),
   until nothing new comes in.
2. Blocks: columns that some statistic (the target's or a claim's) reads
   jointly (a crosstab cell, a paired gap, a mean among the capable) are one
   joint table; every other column is a table of its own (its answer counts). A
   table is split by council type only where a statistic needs it. Routing: in
   the filter question's table, respondents who answered a follow-up have the
   routed answer; a condition the routing implies (a follow-up's share "among
   those with a vision") is dropped, so the follow-up needs no joint table with
   its filter. Tables are coupled only through the claims, so any set of tables
   with the right bases is the table set of some dataset.
3. The carrier: the blocks holding the target's columns. The programme for the
   target is the carrier's tables with (i) every claim lying wholly in the
   carrier, exactly (intervals; orderings and 'above' counts with 0/1 flags,
   each row's big-M the value's own range under the bases; a claim's share with
   a varying base by its linearisation, with that base at least 1); and (ii) for
   every claim lying partly outside, the range each of its statistics inside the
   carrier (own value, siblings, parts) takes over the component: the component
   programme of all its blocks and claims, solved once for the minimum and the
   maximum of each such statistic and reused by every target (in a batch, by every
   page's kernel: the ranges are kept in its bounds folder). In a component
   with more than ``LARGE_COMPONENT`` ordering flags (the could-help and planned
   items, ranked across types and themes; potential and plan with their gaps)
   the range is taken over the claims touching the statistic's columns, with the
   intervals stated on the other columns those claims read, not the whole
   component. Either way the ranges are implied by the figures, so the result
   is a valid outer bound (never narrower than the identified set) and sharp for
   the constraints included; where the carrier is the whole component it is
   exact, and ``tests/test_bounds`` checks it equals the whole-component
   programme for a sample of statistics.
4. Objectives. With a denominator fixed by the bases (a share or mean of
   answerers in a group; a paired statistic; differences and combinations of
   those) the statistic is linear: an integer programme (scipy's HiGHS,
   relative gap 0) for the minimum and one for the maximum, or, where the
   carrier is one table whose rows all bound one whole-number total (a share or
   mean of one column with its stated or implied interval), the same optimum by
   dynamic programming over the fixed totals. With a varying denominator (a mean
   among those answering yes elsewhere, a crosstab row share) Dinkelbach's
   method, exact for integer programmes, over datasets where the base is at
   least 1, started from the best counts already solved on the carrier. A
   difference or combination with varying denominators enumerates their
   feasible values (each part's range first) and solves the linear programme
   for each. Without claims (the free range) a linear statistic's
   extreme puts each fixed total wholly in its best cell (and a ratio's Dinkelbach
   steps do the same, moving one respondent into its base if none is there). An
   integer programme solves fixed totals whose cells the objective and every row read
   alike as one total, their sum: the counts split back into the original totals with
   the same value. Tests check the dynamic programme and the free form against the
   integer programme.

``free_low`` and ``free_high`` are the same carrier with no claim (the bases
only). ``coverage`` is the interval's width over the free width: the share of
what the bases allow that the report leaves open. A statistic the bases fix
(free width 0) has coverage 0.0. Where no dataset with these bases meets the
figures (real microdata whose bases the report's rounding cannot fit), low and
high are NaN and so is coverage (``status_of`` then says 'bounded': the figures
do speak to it, by contradicting the bases).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
import tempfile
import weakref
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from councildigital.data import microdata, published, survey
from councildigital.paths import BOUNDS_CACHE_ENV
from councildigital.reconstruct import claims as claims_module
from councildigital.reconstruct.claims import EPS, GROUPS, Claim, Quantity, quantity_weights

# An interval covering at least 90% of the range the bases allow says the report leaves the
# number essentially free: what a page shows for it comes from the reconstruction's assumptions.
ASSUMED_COVERAGE = 0.9
CACHE_ENV = BOUNDS_CACHE_ENV  # the folder a batch keeps bounds in (paths.bounds_store)
RANGES = "ranges"  # its subfolder of component ranges, shared by the pages (_Context.range)
BASE = "council_type"  # the column every basis is split by; its counts are fixed
_TOLERANCE = 1e-9
LARGE_COMPONENT = 40  # ordering flags beyond which a claim's range comes from its neighbours


@dataclass(frozen=True)
class Interval:
    """Where the published figures put a statistic, and where the bases alone would."""

    low: float
    high: float
    free_low: float
    free_high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def coverage(self) -> float:
        """Width over the free width: 1.0 means the figures say nothing, 0.0 that it is fixed."""
        free = self.free_high - self.free_low
        if free <= _TOLERANCE:
            return 0.0
        return self.width / free

    def contains(self, value: float) -> bool:
        return bool(self.low - 1e-6 <= value <= self.high + 1e-6)


def status_of(interval: Interval) -> str:
    """'assumed' where the figures leave the statistic essentially free, else 'bounded'."""
    return "assumed" if interval.coverage >= ASSUMED_COVERAGE else "bounded"


# --------------------------------------------------------------------------
# Columns, routing and the claim graph
# --------------------------------------------------------------------------


@cache
def _routing() -> dict[str, tuple[str, int]]:
    return {c.name: c.question.asked_if for c in microdata.ANSWER_COLUMNS if c.question.asked_if}


@cache
def _values(column: str) -> tuple[object, ...]:
    col = microdata.column(column)
    if col.question.scale is not None:
        return col.question.scale.values
    return survey.codes(col.question.options)


@cache
def _children(column: str) -> tuple[str, ...]:
    """The follow-up columns asked only after an answer to ``column``."""
    return tuple(c for c, (parent, _) in _routing().items() if parent == column)


@cache
def _reduced(q: Quantity) -> Quantity:
    """The statistic without conditions its routing implies (a follow-up's answerers all had
    the routed answer): a share among those with a vision reads the follow-up alone."""
    if q.stat in ("difference", "combination", "above") or q.stat in claims_module.PAIRED:
        return replace(q, parts=tuple(_reduced(p) for p in q.parts))
    routed = {_routing().get(c) for c in q.measured()}
    if len(routed) != 1 or None in routed:
        return q
    ((parent, answer),) = routed

    def implied(condition: tuple[str, tuple[object, ...]]) -> bool:
        return condition[0] == parent and tuple(condition[1]) == (answer,)

    group = q.group
    if group != survey.ALL and implied(GROUPS[group]):
        group = survey.ALL
    return replace(q, group=group, given=tuple(g for g in q.given if not implied(g)))


@cache
def _answers(q: Quantity) -> frozenset[str]:
    """The columns a statistic reads, other than the council type (a basis)."""
    return frozenset(_reduced(q).columns() - {BASE})


def _claim_quantities(claim: Claim) -> tuple[Quantity, ...]:
    return (claim.quantity, *claim.siblings)


@cache
def _claim_columns(claim: Claim) -> frozenset[str]:
    return frozenset().union(*(_answers(q) for q in _claim_quantities(claim)))


@cache
def _typed(q: Quantity) -> bool:
    """Whether a statistic reads the council type (its group, or a condition on it)."""
    return BASE in q.columns()


@cache
def _claim_atoms(claim: Claim) -> tuple[Quantity, ...]:
    return tuple(a for cq in _claim_quantities(claim) for a in _atoms(cq))


def _atoms(q: Quantity) -> list[Quantity]:
    """The ratio statistics a statistic is made of."""
    if q.stat in ("difference", "combination", "above"):
        return [a for p in q.parts for a in _atoms(p)]
    return [q]


def _functionals(q: Quantity) -> list[Quantity]:
    """A claim's statistic and every statistic it is built from."""
    if q.stat in ("difference", "combination", "above"):
        return [q, *(f for p in q.parts for f in _functionals(p))]
    return [q]


def _components(claims_: list[Claim]) -> dict[str, tuple[frozenset[str], tuple[Claim, ...]]]:
    """Each column's component: the columns and claims connected to it through shared columns."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    for claim in claims_:
        first, *rest = sorted(_claim_columns(claim))
        find(first)
        for c in rest:
            parent[find(c)] = find(first)
    members: dict[str, set[str]] = {}
    for c in list(parent):
        members.setdefault(find(c), set()).add(c)
    chosen: dict[str, list[Claim]] = {}
    for claim in claims_:
        chosen.setdefault(find(next(iter(_claim_columns(claim)))), []).append(claim)
    return {c: (frozenset(members[find(c)]), tuple(chosen.get(find(c), ()))) for c in list(parent)}


def _blocks(atoms: list[Quantity]) -> list[tuple[tuple[str, ...], bool]]:
    """Joint tables: columns read together are merged; (columns, split by council type)."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.setdefault(c, c) != c:
            c = parent[c]
        return c

    for atom in atoms:
        cols = sorted(_answers(atom))
        for c in cols:
            find(c)
        for c in cols[1:]:
            parent[find(c)] = find(cols[0])
    groups: dict[str, set[str]] = {}
    for c in list(parent):
        groups.setdefault(find(c), set()).add(c)
    split = {find(next(iter(_answers(a)))) for a in atoms if _typed(a) and _answers(a)}
    return [(tuple(sorted(cols)), root in split) for root, cols in sorted(groups.items())]


# --------------------------------------------------------------------------
# The programme: cells, their fixed totals, claims as rows
# --------------------------------------------------------------------------


@dataclass
class _Block:
    columns: tuple[str, ...]
    split: bool
    cells: pd.DataFrame
    group: np.ndarray  # which fixed total each cell belongs to (index into counts)
    counts: np.ndarray
    offset: int = 0
    weights: dict = field(default_factory=dict)  # quantity_weights by statistic, shared

    @property
    def starts(self) -> np.ndarray:
        return np.searchsorted(self.group, np.arange(len(self.counts)))


def _block(frame: pd.DataFrame, columns: tuple[str, ...], split: bool) -> _Block:
    """Cells of a joint table: per fixed total (council type if split, and the pattern of
    answered columns and of their follow-ups), every answer combination the routing allows."""
    followed = [c for c in columns if _children(c)]
    kinds, names = pd.factorize(frame[BASE]) if split else (np.zeros(len(frame), int), [None])
    keys = np.column_stack(
        [
            kinds,
            frame[list(columns)].notna().to_numpy(),
            *(frame[list(_children(c))].notna().any(axis=1).to_numpy() for c in followed),
        ]
    ).astype(int)
    patterns, sizes = np.unique(keys, axis=0, return_counts=True)
    routing = _routing()
    rows, group, counts = [], [], []
    for key, count in zip(patterns.tolist(), sizes.tolist(), strict=True):
        kind, answered = names[key[0]], key[1 : 1 + len(columns)]
        asked = dict(zip(followed, key[1 + len(columns) :], strict=True))
        options = []
        for c, a in zip(columns, answered, strict=True):
            if not a:
                options.append((None,))
            elif asked.get(c):  # a follow-up was answered: the routed answer was given
                options.append((routing[_children(c)[0]][1],))
            else:
                options.append(_values(c))
        g = len(counts)
        for combo in product(*options):
            rows.append({BASE: kind, **dict(zip(columns, combo, strict=True))})
            group.append(g)
        counts.append(int(count))
    cells = pd.DataFrame(rows, columns=[BASE, *columns])
    if not split:
        cells = cells.drop(columns=[BASE])
    for c in columns:
        if microdata.column(c).numeric:
            cells[c] = pd.to_numeric(cells[c]).astype(float)
    return _Block(columns, split, cells, np.array(group, dtype=int), np.array(counts, dtype=int))


@dataclass
class _Form:
    """A statistic on the cells: linear (``linear``), a ratio, or a weighted sum of parts."""

    linear: np.ndarray | None = None
    numerator: np.ndarray | None = None
    denominator: np.ndarray | None = None
    parts: tuple[tuple[float, _Form], ...] = ()

    @property
    def ratio(self) -> bool:
        return self.numerator is not None


@dataclass
class _Programme:
    blocks: list[_Block]
    size: int = 0
    rows: list[tuple[np.ndarray, dict[int, float], float, float]] = field(default_factory=list)
    flags: int = 0

    def __post_init__(self) -> None:
        self.blocks = [replace(b) for b in self.blocks]  # own offsets; the cells are shared
        for block in self.blocks:
            block.offset = self.size
            self.size += len(block.cells)
        self.upper = np.concatenate(
            [b.counts[b.group] for b in self.blocks] or [np.zeros(0)]
        ).astype(float)
        # The fixed totals of all tables in one numbering: each cell's, and where each starts.
        firsts = np.cumsum([0, *(len(b.counts) for b in self.blocks)])
        self.total_of = np.concatenate(
            [b.group + first for b, first in zip(self.blocks, firsts, strict=False)]
            or [np.zeros(0, int)]
        )
        self.counts = np.concatenate([b.counts for b in self.blocks] or [np.zeros(0, int)])
        self.bounds = np.searchsorted(self.total_of, np.arange(len(self.counts) + 1))
        self.found: list[np.ndarray] = []  # counts solved so far, each meeting every row

    def where(self, q: Quantity) -> _Block:
        cols = _answers(q)
        return next(
            b
            for b in self.blocks
            if cols <= set(b.columns) and (b.split or BASE not in q.columns())
        )

    def form(self, q: Quantity) -> _Form | None:
        """The statistic on these cells; None where its base is empty whatever the answers."""
        if q.stat in ("difference", "combination"):
            coefficients = (1.0, -1.0) if q.stat == "difference" else q.coefficients
            parts = [self.form(p) for p in q.parts]
            if any(p is None for p in parts):
                return None
            pairs = tuple(zip(map(float, coefficients), parts, strict=True))
            if all(not p.ratio and not p.parts for p in parts):
                return _Form(linear=sum(c * p.linear for c, p in pairs))
            return _Form(parts=pairs)
        if q.stat == "above":
            raise ValueError("an 'above' count has no bounds of its own")
        q = _reduced(q)
        block = self.where(q)
        if q not in block.weights:
            block.weights[q] = quantity_weights(q, block.cells)
        numerator, denominator = block.weights[q]
        if denominator is None:
            return _Form(linear=self._place(block, numerator))
        per_group = [denominator[block.group == g] for g in range(len(block.counts))]
        if all(np.ptp(d) == 0 for d in per_group if len(d)):
            total = sum(
                float(d[0]) * k for d, k in zip(per_group, block.counts, strict=True) if len(d)
            )
            if total == 0:
                return None
            return _Form(linear=self._place(block, numerator / total))
        if not (denominator.any()):
            return None
        return _Form(
            numerator=self._place(block, numerator), denominator=self._place(block, denominator)
        )

    def _place(self, block: _Block, weights: np.ndarray) -> np.ndarray:
        vector = np.zeros(self.size)
        vector[block.offset : block.offset + len(block.cells)] = weights
        return vector

    def add(self, vector: np.ndarray, lo: float = -math.inf, hi: float = math.inf, flags=None):
        self.rows.append((vector, flags or {}, lo, hi))
        self.found = []  # counts solved before may not meet the new row

    def flag(self) -> int:
        self.flags += 1
        return self.flags - 1

    # claims -------------------------------------------------------------

    def claim(self, claim: Claim) -> None:
        if claim.order:
            self._order(claim)
        elif claim.quantity.stat == "above":
            self._above(claim)
        else:
            lo = claim.lo + (EPS if claim.lo_strict else 0.0)
            hi = claim.hi - (EPS if claim.hi_strict else 0.0)
            self.interval(claim.quantity, lo, hi)

    def interval(self, q: Quantity, lo: float, hi: float) -> None:
        form = self.form(q)
        if form is None:  # a claim about nobody cannot hold
            self.add(np.zeros(self.size), 1.0, 1.0)
        elif form.ratio:
            n, d = form.numerator, form.denominator
            if math.isfinite(lo):
                self.add(n - lo * d, lo=0.0)
            if math.isfinite(hi):
                self.add(n - hi * d, hi=0.0)
            self.add(d, lo=1.0)
        elif form.parts:
            raise ValueError(f"a claim on a combination of ratios: {q}")
        else:
            self.add(form.linear, lo, hi)

    def _linear(self, q: Quantity) -> np.ndarray | None:
        form = self.form(q)
        if form is None:
            return None
        if form.linear is None:
            raise ValueError(f"an ordering or count of statistics with varying bases: {q}")
        return form.linear

    def switch(self, value: np.ndarray, threshold: float, flag: int) -> None:
        """Flag 1: the value is above the threshold (by EPS); flag 0: it is not. The big-M of
        each row is the value's own range under the fixed totals, the tightest valid one."""
        low, high = self.unconstrained(value, -1.0), self.unconstrained(value, 1.0)
        self.add(value, lo=low, flags={flag: low - threshold - EPS})
        self.add(value, hi=threshold, flags={flag: threshold - high})

    def _above(self, claim: Claim) -> None:
        flags = {}
        for part in claim.quantity.parts:
            value = self._linear(part)
            flag = self.flag()
            threshold = claim.quantity.threshold
            self.switch(value, threshold, flag)
            flags[flag] = 1.0
        self.add(np.zeros(self.size), claim.lo, claim.hi, flags)

    def _order(self, claim: Claim) -> None:
        own = self._linear(claim.quantity)
        flags = {}
        sign = -1.0 if claim.order == "bottom" else 1.0
        for sibling in claim.siblings:
            other = None if sibling == claim.quantity else self._linear(sibling)
            if other is None:  # itself, or a statistic of nobody (not compared)
                continue
            diff = sign * (other - own)
            flag = self.flag()
            self.switch(diff, 0.0, flag)
            flags[flag] = 1.0
        zero = np.zeros(self.size)
        if claim.order == "rank":
            self.add(zero, claim.n - 1, claim.n - 1, flags)
        else:
            self.add(zero, hi=claim.n - 1, flags=flags)

    # solving -------------------------------------------------------------

    def solve(self, objective: np.ndarray, extra=()) -> np.ndarray | None:
        """Counts minimising ``objective``; None if no dataset meets the rows.

        Fixed totals whose cells the objective and every row read alike are solved as one
        total (their sum): any counts of the merged total split back into counts of the
        original totals with the same objective and rows, so the optimum is the same.
        """
        if not self.rows and not self.flags and len(extra) <= 1:
            x = self._greedy(objective, extra)
            if x is not NotImplemented:
                return x
        matrix, flagged, lower, upper = self.matrix()
        if extra:
            added = np.zeros((len(extra), self.flags))
            for r, (_, flags, _, _) in enumerate(extra):
                for f, c in flags.items():
                    added[r, f] = c
            matrix = np.vstack([matrix, [vector for vector, *_ in extra]])
            flagged = np.vstack([flagged, added])
            lower = np.concatenate([lower, [lo for *_, lo, _ in extra]])
            upper = np.concatenate([upper, [hi for *_, hi in extra]])
        # Cells read alike: the same class; totals alike: the same classes in the same order.
        _, kind = np.unique(np.vstack([objective, matrix]).T, axis=0, return_inverse=True)
        kind = kind.ravel()
        merged: dict[tuple[int, ...], list[int]] = {}
        for t in range(len(self.counts)):
            merged.setdefault(tuple(kind[self.bounds[t] : self.bounds[t + 1]]), []).append(t)
        sets = list(merged.values())
        cells = [np.arange(self.bounds[ts[0]], self.bounds[ts[0] + 1]) for ts in sets]
        kept = np.concatenate(cells) if cells else np.zeros(0, int)
        sums = np.array([self.counts[ts].sum() for ts in sets], dtype=float)
        totals = np.zeros((len(sets), len(kept) + self.flags))
        totals[np.repeat(np.arange(len(sets)), [len(c) for c in cells]), np.arange(len(kept))] = 1
        width = len(kept) + self.flags
        result = milp(
            np.concatenate([objective[kept], np.zeros(self.flags)]),
            integrality=np.ones(width),
            bounds=Bounds(
                np.zeros(width),
                np.concatenate([np.repeat(sums, [len(c) for c in cells]), np.ones(self.flags)]),
            ),
            constraints=LinearConstraint(
                np.vstack([totals, np.hstack([matrix[:, kept], flagged])]),
                np.concatenate([sums, lower]),
                np.concatenate([sums, upper]),
            ),
            options={"mip_rel_gap": 0.0, "time_limit": 60},
        )
        if result.status == 2:  # infeasible
            return None
        if not result.success:
            raise RuntimeError(f"bounds programme not solved: {result.message}")
        solution = np.round(result.x[: len(kept)])
        self.found.append(x := np.zeros(self.size))
        start = 0
        for ts, own in zip(sets, cells, strict=True):
            left = solution[start : start + len(own)]
            start += len(own)
            for t in ts:  # each original total takes its count from the cells in order
                before = np.cumsum(left) - left
                take = np.clip(self.counts[t] - before, 0, left)
                x[self.bounds[t] : self.bounds[t + 1]] = take
                left = left - take
        return x

    def _greedy(self, objective: np.ndarray, extra) -> np.ndarray | None:
        """The fixed totals alone, with at most a row asking for at least one respondent in
        cells counted once or more (a base of at least 1): each total wholly in its cheapest
        cell, then, if the row is not met, one respondent moved where it costs least. Exact:
        the totals share no cells, and one respondent in a counted cell meets the row.
        NotImplemented for any other row."""
        counted = np.zeros(self.size, bool)
        if extra:
            ((vector, flags, lo, hi),) = extra
            if flags or lo != 1.0 or hi != math.inf or (vector[vector != 0] < 1).any():
                return NotImplemented
            counted = vector != 0
        starts, counts = self.bounds[:-1], self.counts
        cheapest = np.minimum.reduceat(objective, starts) if self.size else np.zeros(0)
        x = np.zeros(self.size)
        best = [s + int(np.argmin(objective[s:e])) for s, e in itertools.pairwise(self.bounds)]
        x[best] = counts
        if not extra or counted[best][counts > 0].any():
            return x
        cost = np.where(counted, objective, np.inf)
        loss = np.minimum.reduceat(cost, starts) - cheapest
        loss[counts == 0] = np.inf
        if not np.isfinite(loss).any():
            return None
        t = int(np.argmin(loss))
        s, e = self.bounds[t], self.bounds[t + 1]
        x[best[t]] -= 1
        x[s + int(np.argmin(cost[s:e]))] += 1
        return x

    def matrix(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The rows as (cells part, flags part, lower, upper), built once for the rows so far."""
        if getattr(self, "_matrix", (None,))[0] != len(self.rows):
            cells = np.array([vector for vector, *_ in self.rows]).reshape(-1, self.size)
            flagged = np.zeros((len(self.rows), self.flags))
            for r, (_, flags, _, _) in enumerate(self.rows):
                for f, c in flags.items():
                    flagged[r, f] = c
            bounds_ = [np.array([row[k] for row in self.rows], dtype=float) for k in (2, 3)]
            self._matrix = (len(self.rows), (cells, flagged, *bounds_))
        return self._matrix[1]

    def unconstrained(self, linear: np.ndarray, sense: float) -> float:
        """The extreme of a linear statistic under the fixed totals alone: each total goes
        wholly to its best cell (the totals do not share cells, so this is exact)."""
        value = 0.0
        for b in self.blocks:
            weights = sense * linear[b.offset : b.offset + len(b.cells)]
            if weights.any():  # cells are in order of their totals
                value += float(np.maximum.reduceat(weights, b.starts) @ b.counts)
        return sense * value

    @property
    def table_totals(self):
        """``whole_totals``, once (the rows are all added before the programme is solved)."""
        if not hasattr(self, "_totals"):
            self._totals = self.whole_totals()
        return self._totals

    def whole_totals(self):
        """The rows as bounds on one whole-number total per table, if they are.

        In each table a row, less a constant on each fixed total, is then a multiple
        (of either sign) of one vector of whole numbers ``unit``: the row bounds a linear
        function of the tables' totals ``unit @ x``. Returns (units, rows of
        (multiples, low, high)), or None (flags, or rows reading a table two ways).
        """
        if self.flags:
            return None
        units: list[np.ndarray | None] = [None] * len(self.blocks)
        rows = []
        for vector, _, lo, hi in self.rows:
            multiples, constant = np.zeros(len(self.blocks)), 0.0
            for i, block in enumerate(self.blocks):
                fit = _fit(vector[block.offset : block.offset + len(block.cells)], block, units, i)
                if fit is None:
                    return None
                multiples[i], c = fit
                constant += c
            rows.append((multiples, lo - constant, hi - constant))
        units = [
            np.zeros(len(b.cells), int) if u is None else u.astype(int)
            for b, u in zip(self.blocks, units, strict=True)
        ]
        return units, rows

    def by_totals(self, linear: np.ndarray, sense: float, totals) -> float | None:
        """The extreme of a linear statistic given rows on the tables' totals (see
        ``whole_totals``): per table the best objective at each total by dynamic programming
        over its fixed totals, then the best feasible combination of totals. Exact, as the
        integer programme; None if no combination is feasible."""
        units, rows = totals
        bests = []
        for block, unit in zip(self.blocks, units, strict=True):
            weights = sense * linear[block.offset : block.offset + len(block.cells)]
            best = np.zeros(1)  # best[s]: the best objective with the table's total at s
            for g, count in enumerate(block.counts):
                cells = np.flatnonzero(block.group == g)
                one = np.full(int(unit[cells].max()) + 1, -np.inf)
                np.maximum.at(one, unit[cells], weights[cells])
                best = _max_plus(best, _power(one.tobytes(), int(count)))
            bests.append(best)
        grid = np.meshgrid(*(np.arange(len(b)) for b in bests), indexing="ij")
        value = sum(b[g] for b, g in zip(bests, grid, strict=True))
        feasible = np.isfinite(value)
        for multiples, lo, hi in rows:
            level = sum(m * g for m, g in zip(multiples, grid, strict=True))
            feasible &= (level >= lo - 1e-7) & (level <= hi + 1e-7)
        if not feasible.any():
            return None
        return sense * float(value[feasible].max())

    def extreme(self, form: _Form, sense: float, extra=()) -> float | None:
        """The largest (sense 1) or smallest (sense -1) value of a statistic; None if infeasible."""
        if form.parts:
            return self._enumerate(form, sense, extra)
        if not form.ratio:
            x = self.solve(-sense * form.linear, extra)
            return None if x is None else float(form.linear @ x)
        return self._dinkelbach(form.numerator, form.denominator, sense, extra)

    def _dinkelbach(self, n, d, sense, extra) -> float | None:
        extra = (*extra, (d, {}, 1.0, math.inf))
        x = self._start(n, d, sense, extra)
        if x is None:
            x = self.solve(np.zeros(self.size), extra)
        if x is None:
            return None
        value = float(n @ x) / float(d @ x)
        for _ in range(200):
            x = self.solve(-sense * (n - value * d), extra)
            gain = sense * (float(n @ x) - value * float(d @ x))
            if gain <= _TOLERANCE:
                return value
            value = float(n @ x) / float(d @ x)
        raise RuntimeError("Dinkelbach's method did not converge")

    def _start(self, n, d, sense, extra) -> np.ndarray | None:
        """The best ratio among the counts solved so far that meet ``extra`` (Dinkelbach's
        method is exact from any feasible start; a good one saves iterations)."""
        if not self.found or any(flags for _, flags, _, _ in extra):
            return None
        found = np.array(self.found)
        ok = np.ones(len(found), bool)
        for vector, _, lo, hi in extra:
            value = found @ vector
            ok &= (value >= lo - 1e-9) & (value <= hi + 1e-9)
        if not ok.any():
            return None
        found = found[ok]
        return found[int(np.argmax(sense * (found @ n) / (found @ d)))]

    def _enumerate(self, form: _Form, sense: float, extra) -> float | None:
        """A combination of ratios with varying bases: the best over their feasible bases.

        The bases are fixed one at a time, each over the values it can take given
        those fixed before it; where the bases' sum is fixed (complementary
        groups, such as those with and without the capability), the last is what
        the others leave, so a pair costs one range, not a grid.
        """
        varying = [(c, p) for c, p in form.parts if p.ratio or p.parts]
        if any(p.parts for _, p in varying):
            raise ValueError("a combination of combinations with varying bases")
        fixed = sum(
            (c * p.linear for c, p in form.parts if not (p.ratio or p.parts)), np.zeros(self.size)
        )

        total = self._fixed_total([p.denominator for _, p in varying], extra)

        def best_from(i: int, linear: np.ndarray, rows: list, taken: int = 0) -> float | None:
            if i == len(varying):
                return self.extreme(_Form(linear=linear), sense, rows)
            c, p = varying[i]
            if i == len(varying) - 1 and total is not None:  # the last base is what is left
                choices = range(total - taken, total - taken + 1) if total - taken >= 1 else ()
            else:
                at_least_one = (*rows, (p.denominator, {}, 1.0, math.inf))
                low = self.solve(p.denominator, at_least_one)
                if low is None:
                    return None
                high = self.solve(-p.denominator, at_least_one)
                choices = range(round(p.denominator @ low), round(p.denominator @ high) + 1)
            best = None
            for b in choices:
                value = best_from(
                    i + 1,
                    linear + c * p.numerator / b,
                    [*rows, (p.denominator, {}, float(b), float(b))],
                    taken + b,
                )
                if value is not None and (best is None or sense * (value - best) > 0):
                    best = value
            return best

        return best_from(0, fixed, list(extra))

    def _fixed_total(self, denominators: list[np.ndarray], extra) -> int | None:
        """The sum of several bases where the bases fix it (complementary groups), else None."""
        if len(denominators) < 2:
            return None
        together = sum(denominators)
        low, high = self.solve(together, extra), self.solve(-together, extra)
        if low is None or high is None:
            return None
        smallest, largest = round(together @ low), round(together @ high)
        return smallest if smallest == largest else None


# --------------------------------------------------------------------------
# The bounds of one statistic
# --------------------------------------------------------------------------


def _max_plus(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """(max, +) convolution: out[i + j] = max of left[i] + right[j]."""
    if np.isfinite(left).sum() < np.isfinite(right).sum():  # loop over the shorter
        left, right = right, left
    out = np.full(len(left) + len(right) - 1, -np.inf)
    for j in np.flatnonzero(np.isfinite(right)):
        np.maximum(out[j : j + len(left)], left + right[j], out=out[j : j + len(left)])
    return out


def _fit(part: np.ndarray, block: _Block, units: list, i: int) -> tuple[float, float] | None:
    """(multiple, constant) with ``part = multiple * unit + a constant per fixed total``."""
    for reduce in (np.minimum, np.maximum):  # a total, or the fixed total less it
        offsets = reduce.reduceat(part, block.starts)
        reduced = part - offsets[block.group]
        constant = float(offsets @ block.counts)
        if not reduced.any():
            return 0.0, constant
        if units[i] is None:
            step = np.abs(reduced[reduced != 0]).min()
            if not np.allclose(np.round(reduced / step) * step, reduced):
                return None
            units[i] = np.round(reduced / step)
        k = int(np.flatnonzero(units[i])[0])
        multiple = reduced[k] / units[i][k]
        if multiple and np.allclose(reduced, multiple * units[i]):
            return multiple, constant
    return None


@cache
def _power(one: bytes, count: int) -> np.ndarray:
    """The best objective of ``count`` respondents of one fixed total, by their total."""
    single = np.frombuffer(one)
    out = np.zeros(1)
    for _ in range(count):
        out = _max_plus(out, single)
    return out


class _Context:
    """One frame's bases and one list of claims: components, carriers and programmes reused."""

    def __init__(self, frame: pd.DataFrame, claims_: list[Claim], shared: _Shared | None = None):
        self.frame = frame
        self.shared = shared
        # Claims about council types alone are facts about the bases: left out.
        self.claims = [c for c in claims_ if c.checkable and _claim_columns(c)]
        self.component_of = _components(self.claims)
        self.blocks: dict[tuple[tuple[str, ...], bool], _Block] = {}
        self.ranges: dict[tuple[frozenset[str], Quantity], tuple[float, float] | None] = {}
        self.components: dict[frozenset[str], _Programme] = {}
        self.carriers: dict[tuple, tuple[_Programme, _Programme | None]] = {}
        self.extremes: dict[tuple, float | None] = {}
        self.layouts: dict[tuple, tuple] = {}

    def block(self, columns: tuple[str, ...], split: bool) -> _Block:
        if (columns, split) not in self.blocks:
            self.blocks[columns, split] = _block(self.frame, columns, split)
        return self.blocks[columns, split]

    def programme(self, layout) -> _Programme:
        return _Programme([self.block(cols, split) for cols, split in layout])

    def solved(self, connected: list[Claim]) -> _Programme:
        atoms = [a for c in connected for a in _claim_atoms(c)]
        programme = self.programme(_blocks(atoms))
        for claim in connected:
            programme.claim(claim)
        return programme

    def range(self, columns: frozenset[str], q: Quantity) -> tuple[float, float] | None:
        """The smallest and largest value of a claim's statistic over its component (or, in a
        large component, over the claims next to it: see the module's docstring).

        These depend on the bases and the claims alone, not on the statistic being bounded,
        so every page of a batch on the same data needs the same ones: with ``shared`` they
        are also kept there and read back by the other pages' kernels."""
        if (columns, q) not in self.ranges:
            found, span = self.shared.read_range(columns, q) if self.shared else (False, None)
            if not found:
                span = self._solve_range(columns, q)
                if self.shared:
                    self.shared.write_range(columns, q, span)
            self.ranges[columns, q] = span
        return self.ranges[columns, q]

    def _solve_range(self, columns: frozenset[str], q: Quantity) -> tuple[float, float] | None:
        if columns not in self.components:
            self.components[columns] = self.solved(self.component_of[next(iter(columns))][1])
        whole = self.components[columns]
        if whole.flags > LARGE_COMPONENT:
            near = _answers(q)
            if near not in self.components:
                self.components[near] = self.solved(self.neighbourhood(columns, near))
            whole = self.components[near]
        form = whole.form(q)
        low = whole.extreme(form, -1.0)
        return None if low is None else (low, whole.extreme(form, 1.0))

    def neighbourhood(self, columns: frozenset[str], near: frozenset[str]) -> list[Claim]:
        """The claims touching ``near``, and the intervals stated on the other columns they read."""
        connected = self.component_of[next(iter(columns))][1]
        chosen = [c for c in connected if _claim_columns(c) & near]
        reach = frozenset().union(*(_claim_columns(c) for c in chosen))
        return chosen + [
            c
            for c in connected
            if c not in chosen
            and not c.order
            and c.quantity.stat != "above"
            and _claim_columns(c) <= reach
        ]

    def carrier(self, q: Quantity) -> tuple:
        """The joint tables holding the statistic's columns (the same for every statistic
        reading the same columns the same way)."""
        atoms = _atoms(q)
        key = (_answers(q), frozenset((_answers(a), _typed(a)) for a in atoms))
        if key not in self.layouts:
            own = _answers(q)
            touched = {self.component_of[c] for c in own if c in self.component_of}
            claim_atoms = [a for _, claims_ in touched for c in claims_ for a in _claim_atoms(c)]
            self.layouts[key] = tuple(
                (cols, split or any(_typed(a) and _answers(a) <= set(cols) for a in atoms))
                for cols, split in _blocks([*atoms, *claim_atoms])
                if set(cols) & own
            )
        return self.layouts[key]

    def programmes(self, layout: tuple) -> tuple[_Programme, _Programme | None]:
        """The carrier with no claims, and with every claim it can carry (None: infeasible)."""
        if layout not in self.carriers:
            inside = set().union(*(cols for cols, _ in layout))
            touched = {self.component_of[c] for c in inside if c in self.component_of}
            bounded: _Programme | None = self.programme(layout)
            for columns, connected in touched:
                for claim in connected:
                    if bounded is None:
                        break
                    if _claim_columns(claim) <= inside:
                        bounded.claim(claim)
                        continue
                    for f in {f for cq in _claim_quantities(claim) for f in _functionals(cq)}:
                        if f.stat == "above" or not _answers(f) <= inside:
                            continue
                        span = self.range(columns, f)
                        if span is None:
                            bounded = None
                            break
                        bounded.interval(f, span[0] - 1e-9, span[1] + 1e-9)
            self.carriers[layout] = (self.programme(layout), bounded)
        return self.carriers[layout]

    def extreme(self, layout, programme: _Programme, form: _Form, sense: float, which: str):
        """An extreme of a statistic, shared by statistics with the same objective on a carrier."""
        if form.linear is None:
            return programme.extreme(form, sense)
        scale = float(np.abs(form.linear).max()) or 1.0
        key = (layout, which, sense, (form.linear / scale).round(12).tobytes())
        if key not in self.extremes:
            direction = _Form(linear=form.linear / scale)
            totals = None if which == "free" else programme.table_totals
            if which == "free":
                self.extremes[key] = programme.unconstrained(direction.linear, sense)
            elif totals is not None and len(totals[0]) <= 2:
                self.extremes[key] = programme.by_totals(direction.linear, sense, totals)
            else:
                self.extremes[key] = programme.extreme(direction, sense)
        value = self.extremes[key]
        return None if value is None else value * scale

    def identify(self, q: Quantity) -> Interval | None:
        layout = self.carrier(q)
        free, bounded = self.programmes(layout)
        form = free.form(q)
        if form is None:
            return None
        free_low, free_high = (self.extreme(layout, free, form, s, "free") for s in (-1.0, 1.0))
        if free_low is None:
            return None
        low = None if bounded is None else self.extreme(layout, bounded, form, -1.0, "bounded")
        high = None if low is None else self.extreme(layout, bounded, form, 1.0, "bounded")
        return Interval(*(_tidy(v) for v in (low, high, free_low, free_high)))


# --------------------------------------------------------------------------
# Caching and the public calls
# --------------------------------------------------------------------------


def _tidy(value: float | None) -> float:
    """A value without the rounding noise of summing weights (ten decimals), NaN for none."""
    return math.nan if value is None else round(value, 10) + 0.0  # no negative zero


_MEMORY: dict[str, object] = {}  # intervals and ranges by key
_CONTEXTS: dict[tuple[str, str], _Context] = {}


def bases_signature(frame: pd.DataFrame) -> str:
    """A hash of who answered what, by council type (never the answers); worked out once per
    frame object (a page asks for hundreds of statistics on the same data)."""
    known = _SIGNATURES.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    signature = _signature(frame)
    _SIGNATURES[id(frame)] = (weakref.ref(frame), signature)
    return signature


_SIGNATURES: dict[int, tuple[weakref.ref, str]] = {}


def _signature(frame: pd.DataFrame) -> str:
    answered = frame.drop(columns=[microdata.ID_COLUMN], errors="ignore").notna()
    pattern = pd.Series(
        [row.tobytes() for row in np.packbits(answered.to_numpy(), axis=1)], index=frame.index
    )
    counts = pd.DataFrame({"t": frame[BASE].astype(str), "p": pattern}).value_counts().sort_index()
    text = repr(list(answered.columns)) + repr(
        [(t, p.hex(), int(k)) for (t, p), k in counts.items()]
    )
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def _sources() -> str:
    figures = published.PUBLISHED_DIR / "lgc2024.csv"
    text = [
        figures.read_bytes(),
        Path(__file__).read_bytes(),
        Path(claims_module.__file__).read_bytes(),
    ]
    return hashlib.sha256(b"\0".join(text)).hexdigest()


@cache
def _default_claims() -> tuple[Claim, ...]:
    return tuple(claims_module.claims())


def _key(signature: str, claims_key: str, q: Quantity | tuple) -> str:
    text = "\n".join([signature, _sources(), claims_key, repr(q)])
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(interval: Interval | None) -> dict:
    if interval is None:
        return {"none": True}
    values = (interval.low, interval.high, interval.free_low, interval.free_high)
    return {"interval": [None if math.isnan(v) else v for v in values]}


def _decode(data: dict) -> Interval | None:
    if data.get("none"):
        return None
    return Interval(*(math.nan if v is None else float(v) for v in data["interval"]))


def _read(folder: Path | None, key: str, decode=_decode) -> tuple[bool, object]:
    if key in _MEMORY:
        return True, _MEMORY[key]
    if folder is not None:
        path = folder / f"{key}.json"
        try:
            found = decode(json.loads(path.read_text()))
        except (OSError, ValueError, KeyError, TypeError):
            return False, None
        _MEMORY[key] = found
        return True, found
    return False, None


def _write(folder: Path | None, key: str, value, encode=_encode) -> None:
    _MEMORY[key] = value
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(encode(value), out)
    os.replace(temporary, folder / f"{key}.json")


def _encode_range(span: tuple[float, float] | None) -> dict:
    return {"none": True} if span is None else {"range": [float(span[0]), float(span[1])]}


def _decode_range(data: dict) -> tuple[float, float] | None:
    if data.get("none"):
        return None
    low, high = data["range"]
    return float(low), float(high)


@dataclass(frozen=True)
class _Shared:
    """Where a context keeps its component ranges for the batch's other kernels: the bounds
    folder's ``ranges/`` (none outside a batch), under the bases' signature and the claims."""

    signature: str
    claims_key: str

    def _place(self, columns: frozenset[str], q: Quantity) -> tuple[Path | None, str]:
        folder = _folder()
        key = _key(self.signature, self.claims_key, ("range", tuple(sorted(columns)), q))
        return (None if folder is None else folder / RANGES), key

    def read_range(self, columns: frozenset[str], q: Quantity):
        return _read(*self._place(columns, q), decode=_decode_range)

    def write_range(self, columns: frozenset[str], q: Quantity, span) -> None:
        _write(*self._place(columns, q), span, encode=_encode_range)


def _folder() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def identify_many(
    qs, frame: pd.DataFrame, claims_: list[Claim] | None = None
) -> dict[Quantity, Interval | None]:
    """The bounds of many statistics on one frame's bases (components solved once)."""
    chosen = list(_default_claims()) if claims_ is None else list(claims_)
    claims_key = "default" if claims_ is None else repr(chosen)
    signature = bases_signature(frame)
    folder = _folder()
    out: dict[Quantity, Interval | None] = {}
    for q in qs:
        if q in out:
            continue
        key = _key(signature, claims_key, q)
        found, interval = _read(folder, key)
        if not found:
            if (signature, claims_key) not in _CONTEXTS:
                shared = _Shared(signature, claims_key)
                _CONTEXTS[signature, claims_key] = _Context(frame, chosen, shared)
            interval = _CONTEXTS[signature, claims_key].identify(q)
            _write(folder, key, interval)
        out[q] = interval
    return out


def identify(
    q: Quantity, frame: pd.DataFrame, claims_: list[Claim] | None = None
) -> Interval | None:
    """The bounds of one statistic; None where its base is empty (nobody to describe)."""
    return identify_many([q], frame, claims_)[q]

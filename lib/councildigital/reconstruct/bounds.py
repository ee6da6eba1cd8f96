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

1. The component: starting from the statistic's columns (and the filter
   questions routing them), every claim touching one of the columns brings in
   all of the claim's columns (its statistic, an ordering's siblings, a gap's
   or an 'above' claim's parts), until nothing new comes in.
2. Blocks: columns that some statistic (the target's or a claim's) reads
   jointly (a share among those with a vision, a crosstab cell, a paired gap) and
   a routed column with its filter question are modelled as one joint table;
   every other column is a table on its own (its answer counts). A table is
   split by council type only where a statistic needs it. Tables are coupled
   only through the claims, so any set of tables with the right bases is the
   table set of some dataset.
3. The carrier: the blocks holding the target's columns. The programme for the
   target is the carrier's tables with (i) every claim lying wholly in the
   carrier, exactly (intervals; orderings and 'above' counts with 0/1 flags and
   big-M rows, as in the build; a claim's share with a varying base by its
   linearisation, with that base at least 1); and (ii) for every claim lying
   partly outside, the range each of its statistics inside the carrier
   (own value, siblings, parts) takes over the whole component (the component
   programme of all its blocks and claims, solved once for the minimum and the
   maximum of that statistic and reused by every target on the component).
   When the carrier is the whole component, (i) is all there is and the bounds
   are exact; otherwise (ii) replaces the claims outside by the ranges they
   imply on the carrier, so the result is a valid outer bound (never narrower
   than the identified set) and sharp for the constraints included. It is
   exact whenever the values the component allows for those statistics form
   whole runs (no gaps), which ``tests/test_bounds`` checks against the full
   component for a sample of statistics.
4. Objectives. With a denominator fixed by the bases (a share or mean of
   answerers in a group; a paired statistic; differences and combinations of
   those) the statistic is linear: one integer programme (scipy's HiGHS,
   relative gap 0) for the minimum and one for the maximum. With a varying
   denominator (a mean among those answering yes elsewhere, a crosstab row
   share) Dinkelbach's method, exact for integer programmes, over datasets
   where the base is at least 1. A difference or combination with varying
   denominators enumerates their feasible values (each part's range first) and
   solves the linear programme for each.

``free_low`` and ``free_high`` are the same carrier with no claim (the bases
only). ``coverage`` is the interval's width over the free width: the share of
what the bases allow that the report leaves open. A statistic the bases fix
(free width 0) has coverage 0.0. Where no dataset with these bases meets the
figures, low and high are NaN (and coverage NaN).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from councildigital.data import microdata, published, survey
from councildigital.reconstruct import claims as claims_module
from councildigital.reconstruct.claims import EPS, GROUPS, Claim, Quantity, quantity_weights

# An interval covering at least 90% of the range the bases allow says the report leaves the
# number essentially free: what a page shows for it comes from the reconstruction's assumptions.
ASSUMED_COVERAGE = 0.9
CACHE_ENV = "COUNCILDIGITAL_BOUNDS"
BASE = "council_type"  # the column every basis is split by; its counts are fixed
BIG = 1000.0  # big-M of orderings and 'above' flags: beyond any share or mean difference
_TOLERANCE = 1e-9


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


def _answers(q: Quantity) -> set[str]:
    """The columns a statistic reads, other than the council type (a basis)."""
    return _reduced(q).columns() - {BASE}


def _claim_quantities(claim: Claim) -> tuple[Quantity, ...]:
    return (claim.quantity, *claim.siblings)


def _claim_columns(claim: Claim) -> set[str]:
    return set().union(*(_answers(q) for q in _claim_quantities(claim)))


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


def _component(columns: set[str], claims_: list[Claim]) -> tuple[frozenset[str], list[Claim]]:
    """Every claim connected to ``columns`` through shared columns, and all their columns."""
    reached = set(columns)
    chosen: list[Claim] = []
    pending = [c for c in claims_ if c.checkable and _claim_columns(c)]
    while True:
        touching = [c for c in pending if _claim_columns(c) & reached]
        if not touching:
            return frozenset(reached), chosen
        chosen += touching
        pending = [c for c in pending if c not in touching]
        for claim in touching:
            reached |= _claim_columns(claim)


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
    split = {find(next(iter(_answers(a)))) for a in atoms if BASE in a.columns() and _answers(a)}
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


def _block(frame: pd.DataFrame, columns: tuple[str, ...], split: bool) -> _Block:
    """Cells of a joint table: per fixed total (council type if split, and the pattern of
    answered columns and of their follow-ups), every answer combination the routing allows."""
    followed = [c for c in columns if _children(c)]
    keys = [frame[BASE]] if split else []
    keys += [frame[c].notna() for c in columns]
    keys += [frame[list(_children(c))].notna().any(axis=1) for c in followed]
    patterns = frame.groupby(keys).size()
    routing = _routing()
    rows, group, counts = [], [], []
    for key, count in patterns.items():
        key = key if isinstance(key, tuple) else (key,)
        kind, key = (key[0], key[1:]) if split else (None, key)
        answered, asked = key[: len(columns)], dict(zip(followed, key[len(columns) :], strict=True))
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
        for block in self.blocks:
            block.offset = self.size
            self.size += len(block.cells)
        self.upper = np.concatenate(
            [b.counts[b.group] for b in self.blocks] or [np.zeros(0)]
        ).astype(float)
        self.totals = []
        for b in self.blocks:
            for g, count in enumerate(b.counts):
                vector = np.zeros(self.size)
                vector[b.offset + np.flatnonzero(b.group == g)] = 1.0
                self.totals.append((vector, {}, float(count), float(count)))

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
        numerator, denominator = quantity_weights(q, block.cells)
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

    def _above(self, claim: Claim) -> None:
        flags = {}
        for part in claim.quantity.parts:
            value = self._linear(part)
            flag = self.flag()
            threshold = claim.quantity.threshold
            self.add(value, lo=threshold + EPS - BIG, flags={flag: -BIG})
            self.add(value, hi=threshold, flags={flag: -BIG})
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
            self.add(diff, lo=EPS - BIG, flags={flag: -BIG})
            self.add(diff, hi=0.0, flags={flag: -BIG})
            flags[flag] = 1.0
        zero = np.zeros(self.size)
        if claim.order == "rank":
            self.add(zero, claim.n - 1, claim.n - 1, flags)
        else:
            self.add(zero, hi=claim.n - 1, flags=flags)

    # solving -------------------------------------------------------------

    def solve(self, objective: np.ndarray, extra=()) -> np.ndarray | None:
        """Counts minimising ``objective``; None if no dataset meets the rows."""
        rows = [*self.totals, *self.rows, *extra]
        width = self.size + self.flags
        matrix = np.zeros((len(rows), width))
        lower, upper = np.empty(len(rows)), np.empty(len(rows))
        for r, (vector, flags, lo, hi) in enumerate(rows):
            matrix[r, : self.size] = vector
            for f, c in flags.items():
                matrix[r, self.size + f] = c
            lower[r], upper[r] = lo, hi
        cost = np.concatenate([objective, np.zeros(self.flags)])
        result = milp(
            cost,
            integrality=np.ones(width),
            bounds=Bounds(np.zeros(width), np.concatenate([self.upper, np.ones(self.flags)])),
            constraints=LinearConstraint(matrix, lower, upper),
            options={"mip_rel_gap": 0.0, "time_limit": 60},
        )
        if result.status == 2:  # infeasible
            return None
        if not result.success:
            raise RuntimeError(f"bounds programme not solved: {result.message}")
        return np.round(result.x[: self.size])

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

    def _enumerate(self, form: _Form, sense: float, extra) -> float | None:
        varying = [(c, p) for c, p in form.parts if p.ratio or p.parts]
        if any(p.parts for _, p in varying):
            raise ValueError("a combination of combinations with varying bases")
        ranges = []
        for _, p in varying:
            at_least_one = (*extra, (p.denominator, {}, 1.0, math.inf))
            low = self.solve(p.denominator, at_least_one)
            if low is None:
                return None
            high = self.solve(-p.denominator, at_least_one)
            ranges.append(range(int(p.denominator @ low), int(p.denominator @ high) + 1))
        fixed = sum(
            (c * p.linear for c, p in form.parts if not (p.ratio or p.parts)), np.zeros(self.size)
        )
        best = None
        for bases in product(*ranges):
            linear = fixed.copy()
            rows = list(extra)
            for (c, p), b in zip(varying, bases, strict=True):
                linear = linear + c * p.numerator / b
                rows.append((p.denominator, {}, float(b), float(b)))
            value = self.extreme(_Form(linear=linear), sense, rows)
            if value is not None and (best is None or sense * (value - best) > 0):
                best = value
        return best


# --------------------------------------------------------------------------
# The bounds of one statistic
# --------------------------------------------------------------------------


class _Context:
    """One frame's bases and one list of claims: components solved once, reused."""

    def __init__(self, frame: pd.DataFrame, claims_: list[Claim]):
        self.frame = frame
        self.claims = claims_
        self.ranges: dict[tuple[frozenset[str], Quantity], tuple[float, float] | None] = {}
        self.components: dict[frozenset[str], _Programme] = {}

    def programme(self, atoms: list[Quantity], claims_: list[Claim]) -> _Programme:
        blocks = [_block(self.frame, cols, split) for cols, split in _blocks(atoms)]
        programme = _Programme(blocks)
        for claim in claims_:
            programme.claim(claim)
        return programme

    def component(self, columns: frozenset[str], claims_: list[Claim]) -> _Programme:
        if columns not in self.components:
            atoms = [a for c in claims_ for q in _claim_quantities(c) for a in _atoms(q)]
            self.components[columns] = self.programme(atoms, claims_)
        return self.components[columns]

    def range(self, columns, claims_, q: Quantity) -> tuple[float, float] | None:
        key = (columns, q)
        if key not in self.ranges:
            whole = self.component(columns, claims_)
            form = whole.form(q)
            low = whole.extreme(form, -1.0)
            self.ranges[key] = None if low is None else (low, whole.extreme(form, 1.0))
        return self.ranges[key]

    def identify(self, q: Quantity) -> Interval | None:
        own = _answers(q)
        columns, connected = _component(own, self.claims)
        atoms = _atoms(q)
        claim_atoms = [a for c in connected for cq in _claim_quantities(c) for a in _atoms(cq)]
        layout = _blocks([*atoms, *claim_atoms])
        carrier = [
            (cols, split or any(BASE in a.columns() and _answers(a) <= set(cols) for a in atoms))
            for cols, split in layout
            if set(cols) & own
        ]
        inside = set().union(*(cols for cols, _ in carrier))
        blocks = [_block(self.frame, cols, split) for cols, split in carrier]
        free = _Programme(blocks)
        form = free.form(q)
        if form is None:
            return None
        free_low, free_high = free.extreme(form, -1.0), free.extreme(form, 1.0)
        if free_low is None:
            return None
        bounded = _Programme(blocks)
        feasible = True
        for claim in connected:
            if _claim_columns(claim) <= inside:
                bounded.claim(claim)
                continue
            for cq in _claim_quantities(claim):
                for f in _functionals(cq):
                    if f.stat == "above" or not _answers(f) <= inside:
                        continue
                    span = self.range(columns, connected, f)
                    if span is None:
                        feasible = False
                        continue
                    bounded.interval(f, span[0] - 1e-9, span[1] + 1e-9)
        low = bounded.extreme(form, -1.0) if feasible else None
        high = math.nan if low is None else bounded.extreme(form, 1.0)
        return Interval(*(_tidy(v) for v in (low, high, free_low, free_high)))


# --------------------------------------------------------------------------
# Caching and the public calls
# --------------------------------------------------------------------------


def _tidy(value: float | None) -> float:
    """A value without the rounding noise of summing weights (ten decimals), NaN for none."""
    return math.nan if value is None else round(value, 10)


_MEMORY: dict[str, Interval | None] = {}
_CONTEXTS: dict[tuple[str, str], _Context] = {}


def bases_signature(frame: pd.DataFrame) -> str:
    """A hash of who answered what, by council type (never the answers)."""
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


def _key(signature: str, claims_key: str, q: Quantity) -> str:
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


def _read(folder: Path | None, key: str) -> tuple[bool, Interval | None]:
    if key in _MEMORY:
        return True, _MEMORY[key]
    if folder is not None:
        path = folder / f"{key}.json"
        try:
            found = _decode(json.loads(path.read_text()))
        except (OSError, ValueError, KeyError, TypeError):
            return False, None
        _MEMORY[key] = found
        return True, found
    return False, None


def _write(folder: Path | None, key: str, interval: Interval | None) -> None:
    _MEMORY[key] = interval
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{key}.", suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(_encode(interval), out)
    os.replace(temporary, folder / f"{key}.json")


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
            context = _CONTEXTS.setdefault((signature, claims_key), _Context(frame, chosen))
            interval = context.identify(q)
            _write(folder, key, interval)
        out[q] = interval
    return out


def identify(
    q: Quantity, frame: pd.DataFrame, claims_: list[Claim] | None = None
) -> Interval | None:
    """The bounds of one statistic; None where its base is empty (nobody to describe)."""
    return identify_many([q], frame, claims_)[q]

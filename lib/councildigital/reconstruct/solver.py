"""The build: integer programmes (scipy's HiGHS) choose how many respondents give each answer
so that every claim holds; a seeded random assignment then gives the answers to respondents.
"""

from __future__ import annotations

import math
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.stats import norm

from councildigital.data import microdata, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct.assumptions import ASSUMPTIONS_PATH, assumption, assumptions_table
from councildigital.reconstruct.claims import (
    EPS,
    TYPE_QUESTIONS,
    Claim,
    Quantity,
    claims,
    digital_type_codes,
    fidelity,
    fidelity_summary,
    quantity_weights,
)

DEFAULT_SEED = 2024


# --------------------------------------------------------------------------
# 3. The build: integer programmes over answer patterns ("cells")
# --------------------------------------------------------------------------


class _Programme:
    """Counts of answer patterns that satisfy claims, at least cost.

    Each row of ``cells`` is an answer pattern; its variable is how many
    respondents give it. ``subject`` names the columns whose claims this
    programme is responsible for; other claims are left to other programmes.
    """

    BIG = 1000.0

    def __init__(self, cells: pd.DataFrame, subject: set[str], upper: int):
        self.cells = cells.reset_index(drop=True)
        self.subject = subject
        size = len(self.cells)
        self.lb, self.ub = [0.0] * size, [float(upper)] * size
        self.integer, self.cost = [1] * size, [0.0] * size
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.fixed: list[tuple[np.ndarray, int]] = []
        self.intervals: dict[Quantity, Claim] = {}

    def _var(self, upper: float, integer: bool, cost: float = 0.0) -> int:
        self.lb.append(0.0)
        self.ub.append(upper)
        self.integer.append(int(integer))
        self.cost.append(cost)
        return len(self.lb) - 1

    def add(self, coefs: dict[int, float], lo: float = -math.inf, hi: float = math.inf) -> None:
        self.rows.append((coefs, lo, hi))

    @staticmethod
    def terms(weights: np.ndarray) -> dict[int, float]:
        """A linear expression over the cells: each cell count times its weight."""
        return {i: float(w) for i, w in enumerate(weights) if w}

    def mask(self, **answers: object) -> np.ndarray:
        keep = np.ones(len(self.cells), dtype=bool)
        for col, value in answers.items():
            series = self.cells[col]
            keep &= (
                (series.isna() if value is None else series.eq(value)).fillna(False).to_numpy(bool)
            )
        return keep

    def total(self, mask: np.ndarray, total: int) -> None:
        self.add(self.terms(mask.astype(float)), total, total)
        self.fixed.append((mask, total))

    def target(self, coefs: dict[int, float], value: float, weight: float) -> None:
        """Pull a linear expression towards ``value``: cost ``weight`` per unit of distance."""
        slack = self._var(math.inf, False, weight)
        self.add({**coefs, slack: -1.0}, hi=value)
        self.add({**coefs, slack: 1.0}, lo=value)

    def linear(self, q: Quantity) -> dict[int, float] | None:
        """The statistic as a linear expression in the counts, if its base is fixed."""
        if q.stat == "difference":
            first, second = (self.linear(p) for p in q.parts)
            if first is None or second is None:
                return None
            return {i: first.get(i, 0.0) - second.get(i, 0.0) for i in first.keys() | second}
        numerator, denominator = quantity_weights(q, self.cells)
        if denominator is None:
            return self.terms(numerator)
        for mask, total in self.fixed:
            if np.array_equal(denominator.astype(bool), mask):
                return self.terms(numerator / total)
        return None

    def applies(self, claim: Claim) -> bool:
        quantities = (claim.quantity, *claim.siblings)
        measured = set().union(*(q.measured() for q in quantities))
        needed = set().union(*(q.columns() for q in quantities))
        # A claim about respondents alone (no answer column) is met by the programme's total.
        return bool(measured) and measured <= self.subject and needed <= set(self.cells.columns)

    def claim(self, claim: Claim) -> None:
        if claim.order:
            self._order(claim)
        elif claim.quantity.stat == "above":
            self._above(claim)
        else:
            self._interval(claim.quantity, claim)
            if claim.point:
                self.intervals[claim.quantity] = claim

    def _interval(self, q: Quantity, claim: Claim) -> None:
        lo = claim.lo + (EPS if claim.lo_strict else 0.0)
        hi = claim.hi - (EPS if claim.hi_strict else 0.0)
        expression = self.linear(q)
        if expression is not None:
            self.add(expression, lo, hi)
            return
        numerator, denominator = (self.terms(w) for w in quantity_weights(q, self.cells))
        for bound, sense in ((lo, 1), (hi, -1)):
            if math.isfinite(bound):
                coefs = {
                    i: numerator.get(i, 0.0) - bound * denominator.get(i, 0.0)
                    for i in numerator.keys() | denominator
                }
                self.add(coefs, lo=0.0) if sense == 1 else self.add(coefs, hi=0.0)

    def _above(self, claim: Claim) -> None:
        flags = {}
        for part in claim.quantity.parts:
            value = self.linear(part)
            flag = self._var(1, True)
            threshold = claim.quantity.threshold
            self.add({**value, flag: -self.BIG}, lo=threshold + EPS - self.BIG)
            self.add({**value, flag: -self.BIG}, hi=threshold)
            flags[flag] = 1.0
        self.add(flags, claim.lo, claim.hi)

    def _order(self, claim: Claim) -> None:
        own = self.linear(claim.quantity)
        if own is None:
            self._order_by_interval(claim)
            return
        flags = {}
        for sibling in claim.siblings:
            if sibling == claim.quantity:
                continue
            other = self.linear(sibling)
            # diff > 0: the sibling is above (or, for 'bottom' claims, below) the figure's own.
            sign = -1.0 if claim.order == "bottom" else 1.0
            diff = {i: sign * (other.get(i, 0.0) - own.get(i, 0.0)) for i in other.keys() | own}
            flag = self._var(1, True)
            self.add({**diff, flag: -self.BIG}, lo=EPS - self.BIG)
            self.add({**diff, flag: -self.BIG}, hi=0.0)
            flags[flag] = 1.0
        self._count_flags(flags, claim)

    def _order_by_interval(self, claim: Claim) -> None:
        """An ordering of ratios with free bases: siblings kept outside the figure's own interval."""
        own = self.intervals[claim.quantity]
        flags = {}
        for sibling in claim.siblings:
            if sibling == claim.quantity:
                continue
            numerator, denominator = (self.terms(w) for w in quantity_weights(sibling, self.cells))
            keys = numerator.keys() | denominator
            flag = self._var(1, True)
            # Flag 1: the sibling is beyond the interval (above it; below it for 'bottom').
            far, near = (own.lo, own.hi) if claim.order == "bottom" else (own.hi, own.lo)
            sign = -1.0 if claim.order == "bottom" else 1.0
            beyond = {
                i: sign * (numerator.get(i, 0.0) - far * denominator.get(i, 0.0)) for i in keys
            }
            within = {
                i: sign * (numerator.get(i, 0.0) - near * denominator.get(i, 0.0)) for i in keys
            }
            big = self.BIG * 100
            self.add({**beyond, flag: -big}, lo=-big + EPS)
            self.add({**within, flag: -big}, hi=0.0)
            self.add({**denominator, flag: -1.0}, lo=0.0)  # an empty group is not above anyone
            flags[flag] = 1.0
        self._count_flags(flags, claim)

    def _count_flags(self, flags: dict[int, float], claim: Claim) -> None:
        if claim.order == "rank":
            self.add(flags, claim.n - 1, claim.n - 1)
        else:
            self.add(flags, hi=claim.n - 1)

    def solve(self, what: str) -> np.ndarray:
        matrix = np.zeros((len(self.rows), len(self.lb)))
        lower, upper = np.empty(len(self.rows)), np.empty(len(self.rows))
        for r, (coefs, lo, hi) in enumerate(self.rows):
            for i, c in coefs.items():
                matrix[r, i] = c
            lower[r], upper[r] = lo, hi
        result = milp(
            np.array(self.cost),
            integrality=np.array(self.integer),
            bounds=Bounds(self.lb, self.ub),
            constraints=LinearConstraint(matrix, lower, upper),
            options={"time_limit": 120},
        )
        if not result.success:
            raise RuntimeError(f"no {what} satisfies the published figures: {result.message}")
        return np.round(result.x[: len(self.cells)]).astype(int)


def _solve(cells: pd.DataFrame, subject: set[str], claims_: list[Claim], n: int, setup, what: str):
    """Build a programme over ``cells``, let ``setup`` add totals and targets, and solve it."""
    programme = _Programme(cells, subject, n)
    setup(programme)
    for claim in sorted(claims_, key=lambda c: bool(c.order)):  # intervals before orderings
        if claim.checkable and programme.applies(claim):
            programme.claim(claim)
    counts = programme.solve(what)
    return programme.cells.loc[programme.cells.index.repeat(counts)].reset_index(drop=True)


def _published(claims_: list[Claim], question: str, group: str = survey.ALL) -> dict[str, float]:
    """Stated point values of one question, by item."""
    return {
        c.item: c.published
        for c in claims_
        if c.question == question and c.group == group and c.point and c.checkable
    }


def _respondents(claims_: list[Claim]) -> int:
    return int(next(c.published for c in claims_ if c.checkable and c.quantity.stat == "rows"))


def _nonresponse_cost(programme: _Programme, columns: list[str]) -> None:
    penalty = float(assumption("item_nonresponse_penalty"))
    for col in columns:
        for i in np.flatnonzero(programme.mask(**{col: None})):
            programme.cost[i] += penalty


def _council_types(claims_: list[Claim], n: int) -> pd.DataFrame:
    """Council type and strategic-vision answer of every respondent."""
    types = survey.codes(survey.COUNCIL_TYPES)
    cells = pd.DataFrame(
        product(types, [*survey.YES_NO_DONT_KNOW.values, None]),
        columns=["council_type", "has_vision"],
    ).astype({"has_vision": "Int64"})
    shares = _published(claims_, "respondent_council_type")
    smaller = assumption("smaller_council_types")
    rest = (n - sum(shares.values()) * n / 100) / len(smaller)
    vision_share = _published(claims_, "has_vision").get("yes", 0.0) / 100

    def setup(p: _Programme) -> None:
        p.total(np.ones(len(p.cells), dtype=bool), n)
        _nonresponse_cost(p, ["has_vision"])
        dont_know = p.mask(has_vision=9)
        p.target(p.terms(dont_know.astype(float)), float(assumption("vision_dont_know")), 1.0)
        for t in types:
            if t in shares:
                continue
            size = rest if t in smaller else 0.0
            p.target(p.terms(p.mask(council_type=t).astype(float)), size, 1.0)
            yes = p.mask(council_type=t, has_vision=1)
            p.target(p.terms(yes.astype(float)), size * vision_share, 1.0)

    return _solve(cells, {"council_type", "has_vision"}, claims_, n, setup, "council type mix")


def _regions(claims_: list[Claim], people: pd.DataFrame) -> pd.DataFrame:
    """How many respondents of each council type are in each region."""
    n = len(people)
    allowed = assumption("council_regions")
    counts = people["council_type"].value_counts()
    sizes = counts.reindex([t for t in survey.codes(survey.COUNCIL_TYPES) if t in counts.index])
    cells = pd.DataFrame(
        [(t, r) for t in sizes.index for r in allowed[t]], columns=["council_type", "region"]
    )
    expected = {r: s * n / 100 for r, s in _published(claims_, "respondent_region").items()}
    for nation in ("scotland", "wales"):
        expected[nation] = float(sizes.get(nation, 0))
    others = assumption("other_regions")
    rest = (n - sum(expected.values())) / len(others)
    expected |= {r: rest for r in others}

    def setup(p: _Programme) -> None:
        p.total(np.ones(len(p.cells), dtype=bool), n)
        for t, size in sizes.items():
            p.total(p.mask(council_type=t), int(size))
        for r in others:
            p.target(p.terms(p.mask(region=r).astype(float)), expected[r], 1.0)
        # Spread each type across its regions in proportion to the regions' sizes.
        for i, (t, r) in enumerate(p.cells.itertuples(index=False)):
            share = expected[r] / sum(expected[x] for x in allowed[t])
            p.target({i: 1.0}, sizes[t] * share, 0.1)

    return _solve(cells, {"region"}, claims_, n, setup, "regional mix")


def _roles(claims_: list[Claim], n: int) -> pd.DataFrame:
    cells = pd.DataFrame({"role": survey.codes(survey.ROLES)})

    def setup(p: _Programme) -> None:
        p.total(np.ones(len(p.cells), dtype=bool), n)
        members = p.mask(role="elected_member")
        p.target(p.terms(members.astype(float)), float(assumption("elected_members")), 1.0)

    return _solve(cells, {"role"}, claims_, n, setup, "role mix")


def _single(column: str, claims_: list[Claim], n: int, values: tuple[int, ...]) -> pd.DataFrame:
    """Answers to one question on its own, with as few missing as the figures allow."""
    cells = pd.DataFrame({column: [*values, None]}, dtype="Int64")

    def setup(p: _Programme) -> None:
        p.total(np.ones(len(p.cells), dtype=bool), n)
        _nonresponse_cost(p, [column])

    return _solve(cells, {column}, claims_, n, setup, f"{column} answers")


def _vision_extents(claims_: list[Claim], n_vision: int) -> pd.DataFrame:
    """(could help, in plan) pairs of the respondents whose council has a vision."""
    extents = [*survey.EXTENT.values, None]
    cells = pd.DataFrame(
        [(1, c, p) for c, p in product(extents, extents)],
        columns=["has_vision", "vision_could_help", "vision_in_plan"],
        dtype="Int64",
    )
    weights = assumption("plan_versus_potential")

    def setup(p: _Programme) -> None:
        p.total(np.ones(len(p.cells), dtype=bool), n_vision)
        _nonresponse_cost(p, ["vision_could_help", "vision_in_plan"])
        for i, (_, c, plan) in enumerate(p.cells.itertuples(index=False)):
            if pd.isna(c) or pd.isna(plan):
                continue
            if plan > c:
                p.cost[i] += weights["per_step_above"] * (plan - c)
            elif plan < c - 1:
                p.cost[i] += weights["per_step_further_below"] * (c - 1 - plan)

    return _solve(
        cells, {"vision_could_help", "vision_in_plan"}, claims_, n_vision, setup, "vision answers"
    )


def _type_columns() -> list[str]:
    return [
        column_name(q, theme, kind)
        for q in TYPE_QUESTIONS.values()
        for theme in survey.codes(survey.THEMES)
        for kind in digital_type_codes()
    ]


def _shares(b: int, own: list[Claim]) -> list[float]:
    """The shares on base ``b`` that satisfy every claim about the item on its own."""
    return [100 * k / b for k in range(b + 1) if all(c.holds(100 * k / b) for c in own)]


def _gap_fits(
    pair: tuple[int, ...],
    columns: tuple[str, ...],
    own: dict[str, list[Claim]],
    stated: list[Claim],
) -> bool:
    """Whether some pair of shares on these bases meets the items' own claims and the gap's."""
    options = (_shares(b, own[col]) for b, col in zip(pair, columns, strict=True))
    return any(all(c.holds(a - b) for c in stated) for a, b in product(*options))


def type_bases(claims_: list[Claim], n: int) -> dict[str, int]:
    """Each could-help and planned item's base: the most respondents that fit the stated figures.

    A share like 52% is no count out of 78 (40/78 is 51.3%, 41/78 is 52.6%),
    and a 16-point gap is no difference of two counts out of 78, so those
    items must have had fewer answers. Each item gets the largest base that
    makes its stated shares attainable; where a stated gap between an item's
    could-help and planned shares is then unattainable, the pair of bases with
    the largest total that attains it is taken (the planned base lowered first).
    """
    interval = [c for c in claims_ if c.checkable and not c.order]
    own = {
        col: [c for c in interval if c.quantity.stat == "share" and c.quantity.column == col]
        for col in _type_columns()
    }
    bases = {col: next(b for b in range(n, 0, -1) if _shares(b, own[col])) for col in own}
    gaps: dict[tuple[str, str], list[Claim]] = {}
    for c in interval:
        if c.quantity.stat == "difference" and c.quantity.measured() <= own.keys():
            gaps.setdefault(tuple(p.column for p in c.quantity.parts), []).append(c)
    ranked = sorted(product(range(n, 0, -1), repeat=2), key=lambda p: (-sum(p), -p[0]))
    for columns, stated in gaps.items():
        start = tuple(bases[col] for col in columns)
        chosen = next(
            pair
            for pair in ranked
            if pair[0] <= start[0] and pair[1] <= start[1] and _gap_fits(pair, columns, own, stated)
        )
        bases |= dict(zip(columns, chosen, strict=True))
    return bases


def _type_goals(claims_: list[Claim]) -> dict[str, float]:
    """The share each item is pulled towards: stated, else assumed (planned items left out
    here are pulled towards their could-help share less the assumed gap)."""
    stated = {
        c.quantity.column: (c.lo + c.hi) / 2
        for c in claims_
        if c.checkable and c.point and c.quantity.stat == "share"
    }
    unstated = assumption("unstated_could_help")
    themes, kinds = survey.codes(survey.THEMES), digital_type_codes()
    helps = pd.Series(
        {(t, k): stated.get(column_name("help", t, k)) for t in themes for k in kinds}, dtype=float
    )
    deviation = helps - helps.mean()
    theme_effect = deviation.groupby(level=0).mean().fillna(0.0)
    kind_effect = deviation.groupby(level=1).mean().fillna(0.0)
    goals = {}
    for t, k in product(themes, kinds):
        lead = theme_effect[t] + kind_effect[k]
        could = column_name("help", t, k)
        goals[could] = stated.get(could, unstated["level"] + unstated["effect_weight"] * lead)
        planned = column_name("planned", t, k)
        if planned in stated:
            goals[planned] = stated[planned]
    return goals


def _type_counts(claims_: list[Claim], bases: dict[str, int]) -> dict[str, int]:
    """How many of each item's base say 'yes', from one programme over all 108 items."""
    columns = list(bases)
    cells = pd.DataFrame(
        [{col: value} for col in columns for value in (1, 0)], columns=columns, dtype="Int64"
    )
    goals = _type_goals(claims_)
    gap = float(assumption("unstated_gap"))

    def setup(p: _Programme) -> None:
        share = {}
        for col in columns:
            p.total(p.cells[col].notna().to_numpy(dtype=bool), bases[col])
            share[col] = p.terms(p.mask(**{col: 1}).astype(float) * 100 / bases[col])
        for col in columns:
            if col in goals:
                p.target(share[col], goals[col], 1.0)
            else:
                could = share[col.replace("planned_", "help_", 1)]
                p.target({**could, **{i: -w for i, w in share[col].items()}}, gap, 1.0)

    answers = _solve(cells, set(columns), claims_, max(bases.values()), setup, "type answers")
    return {col: int((answers[col] == 1).sum()) for col in columns}


# --------------------------------------------------------------------------
# Likert answers from assumed means
# --------------------------------------------------------------------------


def likert_counts(mean: float, values: tuple[int, ...], n: int) -> dict[int, int]:
    """How many of ``n`` respondents give each answer, for an answer mean of ``mean``.

    A normal latent score (spread from ``score_spread``) is cut at the
    half-points between answers; its centre is found so the mean is right,
    and the rounded counts are nudged one step at a time to the exact total.
    """
    spread = float(assumption("score_spread"))
    scale = np.array(values, dtype=float)
    cuts = scale[:-1] + 0.5

    def probabilities(centre: float) -> np.ndarray:
        cdf = norm.cdf(cuts, loc=centre, scale=spread)
        return np.diff(np.concatenate([[0.0], cdf, [1.0]]))

    low, high = values[0] - 5.0, values[-1] + 5.0
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if probabilities(mid) @ scale < mean else (low, mid)
    raw = probabilities((low + high) / 2) * n
    counts = np.floor(raw).astype(int)
    counts[np.argsort(-(raw - counts), kind="stable")[: n - counts.sum()]] += 1
    goal = round(mean * n)
    while counts @ scale != goal:
        step = 1 if counts @ scale < goal else -1
        movable = [i for i in range(len(values)) if counts[i] and 0 <= i + step < len(values)]
        source = max(movable, key=lambda i: (counts[i], -i * step))
        counts[source] -= 1
        counts[source + step] += 1
    return dict(zip(values, counts.tolist(), strict=True))


# --------------------------------------------------------------------------
# Assigning answers to respondents
# --------------------------------------------------------------------------


def _placement(keys: list[object], scores: np.ndarray, rng: np.random.Generator) -> list[int]:
    """Which answer each respondent gets: the highest keys go to the highest scores.

    Answers without a key (missing ones) go to respondents drawn at random,
    so item non-response is unrelated to the answers given.
    """
    blank = [i for i, key in enumerate(keys) if key is None]
    ranked = sorted((i for i, key in enumerate(keys) if key is not None), key=keys.__getitem__)
    out = [-1] * len(scores)
    for person, item in zip(
        rng.choice(len(scores), size=len(blank), replace=False), blank, strict=True
    ):
        out[person] = item
    rest = [i for i in np.argsort(scores, kind="stable") if out[i] < 0]
    for person, item in zip(rest, ranked, strict=True):
        out[person] = item
    return out


def _by_score(answers: list[object], scores: np.ndarray, rng: np.random.Generator) -> list:
    keys = [None if pd.isna(a) else a for a in answers]
    return [keys[i] for i in _placement(keys, scores, rng)]


def _noise(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n)


Answers = dict[str, list]


def _people(claims_: list[Claim], n: int, rng: np.random.Generator) -> Answers:
    """Council type, vision, region and role: the types and regions solved jointly."""
    people = _council_types(claims_, n)
    people = people.iloc[rng.permutation(n)].reset_index(drop=True)
    regions = _regions(claims_, people)
    people["region"] = None
    for council_type, rows in people.groupby("council_type").groups.items():
        pool = regions.loc[regions["council_type"] == council_type, "region"].to_numpy()
        people.loc[rows, "region"] = rng.permutation(pool)
    people["role"] = rng.permutation(_roles(claims_, n)["role"].to_numpy())
    return {col: people[col].tolist() for col in people.columns}


def _vision_answers(
    claims_: list[Claim], has_vision: list, digital: np.ndarray, rng: np.random.Generator
) -> Answers:
    """The two vision follow-ups, asked only where the council has a vision."""
    asked = np.flatnonzero([v == 1 for v in has_vision])
    pairs = _vision_extents(claims_, len(asked))
    keys = [None if row.isna().any() else tuple(row) for _, row in pairs.iterrows()]
    placed = pairs.iloc[_placement(keys, digital[asked] + _noise(rng, len(asked)), rng)]
    answers: Answers = {}
    for col in ("vision_could_help", "vision_in_plan"):
        answers[col] = [None] * len(has_vision)
        for person, answer in zip(asked, placed[col], strict=True):
            answers[col][person] = answer
    return answers


def _theme_answers(n: int, digital: np.ndarray, rng: np.random.Generator) -> Answers:
    """Significance, potential and plan of each theme, from the assumed means.

    Plan follows potential closely, so it is at or below potential for most
    respondents but not all; significance is independent of digital outlook.
    """
    follows = assumption("answer_correlation")["follows_potential"]
    means = {
        q: assumption(f"theme_{name}_means")
        for q, name in (("sig", "significance"), ("pot", "potential"), ("plan", "plan"))
    }
    answers: Answers = {}
    for theme in survey.codes(survey.THEMES):
        counts = {
            q: _expand(likert_counts(means[q][theme], survey.EXTENT.values, n)) for q in means
        }
        potential = digital + _noise(rng, n)
        scores = {
            "sig": _noise(rng, n),
            "pot": potential,
            "plan": potential + follows * _noise(rng, n),
        }
        for q in means:
            answers[column_name(q, theme)] = _by_score(counts[q], scores[q], rng)
    return answers


def _type_answers(
    claims_: list[Claim], themes: Answers, digital: np.ndarray, rng: np.random.Generator
) -> Answers:
    """Could help and currently planned for every theme x type, each on its own base.

    A respondent who sees more potential in a theme is likelier to tick a type
    as able to help with it; one whose council plans more digital for it, and
    who thinks the type could help, is likelier to say it is planned.
    """
    n = len(digital)
    weight = assumption("answer_correlation")["help_to_planned"]
    bases = type_bases(claims_, n)
    yes = _type_counts(claims_, bases)
    answers: Answers = {}
    for theme in survey.codes(survey.THEMES):
        pot = np.array(themes[column_name("pot", theme)], dtype=float)
        plan = np.array(themes[column_name("plan", theme)], dtype=float)
        for kind in digital_type_codes():
            could, planned = column_name("help", theme, kind), column_name("planned", theme, kind)
            score = digital + (pot - pot.mean()) + _noise(rng, n)
            answers[could] = _by_score(_binary(yes[could], bases[could], n), score, rng)
            helps = np.array([a == 1 for a in answers[could]], dtype=float)
            score = weight * helps + (plan - plan.mean()) + _noise(rng, n)
            answers[planned] = _by_score(_binary(yes[planned], bases[planned], n), score, rng)
    return answers


def _barrier_answers(claims_: list[Claim], n: int, rng: np.random.Generator) -> Answers:
    """Barrier scores: funding's published mean as stated, the others from the assumptions."""
    means = {**assumption("barrier_means"), **_published(claims_, "barrier_score")}
    return {
        column_name("barrier", barrier): _by_score(
            _expand(likert_counts(means[barrier], survey.BARRIER.values, n)), _noise(rng, n), rng
        )
        for barrier in survey.codes(survey.BARRIERS)
    }


def build(seed: int = DEFAULT_SEED, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The synthetic microdata: one row per respondent, every published figure reproduced.

    The counts come from the figures and the assumptions alone; ``seed`` only
    decides which respondent gives which answer, so every seed is as faithful.
    """
    claims_ = claims(figures)
    n = _respondents(claims_)
    rng = np.random.default_rng(seed)
    answers = _people(claims_, n, rng)
    digital = assumption("answer_correlation")["factor"] * rng.standard_normal(n)
    answers |= _vision_answers(claims_, answers["has_vision"], digital, rng)
    answers |= _theme_answers(n, digital, rng)
    answers |= _type_answers(claims_, answers, digital, rng)
    answers |= _barrier_answers(claims_, n, rng)
    capability = _single("has_capability", claims_, n, survey.YES_NO.values)["has_capability"]
    answers["has_capability"] = _by_score(list(capability), digital + _noise(rng, n), rng)
    answers[microdata.ID_COLUMN] = [f"{microdata.SYNTHETIC_PREFIX}{i + 1:03d}" for i in range(n)]
    frame = pd.DataFrame(answers)[list(microdata.COLUMNS)]
    return microdata.validate(frame.map(_text), "reconstruction")


def _text(value: object) -> str | None:
    """A cell as a survey tool exports it: the answer code as text, or empty."""
    if value is None or pd.isna(value):
        return None
    return str(value) if isinstance(value, str) else str(int(value))


def _expand(counts: dict[int, int]) -> list[int]:
    return [value for value, k in counts.items() for _ in range(k)]


def _binary(yes: int, answered: int, n: int) -> list[object]:
    return [1] * yes + [0] * (answered - yes) + [None] * (n - answered)


def to_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write microdata as a survey tool exports it: answer codes as integers, blanks for none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.map(_text).to_csv(path, index=False, lineterminator="\n")
    return path


def regenerate(seed: int = DEFAULT_SEED, path: Path = microdata.DEFAULT_PATH) -> Path:
    """Rebuild the synthetic microdata and write it, refusing if any figure is out of tolerance.

    Rewriting the embedded default also rewrites its codebook and assumptions
    table, so the documentation beside it always describes the code that made it.
    """
    frame = build(seed)
    table = fidelity(frame)
    if not table.loc[table["checkable"], "within"].all():
        raise RuntimeError("reconstruction outside tolerance:\n" + fidelity_summary(table))
    if Path(path).resolve() == microdata.DEFAULT_PATH.resolve():
        microdata.write_codebook()
        assumptions_table().to_csv(ASSUMPTIONS_PATH, index=False, lineterminator="\n")
    return to_csv(frame, path)

"""Disclosure control that holds across a page and across the pages of a batch.

Primary suppression hides a figure whose base is below ``min_base``. That is not
enough on its own: a hidden count is often the total minus the counts shown beside
it, or follows from a weighted total and an unweighted one, or from another table
of the same respondents. So every hidden count is audited against everything shown
about the same respondents, and more is hidden (secondary suppression) until none
can be recovered.

The audit is exact, by integer programming (scipy's HiGHS, as the bounds of
:mod:`councildigital.reconstruct.bounds`): the hidden counts are unknown whole
numbers between 0 and their base, the figures shown are linear facts about them
(a count, a total, a weighted share to the decimals it is written with), and each
hidden count is minimised and maximised subject to them. A count whose minimum
equals its maximum can be recovered, by subtraction or any other arithmetic; one
with a range cannot. A recovered count of respondents giving an answer discloses
their answer; a recovered zero ("nobody in this row answered 5") names no one and,
as in the usual threshold rules, is not protected, but a recovered yes/no count is
always protected, since its zero is the other answer's whole base.

What is hidden is decided from the whole data set, not per page, so a council type
hidden on the page for everyone is hidden on its own page too: the pages of one
batch for the same data cannot be set against each other. Every hidden cell is
listed with its rule in the page's audit file (:func:`audit_rows`), for an output
checker.

acro (the SACRO output checker for trusted research environments) was weighed for
the primary rules and the audit trail: it applies a frequency threshold and
dominance rules to the tables it computes itself, through its own wrappers of
pandas and statsmodels (``crosstab``, ``pivot_table``, regressions), and records
its checks in its own results file. The pages compute their tables in the section
modules and have no magnitude tables (so dominance rules have nothing to check);
the threshold rule is this module's primary rule, and what the pages need beyond
it, suppression that holds between tables and between pages, acro does not do. So
it is not used; the audit file plays the part of its results file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from councildigital.data import survey

PRIMARY = "primary"
SECONDARY = "secondary"
# How a reason for secondary suppression ends, wherever a page shows it.
SECONDARY_MARK = "(secondary suppression)"
# A hidden cell the page's other figures give back however much of its table is hidden.
UNPROTECTABLE = "not protectable by suppression"
UNPROTECTABLE_REASON = (
    "given back by figures every page shows whatever is hidden here (the answers' own "
    "distributions and the totals below, on and above the diagonal): an output checker "
    "must judge those"
)
# The yes/no answers the pages show for every council type (vision, barriers): the
# statistics whose per-type counts the total and the weighted total could give back.
BY_TYPE = (("has_vision", (1,)), ("has_capability", (1,)))
# Shares are written to one decimal of a percent: a weighted share tells its hidden
# part only to within half of that.
SHARE_DECIMALS = 1


@dataclass(frozen=True)
class Fact:
    """Something a page shows about the hidden counts: ``low <= coefficients . x <= high``."""

    coefficients: np.ndarray
    low: float
    high: float
    label: str = ""  # what it is, for the audit file's derivations


def ranges(upper: Sequence[int], facts: Sequence[Fact]) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest value of each hidden count consistent with what is shown.

    ``upper``: each count's base (a count lies in 0..base); ``facts``: what the page
    shows about them. A count with equal ends can be recovered from the page.
    """
    upper = np.asarray(upper, dtype=float)
    k = len(upper)
    if k == 0:
        return np.zeros(0), np.zeros(0)
    constraints = (
        [
            LinearConstraint(
                np.vstack([np.atleast_2d(f.coefficients) for f in facts]),
                [f.low for f in facts],
                [f.high for f in facts],
            )
        ]
        if facts
        else []
    )
    bounds = Bounds(np.zeros(k), upper)
    low, high = np.zeros(k), np.zeros(k)
    for j in range(k):
        if upper[j] == 0:  # nothing to hide: the count is 0
            continue
        for sign, out in ((1.0, low), (-1.0, high)):
            objective = np.zeros(k)
            objective[j] = sign
            found = milp(objective, constraints=constraints, bounds=bounds, integrality=np.ones(k))
            if found.x is None:
                raise ValueError(
                    f"disclosure audit: the facts shown are inconsistent ({found.message})"
                )
            out[j] = round(float(found.x[j]))
    return low, high


@dataclass(frozen=True)
class Withheld:
    """Council types whose figures no page shows, each with its rule and its reason."""

    rules: Mapping[str, tuple[str, str]]

    def __contains__(self, code: object) -> bool:
        return code in self.rules

    def rule(self, code: str) -> str:
        return self.rules[code][0]

    def reason(self, code: str) -> str:
        return self.rules[code][1]

    @property
    def secondary(self) -> tuple[str, ...]:
        return tuple(c for c, (rule, _) in self.rules.items() if rule == SECONDARY)


def type_facts(
    frame: pd.DataFrame,
    column: str,
    answers: tuple,
    hidden: list[str],
    weights: pd.Series | None,
) -> tuple[list[int], list[Fact]]:
    """The hidden types' bases and what the page for everyone shows about their counts:
    the total count (the share of everyone, with its n) and, with weights, the weighted
    share to the decimals it is written with."""
    answered = frame[column].notna()
    types = frame.loc[answered, "council_type"]
    yes = frame.loc[answered, column].isin(answers)
    counts = yes.groupby(types).sum()
    bases = types.value_counts()
    upper = [int(bases.get(t, 0)) for t in hidden]
    shown = [t for t in counts.index if t not in hidden]
    total = int(counts.sum())
    rest = int(counts[shown].sum())
    facts = [Fact(np.ones(len(hidden)), total - rest, total - rest)]
    if weights is not None:
        w = weights[answered].groupby(types).sum()
        share = w / w.sum()
        coefficient = np.array(
            [100 * share.get(t, 0.0) / b if b else 0.0 for t, b in zip(hidden, upper, strict=True)]
        )
        value = float(100 * (share * counts / bases).sum())
        known = float(100 * (share[shown] * counts[shown] / bases[shown]).sum())
        half = 0.5 * 10.0**-SHARE_DECIMALS
        written = round(value, SHARE_DECIMALS)
        facts.append(
            Fact(coefficient, written - half - known - 1e-9, written + half - known + 1e-9)
        )
    return upper, facts


def withheld_types(
    frame: pd.DataFrame,
    min_base: int,
    weights: pd.Series | None = None,
    statistics: Sequence[tuple[str, tuple]] = BY_TYPE,
) -> Withheld:
    """The council types no page of this data shows on their own, and why.

    Primary: a type with respondents but fewer than ``min_base``. Secondary: while
    the figures for everyone (the count, and the weighted share where ``weights``
    are given) would give back a hidden type's count of any of ``statistics``, the
    shown type with the fewest respondents is hidden too (ties in the report's
    order). A type without respondents has nothing to hide.
    """
    sizes = frame["council_type"].value_counts()
    order = [c for c in survey.codes(survey.COUNCIL_TYPES) if sizes.get(c, 0) > 0]
    rules: dict[str, tuple[str, str]] = {
        c: (PRIMARY, f"base n = {int(sizes[c])} is below the minimum of {min_base}")
        for c in order
        if sizes[c] < min_base
    }
    if not rules:
        return Withheld(rules)
    while True:
        hidden = [c for c in order if c in rules]
        recovered = _recovered(frame, hidden, weights, statistics)
        candidates = sorted(
            (c for c in order if c not in rules), key=lambda c: (sizes[c], order.index(c))
        )
        if not recovered or not candidates:
            return Withheld(rules)
        added = candidates[0]
        names = ", ".join(survey.label(survey.COUNCIL_TYPES, c) for c in recovered)
        rules[added] = (
            SECONDARY,
            f"hidden although n = {int(sizes[added])}, as with the figures for all respondents "
            f"it would give back those of {names} {SECONDARY_MARK}",
        )


def _recovered(
    frame: pd.DataFrame,
    hidden: list[str],
    weights: pd.Series | None,
    statistics: Sequence[tuple[str, tuple]],
) -> list[str]:
    found = []
    for column, answers in statistics:
        if column not in frame.columns:  # a frame of some questions only
            continue
        upper, facts = type_facts(frame, column, answers, hidden, weights)
        low, high = ranges(upper, facts)
        found += [
            t for t, lo, hi, b in zip(hidden, low, high, upper, strict=True) if b and lo == hi
        ]
    return [t for t in hidden if t in found]


@dataclass(frozen=True)
class HiddenRows:
    """Rows of a table no table of the page shows, each with its rule and reason, and the
    hidden cells that the page's other figures give back however many rows are hidden
    (``unprotectable``: row, column, value), which the audit file names with how the
    figures shown give each back (``derivations``, in the same order)."""

    rules: Mapping[object, tuple[str, str]]
    unprotectable: tuple[tuple[object, object, int], ...] = ()
    derivations: tuple[str, ...] = ()

    def __contains__(self, row: object) -> bool:
        return row in self.rules


def withheld_rows(
    counts: pd.DataFrame,
    min_base: int,
    *,
    facts: Sequence[Fact] = (),
    hidden: Mapping[object, tuple[str, str]] | None = None,
    why: str = "as with the totals it would give back the rows hidden for their base",
    row_name=str,
    column_name=str,
) -> HiddenRows:
    """Rows of a two-way count table that no table of the page shows, and why.

    ``counts``: respondents per row and column (no margins). The page shows each row's
    base and each column's total (the distributions of the two answers), so those are
    facts; ``facts`` adds what else the page shows about the cells (coefficients over
    the table's cells, row by row). Primary: a row with respondents but a base below
    ``min_base``, and the rows of ``hidden`` (hidden already, with their rule and
    reason). Secondary: while a hidden cell's respondents can be recovered (a count
    above zero), the shown row with the smallest base is hidden too (its reason says
    ``why``); a cell that the bases, totals and ``facts`` give back even with every row
    hidden cannot be protected by hiding rows, and is reported rather than hidden for
    nothing; ``row_name`` and ``column_name`` write its derivation (:func:`derivation`).
    """
    n = counts.sum(axis=1)
    rules = {
        r: (PRIMARY, f"base n = {int(n[r])} is below the minimum of {min_base}")
        for r in counts.index
        if 0 < n[r] < min_base
    }
    rules |= {r: rule for r, rule in (hidden or {}).items() if r in counts.index and n[r] > 0}
    if not rules:
        return HiddenRows(rules)
    everything = [r for r in counts.index if n[r] > 0]
    inherent = set(recovered_cells(counts, everything, facts))
    while True:
        recovered = set(recovered_cells(counts, list(rules), facts)) - inherent
        candidates = sorted((r for r in everything if r not in rules), key=n.get)
        if not recovered or not candidates:
            break
        rules[candidates[0]] = (
            SECONDARY,
            f"hidden although n = {int(n[candidates[0]])}, {why} {SECONDARY_MARK}",
        )
    kept = sorted((c for c in inherent if c[0] in rules), key=lambda c: (str(c[0]), str(c[1])))
    audit = _audit(counts, list(rules), facts) if kept else None
    derived = tuple(
        derivation(counts, list(rules), (r, c), facts, row_name, column_name, audit)
        for r, c, _ in kept
    )
    return HiddenRows(rules, tuple(kept), derived)


def recovered_cells(
    counts: pd.DataFrame, hidden_rows: Sequence, facts: Sequence[Fact] = ()
) -> list[tuple[object, object, int]]:
    """The hidden cells (row, column, value) above zero that the shown cells, the row
    bases, the column totals and ``facts`` pin to their value."""
    values = counts.to_numpy(dtype=float)
    cells, _, low, high = _audit(counts, hidden_rows, facts)
    return [
        (counts.index[i], counts.columns[j], int(values[i, j]))
        for (i, j), lo, hi in zip(cells, low, high, strict=True)
        if lo == hi > 0
    ]


def _audit(counts: pd.DataFrame, hidden_rows: Sequence, facts: Sequence[Fact]):
    """The hidden rows' cells (positions), the facts about them (labelled) and their ranges."""
    values = counts.to_numpy(dtype=float)
    rows = [counts.index.get_loc(r) for r in hidden_rows]
    width = values.shape[1]
    cells = [(i, j) for i in rows for j in range(width)]
    column_totals = values.sum(axis=0)
    shown = np.ones(values.shape, bool)
    shown[rows] = False
    remainder = column_totals - (values * shown).sum(axis=0)
    upper = [min(values[i].sum(), remainder[j]) for i, j in cells]
    found: list[Fact] = []
    for i in rows:  # each row's base
        base = values[i].sum()
        fact = _over(cells, lambda c, i=i: c[0] == i, base)
        found.append(replace(fact, label=f"the base of {{row:{i}}} ({int(base)})"))
    for j in range(width):  # each column's total, less the shown rows
        rest = column_totals[j] - values[shown[:, j], j].sum()
        fact = _over(cells, lambda c, j=j: c[1] == j, rest)
        found.append(
            replace(
                fact,
                label=f"the total of {{column:{j}}} less the rows shown "
                f"({int(column_totals[j])} - {int(column_totals[j] - rest)})",
            )
        )
    for fact in facts:
        full = np.asarray(fact.coefficients, dtype=float).reshape(values.shape)
        known = float((full * values * shown).sum())
        coefficients = np.array([full[i, j] for i, j in cells])
        found.append(
            Fact(coefficients, fact.low - known, fact.high - known, f"{fact.label} less the shown")
        )
    low, high = ranges(upper, found) if facts else frechet(values, rows)
    return cells, found, low, high


def derivation(
    counts: pd.DataFrame,
    hidden_rows: Sequence,
    cell: tuple[object, object],
    facts: Sequence[Fact] = (),
    row_name=str,
    column_name=str,
    audit: tuple | None = None,
) -> str:
    """How the figures shown give back a hidden cell: its value as a sum of the facts (each
    row's base, each column's total less the rows shown, ``facts``) and of the hidden
    cells that must be 0 (a count cannot be negative), or, where no such sum exists, that
    whole-number bounds pin it. ``row_name`` and ``column_name`` write the labels;
    ``audit``: :func:`_audit` of the same rows and facts, if already computed."""
    values = counts.to_numpy(dtype=float)
    cells, found, low, high = audit or _audit(counts, hidden_rows, facts)
    at = cells.index((counts.index.get_loc(cell[0]), counts.columns.get_loc(cell[1])))

    def label(i: int, j: int) -> str:
        return f"{row_name(counts.index[i])} x {column_name(counts.columns[j])}"

    def words(text: str) -> str:
        for i, r in enumerate(counts.index):
            text = text.replace(f"{{row:{i}}}", row_name(r))
        for j, c in enumerate(counts.columns):
            text = text.replace(f"{{column:{j}}}", column_name(c))
        return text

    exact = [f for f in found if f.low == f.high]
    zeros = [k for k, hi in enumerate(high) if hi == 0 and k != at]
    basis = [f.coefficients for f in exact] + [np.eye(len(cells))[k] for k in zeros]
    terms = [words(f.label) for f in exact] + [
        f"{label(*cells[k])} (which the figures shown force to 0)" for k in zeros
    ]
    value = int(values[cells[at]])
    weights = _fewest_terms(basis, np.eye(len(cells))[at]) if basis else None
    if weights is not None:
        parts = [(w, t) for w, t in zip(weights, terms, strict=True) if w]
        formula = " ".join(
            f"{'+' if w > 0 else '-'} {'' if abs(w) == 1 else f'{abs(w)} x '}{t}" for w, t in parts
        ).removeprefix("+ ")
        return f"{label(*cells[at])} = {value} = {formula}"
    return (
        f"{label(*cells[at])} = {value}: the only whole number the figures shown allow "
        f"(from {int(low[at])} to {int(high[at])})"
    )


def _fewest_terms(basis: list[np.ndarray], target: np.ndarray, most: int = 3) -> list[int] | None:
    """Whole-number weights, each at most ``most`` either way, that add the ``basis`` vectors
    up to ``target`` with the least total weight (a formula a reader can follow); None if
    no such weights exist."""
    matrix = np.array(basis, dtype=float).T
    k = matrix.shape[1]
    found = milp(
        np.ones(2 * k),
        constraints=[LinearConstraint(np.hstack([matrix, -matrix]), target, target)],
        bounds=Bounds(np.zeros(2 * k), np.full(2 * k, most)),
        integrality=np.ones(2 * k),
    )
    if found.x is None:
        return None
    return [round(float(a - b)) for a, b in zip(found.x[:k], found.x[k:], strict=True)]


def frechet(values: np.ndarray, hidden_rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The ranges of :func:`ranges` for the hidden rows' cells when only the row bases and
    the column totals are known: the hidden rows form a two-way table with fixed margins
    (the column totals less the shown rows), whose cells' sharp bounds are Fréchet's,
    ``max(0, base + total - N) <= x <= min(base, total)``, each end reached by a
    whole-number table (Dobra and Fienberg 2000). The same answer as the integer
    programmes, without solving one per cell."""
    shown = np.ones(values.shape[0], bool)
    shown[list(hidden_rows)] = False
    totals = values.sum(axis=0) - values[shown].sum(axis=0)
    low, high = [], []
    for i in hidden_rows:
        base = values[i].sum()
        everyone = totals.sum()
        low += list(np.maximum(0.0, base + totals - everyone))
        high += list(np.minimum(base, totals))
    return np.array(low), np.array(high)


def _over(cells, chosen, value: float) -> Fact:
    return Fact(np.array([1.0 if chosen(c) else 0.0 for c in cells]), value, value)


def audit_rows(
    table: str, hidden: Mapping[object, tuple[str, str]], columns: Sequence[str] = ("all",)
) -> list[dict]:
    """The audit file's rows for one table: each hidden row and column, its rule and reason."""
    return [
        {"table": table, "row": str(row), "column": column, "rule": rule, "reason": reason}
        for row, (rule, reason) in hidden.items()
        for column in columns
    ]


# The roles' line in the audit file: no page shows them, crossed or not.
ROLES_TABLE = "Respondent's role (shown on no page)"


def role_rows(frame: pd.DataFrame, min_base: int) -> list[dict]:
    """The audit file's rows for the respondents' roles, which no page shows: each role with
    cells below ``min_base`` when crossed with council type or with region (the report's
    8 chief executives spread over the types), so a checker sees that none is published."""
    rows = []
    for role in survey.ROLES:
        mine = frame["role"] == role.code
        for column, what in (("council_type", "council type"), ("region", "region")):
            sizes = frame.loc[mine, column].value_counts()
            small = sizes[(sizes > 0) & (sizes < min_base)]
            if len(small):
                rows.append(
                    {
                        "table": ROLES_TABLE,
                        "row": role.label,
                        "column": f"by {what}",
                        "rule": PRIMARY,
                        "reason": f"{len(small)} of its {len(sizes)} {what} cells have a base "
                        f"below the minimum of {min_base} (smallest n = {int(small.min())}); "
                        "no page shows roles",
                    }
                )
    return rows


# The columns in which a page's tables say why a row is blank.
REASON_COLUMNS = ("Not shown because", "Note")


def audit_table(caption: str, frame: pd.DataFrame) -> list[dict]:
    """The audit file's rows for a table as shown: each row whose reason column says why it
    is blank, named by its first column; its rule from the reason."""
    rows = []
    for column in REASON_COLUMNS:
        if column not in frame.columns:
            continue
        for label, reason in zip(frame.iloc[:, 0], frame[column], strict=True):
            if isinstance(reason, str) and reason:
                rule = SECONDARY if reason.endswith(SECONDARY_MARK) else PRIMARY
                rows.append(
                    {
                        "table": caption,
                        "row": str(label),
                        "column": "all",
                        "rule": rule,
                        "reason": reason,
                    }
                )
    return rows


def suppress_types(table: pd.DataFrame, withheld: Withheld, columns: Sequence[str]) -> pd.DataFrame:
    """A by-type table after :func:`stats.suppress`, with ``withheld``'s secondary types
    blanked too (``columns``), flagged and given their reason."""
    secondary = table["council_type"].isin(withheld.secondary).to_numpy()
    if not secondary.any():
        return table
    out = table.copy()
    for column in columns:
        out[column] = out[column].astype(float).mask(secondary)
    out["suppressed"] = out["suppressed"] | secondary
    reasons = out["council_type"].map(lambda c: withheld.reason(c) if c in withheld else "")
    out["suppression_reason"] = out["suppression_reason"].where(~secondary, reasons)
    return out

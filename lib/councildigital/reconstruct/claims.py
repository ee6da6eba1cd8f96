"""Reading the published figures as claims about statistics of the microdata, and checking them.

Each row of ``lgc2024.csv`` becomes a :class:`Claim`: a statistic of the microdata
(:class:`Quantity`) and what the report says about it (an interval, or an ordering
among comparable statistics). ``fidelity`` evaluates every claim on any frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from councildigital import cache
from councildigital.data import published, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct.assumptions import PROSE_READINGS

# --------------------------------------------------------------------------
# 2. Reading the figures: claims about statistics of the microdata
# --------------------------------------------------------------------------

# How the report's answer groupings and respondent groups map to answer codes.
ANSWER_SETS: dict[str, tuple[int, ...]] = {
    "yes": (1,),
    "no": (0,),
    "large_or_very_large": (4, 5),
    "not_at_all_or_a_little": (1, 2),
    "little_or_medium": (2, 3),
    "below_very_large": (1, 2, 3, 4),
}
GROUPS: dict[str, tuple[str, tuple[object, ...]]] = {
    "has_vision": ("has_vision", (1,)),
    "could_help_large": ("vision_could_help", (4,)),
    "could_help_very_large": ("vision_could_help", (5,)),
    **{code: ("council_type", (code,)) for code in survey.codes(survey.COUNCIL_TYPES)},
}
_THEME_QUESTIONS = {"theme_significance": "sig", "theme_potential": "pot", "theme_plan": "plan"}
TYPE_QUESTIONS = {"type_could_help": "help", "type_planned": "planned"}
_VISION_QUESTIONS = {
    "vision_digital_could_help": "vision_could_help",
    "vision_digital_in_plan": "vision_in_plan",
}
# A theme's set of digital types named in an item ("efficiency_productivity:types_...").
_TYPE_SETS = {"types_selected_by_more_than_half": 50.0}
# Plain meanings of the verbal figures, as share intervals (lower, upper, upper exclusive).
VERBAL: tuple[tuple[str, float, float, bool], ...] = (
    ("just under a third", 29.0, 100 / 3, True),
    ("two thirds", 62.0, 71.0, False),
    ("one third", 30.0, 37.0, False),
    ("a third", 30.0, 37.0, False),
    ("a quarter", 22.0, 28.0, False),
)
EPS = 0.01  # points: how far apart "strictly" above or below has to be in the build


@dataclass(frozen=True)
class Quantity:
    """A statistic of the microdata: what one published figure, or one shown estimate, is about.

    ``share``: percent of the group's answers to ``column`` that are in
    ``answers``; ``mean``: mean answer; ``count``: respondents giving one of
    ``answers``; ``rows``: respondents; ``difference``: first part minus
    second; ``above``: how many parts exceed ``threshold``; ``combination``:
    the parts weighted by ``coefficients`` and summed.

    Three statistics compare two answers of the same respondents, among those
    in the group who answered both parts (each a ``share`` or ``mean``; a
    share's answer counts 100 if in its ``answers``, else 0): ``paired``, the
    mean of first minus second; ``sign``, percent whose second answer is below
    (``threshold`` -1), equal to (0) or above (1) their first; ``joint``,
    percent giving both parts' ``answers``.

    ``given`` narrows the respondents further, as (column, answers) pairs,
    for example a crosstab's row or "everyone but one council type".
    """

    stat: str
    column: str = ""
    answers: tuple[object, ...] = ()
    group: str = survey.ALL
    parts: tuple[Quantity, ...] = ()
    threshold: float = 0.0
    given: tuple[tuple[str, tuple[object, ...]], ...] = ()
    coefficients: tuple[float, ...] = ()

    def columns(self) -> set[str]:
        own = {self.column} if self.column else set()
        if self.group != survey.ALL:
            own.add(GROUPS[self.group][0])
        own.update(col for col, _ in self.given)
        return own.union(*(p.columns() for p in self.parts))

    def measured(self) -> set[str]:
        own = {self.column} if self.column else set()
        return own.union(*(p.measured() for p in self.parts))


class NotCheckable(ValueError):
    """A figure the microdata cannot speak to; the message says why."""


@dataclass(frozen=True)
class Claim:
    """What one figure row says about one statistic: an interval or an ordering."""

    id: str
    question: str
    item: str
    group: str
    measure: str
    published: float
    approximate: bool = False
    quantity: Quantity | None = None
    lo: float = -math.inf
    hi: float = math.inf
    lo_strict: bool = False
    hi_strict: bool = False
    order: str = ""  # "rank", "top" or "bottom"
    n: int = 0
    siblings: tuple[Quantity, ...] = ()
    tolerance: str = ""
    reason: str = ""  # why a figure is not checkable

    @property
    def checkable(self) -> bool:
        return self.quantity is not None

    @property
    def kind(self) -> str:
        """'value' (one stated number), 'bound' or 'ordering'."""
        if self.measure in ("rank", "in_top_n", "in_bottom_n"):
            return "ordering"
        return "bound" if self.measure.endswith("_bound") else "value"

    @property
    def point(self) -> bool:
        return self.kind == "value"

    def holds(self, value: float) -> bool:
        above = value > self.lo if self.lo_strict else value >= self.lo - 1e-9
        below = value < self.hi if self.hi_strict else value <= self.hi + 1e-9
        return bool(above and below)


def _quantity(question: str, item: str, group: str, measure: str) -> Quantity:
    if group != survey.ALL and group not in GROUPS:
        raise NotCheckable(f"no microdata definition of the group {group!r}")
    if question == "respondents":
        return Quantity("rows")
    if question.startswith("respondent_"):
        stat = "count" if measure == "count" else "share"
        return Quantity(stat, question.removeprefix("respondent_"), (item,), group)
    if question in ("has_vision", "has_capability") or question in _VISION_QUESTIONS:
        if item not in ANSWER_SETS:
            raise NotCheckable(f"no answer codes for the item {item!r}")
        return Quantity(
            "share", _VISION_QUESTIONS.get(question, question), ANSWER_SETS[item], group
        )
    if question in _THEME_QUESTIONS:
        return Quantity("mean", column_name(_THEME_QUESTIONS[question], item), group=group)
    if question == "theme_gap":
        return Quantity(
            "difference",
            parts=tuple(
                _quantity(q, item, group, "mean") for q in ("theme_potential", "theme_plan")
            ),
        )
    if question == "barrier_score":
        return Quantity("mean", column_name("barrier", item), group=group)
    theme, _, kind = item.partition(":")
    if question in TYPE_QUESTIONS and kind in _TYPE_SETS:
        shares = (_quantity(question, f"{theme}:{t}", group, "share") for t in digital_type_codes())
        return Quantity("above", parts=tuple(shares), threshold=_TYPE_SETS[kind])
    if question in TYPE_QUESTIONS and kind in digital_type_codes():
        return Quantity("share", column_name(TYPE_QUESTIONS[question], theme, kind), (1,), group)
    if question == "type_gap":
        return Quantity(
            "difference",
            parts=tuple(_quantity(q, item, group, "share") for q in TYPE_QUESTIONS),
        )
    raise NotCheckable(f"no microdata reading of {question!r} / {item!r}")


def digital_type_codes() -> tuple[str, ...]:
    return survey.codes(survey.DIGITAL_TYPES)


def _siblings(row: dict) -> tuple[Quantity, ...]:
    """The statistics an ordering compares the figure's own statistic with (itself included)."""
    question, item, group, measure = row["question"], row["item"], row["group"], row["measure"]
    if question in _THEME_QUESTIONS or question in ("theme_gap",):
        items = survey.codes(survey.THEMES)
    elif question == "barrier_score":
        items = survey.codes(survey.BARRIERS)
    elif question in (*TYPE_QUESTIONS, "type_gap"):
        theme, _, kind = item.partition(":")
        if "across the nine themes" in str(row.get("note") or ""):
            items = tuple(f"{t}:{kind}" for t in survey.codes(survey.THEMES))
        else:
            items = tuple(f"{theme}:{t}" for t in digital_type_codes())
    elif question == "has_vision" and group in survey.codes(survey.COUNCIL_TYPES):
        return tuple(
            _quantity(question, item, g, measure) for g in survey.codes(survey.COUNCIL_TYPES)
        )
    else:
        raise NotCheckable(f"no comparison set for an ordering of {question!r}")
    return tuple(_quantity(question, i, group, measure) for i in items)


def _half_unit(value: float) -> float:
    """Half the last stated digit: a whole number is within 0.5, one decimal within 0.05."""
    decimals = len(f"{value:.6g}".partition(".")[2])
    return 0.5 * 10.0**-decimals


def _verbal(quote: str) -> tuple[str, float, float, bool] | None:
    text = quote.lower()
    return next((v for v in VERBAL if v[0] in text), None)


def _bound_kind(note: str) -> bool:
    """True for an inclusive bound; the figures' notes say which (README of data/published)."""
    note = note.lower()
    if "inclusive" in note:
        return True
    if "exclusive" in note:
        return False
    raise NotCheckable("the note does not say whether the bound is inclusive")


def _claim(row: dict) -> Claim:
    value = float(row["value"])
    measure = row["measure"]
    fields = {k: row[k] for k in ("id", "question", "item", "group", "measure")} | {
        "published": value,
        "approximate": bool(row["approximate"]),
    }
    try:
        quantity = _quantity(row["question"], row["item"], row["group"], measure)
        if measure in ("rank", "in_top_n", "in_bottom_n"):
            order = {"rank": "rank", "in_top_n": "top", "in_bottom_n": "bottom"}[measure]
            words = {
                "rank": f"rank {value:g} (ties share a rank)",
                "top": f"among the {value:g} highest",
                "bottom": f"among the {value:g} lowest",
            }[order]
            return Claim(
                **fields,
                quantity=quantity,
                order=order,
                n=int(value),
                siblings=_siblings(row),
                tolerance=words,
            )
        if row["approximate"]:
            verbal = _verbal(row["quote"])
            if verbal is None:
                raise NotCheckable("approximate figure with no plain-meaning interval")
            phrase, lo, hi, hi_strict = verbal
            bracket = ")" if hi_strict else "]"
            return Claim(
                **fields,
                quantity=quantity,
                lo=lo,
                hi=hi,
                hi_strict=hi_strict,
                tolerance=f"'{phrase}': [{lo:g}, {hi:.4g}{bracket}",
            )
        half = _half_unit(value)
        if measure.endswith("_lower_bound"):
            inclusive = _bound_kind(str(row.get("note") or ""))
            lo = value - half if inclusive else value
            return Claim(
                **fields,
                quantity=quantity,
                lo=lo,
                lo_strict=not inclusive,
                tolerance=f">= {lo:g} (inclusive, rounded)" if inclusive else f"> {value:g}",
            )
        if measure.endswith("_upper_bound"):
            inclusive = _bound_kind(str(row.get("note") or ""))
            hi = value + half if inclusive else value
            return Claim(
                **fields,
                quantity=quantity,
                hi=hi,
                hi_strict=not inclusive,
                tolerance=f"<= {hi:g} (inclusive, rounded)" if inclusive else f"< {value:g}",
            )
        if measure == "count":
            return Claim(**fields, quantity=quantity, lo=value, hi=value, tolerance="exact")
        if measure in ("share", "mean", "gap"):
            return Claim(
                **fields,
                quantity=quantity,
                lo=value - half,
                hi=value + half,
                tolerance=f"+/- {half:g}",
            )
        raise NotCheckable(f"no reading of the measure {measure!r}")
    except NotCheckable as exc:
        return Claim(**fields, reason=str(exc))


def claims(figures: pd.DataFrame | None = None) -> list[Claim]:
    """Every 2024 figure, then every prose reading, as a claim.

    Of the embedded figures (``figures`` None), read once per version of them (:mod:`cache`).
    """
    if figures is None:
        return cache.derived("claims", _figures_version(), lambda: claims(_figures()))
    rows = figures[figures["document"] == "lgc2024"].to_dict("records")
    return [_claim(row) for row in [*rows, *PROSE_READINGS]]


def _figures() -> pd.DataFrame:
    return published.load_figures(documents=["lgc2024"])


def _figures_version() -> str:
    return cache.key((published.PUBLISHED_DIR / "lgc2024.csv").read_bytes())


# --------------------------------------------------------------------------
# Evaluating statistics (on respondents, or on the cells of a programme)
# --------------------------------------------------------------------------


PAIRED = ("paired", "sign", "joint")


def _group_mask(q: Quantity, frame: pd.DataFrame) -> np.ndarray:
    """The respondents a statistic is about: its group, narrowed by its ``given`` conditions."""
    keep = np.ones(len(frame), dtype=bool)
    if q.group != survey.ALL:
        col, values = GROUPS[q.group]
        keep &= frame[col].isin(values).to_numpy(dtype=bool)
    for col, values in q.given:
        keep &= frame[col].isin(values).to_numpy(dtype=bool)
    return keep


def _scores(q: Quantity, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's answer as the part of a paired statistic counts it, and whether it answered."""
    answers = frame[q.column]
    answered = answers.notna().to_numpy(dtype=bool)
    if q.stat == "share":
        return 100.0 * answers.isin(q.answers).to_numpy(dtype=bool), answered
    if q.stat == "mean":
        return pd.to_numeric(answers, errors="coerce").fillna(0).to_numpy(dtype=float), answered
    raise ValueError(f"a paired statistic compares shares or means, not {q.stat!r}")


def _paired_weights(q: Quantity, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    (first, asked_first), (second, asked_second) = (_scores(p, frame) for p in q.parts)
    both = _group_mask(q, frame) & asked_first & asked_second
    if q.stat == "paired":
        values = first - second
    elif q.stat == "sign":
        values = 100.0 * (np.sign(second - first) == q.threshold)
    else:
        values = 100.0 * ((first > 0) & (second > 0))
    return values * both, both.astype(float)


def quantity_weights(q: Quantity, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    """Each row's weight in the statistic's numerator and denominator (None: a plain count).

    On respondents the sums give the statistic; on a programme's cells they
    are the coefficients of the cell counts. One definition serves both.
    """
    if q.stat == "rows":
        return np.ones(len(frame)), None
    if q.stat in PAIRED:
        return _paired_weights(q, frame)
    answers = frame[q.column]
    group = _group_mask(q, frame)
    chosen = answers.isin(q.answers).to_numpy(dtype=bool)
    if q.stat == "count":
        return (group & chosen).astype(float), None
    answered = group & answers.notna().to_numpy(dtype=bool)
    if q.stat == "share":
        return 100.0 * (answered & chosen), answered.astype(float)
    if q.stat == "mean":
        values = pd.to_numeric(answers, errors="coerce").fillna(0).to_numpy(dtype=float)
        return values * answered, answered.astype(float)
    raise ValueError(f"{q.stat!r} has no row weights")


def evaluate(q: Quantity, frame: pd.DataFrame) -> float:
    """The value of a statistic on respondent microdata (NaN if nobody answered)."""
    if q.stat == "difference":
        return evaluate(q.parts[0], frame) - evaluate(q.parts[1], frame)
    if q.stat == "combination":
        return float(
            sum(c * evaluate(p, frame) for c, p in zip(q.coefficients, q.parts, strict=True))
        )
    if q.stat == "above":
        return float(sum(evaluate(p, frame) > q.threshold for p in q.parts))
    numerator, denominator = quantity_weights(q, frame)
    if denominator is None:
        return float(numerator.sum())
    return float(numerator.sum() / denominator.sum()) if denominator.sum() else math.nan


def base(q: Quantity, frame: pd.DataFrame) -> int | None:
    """How many respondents a share, mean or paired statistic is of."""
    if q.stat not in ("share", "mean", *PAIRED):
        return None
    return int(quantity_weights(q, frame)[1].sum())


# --------------------------------------------------------------------------
# Fidelity: every claim, published against reconstructed
# --------------------------------------------------------------------------


def _rank(claim: Claim, frame: pd.DataFrame) -> tuple[float, float]:
    """(own value, its rank from the top, or from the bottom for 'bottom' claims)."""
    own = evaluate(claim.quantity, frame)
    others = [evaluate(s, frame) for s in claim.siblings if s != claim.quantity]
    others = [v for v in others if not math.isnan(v)]
    if claim.order == "bottom":
        return own, 1 + sum(v < own - 1e-9 for v in others)
    return own, 1 + sum(v > own + 1e-9 for v in others)


def fidelity(frame: pd.DataFrame, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Published value, reconstructed value, difference and verdict for every claim.

    Against the embedded figures (``figures`` None), computed once per version of the data
    and of them (:mod:`cache`): every page of a batch on the same data shares it.
    """
    if figures is None:
        version = cache.key(cache.frame_key(frame), _figures_version())
        return cache.derived("fidelity", version, lambda: fidelity(frame, _figures()))
    rows = []
    for claim in claims(figures):
        row = {
            "id": claim.id,
            "source": "prose reading" if claim.id.startswith("READ-") else "figure",
            "question": claim.question,
            "item": claim.item,
            "group": claim.group,
            "measure": claim.measure,
            "kind": claim.kind,
            "approximate": claim.approximate,
            "published": claim.published,
            "reconstructed": math.nan,
            "difference": math.nan,
            "base": None,
            "tolerance": claim.tolerance,
            "checkable": claim.checkable,
            "within": False,
            "note": claim.reason,
        }
        if claim.checkable:
            row["base"] = base(claim.quantity, frame)
            if claim.order:
                value, rank = _rank(claim, frame)
                within = rank == claim.n if claim.order == "rank" else rank <= claim.n
                row |= {
                    "reconstructed": rank,
                    "difference": 0.0 if within else rank - claim.n,
                    "within": bool(within and not math.isnan(value)),
                    "note": f"value {value:.4g}",
                }
            else:
                value = evaluate(claim.quantity, frame)
                outside = max(claim.lo - value, value - claim.hi, 0.0)
                row |= {
                    "reconstructed": value,
                    "difference": value - claim.published if claim.point else outside,
                    "within": claim.holds(value),
                }
        rows.append(row)
    return pd.DataFrame(rows)


def fidelity_summary(table: pd.DataFrame) -> str:
    """Figures checked, within tolerance, and the largest difference on a stated value."""
    checked = table[table["checkable"]]
    figures = checked[checked["source"] == "figure"]
    readings = checked[checked["source"] == "prose reading"]
    kinds = figures["kind"].value_counts()
    lines = [
        f"2024 figures: {int((table['source'] == 'figure').sum())} published, "
        f"{len(figures)} checked, {int(figures['within'].sum())} within tolerance, "
        f"{int((~table['checkable']).sum())} not checkable",
        f"  {kinds.get('value', 0)} stated values (shares, means, counts, gaps), "
        f"{kinds.get('bound', 0)} bounds, {kinds.get('ordering', 0)} orderings (ranks, top/bottom sets)",
        f"prose readings: {len(readings)} checked, {int(readings['within'].sum())} within tolerance",
    ]
    values = checked[checked["kind"] == "value"]
    for approximate, label in ((False, "stated number"), (True, "verbal figure")):
        subset = values[values["approximate"] == approximate]
        if len(subset):
            worst = subset.loc[subset["difference"].abs().idxmax()]
            lines.append(
                f"largest difference, {label}: {worst['difference']:+.2f} ({worst['id']} "
                f"{worst['question']} {worst['item']}, {worst['group']}: published "
                f"{worst['published']:g}, reconstructed {worst['reconstructed']:.2f}; "
                f"tolerance {worst['tolerance']})"
            )
    failed = checked[~checked["within"]]
    lines.append(
        "all within tolerance"
        if failed.empty
        else "OUTSIDE tolerance: " + ", ".join(failed["id"].astype(str))
    )
    return "\n".join(lines)

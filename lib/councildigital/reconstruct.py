"""The synthetic LGC 2024 microdata: built from the published figures, and checked against them.

The report publishes aggregates only, so the package ships a reconstruction:
78 respondents whose aggregates reproduce every published figure within the
rounding the report used. Three parts, each used by the next:

1. ``ASSUMPTIONS``: everything the report does not say, named, with a value
   and a reason, in one place (``PROSE_READINGS`` adds statements the report
   makes in words that the figures table does not hold as rows).
2. Reading the figures: each row of ``lgc2024.csv`` becomes a :class:`Claim`,
   a statistic of the microdata (:class:`Quantity`) and what the report says
   about it (an interval, or an ordering among comparable statistics).
3. ``build``: small integer programmes (scipy's HiGHS) choose how many
   respondents give each answer so that every claim holds; a seeded random
   assignment then gives the answers to respondents. ``fidelity`` evaluates
   every claim on any microdata frame, synthetic or real.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.stats import norm

from councildigital import data, microdata, survey
from councildigital.microdata import column_name

DEFAULT_SEED = 2024


# --------------------------------------------------------------------------
# 1. Assumptions: what the report does not publish
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumption:
    name: str
    value: object
    reason: str


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "smaller_council_types",
        ("combined_authority", "metropolitan", "scotland", "wales"),
        "The report quantifies county, London borough, unitary and district respondents and "
        "says only that there were 'a smaller number of responses from combined authorities, "
        "metropolitan councils and Scottish and Welsh councils'. The rest are split evenly "
        "across these four; none are 'other'.",
    ),
    Assumption(
        "council_regions",
        {
            "county": ("east_of_england", "midlands", "south_east", "north_west", "south_west"),
            "district": ("east_of_england", "midlands", "south_east", "north_west", "south_west"),
            "london_borough": ("london",),
            "unitary": (
                "east_of_england",
                "midlands",
                "south_east",
                "north_west",
                "north_east",
                "yorkshire_humber",
                "south_west",
            ),
            "metropolitan": ("midlands", "north_west", "north_east", "yorkshire_humber"),
            "combined_authority": (
                "london",
                "east_of_england",
                "midlands",
                "north_west",
                "north_east",
                "yorkshire_humber",
                "south_west",
            ),
            "scotland": ("scotland",),
            "wales": ("wales",),
        },
        "Where each type of council exists in 2024 (two-tier counties and districts in five "
        "English regions, metropolitan boroughs in the former metropolitan counties). London "
        "has 18% of respondents but London boroughs 17%: the Greater London Authority is taken "
        "as London's combined authority, so one London respondent is at a combined authority.",
    ),
    Assumption(
        "other_regions",
        ("north_east", "yorkshire_humber", "south_west"),
        "'Other regions and countries were also represented': respondents not in the five "
        "quantified regions, Scotland or Wales are split evenly across the other English "
        "regions. Northern Ireland has none: no council type the survey offers is Northern Irish.",
    ),
    Assumption(
        "elected_members",
        5,
        "'Respondents also included council leaders, cabinet members and councillors', with "
        "no number; a handful is assumed. Every other respondent is an officer.",
    ),
    Assumption(
        "vision_dont_know",
        2,
        "The report gives only the 'yes' share (79%); two of the rest are assumed to answer "
        "'don't know' so the answer option is present. Both count in the base, as in the report.",
    ),
    Assumption(
        "item_nonresponse_penalty",
        10.0,
        "Bases stay as close to the number asked as the published figures allow: a missing "
        "answer costs ten times a one-respondent step away from an assumed answer pattern. "
        "Theme scores and barriers are assumed fully answered (the report gives no base).",
    ),
    Assumption(
        "plan_versus_potential",
        {"per_step_further_below": 1.0, "per_step_above": 2.0},
        "For the vision questions the report publishes only grouped shares. A respondent's "
        "plan is assumed usually equal to, or one step below, the potential they see; a plan "
        "above potential is allowed (the published shares need a few) but costs twice as much.",
    ),
    Assumption(
        "theme_significance_means",
        {
            "efficiency_productivity": 4.55,
            "place_making": 4.35,
            "economic_growth": 4.25,
            "regeneration": 4.05,
            "sustainability_net_zero": 3.85,
            "prevention": 3.75,
            "openness_transparency": 3.35,
            "citizen_centred_decisions": 3.30,
            "personalised_services": 3.20,
        },
        "Mean scores (1-5) are not published, only the order: efficiency first, 'closely "
        "followed' by place making and economic growth; regeneration 'among the highest "
        "priority areas'; personalised services, citizen-centred decisions and openness last.",
    ),
    Assumption(
        "theme_potential_means",
        {
            "efficiency_productivity": 4.40,
            "personalised_services": 4.10,
            "citizen_centred_decisions": 4.00,
            "openness_transparency": 3.90,
            "prevention": 3.70,
            "sustainability_net_zero": 3.50,
            "place_making": 3.30,
            "regeneration": 2.90,
            "economic_growth": 2.80,
        },
        "Only the order is published: 'very high potential' for efficiency, 'much higher "
        "potential' for personalised services, openness and citizen-centred decisions (the "
        "first two 'among the biggest potential'), 'a much more limited role' for economic "
        "growth and regeneration (the bottom two).",
    ),
    Assumption(
        "theme_plan_means",
        {
            "efficiency_productivity": 3.90,
            "openness_transparency": 3.40,
            "personalised_services": 3.25,
            "prevention": 3.10,
            "citizen_centred_decisions": 3.00,
            "sustainability_net_zero": 3.00,
            "place_making": 2.90,
            "regeneration": 2.50,
            "economic_growth": 2.40,
        },
        "Only the order is published: efficiency 'unambiguously' first, then openness and "
        "personalised services; economic growth and regeneration last; a gap below potential "
        "in all nine themes, biggest for personalised services and citizen-centred decisions.",
    ),
    Assumption(
        "barrier_means",
        {
            "staff_skills": 3.4,
            "legacy_technology": 3.2,
            "staff_reluctance": 2.3,
            "technology_availability": 2.1,
        },
        "Only funding's mean is published (four, which is used as given); the others are "
        "spaced to keep the published order: staff skills second, legacy technology third, "
        "staff reluctance and technology availability the two least significant.",
    ),
    Assumption(
        "score_spread",
        1.0,
        "Standard deviation of the latent normal score behind every 1-5 and 0-5 answer "
        "distribution (discretised, then shifted to the assumed mean): a moderate spread "
        "that uses most of the scale, as Likert answers in staff surveys usually do.",
    ),
    Assumption(
        "unstated_could_help",
        {"level": 40.0, "effect_weight": 0.5},
        "Could-help shares the report does not state are pulled towards 40% (inside the "
        "18-77% range of those it does), moved by half the average deviation of the stated "
        "shares of the same theme and of the same type: the report states mostly the "
        "standout shares, so only half of a theme's or type's lead is carried over. Stated "
        "bounds and orderings always win.",
    ),
    Assumption(
        "unstated_gap",
        10.0,
        "Planned shares the report does not state are pulled towards the item's could-help "
        "share (stated, or as above) minus 10 points, the low end of the gaps it states "
        "(10-19 points).",
    ),
    Assumption(
        "answer_correlation",
        {"factor": 0.7, "follows_potential": 0.8, "help_to_planned": 1.0},
        "Correlations between answers are not published. One respondent-level factor (weight "
        "0.7 against unit noise) drives every answer about digital (vision extents, theme "
        "potential, could-help, capability); a theme's plan follows its potential closely "
        "(noise 0.8, so plan is at or below potential for most but not all respondents), "
        "and a type already seen as able to help is likelier to be planned. Significance and "
        "barriers are independent of the factor.",
    ),
)


def assumptions_table() -> pd.DataFrame:
    """The assumptions as a table (values as JSON), for the documentation of the default data."""
    return pd.DataFrame(
        [{"name": a.name, "value": json.dumps(a.value), "reason": a.reason} for a in ASSUMPTIONS]
    )


def assumption(name: str) -> object:
    for item in ASSUMPTIONS:
        if item.name == name:
            return item.value
    raise KeyError(f"unknown assumption {name!r}")


def _readings(*statements: tuple) -> tuple[dict, ...]:
    """Figure rows (ids READ-01, ...) for statements about one or more types within a theme."""
    rows = []
    for question, theme, kinds, measure, value, quote, note in statements:
        for kind in kinds:
            rows.append(
                {
                    "id": f"READ-{len(rows) + 1:02d}",
                    "question": question,
                    "item": f"{theme}:{kind}",
                    "group": survey.ALL,
                    "measure": measure,
                    "value": value,
                    "approximate": False,
                    "quote": quote,
                    "note": note,
                }
            )
    return tuple(rows)


# Statements the report makes in words that lgc2024.csv does not hold as rows,
# read as figures in the same columns. They constrain the build and are
# checked like figures; each quote occurs in the source document.
PROSE_READINGS: tuple[dict, ...] = _readings(
    (
        "type_planned", "efficiency_productivity", ("generative_ai", "iot"), "share_upper_bound", 50,
        "For four of the types of digital, at least half of respondents said",
        "The four are named; the other two were planned by under half: bound exclusive.",
    ),
    (
        "type_could_help", "place_making", ("cloud", "iot", "digital_front_door"), "share_upper_bound", 50,
        "data platform is the only form of digital that more than half of respondents",
        "No other type above half: inclusive bound.",
    ),
    (
        "type_could_help", "openness_transparency", ("digital_front_door", "automation"), "share_upper_bound", 50,
        "Cloud was the only other option selected by more than half",
        "No type besides data platform and cloud above half: inclusive bound.",
    ),
    (
        "type_planned", "openness_transparency", ("cloud", "generative_ai", "iot", "automation"), "share_upper_bound", 50,
        "digital front door the only other option selected by more than half",
        "No type besides data platform and digital front door above half: inclusive bound.",
    ),
    (
        "type_planned", "prevention", ("cloud", "iot", "digital_front_door"), "share_upper_bound", 50,
        "Data platform was the only type of digital that at least half (50%) said",
        "Every other type was planned by under half: bound exclusive.",
    ),
    (
        "type_could_help", "economic_growth", ("cloud",), "rank", 2,
        "The other key types were cloud (50%) and automation (48%)",
        "Read as second and third after data platform.",
    ),
    (
        "type_could_help", "economic_growth", ("automation",), "rank", 3,
        "The other key types were cloud (50%) and automation (48%)",
        "Read as second and third after data platform.",
    ),
    (
        "type_planned", "economic_growth", ("data_platform", "cloud"), "in_top_n", 2,
        "data platform was chosen by 62% of people, with cloud selected by 50%",
        "The two types named as in current plans are the two most planned.",
    ),
    (
        "type_planned", "regeneration", ("cloud", "data_platform"), "in_top_n", 2,
        "Cloud (58%) and data platform (55%) are the only forms of digital",
        "'the only forms of digital that a significant number of councils are currently "
        "planning to use': the two most planned.",
    ),
    (
        "type_gap", "personalised_services", ("cloud",), "gap_upper_bound", 10,
        "there could be significant unrealised potential to use four types of digital",
        "Four types, not cloud or data platform, have a gap of at least 10 points; cloud's "
        "is under 10: bound exclusive.",
    ),
)  # fmt: skip


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
_TYPE_QUESTIONS = {"type_could_help": "help", "type_planned": "planned"}
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
    """A statistic of the microdata: what one published figure is about.

    ``share``: percent of the group's answers to ``column`` that are in
    ``answers``; ``mean``: mean answer; ``count``: respondents giving one of
    ``answers``; ``rows``: respondents; ``difference``: first part minus
    second; ``above``: how many parts exceed ``threshold``.
    """

    stat: str
    column: str = ""
    answers: tuple[object, ...] = ()
    group: str = survey.ALL
    parts: tuple[Quantity, ...] = ()
    threshold: float = 0.0

    def columns(self) -> set[str]:
        own = {self.column} if self.column else set()
        if self.group != survey.ALL:
            own.add(GROUPS[self.group][0])
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
    if question in _TYPE_QUESTIONS and kind in _TYPE_SETS:
        shares = (_quantity(question, f"{theme}:{t}", group, "share") for t in _types())
        return Quantity("above", parts=tuple(shares), threshold=_TYPE_SETS[kind])
    if question in _TYPE_QUESTIONS and kind in _types():
        return Quantity("share", column_name(_TYPE_QUESTIONS[question], theme, kind), (1,), group)
    if question == "type_gap":
        return Quantity(
            "difference",
            parts=tuple(_quantity(q, item, group, "share") for q in _TYPE_QUESTIONS),
        )
    raise NotCheckable(f"no microdata reading of {question!r} / {item!r}")


def _types() -> tuple[str, ...]:
    return survey.codes(survey.DIGITAL_TYPES)


def _siblings(row: dict) -> tuple[Quantity, ...]:
    """The statistics an ordering compares the figure's own statistic with (itself included)."""
    question, item, group, measure = row["question"], row["item"], row["group"], row["measure"]
    if question in _THEME_QUESTIONS or question in ("theme_gap",):
        items = survey.codes(survey.THEMES)
    elif question == "barrier_score":
        items = survey.codes(survey.BARRIERS)
    elif question in (*_TYPE_QUESTIONS, "type_gap"):
        theme, _, kind = item.partition(":")
        if "across the nine themes" in str(row.get("note") or ""):
            items = tuple(f"{t}:{kind}" for t in survey.codes(survey.THEMES))
        else:
            items = tuple(f"{theme}:{t}" for t in _types())
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
    """Every 2024 figure, then every prose reading, as a claim."""
    if figures is None:
        figures = data.load_figures(documents=["lgc2024"])
    rows = figures[figures["document"] == "lgc2024"].to_dict("records")
    return [_claim(row) for row in [*rows, *PROSE_READINGS]]


# --------------------------------------------------------------------------
# Evaluating statistics (on respondents, or on the cells of a programme)
# --------------------------------------------------------------------------


def _group_mask(group: str, frame: pd.DataFrame) -> np.ndarray:
    if group == survey.ALL:
        return np.ones(len(frame), dtype=bool)
    col, values = GROUPS[group]
    return frame[col].isin(values).to_numpy(dtype=bool)


def _weights(q: Quantity, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray | None]:
    """Each row's weight in the statistic's numerator and denominator (None: a plain count).

    On respondents the sums give the statistic; on a programme's cells they
    are the coefficients of the cell counts. One definition serves both.
    """
    if q.stat == "rows":
        return np.ones(len(frame)), None
    answers = frame[q.column]
    group = _group_mask(q.group, frame)
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
    if q.stat == "above":
        return float(sum(evaluate(p, frame) > q.threshold for p in q.parts))
    numerator, denominator = _weights(q, frame)
    if denominator is None:
        return float(numerator.sum())
    return float(numerator.sum() / denominator.sum()) if denominator.sum() else math.nan


def base(q: Quantity, frame: pd.DataFrame) -> int | None:
    """How many respondents a share or mean is of."""
    if q.stat not in ("share", "mean"):
        return None
    return int(_weights(q, frame)[1].sum())


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
    """Published value, reconstructed value, difference and verdict for every claim."""
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
        numerator, denominator = _weights(q, self.cells)
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
        numerator, denominator = (self.terms(w) for w in _weights(q, self.cells))
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
            numerator, denominator = (self.terms(w) for w in _weights(sibling, self.cells))
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
        for q in _TYPE_QUESTIONS.values()
        for theme in survey.codes(survey.THEMES)
        for kind in _types()
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
    themes, kinds = survey.codes(survey.THEMES), _types()
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
        for kind in _types():
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


ASSUMPTIONS_PATH = microdata.DEFAULT_PATH.parent / "assumptions.csv"


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

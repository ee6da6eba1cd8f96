"""The Future Councils cost model: the report's four estimates as formulas over named inputs.

The report ("Quantifying the impact") states its inputs in a references table
but shows no arithmetic. Each estimate here is a plain vectorised function;
each input is a :class:`Parameter` read by figure id from
``data/published/future_councils.csv``, so every number traces to a quoted
row. Shares are percentages (0-100), as in the published data. Every value
that is not in the report (a range around a point value, the centre of a
range, an allocation to councils) is labelled as assumed on the parameter. What the page shows of it is built in
:mod:`.future_councils_costs_page`.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from councildigital.data import published, reference, survey
from councildigital.pipeline.parameters import REPORT_SCENARIO, SCENARIOS
from councildigital.sections import formatting

DOCUMENT = "future_councils"

# Where the report gives a single value, the Monte Carlo needs a range; the
# report states none, so this width is an assumption, shown wherever it is used.
POINT_SPREAD_PERCENT = 10.0

DISTRIBUTIONS: dict[str, str] = {
    "uniform": (
        "only the two ends of a range are known (the report's two sources, or a council's "
        "own low and high) and no preferred value, so every value between them is equally likely"
    ),
    "triangular": (
        "a most likely value is known (the published figure, or the council's own) and the "
        "range bounds it: peaks there and falls to zero at the ends, with no tails the "
        "evidence does not support"
    ),
    "fixed": "a council's own single figure, taken as known",
}

UNIT_MEANING: dict[str, str] = {
    "gbp": "an amount of money in pounds, 0 or more",
    "percent": "a share in percent, between 0 and 100",
    "fte": "a number of full-time equivalent staff, 0 or more",
    "count": "a count, 0 or more",
}

PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)

# The report states values, never a distribution: each shape is this model's choice.
SHAPE_ASSUMED = {
    "uniform": "uniform shape assumed",
    "triangular": "triangular shape assumed",
}

# Inputs that come in pairs from one source and are drawn together (one uniform drives both,
# so their low ends coincide as in the report's low figure, and their high ends in its high
# figure): the complete-failure and challenged shares of public-sector projects.
PAIRED: tuple[tuple[str, ...], ...] = (("complete_failure_share", "challenged_share"),)


class CostInputError(ValueError):
    """A model input is unusable; the message names the parameter and what it must be."""


@dataclass(frozen=True)
class Input:
    """Where a parameter's values are in the published figures (ids), and whether it is a sector total."""

    name: str
    label: str
    question: str
    low: str | None = None
    central: str | None = None
    high: str | None = None
    extensive: bool = False


# The references table as model inputs. A range-only input (low and high, no
# central) is used at its ends by the report; a point input at its value.
INPUTS: tuple[Input, ...] = (
    Input(
        "fte_total",
        "Council staff, FTE (excluding teachers, school support staff, social workers)",
        "ref_la_fte_total",
        central="FC-0059",
        extensive=True,
    ),
    Input(
        "skills_gap_share",
        "Councils reporting a digital skills gap",
        "ref_la_digital_skills_gap_share",
        central="FC-0056",
    ),
    Input(
        "vacancies_digital_share",
        "UK online job vacancies requiring digital skills",
        "ref_online_vacancies_digital_skills_share",
        central="FC-0058",
    ),
    Input(
        "it_spend",
        "Council IT spending a year",
        "ref_la_it_spend",
        low="FC-0017",
        central="FC-0060",
        high="FC-0018",
        extensive=True,
    ),
    Input(
        "legacy_share",
        "IT spending on 'keeping the lights on' for legacy systems",
        "ref_legacy_spend_share",
        low="FC-0061",
        high="FC-0062",
    ),
    Input(
        "ddat_contract_value",
        "Value of DDaT contracts councils award a year",
        "ref_la_ddat_contract_value",
        central="FC-0063",
        extensive=True,
    ),
    Input(
        "la_framework_share",
        "Council DDaT contracts through a central government framework (by number)",
        "ref_la_ddat_framework_share",
        central="FC-0064",
    ),
    Input(
        "cg_framework_share",
        "Central government third-party contracts through a framework",
        "ref_cg_framework_share",
        central="FC-0065",
    ),
    Input(
        "complete_failure_share",
        "Public-sector projects that fail completely",
        "ref_public_project_complete_failure_share",
        low="FC-0068",
        high="FC-0069",
    ),
    Input(
        "challenged_share",
        "Public-sector projects that involve problems",
        "ref_public_project_challenged_share",
        low="FC-0070",
        high="FC-0071",
    ),
    Input(
        "ddat_contract_count",
        "DDaT contracts councils award a year",
        "ref_la_ddat_contract_count",
        central="FC-0072",
        extensive=True,
    ),
    Input(
        "ddat_project_median_value",
        "Median value of a DDaT project",
        "ref_ddat_project_median_value",
        central="FC-0073",
    ),
    Input(
        "challenged_budget_variance",
        "Average budget overrun on challenged projects",
        "ref_challenged_project_budget_variance",
        central="FC-0074",
    ),
)
INPUT_NAMES: tuple[str, ...] = tuple(i.name for i in INPUTS)
EXTENSIVE: frozenset[str] = frozenset(i.name for i in INPUTS if i.extensive)


def _number(name: str, unit: str, value: object) -> float:
    """``value`` as a float if it is a valid ``unit`` value, else a CostInputError naming ``name``."""
    must = f"{name} must be {UNIT_MEANING[unit]}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CostInputError(f"{must}; got {value!r}, which is not a number")
    number = float(value)
    if not math.isfinite(number):
        raise CostInputError(f"{must}; got {value!r}")
    if number < 0 or (unit == "percent" and number > 100):
        raise CostInputError(f"{must}; got {value!r}")
    return number


def _own_number(name: str, unit: str, value: object) -> float:
    """A council's own figure, which may come as numeric text."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise CostInputError(
                f"{name} must be {UNIT_MEANING[unit]}; got {value!r}, which is not a number"
            ) from None
    return _number(name, unit, value)


@dataclass(frozen=True)
class Parameter:
    """One model input: low, central and high values, its unit, its sources and what is assumed."""

    name: str
    label: str
    unit: str
    low: float
    central: float
    high: float
    distribution: str
    sources: tuple[str, ...] = ()
    assumed: str = ""
    range_assumed: bool = False

    @property
    def assumptions(self) -> str:
        """What is assumed, the distribution's shape included (the report states none)."""
        shape = SHAPE_ASSUMED.get(self.distribution, "")
        return "; ".join(part for part in (self.assumed, shape) if part)

    def __post_init__(self) -> None:
        if self.unit not in UNIT_MEANING:
            raise CostInputError(
                f"{self.name}: unit must be one of {', '.join(UNIT_MEANING)}; got {self.unit!r}"
            )
        for end in ("low", "central", "high"):
            object.__setattr__(self, end, _number(self.name, self.unit, getattr(self, end)))
        if self.low > self.high:
            raise CostInputError(
                f"{self.name}: low must not be above high; got low {self.low:g}, high {self.high:g}"
            )
        if not self.low <= self.central <= self.high:
            raise CostInputError(
                f"{self.name}: central must lie between low and high; got {self.central:g} "
                f"outside {self.low:g} to {self.high:g}"
            )
        if self.distribution not in DISTRIBUTIONS:
            raise CostInputError(
                f"{self.name}: distribution must be one of {', '.join(DISTRIBUTIONS)}; "
                f"got {self.distribution!r}"
            )
        if (self.distribution == "fixed") != (self.low == self.high):
            raise CostInputError(
                f"{self.name}: distribution must be 'fixed' exactly when low equals high"
            )

    @property
    def is_lopsided(self) -> bool:
        """The central value is not in the middle of the range, so draws centre elsewhere."""
        return not math.isclose(self.central - self.low, self.high - self.central)

    @property
    def source(self) -> str:
        """The published-figure ids, or that the value is the council's own."""
        return ", ".join(self.sources) if self.sources else "council's own figure"

    def scaled(self, factor: float, why: str) -> Parameter:
        """The parameter times ``factor`` (a share of a sector total), saying why."""
        assumed = "; ".join(part for part in (self.assumed, why) if part)
        return replace(
            self,
            low=self.low * factor,
            central=self.central * factor,
            high=self.high * factor,
            assumed=assumed,
        )

    def replaced_by(self, value: object) -> Parameter:
        """A council's own figure: a number (known), (low, high) or (low, central, high).

        Numeric text ("4500") is accepted because command-line parameters arrive as text.
        """
        if not isinstance(value, list | tuple | np.ndarray):
            number = _own_number(self.name, self.unit, value)
            return Parameter(self.name, self.label, self.unit, number, number, number, "fixed")
        ends = [_own_number(self.name, self.unit, v) for v in value]
        if len(ends) not in (2, 3):
            raise CostInputError(
                f"{self.name} must be a number, (low, high) or (low, central, high); "
                f"got {len(ends)} values"
            )
        low, high = ends[0], ends[-1]
        if low > high:
            raise CostInputError(
                f"{self.name}: low must not be above high; got low {low:g}, high {high:g}"
            )
        central = ends[1] if len(ends) == 3 else (low + high) / 2
        kind = "fixed" if low == high else ("triangular" if len(ends) == 3 else "uniform")
        return Parameter(self.name, self.label, self.unit, low, central, high, kind)


def _figure(figures: pd.DataFrame, figure_id: str, question: str) -> pd.Series:
    """The published row ``figure_id``, checked to be the question the model expects."""
    rows = figures[figures["id"] == figure_id]
    if len(rows) != 1:
        raise KeyError(f"published figure {figure_id} ({question}) not found")
    row = rows.iloc[0]
    if row["question"] != question:
        raise ValueError(
            f"published figure {figure_id} is {row['question']!r}, the model expects {question!r}"
        )
    return row


def figure_value(figures: pd.DataFrame, figure_id: str) -> float:
    """The value of one published figure, by id."""
    rows = figures.loc[figures["id"] == figure_id, "value"]
    if len(rows) != 1:
        raise KeyError(f"published figure {figure_id} not found")
    return float(rows.iloc[0])


def load_figures() -> pd.DataFrame:
    """The Future Councils published figures, validated."""
    return published.load_figures(documents=[DOCUMENT])


def _parameter(spec: Input, figures: pd.DataFrame) -> Parameter:
    ids = {end: getattr(spec, end) for end in ("low", "central", "high") if getattr(spec, end)}
    rows = {end: _figure(figures, fid, spec.question) for end, fid in ids.items()}
    units = {row["unit"] for row in rows.values()}
    if len(units) != 1:
        raise ValueError(f"{spec.name}: figures {', '.join(ids.values())} mix units {units}")
    unit = units.pop()
    value = {end: float(row["value"]) for end, row in rows.items()}
    sources = tuple(ids.values())
    if "central" not in value:
        central = (value["low"] + value["high"]) / 2
        return Parameter(
            spec.name,
            spec.label,
            unit,
            value["low"],
            central,
            value["high"],
            "uniform",
            sources,
            assumed="central is the midpoint of the stated range",
        )
    if "low" in value:
        return Parameter(
            spec.name,
            spec.label,
            unit,
            value["low"],
            value["central"],
            value["high"],
            "triangular",
            sources,
        )
    spread = value["central"] * POINT_SPREAD_PERCENT / 100
    high = value["central"] + spread
    return Parameter(
        spec.name,
        spec.label,
        unit,
        value["central"] - spread,
        value["central"],
        min(high, 100.0) if unit == "percent" else high,
        "triangular",
        sources,
        assumed=f"range ±{POINT_SPREAD_PERCENT:g}% around the published value",
        range_assumed=True,
    )


def sector_parameters(figures: pd.DataFrame | None = None) -> dict[str, Parameter]:
    """Every model input for the whole sector, read from the published figures by id."""
    figures = load_figures() if figures is None else figures
    return {spec.name: _parameter(spec, figures) for spec in INPUTS}


# The formulas. Plain functions over arrays or numbers, shares in percent.


def skills_deficit_fte(fte_total, skills_gap_share, vacancies_digital_share):
    """Roles that may lack digital skills: staff x councils with a gap x jobs needing digital skills."""
    return fte_total * (skills_gap_share / 100) * (vacancies_digital_share / 100)


def legacy_spend(it_spend, legacy_share):
    """IT spend that only keeps legacy systems running."""
    return it_spend * (legacy_share / 100)


def uncompetitive_third_party_spend(ddat_contract_value, cg_framework_share, la_framework_share):
    """Contract value in the gap to central government's framework use; none for a council above it."""
    return ddat_contract_value * (np.maximum(cg_framework_share - la_framework_share, 0) / 100)


def project_failure_direct_cost(
    ddat_contract_count,
    ddat_project_median_value,
    complete_failure_share,
    challenged_share,
    challenged_budget_variance,
):
    """Spend lost on abandoned projects plus overspend on challenged ones, at the median value."""
    return (
        ddat_contract_count
        * ddat_project_median_value
        * (
            complete_failure_share / 100
            + (challenged_share / 100) * (challenged_budget_variance / 100)
        )
    )


def project_failure_share(complete_failure_share, challenged_share):
    """Projects that fail in some way: complete failures plus projects with problems."""
    return complete_failure_share + challenged_share


@dataclass(frozen=True)
class Estimate:
    """One headline estimate: its formula (a function and a readable template) and the report's figures."""

    name: str
    label: str
    unit: str
    function: Callable
    formula: str
    figures: tuple[str, ...]
    inputs: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "inputs", tuple(inspect.signature(self.function).parameters.keys())
        )

    def __call__(self, values: Mapping[str, object]):
        return self.function(**{name: values[name] for name in self.inputs})

    def formula_with(self, values: Mapping[str, float], units: Mapping[str, str]) -> str:
        """The formula with numbers in place of names."""
        return self.formula.format(
            **{name: formatting.amount(values[name], units[name]) for name in self.inputs}
        )


ESTIMATES: tuple[Estimate, ...] = (
    Estimate(
        "skills_deficit_fte",
        "FTE roles that may have a digital skills deficit",
        "fte",
        skills_deficit_fte,
        "{fte_total} × {skills_gap_share} × {vacancies_digital_share}",
        ("FC-0016",),
    ),
    Estimate(
        "legacy_spend",
        "IT spend on 'keeping the lights on' for legacy systems",
        "gbp",
        legacy_spend,
        "{it_spend} × {legacy_share}",
        ("FC-0019", "FC-0020"),
    ),
    Estimate(
        "uncompetitive_third_party_spend",
        "Third-party DDaT spend that may not have been procured competitively",
        "gbp",
        uncompetitive_third_party_spend,
        "{ddat_contract_value} × ({cg_framework_share} − {la_framework_share})",
        ("FC-0024",),
    ),
    Estimate(
        "project_failure_direct_cost",
        "Direct cost of DDaT project failures a year",
        "gbp",
        project_failure_direct_cost,
        "{ddat_contract_count} × {ddat_project_median_value} × "
        "({complete_failure_share} + {challenged_share} × {challenged_budget_variance})",
        ("FC-0031", "FC-0032"),
    ),
)
FAILURE_SHARE = Estimate(
    "project_failure_share",
    "Public-sector projects that fail in some way",
    "percent",
    project_failure_share,
    "{complete_failure_share} + {challenged_share}",
    ("FC-0066", "FC-0067"),
)


def estimate(name: str) -> Estimate:
    for candidate in (*ESTIMATES, FAILURE_SHARE):
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown estimate {name!r}")


def values_at(params: Mapping[str, Parameter], end: str) -> dict[str, float]:
    """Every parameter at one of its ends: 'low', 'central' or 'high'."""
    return {name: getattr(p, end) for name, p in params.items()}


def sources_of(params: Mapping[str, Parameter], names: Iterable[str]) -> str:
    """The distinct sources of some parameters, in order, for a chart's source line."""
    return ", ".join(dict.fromkeys(params[name].source for name in names))


def assumptions_of(params: Mapping[str, Parameter], names: Iterable[str]) -> str | None:
    """Each assumption behind some parameters, once, with the parameters it applies to."""
    applies: dict[str, list[str]] = {}
    for name in names:
        for part in filter(None, params[name].assumptions.split("; ")):
            applies.setdefault(part, []).append(name)
    return "; ".join(f"{part} ({', '.join(who)})" for part, who in applies.items()) or None


def units_of(params: Mapping[str, Parameter]) -> dict[str, str]:
    return {name: p.unit for name, p in params.items()}


def central_estimates(params: Mapping[str, Parameter]) -> dict[str, float]:
    """Each of the four estimates with every input at its central value."""
    central = values_at(params, "central")
    return {e.name: float(e(central)) for e in ESTIMATES}


# Reproducing the report.


def significant_figures(value: float) -> int:
    """How many significant figures a published value shows (248,000 shows 3; £750m shows 2)."""
    digits = f"{abs(value):.14e}".split("e")[0].replace(".", "").rstrip("0")
    return max(len(digits), 1)


def round_significant(value: float, figures: int) -> float:
    """``value`` rounded to ``figures`` significant figures: the report's own rounding."""
    if value == 0:
        return 0.0
    return float(round(value, figures - 1 - math.floor(math.log10(abs(value)))))


def report_values(params: Mapping[str, Parameter], end: str) -> dict[str, float]:
    """The inputs as the report's arithmetic uses them for its low, single or high figure.

    A range-only input (no published central) is taken at ``end``; an input with
    a published value at that value, as the report does (it uses ~£2bn IT spend
    for both ends of its legacy range, not its own £1-2bn).
    """
    range_only = {spec.name for spec in INPUTS if spec.central is None}
    chosen = end if end in ("low", "high") else "central"
    return {
        name: getattr(p, chosen if name in range_only else "central") for name, p in params.items()
    }


def reproduce(params: Mapping[str, Parameter], figures: pd.DataFrame) -> pd.DataFrame:
    """Each headline figure of the report next to the model's value from the report's own inputs."""
    units = units_of(params)
    rows = []
    for est in (*ESTIMATES, FAILURE_SHARE):
        for figure_id in est.figures:
            row = figures[figures["id"] == figure_id].iloc[0]
            inputs = report_values(params, row["item"])
            model = float(est(inputs))
            published = float(row["value"])
            rounded = round_significant(model, significant_figures(published))
            rows.append(
                {
                    "estimate": est.name,
                    "label": est.label,
                    "end": row["item"],
                    "unit": est.unit,
                    "formula": est.formula_with(inputs, units),
                    "model": model,
                    "model_rounded": rounded,
                    "report": published,
                    "report_quote": row["quote"],
                    "figure_id": figure_id,
                    "matches": math.isclose(rounded, published, rel_tol=1e-12),
                }
            )
    return pd.DataFrame(rows)


def report_choices(params: Mapping[str, Parameter], figures: pd.DataFrame) -> pd.DataFrame:
    """Choices the report's arithmetic makes without saying so, and what the alternative gives."""
    low, high = report_values(params, "low"), report_values(params, "high")
    skills, legacy = estimate("skills_deficit_fte"), estimate("legacy_spend")
    third_party = estimate("uncompetitive_third_party_spend")
    cost = estimate("project_failure_direct_cost")

    pct, gbp = formatting.amount_formatter("percent"), formatting.amount_formatter("gbp")

    def at_total_value(values: dict[str, float]) -> float:
        """Failure cost with the mean contract (total value / count) in place of the median."""
        mean = values["ddat_contract_value"] / values["ddat_contract_count"]
        return float(cost({**values, "ddat_project_median_value": mean}))

    def of_failed(values: dict[str, float]) -> float:
        """Failure cost reading the complete and challenged shares as shares of failed projects."""
        failed = project_failure_share(values["complete_failure_share"], values["challenged_share"])
        return float(
            cost(
                {
                    **values,
                    "complete_failure_share": failed * values["complete_failure_share"] / 100,
                    "challenged_share": failed * values["challenged_share"] / 100,
                }
            )
        )

    occupations = figure_value(figures, "FC-0057")
    it_spend = params["it_spend"]
    nan = float("nan")
    rows = [
        (
            skills.name,
            "Which share of jobs needing digital skills",
            f"{pct(low['vacancies_digital_share'])} of UK online vacancies (FC-0058)",
            skills(low),
            nan,
            f"{pct(occupations)} of UK occupations (FC-0057), quoted beside it",
            skills({**low, "vacancies_digital_share": occupations}),
            nan,
        ),
        (
            legacy.name,
            "A point inside the stated IT-spend range",
            f"{gbp(it_spend.central)} (references table, FC-0060) at both ends",
            legacy(low),
            legacy(high),
            f"{gbp(it_spend.low)}, the low end of the text's "
            f"{gbp(it_spend.low)}-{gbp(it_spend.high)} (FC-0017)",
            legacy({**low, "it_spend": it_spend.low}),
            legacy({**high, "it_spend": it_spend.low}),
        ),
        (
            third_party.name,
            "A share by number of contracts applied to their value",
            f"{pct(low['la_framework_share'])} of contracts by number (FC-0064) "
            "taken as a share of value",
            third_party(low),
            nan,
            "the share by value is not published; from "
            f"{pct(low['cg_framework_share'])} or more (no gap) to 0%; each percentage point "
            f"moves the estimate by {gbp(low['ddat_contract_value'] / 100)}",
            third_party({**low, "la_framework_share": low["cg_framework_share"]}),
            third_party({**low, "la_framework_share": 0.0}),
        ),
        (
            cost.name,
            "Median contract value applied to every contract",
            f"{formatting.amount(low['ddat_contract_count'], 'count')} contracts × "
            f"{gbp(low['ddat_project_median_value'])} median (FC-0072, FC-0073)",
            cost(low),
            cost(high),
            f"the total value of the contracts, {gbp(low['ddat_contract_value'])} (FC-0063), "
            "i.e. the mean contract",
            at_total_value(low),
            at_total_value(high),
        ),
        (
            cost.name,
            "What the failure shares are shares of",
            "shares of all projects (references table, FC-0068 to FC-0071): "
            f"{pct(low['complete_failure_share'])} + {pct(low['challenged_share'])} = "
            f"{pct(project_failure_share(low['complete_failure_share'], low['challenged_share']))}",
            cost(low),
            cost(high),
            "shares of the failed projects, as the text's 'Of these projects' can be read",
            of_failed(low),
            of_failed(high),
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "estimate",
            "choice",
            "report_reading",
            "report_low",
            "report_high",
            "alternative_reading",
            "alternative_low",
            "alternative_high",
        ],
    )
    frame["unit"] = frame["estimate"].map(lambda name: estimate(name).unit)
    return frame


@dataclass(frozen=True)
class AddressableSpend:
    """The 'over £8 billion' claim against the inputs the report states for what it covers."""

    claim: float
    it_spend: float
    ddat_contract_value: float
    fte_total: float
    estimates_low: float
    estimates_high: float

    @property
    def stated_if_separate(self) -> float:
        """IT spend plus DDaT contracts, if the contracts are not part of the IT spend."""
        return self.it_spend + self.ddat_contract_value

    @property
    def stated_if_nested(self) -> float:
        """The larger of the two, if the DDaT contracts are part of the IT spend."""
        return max(self.it_spend, self.ddat_contract_value)

    @property
    def missing_low(self) -> float:
        return self.claim - self.stated_if_separate

    @property
    def missing_high(self) -> float:
        return self.claim - self.stated_if_nested

    @property
    def per_fte_low(self) -> float:
        """The staff spend per FTE the claim needs, at the smaller gap."""
        return self.missing_low / self.fte_total

    @property
    def per_fte_high(self) -> float:
        return self.missing_high / self.fte_total


def addressable_spend(params: Mapping[str, Parameter], figures: pd.DataFrame) -> AddressableSpend:
    """What the report's inputs add up to beside its 'over £8 billion' (FC-0011)."""
    low, high = report_values(params, "low"), report_values(params, "high")
    money = [e for e in ESTIMATES if e.unit == "gbp"]
    return AddressableSpend(
        claim=figure_value(figures, "FC-0011"),
        it_spend=params["it_spend"].central,
        ddat_contract_value=params["ddat_contract_value"].central,
        fte_total=params["fte_total"].central,
        estimates_low=float(sum(e(low) for e in money)),
        estimates_high=float(sum(e(high) for e in money)),
    )


# Uncertainty.


def quantile(p: Parameter, u: np.ndarray) -> np.ndarray:
    """The parameter's value at probability ``u`` (its inverse distribution function).

    Draws go through one uniform per input, so inputs drawn together (:data:`PAIRED`)
    share it and sit at the same point of their ranges.
    """
    u = np.asarray(u, dtype=float)
    if p.distribution == "fixed":
        return np.full(u.shape, p.central)
    width = p.high - p.low
    if p.distribution == "uniform":
        return p.low + u * width
    cut = (p.central - p.low) / width
    rising = p.low + np.sqrt(u * width * (p.central - p.low))
    falling = p.high - np.sqrt((1 - u) * width * (p.high - p.central))
    return np.where(u < cut, rising, falling)


# Draws are made in blocks small enough to stay in the CPU cache; each input has
# its own random stream, so the block size does not change the draws, and
# replacing one input by a council's own figure leaves the others' draws as they were.
_BLOCK = 1 << 16


def _uniform_source(name: str, paired: bool) -> str:
    """Whose uniform an input's draws use: its own, or its pair's first member's."""
    if paired:
        for group in PAIRED:
            if name in group:
                return group[0]
    return name


def simulate(
    params: Mapping[str, Parameter], draws: int, seed: int, *, paired: bool = True
) -> pd.DataFrame:
    """Monte Carlo draws of the four estimates; same seed, same draws.

    ``paired``: the inputs of each :data:`PAIRED` group are drawn together (one uniform),
    the others independently; ``paired=False`` draws every input independently.
    """
    for name, value, least in (("draws", draws, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
            raise CostInputError(f"{name} must be a whole number, {least} or more; got {value!r}")
    draws = int(draws)
    streams = dict(zip(INPUT_NAMES, np.random.default_rng(seed).spawn(len(INPUTS)), strict=True))
    out = {e.name: np.empty(draws) for e in ESTIMATES}
    for start in range(0, draws, _BLOCK):
        size = min(_BLOCK, draws - start)
        uniforms = {name: rng.random(size) for name, rng in streams.items()}
        values = {
            name: quantile(params[name], uniforms[_uniform_source(name, paired)])
            for name in streams
        }
        for e in ESTIMATES:
            out[e.name][start : start + size] = e(values)
    return pd.DataFrame(out)


def summarise(simulation: pd.DataFrame, params: Mapping[str, Parameter]) -> pd.DataFrame:
    """Central value, mean and percentiles of each estimate."""
    central = central_estimates(params)
    quantiles = np.percentile(simulation.to_numpy(), PERCENTILES, axis=0)
    frame = pd.DataFrame(
        quantiles.T, index=simulation.columns, columns=[f"p{q}" for q in PERCENTILES]
    )
    frame.insert(0, "mean", simulation.mean().to_numpy())
    frame.insert(0, "central", [central[name] for name in simulation.columns])
    frame.insert(0, "unit", [estimate(name).unit for name in simulation.columns])
    frame.insert(0, "label", [estimate(name).label for name in simulation.columns])
    return frame


def sensitivity(params: Mapping[str, Parameter]) -> pd.DataFrame:
    """One-at-a-time: each estimate with one input at its low, then its high, the rest central."""
    central = values_at(params, "central")
    rows = []
    for est in ESTIMATES:
        baseline = float(est(central))
        for name in est.inputs:
            p = params[name]
            if p.low == p.high:
                continue
            at = {end: float(est({**central, name: getattr(p, end)})) for end in ("low", "high")}
            rows.append(
                {
                    "estimate": est.name,
                    "parameter": name,
                    "label": p.label + (" (range assumed)" if p.range_assumed else ""),
                    "at_low": at["low"],
                    "at_high": at["high"],
                    "central": baseline,
                    "swing": abs(at["high"] - at["low"]),
                }
            )
    frame = pd.DataFrame(rows)
    order = {e.name: i for i, e in enumerate(ESTIMATES)}
    frame["order"] = frame["estimate"].map(order)
    return (
        frame.sort_values(["order", "swing"], ascending=[True, False])
        .drop(columns="order")
        .reset_index(drop=True)
    )


# Councils and council types.


def councils_by_type(counts: pd.DataFrame | None = None) -> pd.Series:
    """Councils of each type (the reference counts), in questionnaire order."""
    counts = reference.council_counts() if counts is None else counts
    return counts.set_index("council_type")["councils"].astype(int)


MEASURE_LABEL = {"core_spending_power": "core spending power"}


@dataclass(frozen=True)
class SizeBasis:
    """How big each council type is, from a sourced measure (``data/reference/``).

    ``average``: the measure per authority of the type (its total over the authorities
    summed); ``councils``: councils of the type now (the reference counts). A type's share
    of a sector total is its councils times its average, over all covered types, so the
    covered types share the whole total. Types with no row have no basis.
    """

    measure: str
    year: str
    average: pd.Series
    councils: pd.Series

    @property
    def covered(self) -> tuple[str, ...]:
        return tuple(self.average.index)

    @property
    def shares(self) -> pd.Series:
        weight = self.average * self.councils
        return weight / weight.sum()

    def has(self, council_type: str) -> bool:
        return council_type in self.average.index

    def share_of_one(self, council_type: str) -> float:
        """The share of a sector total one average council of the type gets."""
        return float(self.shares[council_type] / self.councils[council_type])

    def named(self, council_type: str) -> str:
        """The basis in words, for headlines: '(county councils' share of ... , 2020-21)'."""
        who = survey.label(survey.COUNCIL_TYPES, council_type)
        return f"{survey.in_sentence(who)} share of English {self.label}, {self.year}"

    @property
    def label(self) -> str:
        return MEASURE_LABEL[self.measure]


def size_basis(counts: pd.DataFrame | None = None, sizes: pd.DataFrame | None = None) -> SizeBasis:
    """The sourced size measure per council type, with today's number of councils of each."""
    sizes = reference.council_type_size() if sizes is None else sizes
    by_type = councils_by_type(counts)
    frame = sizes.set_index("council_type")
    average = frame["total"] / frame["authorities"]
    return SizeBasis(
        str(frame["measure"].iloc[0]),
        str(frame["year"].iloc[0]),
        average,
        by_type.loc[average.index],
    )


def allocation_rule(total_councils: int) -> str:
    """The equal split (the labelled alternative), as shown on every parameter it touches."""
    return f"sector total shared equally between the {total_councils} councils of every type"


def basis_rule(basis: SizeBasis, council_type: str, name: str) -> str:
    """A council's share of a sector total under the sourced basis, as shown on the parameter."""
    share = formatting.percent(100 * basis.shares[council_type], 1)
    rule = (
        f"sector total × this type's share of English {basis.label} {basis.year} ({share}), "
        f"÷ its {int(basis.councils[council_type])} councils"
    )
    if name == "fte_total":
        rule += (
            "; no staff numbers by council type were found, so staff are taken in proportion to it"
        )
    return rule


def per_council(
    params: Mapping[str, Parameter],
    total_councils: int,
    council_type: str | None = None,
    basis: SizeBasis | None = None,
) -> dict[str, Parameter]:
    """One average council's inputs: sector totals scaled, shares unchanged.

    With a basis that covers ``council_type``, in proportion to the type's size; otherwise
    divided equally between all councils (the labelled alternative).
    """
    sourced = basis is not None and council_type is not None and basis.has(council_type)
    out = {}
    for name, p in params.items():
        if name not in EXTENSIVE:
            out[name] = p
        elif sourced:
            out[name] = p.scaled(
                basis.share_of_one(council_type), basis_rule(basis, council_type, name)
            )
        else:
            out[name] = p.scaled(1 / total_councils, allocation_rule(total_councils))
    return out


def allocation(
    params: Mapping[str, Parameter],
    counts: pd.DataFrame | None = None,
    basis: SizeBasis | None = None,
) -> pd.DataFrame:
    """Each council type's central estimates: in proportion to the basis where there is one
    (NaN where not), or equally per council with ``basis=None``; the total row is the sum."""
    by_type = councils_by_type(counts)
    total = int(by_type.sum())
    sector = central_estimates(params)
    rows = []
    for council_type, councils in by_type.items():
        if basis is None:
            share = councils / total
        elif basis.has(council_type):
            share = float(basis.shares[council_type])
        else:
            share = float("nan")
        row = {
            "council_type": council_type,
            "label": survey.label(survey.COUNCIL_TYPES, council_type),
            "councils": int(councils),
            "share": 100 * share,
        }
        row.update({name: share * value for name, value in sector.items()})
        row.update(
            {f"{name}_per_council": share * value / councils for name, value in sector.items()}
        )
        rows.append(row)
    frame = pd.DataFrame(rows)
    covered = frame.dropna(subset=["share"])
    totals = {
        "council_type": "total",
        "label": "All council types" if basis is None else "Types with a basis",
        "councils": int(covered["councils"].sum()),
        "share": covered["share"].sum(),
        **{name: covered[name].sum() for name in sector},
        **{f"{name}_per_council": float("nan") for name in sector},
    }
    frame.loc[len(frame)] = totals
    return frame


def _scaled_ends(p: Parameter, low: float, high: float, why: str) -> Parameter:
    return replace(p, low=low, central=(low + high) / 2, high=high, assumed=why)


def _occupations(params: dict[str, Parameter], figures: pd.DataFrame) -> None:
    value = figure_value(figures, "FC-0057")
    p = params["vacancies_digital_share"]
    spread = value * POINT_SPREAD_PERCENT / 100
    params["vacancies_digital_share"] = replace(
        p,
        low=value - spread,
        central=value,
        high=min(value + spread, 100.0),
        sources=("FC-0057",),
        assumed=f"range ±{POINT_SPREAD_PERCENT:g}% around the published value; scenario: "
        "share of UK occupations needing digital skills in place of vacancies",
    )


def _it_spend_low(params: dict[str, Parameter], figures: pd.DataFrame) -> None:
    p = params["it_spend"]
    params["it_spend"] = replace(
        p,
        central=p.low,
        assumed="scenario: most likely at the low end of the text's range, not the references "
        "table's ~£2bn",
    )


def _mean_contract(params: dict[str, Parameter], figures: pd.DataFrame) -> None:
    value = params["ddat_contract_value"].central / params["ddat_contract_count"].central
    p = params["ddat_project_median_value"]
    spread = value * POINT_SPREAD_PERCENT / 100
    params["ddat_project_median_value"] = replace(
        p,
        low=value - spread,
        central=value,
        high=value + spread,
        sources=("FC-0063", "FC-0072"),
        assumed=f"range ±{POINT_SPREAD_PERCENT:g}% assumed; scenario: the mean contract "
        "(total value ÷ number) in place of the median",
    )


def _shares_of_failed(params: dict[str, Parameter], figures: pd.DataFrame) -> None:
    complete, challenged = params["complete_failure_share"], params["challenged_share"]
    failed = {end: getattr(complete, end) + getattr(challenged, end) for end in ("low", "high")}
    why = "scenario: read as shares of the failed projects ('Of these projects')"
    for name, p in (("complete_failure_share", complete), ("challenged_share", challenged)):
        params[name] = _scaled_ends(
            p, failed["low"] * p.low / 100, failed["high"] * p.high / 100, why
        )


def _framework_by_value_unknown(params: dict[str, Parameter], figures: pd.DataFrame) -> None:
    p = params["la_framework_share"]
    cg = params["cg_framework_share"].central
    params["la_framework_share"] = _scaled_ends(
        p,
        0.0,
        cg,
        "scenario: the share by value is not published, so anywhere from 0% to "
        "central government's share",
    )


# The report's alternative readings (the unstated-choices table) as runnable scenarios.
SCENARIO_CHANGES: dict[str, tuple[str, Callable[[dict, pd.DataFrame], None]]] = {
    "occupations": (
        "the skills estimate with the share of UK occupations needing digital skills (FC-0057)",
        _occupations,
    ),
    "it_spend_low": (
        "IT spend most likely at £1bn, the low end of the text's £1-2bn (FC-0017)",
        _it_spend_low,
    ),
    "mean_contract": (
        "the failure cost with the mean contract (FC-0063 ÷ FC-0072) for the median",
        _mean_contract,
    ),
    "shares_of_failed": (
        "the failure shares read as shares of the failed projects",
        _shares_of_failed,
    ),
    "framework_by_value_unknown": (
        "councils' framework share by value anywhere from 0% to central government's",
        _framework_by_value_unknown,
    ),
}
if set(SCENARIO_CHANGES) != set(SCENARIOS) - {REPORT_SCENARIO}:
    raise RuntimeError("pipeline.parameters.SCENARIOS and the cost model's scenarios differ")


def with_scenario(
    params: Mapping[str, Parameter], scenario: str, figures: pd.DataFrame
) -> dict[str, Parameter]:
    """The sector inputs under one of the report's alternative readings ('report': as stated)."""
    if scenario not in SCENARIOS:
        raise CostInputError(f"scenario must be one of {', '.join(SCENARIOS)}; got {scenario!r}")
    out = dict(params)
    if scenario != REPORT_SCENARIO:
        SCENARIO_CHANGES[scenario][1](out, figures)
    return out


def model_inputs(
    council_type: str = survey.ALL,
    overrides: Mapping[str, object] | None = None,
    figures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
    *,
    basis: SizeBasis | None = None,
    scenario: str = REPORT_SCENARIO,
) -> dict[str, Parameter]:
    """The inputs for a run, own figures on top: the sector for 'all'; one average council of
    a type with a sourced basis; for a type without one, the sector (no per-type figure), or,
    where own figures are given, the equal split for the rest."""
    try:
        survey.check_council_type(council_type)
    except ValueError as exc:
        raise CostInputError(f"council_type: {exc}") from None
    figures = load_figures() if figures is None else figures
    params = with_scenario(sector_parameters(figures), scenario, figures)
    own = {name: value for name, value in (overrides or {}).items() if value is not None}
    for name in own:
        if name not in params:
            raise CostInputError(
                f"unknown override {name!r}; expected one of {', '.join(INPUT_NAMES)}"
            )
    if council_type != survey.ALL:
        basis = size_basis(counts) if basis is None else basis
        if basis.has(council_type) or own:
            params = per_council(params, int(councils_by_type(counts).sum()), council_type, basis)
    for name, value in own.items():
        params[name] = params[name].replaced_by(value)
    return params

"""The Future Councils cost model: the report's four estimates as formulas over named inputs.

The report ("Quantifying the impact") states its inputs in a references table
but shows no arithmetic. Each estimate here is a plain vectorised function;
each input is a :class:`Parameter` read by figure id from
``data/published/future_councils.csv``, so every number traces to a quoted
row. Shares are percentages (0-100), as in the published data. Every value
that is not in the report (a range around a point value, the centre of a
range, an allocation to councils) is labelled as assumed on the parameter.
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from councildigital.data import published, reference, sources, survey
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
        for part in filter(None, params[name].assumed.split("; ")):
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

    def pct(value: float) -> str:
        return formatting.amount(value, "percent")

    def gbp(value: float) -> str:
        return formatting.amount(value, "gbp")

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


def _draw(p: Parameter, rng: np.random.Generator, n: int) -> np.ndarray:
    if p.distribution == "fixed":
        return np.full(n, p.central)
    if p.distribution == "uniform":
        return rng.uniform(p.low, p.high, n)
    return rng.triangular(p.low, p.central, p.high, n)


# Draws are made in blocks small enough to stay in the CPU cache; each input has
# its own random stream, so the block size does not change the draws, and
# replacing one input by a council's own figure leaves the others' draws as they were.
_BLOCK = 1 << 16


def simulate(params: Mapping[str, Parameter], draws: int, seed: int) -> pd.DataFrame:
    """Monte Carlo draws of the four estimates, inputs drawn independently; same seed, same draws."""
    for name, value, least in (("draws", draws, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < least:
            raise CostInputError(f"{name} must be a whole number, {least} or more; got {value!r}")
    draws = int(draws)
    streams = dict(zip(INPUT_NAMES, np.random.default_rng(seed).spawn(len(INPUTS)), strict=True))
    out = {e.name: np.empty(draws) for e in ESTIMATES}
    for start in range(0, draws, _BLOCK):
        size = min(_BLOCK, draws - start)
        values = {name: _draw(params[name], rng, size) for name, rng in streams.items()}
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


def allocation_rule(total_councils: int) -> str:
    """The rule for a council's default share, as shown on every parameter it touches."""
    return f"sector total shared equally between the {total_councils} councils of every type"


def per_council(params: Mapping[str, Parameter], total_councils: int) -> dict[str, Parameter]:
    """One average council's inputs: sector totals divided equally, shares unchanged."""
    why = allocation_rule(total_councils)
    return {
        name: p.scaled(1 / total_councils, why) if name in EXTENSIVE else p
        for name, p in params.items()
    }


def allocation(params: Mapping[str, Parameter], counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each council type's central estimates under the allocation rule; the types sum to the sector."""
    by_type = councils_by_type(counts)
    total = int(by_type.sum())
    one = central_estimates(per_council(params, total))
    rows = []
    for council_type, councils in by_type.items():
        row = {
            "council_type": council_type,
            "label": survey.label(survey.COUNCIL_TYPES, council_type),
            "councils": int(councils),
            "share_of_councils": 100 * councils / total,
        }
        row.update({name: councils * value for name, value in one.items()})
        rows.append(row)
    frame = pd.DataFrame(rows)
    totals = frame.drop(columns=["council_type", "label"]).sum()
    frame.loc[len(frame)] = {"council_type": "total", "label": "All council types", **totals}
    return frame


def model_inputs(
    council_type: str = survey.ALL,
    overrides: Mapping[str, object] | None = None,
    figures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
) -> dict[str, Parameter]:
    """The inputs for a run: the sector for 'all', one council of a type otherwise, own figures on top."""
    try:
        survey.check_council_type(council_type)
    except ValueError as exc:
        raise CostInputError(f"council_type: {exc}") from None
    params = sector_parameters(figures)
    if council_type != survey.ALL:
        params = per_council(params, int(councils_by_type(counts).sum()))
    for name, value in (overrides or {}).items():
        if name not in params:
            raise CostInputError(
                f"unknown override {name!r}; expected one of {', '.join(INPUT_NAMES)}"
            )
        if value is not None:
            params[name] = params[name].replaced_by(value)
    return params


def inputs_table(params: Mapping[str, Parameter]) -> pd.DataFrame:
    """The inputs as a reader sees them: values, unit, distribution, source and what is assumed."""
    return pd.DataFrame(
        [
            {
                "parameter": name,
                "label": p.label,
                "low": formatting.amount(p.low, p.unit),
                "central": formatting.amount(p.central, p.unit),
                "high": formatting.amount(p.high, p.unit),
                "unit": p.unit,
                "distribution": p.distribution,
                "source": p.source,
                "assumed": p.assumed or "nothing",
            }
            for name, p in params.items()
        ]
    )


# The page: each result as the notebook shows it, tables already written as text.

PROVENANCE = (
    "Published figures (data/published/future_councils.csv) and councils of each type "
    "(data/reference/council_counts.csv); no respondent-level data"
)

# Chart titles are not wrapped ("...procured competitively: one input at a time" is 90 characters).
_TITLE_WIDTH = 100


def citation() -> str:
    """The report the published inputs come from, as every chart's source line names it."""
    return sources.document(DOCUMENT).citation


@dataclass(frozen=True)
class CostModel:
    """One page's model: whom it covers, its inputs, which of them are the council's own, its draws."""

    council_type: str
    params: dict[str, Parameter]
    sector: dict[str, Parameter]
    own: tuple[str, ...]
    council_name: str | None
    draws: int
    seed: int
    figures: pd.DataFrame
    counts: pd.DataFrame

    @property
    def is_all(self) -> bool:
        return self.council_type == survey.ALL

    @property
    def by_type(self) -> pd.Series:
        return councils_by_type(self.counts)

    @property
    def total_councils(self) -> int:
        return int(self.by_type.sum())

    @property
    def type_label(self) -> str:
        return survey.label(survey.COUNCIL_TYPES, self.council_type)

    @property
    def scope(self) -> str:
        """Whom the figures describe, for captions and axis labels (raw text: they escape it)."""
        if self.is_all:
            return "the whole local government sector"
        default = f"an example {self.type_label.lower()}" if self.own else None
        return self.council_name or default or f"one average {self.type_label.lower()}"

    @property
    def introduction(self) -> str:
        """The page's first paragraph: whom it covers, which inputs are own figures, the draws."""
        if self.is_all:
            given = f", except the figures given below ({', '.join(self.own)})" if self.own else ""
            intro = f"This page covers **{self.scope}**, with the report's own inputs{given}."
        else:
            # council_name is free text: Markdown gets it escaped.
            covers = (
                f"This page covers **{formatting.escape_markdown(self.scope)}** "
                f"({self.type_label.lower()})"
            )
            default = (
                "Defaults: each sector total (staff, IT spend, DDaT contracts) is shared equally "
                f"between the {self.total_councils} councils of every type, so one council gets "
                f"1/{self.total_councils} of it; there are {int(self.by_type[self.council_type])} "
                "of this type. Shares and rates are the sector's."
            )
            own = ", ".join(
                f"{self.params[name].label} "
                f"({formatting.amount(self.params[name].central, self.params[name].unit)})"
                for name in self.own
            )
            intro = (
                f"{covers}, with its own figures for {own}. {default}"
                if self.own
                else f"{covers}, every input a default. {default}"
            )
        return (
            f"{intro}\n\nMonte Carlo: {self.draws:,} draws, seed {self.seed}. Source of every "
            f"published input: {citation()}, references table and 'Quantifying the impact' "
            "(figure ids as in the evidence section)."
        )


def cost_model(
    council_type: str,
    own: Mapping[str, object] | None = None,
    *,
    draws: int,
    seed: int,
    council_name: str | None = None,
    figures: pd.DataFrame | None = None,
    counts: pd.DataFrame | None = None,
) -> CostModel:
    """The page's model: the sector for 'all', one council of a type otherwise; ``own`` figures
    (None keeps the default) replace the defaults, and a bad one is refused naming it."""
    figures = load_figures() if figures is None else figures
    counts = reference.council_counts() if counts is None else counts
    own = {name: value for name, value in (own or {}).items() if value is not None}
    return CostModel(
        council_type,
        model_inputs(council_type, own, figures=figures, counts=counts),
        sector_parameters(figures),
        tuple(own),
        council_name,
        draws,
        seed,
        figures,
        counts,
    )


@dataclass(frozen=True)
class InputsTable:
    """The model inputs as the page lists them, and why each distribution."""

    table: pd.DataFrame
    caption: str
    distributions: str


def inputs_shown(model: CostModel) -> InputsTable:
    """Each input's low, central and high value, its source and what is assumed."""
    table = inputs_table(model.params)
    table.columns = [
        "Parameter",
        "What it is",
        "Low",
        "Central",
        "High",
        "Unit",
        "Distribution",
        "Source (figure id)",
        "Assumed",
    ]
    reasons = "\n".join(f"- **{name}**: {reason}." for name, reason in DISTRIBUTIONS.items())
    return InputsTable(
        table,
        f"Model inputs for {model.scope}",
        f"Distributions, and why:\n\n{reasons}\n\nWhere the report gives a single value, the "
        f"range is **assumed**: ±{POINT_SPREAD_PERCENT:g}% of it. Inputs are drawn "
        "independently of each other.",
    )


@dataclass(frozen=True)
class CentralEstimates:
    """The four estimates at central inputs: table, headline figures and the note under them."""

    table: pd.DataFrame
    caption: str
    headlines: dict[str, str]
    note: str


def central_shown(model: CostModel) -> CentralEstimates:
    """Each estimate's formula, with central numbers, and (one average council) its type's total."""
    values = values_at(model.params, "central")
    units = units_of(model.params)
    central = central_estimates(model.params)
    councils = None if model.is_all or model.own else int(model.by_type[model.council_type])
    rows = []
    for est in ESTIMATES:
        row = {
            "Estimate": est.label,
            "Formula": est.formula.format(**{name: name for name in est.inputs}),
            "With central inputs": est.formula_with(values, units),
            "Central estimate": formatting.amount(central[est.name], est.unit),
        }
        if councils is not None:
            row[f"All {councils} of this type"] = formatting.amount(
                councils * central[est.name], est.unit
            )
        rows.append(row)
    sector_only = (
        ""
        if model.is_all
        else " The reproduction of the report's figures, the choices its arithmetic makes "
        "and the 'over £8 billion' claim are about the whole sector: see the all-sector page."
    )
    return CentralEstimates(
        pd.DataFrame(rows),
        f"The four estimates for {model.scope}, every input at its central value",
        {row["Estimate"]: row["Central estimate"] for row in rows},
        "The third-party estimate counts no shortfall for a council that uses frameworks more "
        f"than central government does (the bracket is never below zero).{sector_only}",
    )


@dataclass(frozen=True)
class Reproduction:
    """The report's figures recomputed from its own inputs: how many match, and the table."""

    heading: str
    sentence: str
    table: pd.DataFrame
    caption: str = "The report's figures, reproduced"


def reproduction(model: CostModel) -> Reproduction:
    """Each headline figure of the report beside the model's, at the report's rounding."""
    reproduced = reproduce(model.sector, model.figures)
    table = formatting.amounts(reproduced, ["model", "model_rounded", "report"])
    table["matches"] = table["matches"].map({True: "yes", False: "NO"})
    table["report_quote"] = table["report_quote"].str.replace("**", "", regex=False)
    table = table[
        [
            "label",
            "end",
            "formula",
            "model",
            "model_rounded",
            "report",
            "report_quote",
            "figure_id",
            "matches",
        ]
    ]
    table.columns = [
        "Estimate",
        "End",
        "Formula with the report's inputs",
        "Model",
        "Model, report's rounding",
        "Report",
        "Report's words",
        "Figure id",
        "Reproduced",
    ]
    return Reproduction(
        "## Reproducing the report\n\nThe report's figures recomputed from its own inputs, "
        "each rounded to the significant figures the report shows.",
        f"**{int(reproduced['matches'].sum())} of the report's {len(reproduced)} figures are "
        "reproduced exactly** to the report's rounding from the inputs it states.",
        table,
    )


@dataclass(frozen=True)
class UnstatedChoices:
    """The choices behind the reproduction, what the alternatives give, and the two left over."""

    heading: str
    table: pd.DataFrame
    note: str
    caption: str = "Unstated choices and their alternatives"


def _low_to_high(low: pd.Series, high: pd.Series, values: pd.Series) -> pd.Series:
    """'£300m to £1bn', or the low end alone where the choice gives a single value."""
    return low.where(values.isna(), low + " to " + high)


def unstated_choices(model: CostModel) -> UnstatedChoices:
    """Each unstated choice of the report's arithmetic, its reading and the alternative's result."""
    choices = report_choices(model.sector, model.figures)
    ends = ["report_low", "report_high", "alternative_low", "alternative_high"]
    shown = formatting.amounts(choices, ends)
    table = pd.DataFrame(
        {
            "Estimate": [estimate(name).label for name in choices["estimate"]],
            "Unstated choice": shown["choice"],
            "The report's reading": shown["report_reading"],
            "Gives": _low_to_high(
                shown["report_low"], shown["report_high"], choices["report_high"]
            ),
            "The alternative": shown["alternative_reading"],
            "Alternative gives": _low_to_high(
                shown["alternative_low"], shown["alternative_high"], choices["alternative_high"]
            ),
        }
    )
    sector = model.sector
    return UnstatedChoices(
        "### Choices the report's arithmetic makes without saying so\n\n"
        "Each reproduction above rests on a choice the report does not state. The table "
        "gives the reading that reproduces the report and what the alternative gives.",
        table,
        "Two further choices have no published alternative to compute: the skills estimate "
        "applies a share of *councils* with a gap "
        f"({formatting.amount(sector['skills_gap_share'].central, 'percent')}) to *staff*, "
        "and a share of UK job *vacancies* to council *employees*; the legacy range's high "
        f"end ({formatting.amount(sector['legacy_share'].high, 'percent')}) is a central "
        "government figure applied to councils.",
    )


@dataclass(frozen=True)
class ClaimCheck:
    """The 'over £8 billion' claim, what the report's inputs reach, and the finding."""

    heading: str
    text: str


def claim_check(model: CostModel) -> ClaimCheck:
    """What the report's inputs add up to beside its 'over £8 billion', and what is missing."""
    claim = addressable_spend(model.sector, model.figures)
    gbp = formatting.amount_formatter("gbp")
    it_spend = model.sector["it_spend"]
    quote = model.figures.set_index("id").loc["FC-0011", "quote"].replace("**", "")
    return ClaimCheck(
        '## The "over £8 billion" claim',
        f'The report says: *"{formatting.escape_markdown(quote)}"* (FC-0011), of '
        'the areas "staff, IT and procurement of DDaT work". It shows no sum.\n\n'
        f"- **What its inputs add up to.** The only money inputs for those areas are IT "
        f"spend of {gbp(claim.it_spend)} a year (FC-0060; the text says "
        f"{gbp(it_spend.low)}-{gbp(it_spend.high)}) and DDaT contracts "
        f"of {gbp(claim.ddat_contract_value)} (FC-0063): {gbp(claim.stated_if_separate)} "
        f"together, or {gbp(claim.stated_if_nested)} if the contracts are part of the IT "
        "spend, which the report does not say.\n"
        f"- **What is missing.** For staff the report gives a head count, "
        f"{formatting.amount(claim.fte_total, 'fte')} FTE (FC-0059), but no pay or staff "
        f"cost. To pass {gbp(claim.claim)}, staff spend would have to be more than "
        f"{gbp(claim.missing_low)} to {gbp(claim.missing_high)}, that is "
        f"{gbp(claim.per_fte_low)} to {gbp(claim.per_fte_high)} per FTE. The report "
        "states no such figure, so this part cannot be checked.\n"
        f"- **Not the sum of the estimates.** The four money estimates add up to "
        f"{gbp(claim.estimates_low)} to {gbp(claim.estimates_high)}: the {gbp(claim.claim)} is "
        "the spending the problems sit in, not their cost.\n\n"
        f"**Finding:** the report's inputs reach {gbp(claim.stated_if_separate)} at most; "
        f"the 'over {gbp(claim.claim)}' rests on a staff-spend figure the report does not "
        "give, and is not reproduced here.",
    )


@dataclass(frozen=True)
class CostChart:
    """One estimate's chart: what to draw (for :mod:`.plots`) and its labels (for ``page.chart``)."""

    estimate: str
    frame: pd.DataFrame
    baseline: float
    marks: dict[str, float]
    unit: str
    title: str
    x: str
    y: str
    n: str
    source: str
    assumed: str | None

    @property
    def formatter(self) -> Callable[[float], str]:
        return formatting.amount_formatter(self.unit)

    @property
    def labels(self) -> dict[str, object]:
        """``page.chart``'s keywords: title (unwrapped), axes, base, source, assumed inputs."""
        return {
            "title": self.title,
            "x": self.x,
            "y": self.y,
            "n": self.n,
            "source": self.source,
            "assumed": self.assumed,
            "wrap": _TITLE_WIDTH,
        }


def _chart_source(params: Mapping[str, Parameter], names: Iterable[str]) -> str:
    return (
        f"{citation()}; inputs {sources_of(params, names)}; "
        "model councildigital.sections.future_councils_costs"
    )


def _report_marks(model: CostModel, est: Estimate) -> dict[str, float]:
    """The report's own figures for an estimate (all-sector page only), to mark on its chart."""
    if not model.is_all:
        return {}
    rows = model.figures.set_index("id")
    marks = {}
    for figure_id in est.figures:
        row = rows.loc[figure_id]
        end = "" if row["item"] == "value" else f" ({row['item']})"
        marks[f"report{end}, {figure_id}"] = row["value"]
    return marks


# The middle of the draws the page reports: between the outer percentiles.
OUTER: tuple[int, int] = (PERCENTILES[0], PERCENTILES[-1])


@dataclass(frozen=True)
class Uncertainty:
    """The Monte Carlo: the percentile table, what the draws say, a chart of each estimate's draws."""

    table: pd.DataFrame
    caption: str
    sentence: str
    charts: tuple[CostChart, ...]
    percentiles: tuple[int, int, int] = (OUTER[0], 50, OUTER[1])


def uncertainty(model: CostModel) -> Uncertainty:
    """Where the estimates fall when the inputs are drawn from their ranges, and why lopsided."""
    params = model.params
    simulation = simulate(params, model.draws, model.seed)
    summary = summarise(simulation, params)
    central = central_estimates(params)
    table = formatting.amounts(
        summary.reset_index(names="estimate"), ["central", "mean", *[f"p{q}" for q in PERCENTILES]]
    ).drop(columns=["estimate", "unit"])
    table.columns = ["Estimate", "Central", "Mean", *[f"P{q}" for q in PERCENTILES]]
    lines = []
    charts = []
    for est in ESTIMATES:
        fmt = formatting.amount_formatter(est.unit)
        row = summary.loc[est.name]
        marks = _report_marks(model, est)
        line = (
            f"- **{est.label}**: {OUTER[1] - OUTER[0]}% of draws between "
            f"{fmt(row[f'p{OUTER[0]}'])} and {fmt(row[f'p{OUTER[1]}'])}, median {fmt(row['p50'])}"
        )
        if marks:
            line += "; the report: " + " to ".join(fmt(v) for v in marks.values())
        lines.append(line + ".")
        charts.append(
            CostChart(
                est.name,
                simulation,
                central[est.name],
                {"central estimate": central[est.name], **marks},
                est.unit,
                f"{est.label}: Monte Carlo",
                f"Estimate for {model.scope}",
                "Share of draws (%)",
                f"{model.draws:,} draws (seed {model.seed})",
                _chart_source(params, est.inputs),
                assumptions_of(params, est.inputs),
            )
        )
    lines += _lopsided(params, summary, central)
    return Uncertainty(
        table,
        f"Monte Carlo percentiles for {model.scope} ({model.draws:,} draws, seed {model.seed})",
        "\n".join(lines),
        tuple(charts),
    )


def _lopsided(
    params: Mapping[str, Parameter], summary: pd.DataFrame, central: Mapping[str, float]
) -> list[str]:
    """Why an estimate's draws centre away from its central value: an input's lopsided range."""
    lines = []
    for est in ESTIMATES:
        lopsided = [params[n] for n in est.inputs if params[n].is_lopsided]
        if not lopsided:
            continue
        fmt = formatting.amount_formatter(est.unit)
        median = summary.loc[est.name, "p50"]
        where = "below" if median < central[est.name] else "above"
        ranges = "; ".join(
            f"{p.label}: from {formatting.amount(p.low, p.unit)} to "
            f"{formatting.amount(p.high, p.unit)}, most likely {formatting.amount(p.central, p.unit)}"
            for p in lopsided
        )
        lines.append(
            f"- The draws of *{est.label}* sit {where} its central estimate (median "
            f"{fmt(median)}, central {fmt(central[est.name])}) because an input's range is "
            f"lopsided around its central value ({ranges})."
        )
    return lines


@dataclass(frozen=True)
class Sensitivity:
    """One input at a time: which input moves each estimate most, and a tornado per estimate."""

    sentence: str
    charts: tuple[CostChart, ...]


def sensitivity_shown(model: CostModel) -> Sensitivity:
    """The widest swing per estimate (inputs tied for it named together), and the charts."""
    params = model.params
    swings = sensitivity(params)
    central = central_estimates(params)
    lines = []
    charts = []
    for est in ESTIMATES:
        rows = swings[swings["estimate"] == est.name]
        if rows.empty:
            lines.append(f"- **{est.label}**: every input is a fixed figure; nothing to vary.")
            continue
        top = rows.iloc[0]
        fmt = formatting.amount_formatter(est.unit)
        tied = rows[rows["swing"] >= top["swing"] * (1 - 1e-9)]
        lines.append(
            f"- **{est.label}**: {' and '.join(tied['label'])} "
            f"move{'s' if len(tied) == 1 else ' it equally'} most, from "
            f"{fmt(min(top['at_low'], top['at_high']))} to "
            f"{fmt(max(top['at_low'], top['at_high']))}."
        )
        charts.append(
            CostChart(
                est.name,
                rows,
                central[est.name],
                {},
                est.unit,
                f"{est.label}: one input at a time",
                f"Estimate for {model.scope} (line: central estimate)",
                "",
                f"{len(rows)} inputs varied one at a time",
                _chart_source(params, rows["parameter"]),
                assumptions_of(params, rows["parameter"]),
            )
        )
    return Sensitivity("\n".join(lines), tuple(charts))


@dataclass(frozen=True)
class Allocation:
    """The allocation rule and each council type's central estimates under it."""

    rule: str
    table: pd.DataFrame
    caption: str = "Central estimates by council type (defaults: equal shares per council)"


def allocation_shown(model: CostModel) -> Allocation:
    """Each council type's share of the sector (this type and the total on a council's page)."""
    frame = allocation(model.sector, model.counts)
    if not model.is_all:
        frame = frame[frame["council_type"].isin([model.council_type, "total"])]
    table = frame.copy()
    for est in ESTIMATES:
        table[est.name] = [formatting.amount(v, est.unit) for v in frame[est.name]]
    table["share_of_councils"] = [f"{v:.1f}%" for v in frame["share_of_councils"]]
    table = table.drop(columns="council_type")
    table.columns = [
        "Council type",
        "Councils",
        "Share of councils",
        *[est.label for est in ESTIMATES],
    ]
    return Allocation(
        "**Allocation rule:** the report gives sector totals only, and the project's only "
        f"size information is the number of councils of each type ({model.total_councils} in "
        "Great Britain, `data/reference/council_counts.csv`). So each council type gets the "
        "sector total times its share of councils, and every council the same default, "
        "whatever its type. Real councils differ greatly in size (a county employs far more "
        "than a district): a council's own figures replace these defaults. The types add up "
        "to the sector.",
        table,
    )

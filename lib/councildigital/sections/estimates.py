"""What stands behind each number a survey page shows: its evidence status.

Every estimate a page shows from respondent data is an :class:`Estimate`: the
value with its interval and base, and one of four statuses.

- ``published``: the report states this very statistic (its figure id is cited);
- ``bounded``: the report does not state it, but its published figures confine
  it: the identification interval (:mod:`councildigital.reconstruct.bounds`)
  covers less than :data:`~councildigital.reconstruct.bounds.ASSUMED_COVERAGE`
  of the range the bases allow, and the page shows that interval;
- ``assumed``: the published figures leave it essentially free, so on the
  synthetic data it is set by the reconstruction's assumptions: illustrative
  only, with no p-value, no significance wording and no headline;
- ``observed``: computed from real respondent data. The interval the published
  figures imply is still shown, as a check of the data against the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache

import pandas as pd

from councildigital.data import survey
from councildigital.reconstruct import claims
from councildigital.sections import formatting, records

PUBLISHED, BOUNDED, ASSUMED, OBSERVED = "published", "bounded", "assumed", "observed"
STATUSES = (PUBLISHED, BOUNDED, ASSUMED, OBSERVED)
MARKS = {PUBLISHED: "●", BOUNDED: "◐", ASSUMED: "○", OBSERVED: "◆"}
UNATTAINABLE = "no data with these bases can meet the published figures it rests on"
ILLUSTRATIVE = "illustrative: set by the reconstruction's assumptions, not by the report"
# Weakest first: a statement resting on several estimates is as strong as its weakest.
_STRENGTH = {ASSUMED: 0, BOUNDED: 1, PUBLISHED: 2, OBSERVED: 2}
# How a unit's values are written: decimals and whether a sign is shown.
UNITS = {"%": (0, False), "points": (0, True), "": (2, False), "scale points": (2, True)}
COLUMNS = records.ESTIMATE_COLUMNS  # the estimates file's columns, in order

LEGEND = (
    "**What stands behind each number.** "
    f"{MARKS[PUBLISHED]} *published*: the report states it (figure id given); "
    f"{MARKS[BOUNDED]} *bounded*: the report's published figures confine it to the range shown; "
    f"{MARKS[ASSUMED]} *illustrative*: the published figures leave it essentially free (their "
    "range covers at least 90% of what the bases allow), so this synthetic data sets it by the "
    "reconstruction's assumptions; such numbers carry no test and no headline."
)
LEGEND_OBSERVED = (
    "**What stands behind each number.** "
    f"{MARKS[OBSERVED]} *observed*: computed from the respondent data. Beside each is the range "
    "the report's published figures allow for it; a value outside that range is flagged, as a "
    "check of the data against the report."
)


def _written(value: float, unit: str) -> str:
    digits, sign = UNITS[unit]
    text = f"{value:{'+' if sign else ''}.{digits}f}"
    return text + ("%" if unit == "%" else "")


def written_range(low: float, high: float, unit: str) -> str:
    """'52% to 78%', '-10 to +30 points', '2.10 to 3.40': an interval in its unit ('exactly
    +27 points' where the published figures fix the value)."""
    if _written(low, unit) == _written(high, unit):
        text = f"exactly {_written(low, unit)}"
    else:
        text = f"{_written(low, unit)} to {_written(high, unit)}"
    return f"{text} points" if unit == "points" else text


def _between(range_text: str) -> str:
    """'between 52% and 78%', or 'at exactly +27 points'."""
    if range_text.startswith("exactly "):
        return f"at {range_text}"
    return "between " + range_text.replace(" to ", " and ", 1)


@dataclass(frozen=True)
class Estimate:
    """One number a page shows, with its interval, base and evidence status."""

    statistic: str
    group: str
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    evidence: str = ASSUMED
    bound_low: float | None = None
    bound_high: float | None = None
    figure_id: str = ""
    unit: str = "%"
    identification: str = ASSUMED
    quantity: claims.Quantity | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.evidence not in STATUSES:
            raise ValueError(f"unknown evidence status {self.evidence!r}; expected {STATUSES}")
        if self.identification not in (PUBLISHED, BOUNDED, ASSUMED):
            raise ValueError(f"unknown identification {self.identification!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; expected one of {tuple(UNITS)}")

    @property
    def mark(self) -> str:
        return MARKS[self.evidence]

    @property
    def has_bounds(self) -> bool:
        return (
            self.bound_low is not None
            and self.bound_high is not None
            and not (math.isnan(self.bound_low) or math.isnan(self.bound_high))
        )

    @property
    def unattainable(self) -> bool:
        """No dataset with these bases meets the published figures (NaN bounds)."""
        return self.bound_low is not None and math.isnan(self.bound_low)

    @property
    def within_bounds(self) -> bool | None:
        """Whether the value lies in the range the published figures imply (None: no range)."""
        if self.unattainable:
            return False
        if not self.has_bounds or self.value is None or math.isnan(self.value):
            return None
        slack = 1e-6 * max(1.0, abs(self.bound_high - self.bound_low))
        return bool(self.bound_low - slack <= self.value <= self.bound_high + slack)

    @property
    def range_text(self) -> str:
        return written_range(self.bound_low, self.bound_high, self.unit) if self.has_bounds else ""

    @property
    def label(self) -> str:
        """The status in words, as a table's Evidence column and screen readers give it."""
        if self.evidence == PUBLISHED:
            return f"published ({self.figure_id})"
        if self.evidence == BOUNDED:
            return f"bounded: {self.range_text}"
        if self.evidence == ASSUMED:
            return "illustrative (assumed)"
        if self.unattainable:
            return f"observed; {UNATTAINABLE}"
        if self.within_bounds is False:
            return f"observed; outside the published range ({self.range_text})"
        return f"observed (published range: {self.range_text})" if self.has_bounds else "observed"

    @property
    def cell(self) -> str:
        return f"{self.mark} {self.label}"

    @property
    def is_finding(self) -> bool:
        """Whether the number may carry a test, significance wording or a headline."""
        return self.evidence != ASSUMED

    def phrase(self) -> str:
        """What a sentence adds after the number: the bound, the figure, or 'illustrative'."""
        if self.evidence == PUBLISHED:
            return f"as the report states ({self.figure_id})"
        if self.evidence == BOUNDED:
            return f"the published figures put this {_between(self.range_text)}"
        if self.evidence == ASSUMED:
            return ILLUSTRATIVE
        if self.unattainable:
            return UNATTAINABLE
        if self.within_bounds is False:
            return f"outside the range the published figures allow ({self.range_text})"
        return ""

    def row(self) -> dict:
        """The estimate as one row of the page's estimates file."""
        values = asdict(self)
        values.pop("quantity")
        values["within_bounds"] = self.within_bounds
        return {name: values[name] for name in COLUMNS}


def marked(text: str, e: Estimate | None) -> str:
    """A table cell with the mark of the estimate behind it ('52 ●'); a blank or dash as it is."""
    return text if e is None or text in ("", formatting.MISSING) else f"{text} {e.mark}"


def weakest(items: Estimate | Iterable[Estimate]) -> Estimate:
    """The estimate a statement resting on several is as strong as (the first of the weakest)."""
    items = [items] if isinstance(items, Estimate) else list(items)
    if not items:
        raise ValueError("weakest: no estimates")
    return min(items, key=lambda e: _STRENGTH[e.evidence])


def all_findings(items: Iterable[Estimate]) -> bool:
    return all(e.is_finding for e in items)


@cache
def _published_ids() -> dict[claims.Quantity, str]:
    """Each statistic the report states as a value, with its figure id."""
    return {
        c.quantity: c.id
        for c in claims.claims()
        if c.checkable and c.point and not c.id.startswith("READ-")
    }


def published_id(q: claims.Quantity) -> str:
    """The id of the figure that states this statistic, or '' if the report does not."""
    return _published_ids().get(q, "")


def identification(
    q: claims.Quantity, frame: pd.DataFrame
) -> tuple[str, float | None, float | None, str]:
    """(how far the report determines it, bound low, bound high, figure id) of a statistic,
    on data with these bases: ``published``, ``bounded`` or ``assumed``."""
    from councildigital.reconstruct import bounds

    interval = bounds.identify(q, frame)
    low, high = (None, None) if interval is None else (interval.low, interval.high)
    figure = published_id(q)
    if figure:
        return PUBLISHED, low, high, figure
    if interval is None:
        return ASSUMED, None, None, ""
    return bounds.status_of(interval), low, high, ""


def estimate(
    q: claims.Quantity,
    statistic: str,
    value: float,
    frame: pd.DataFrame,
    *,
    synthetic: bool,
    group: str | None = None,
    ci_low: float | None = None,
    ci_high: float | None = None,
    n: int | None = None,
    unit: str = "%",
) -> Estimate:
    """An estimate with its status; ``frame`` gives the bases (all respondents of the data)."""
    identified, low, high, figure = identification(q, frame)

    def number(x: float | None) -> float | None:
        return None if x is None or pd.isna(x) else float(x)

    return Estimate(
        statistic=statistic,
        group=group if group is not None else q.group,
        value=float(value),
        ci_low=number(ci_low),
        ci_high=number(ci_high),
        n=None if n is None or pd.isna(n) else int(n),
        evidence=identified if synthetic else OBSERVED,
        bound_low=low,
        bound_high=high,
        figure_id=figure,
        unit=unit,
        identification=identified,
        quantity=q,
    )


# Short names of each question's statistic, for tables and the page's opening summary.
_NAMES = {
    "has_vision": "Has a strategic vision (% yes)",
    "vision_could_help": "How far digital could help the vision (mean, 1-5)",
    "vision_in_plan": "How far digital is in the plan for the vision (mean, 1-5)",
    "sig": "Significance of {0} in the vision (mean, 1-5)",
    "pot": "Digital's potential for {0} (mean, 1-5)",
    "plan": "Digital in the plan for {0} (mean, 1-5)",
    "help": "{1} could help {0} (% yes)",
    "planned": "{1} planned for {0} (% yes)",
    "barrier": "{0} as a barrier (mean, 0-5)",
    "has_capability": "Has the capability to design and deliver digital solutions (% yes)",
}


def statistic_name(column: str) -> str:
    """'Digital's potential for prevention (mean, 1-5)': a column's one-way statistic in words."""
    from councildigital.data import microdata

    spec = microdata.column(column)
    name = _NAMES[spec.question.code]
    items = [item.label for item in spec.items]
    if items and not name.startswith("{0}"):
        items[0] = formatting.lower_first(items[0])
    return name.format(*items)


def summary(found: Sequence[Estimate], who: str, too_small: bool = False) -> str:
    """Markdown: the report's figures about one group, then those it confines, tightest first
    (with real data, each observed value beside them, flagged where outside).

    ``too_small``: the page shows all respondents instead of the group (too few answered), so
    the group's free estimates are not "below" and the page's figures are not the group's.
    """
    stated = [e for e in found if e.identification == PUBLISHED]
    confined = sorted(
        (e for e in found if e.identification == BOUNDED),
        key=lambda e: (e.bound_high - e.bound_low, e.statistic),
    )
    lines = [f"**What the published evidence says about {who} respondents.**"]
    context = (
        f"Too few {who} respondents answered for estimates of their own: the estimates below "
        "are for all respondents, for context."
    )
    if not stated and not confined:
        if too_small:
            lines.append(
                f"The report publishes no figure about {who} respondents on these questions, "
                f"and its figures for everyone leave all {len(found)} of this type's "
                f"estimates essentially free. {context}"
            )
            return "\n\n".join(lines)
        lines.append(
            f"The report publishes no figure about {who} respondents on these questions, and "
            f"its figures for everyone leave all {len(found)} of this type's estimates "
            f"essentially free: every estimate for {who} respondents below is illustrative."
        )
        return "\n\n".join(lines)
    items = [
        f"- {MARKS[PUBLISHED]} {e.statistic}: the report states it ({e.figure_id}; "
        f"{e.range_text.removeprefix('exactly ')}){_seen(e)}"
        for e in stated
    ] + [
        f"- {MARKS[BOUNDED]} {e.statistic}: the published figures put it "
        f"{_between(e.range_text)}{_seen(e)}"
        for e in confined
    ]
    rest = len(found) - len(stated) - len(confined)
    lines.append("\n".join(items))
    if rest:
        lines.append(
            f"The report's figures leave the other {rest} of this type's {len(found)} estimates "
            + (
                "essentially free."
                if too_small
                else "essentially free: on this page they are illustrative."
            )
        )
    if too_small:
        lines.append(context)
    return "\n\n".join(lines)


def _seen(e: Estimate) -> str:
    """With real data, the observed value after what the report implies, flagged if outside."""
    if e.evidence != OBSERVED:
        return ""
    if math.isnan(e.value):
        return f"; observed value not shown (n = {e.n}: disclosure control, see the audit file)"
    flag = "" if e.within_bounds is not False else ", **outside that range**"
    return f"; observed {_written(e.value, e.unit)} (n = {e.n}){flag}"


def one_way(column: str, group: str) -> claims.Quantity | None:
    """The statistic a page leads with for one column and group: share 'yes', or mean answer."""
    from councildigital.data import microdata

    scale = microdata.column(column).question.scale
    if scale is None:
        return None
    if scale in (survey.YES_NO, survey.YES_NO_DONT_KNOW):
        return claims.Quantity("share", column, (1,), group)
    return claims.Quantity("mean", column, group=group)


def rows(items: Sequence[Estimate]) -> list[dict]:
    return [e.row() for e in items]

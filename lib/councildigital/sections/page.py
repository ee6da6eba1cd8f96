"""What every survey section notebook does first: load and check the data, pick the council
type, weight if asked, record provenance, and say what the page can and cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from councildigital import stats
from councildigital.data import reference, survey
from councildigital.data.microdata import Microdata, load_microdata
from councildigital.pipeline import snapshot
from councildigital.pipeline.parameters import WEIGHTINGS
from councildigital.reconstruct import claims
from councildigital.sections import formatting, records

SURVEY_SOURCE = "LGC and Hitachi Solutions (2024) survey of 78 UK council respondents"


@dataclass(frozen=True)
class Page:
    """The data a section page works from, and the choices that shaped it."""

    microdata: Microdata
    council_type: str
    min_base: int
    weighting: str
    weights: pd.Series | None
    poststratification: stats.PostStratification | None

    @property
    def all(self) -> pd.DataFrame:
        return self.microdata.frame

    @property
    def frame(self) -> pd.DataFrame:
        """The chosen council type's respondents (everyone for 'all')."""
        if self.council_type == survey.ALL:
            return self.all
        return self.all[self.all["council_type"] == self.council_type]

    @property
    def shown(self) -> pd.DataFrame:
        """What the page estimates from: the council type, or everyone (for context) if too few."""
        return self.all if self.too_small else self.frame

    @property
    def n(self) -> int:
        return len(self.frame)

    @property
    def label(self) -> str:
        return (
            "All respondents"
            if self.council_type == survey.ALL
            else survey.label(survey.COUNCIL_TYPES, self.council_type)
        )

    @property
    def too_small(self) -> bool:
        return self.n < self.min_base

    @property
    def synthetic(self) -> bool:
        return self.microdata.synthetic

    def source(self) -> str:
        """The source line for charts and tables: the survey and what data stands for it."""
        return f"{SURVEY_SOURCE}. {self.microdata.label}"

    def notice(self) -> str:
        """Markdown for the top of the page: data, base, weighting, and small-base warning."""
        lines = []
        if self.synthetic:
            label = formatting.escape_markdown(self.microdata.label)
            lines.append(f"**{label}.** Every chart and table below says so too.")
        lines.append(
            f"**Respondents on this page:** {self.label}, n = {self.n} of {len(self.all)}."
        )
        if self.weighting == "council_type" and self.council_type == survey.ALL:
            lines.append(
                "**Weighting:** post-stratified to the number of councils of each type in Great "
                f"Britain (Kish design effect {self.poststratification.design_effect:.2f}, "
                f"effective n = {self.poststratification.n_eff:.0f}); unweighted figures are "
                "shown beside weighted ones."
            )
        elif self.weighting == "council_type":
            lines.append(
                "**Weighting:** within one council type every respondent has the same weight, "
                "so weighted and unweighted figures are the same on this page."
            )
        if self.too_small:
            lines.append(
                f"**Too few respondents to show estimates for this council type:** "
                f"n = {self.n}, below the minimum base of {self.min_base}. Figures for all "
                "respondents are shown for context only."
            )
        return "\n\n".join(lines)


def load_page(
    council_type: str = survey.ALL,
    data_path: str | None = None,
    min_base: int = stats.MIN_BASE,
    weighting: str = "none",
) -> Page:
    """Validate the parameters and data, and record the page's provenance for the site."""
    survey.check_council_type(council_type)
    if weighting not in WEIGHTINGS:
        raise ValueError(
            f"unknown weighting {weighting!r}; expected one of {', '.join(WEIGHTINGS)}"
        )
    if not isinstance(min_base, int) or isinstance(min_base, bool) or min_base < 1:
        raise ValueError(f"min_base must be a whole number of respondents >= 1; got {min_base!r}")
    if snapshot.is_ref(data_path):  # a batch read and validated the file once, for every page
        microdata = snapshot.load_microdata(data_path)
    else:
        microdata = load_microdata(data_path)
    post = None
    weights = None
    if weighting == "council_type":
        post = council_type_weights(microdata.frame)
        weights = post.weights
    records.provenance(microdata.label, microdata.synthetic, microdata.sha256)
    return Page(microdata, council_type, min_base, weighting, weights, post)


def council_type_weights(frame: pd.DataFrame) -> stats.PostStratification:
    """Post-stratified to the number of councils of each type (``data/reference/``)."""
    return stats.poststratification_weights(
        frame, column="council_type", population=reference.council_counts()
    )


def reproduces_the_report(data: Page, questions: tuple[str, ...]) -> pd.DataFrame:
    """Each published 2024 figure of these questions beside the value computed from the data."""
    table = claims.fidelity(data.all)
    table = table[table["question"].isin(questions)]
    return table[
        [
            "id",
            "question",
            "item",
            "group",
            "measure",
            "published",
            "reconstructed",
            "difference",
            "tolerance",
            "within",
        ]
    ].rename(columns={"reconstructed": "computed from data", "within": "within tolerance"})


def yes_no(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its true/false columns as "yes"/"no": readers, not code, see it."""
    flags = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c])]
    return table.assign(**{c: table[c].map({True: "yes", False: "no"}) for c in flags})

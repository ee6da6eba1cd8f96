"""Then and now: the 2013 "Local Digital Today" survey beside the 2024 LGC survey.

Only published aggregates exist for 2013, so every comparison is built from the
rows of ``data/published/``. A table carries each published value next to the
id of the row it is, in a column named ``<value>_id``: a reviewer (and the
tests) can trace it, and a column without an ``_id`` twin is computed (ranks,
gaps, intervals, approximate bases), never transcribed.

Where the 2013 report states a figure more than once with different values,
one row is chosen by a fixed rule (:func:`cite`) and the others are kept in an
``_also`` column, so the page shows the conflict instead of hiding it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from councildigital.data import published, sources, survey
from councildigital.paths import PUBLISHED_DIR
from councildigital.sections import evidence, formatting
from councildigital.sections.page import Chart, Table

THEN, NOW = "ldt2013", "lgc2024"
COUNCILS, SUPPLIERS = "councils", "suppliers"
BARRIERS_2013 = "barriers_to_digital"
CONFIDENCE = 0.95  # of every interval shown
MATCH_MEANINGS = {
    "exact": "the same item in substance",
    "close": "the same concept, worded or scoped a little differently",
    "loose": "overlapping concepts; compare with care",
    "none": "no counterpart among the barriers the 2024 report names",
}
# Answers the 2013 report states as one figure but tabulates as separate cells.
COMPONENTS = {
    "agree_or_strongly_agree": ("agree", "strongly_agree"),
    "disagree_or_strongly_disagree": ("strongly_disagree", "disagree"),
    "yes_or_intend": ("yes", "no_but_intend"),
}
ANSWERS = {
    "yes": "yes",
    "important": "important",
    "neutral": "neutral",
    "neutral_dont_know": "neutral / don't know",
    "agree_or_strongly_agree": "agree or strongly agree",
    "disagree_or_strongly_disagree": "disagree or strongly disagree",
}
# The 2013 questions on which the report compares councils with suppliers.
TOPICS = {
    "barriers_to_digital": "Barriers",
    "success_factors": "Success factors",
    "benefits_of_digital": "Benefits of digital",
    "digital_strategy_statements": "Readiness",
    "digital_lead": "Who leads digital",
}
# Suppliers answered a differently worded question here; the report compares
# the two figures itself, so they are paired, and the pairing is said.
PAIRED_ANSWERS = {
    ("digital_strategy_statements", "ready_to_embrace:positive"): (
        "ready_to_embrace:agree_or_strongly_agree",
        "suppliers were asked whether front line services are ready (answer 'positive', "
        "verbal 'two-thirds'); councils whether their own organisation is",
    ),
}


@dataclass(frozen=True)
class Cited:
    """One published figure as shown, and the document's other, different statements of it."""

    id: str
    value: float
    base: float | None
    approximate: bool
    differs: tuple[tuple[str, float, str], ...] = ()

    @property
    def also(self) -> str:
        """The conflicting statements, each with its row id and where the document makes it."""
        return "; ".join(f"{value:g} ({id_}, {section})" for id_, value, section in self.differs)


def load_figures(folder: Path = PUBLISHED_DIR) -> pd.DataFrame:
    """The published figures of both surveys, validated."""
    return published.load_figures(folder, documents=[THEN, NOW])


def is_table_cell(rows: pd.DataFrame) -> pd.Series:
    """Rows transcribed from a printed table (the transcriber's notes say so), not from prose."""
    return rows["note"].fillna("").str.startswith("Table")


def cite(
    figures: pd.DataFrame,
    document: str,
    question: str,
    item: str,
    group: str,
    measure: str = "share",
) -> Cited:
    """The row to show for a figure, by a fixed preference, with the differing restatements.

    Preference: exact before verbal, a table cell before prose, the detailed
    results (a numbered subsection such as 5.4) before summaries and
    commentary, then the lowest id. Verbal restatements ("around half") are
    not conflicts; exact ones that differ are.
    """
    rows = figures[
        (figures["document"] == document)
        & (figures["question"] == question)
        & (figures["item"] == item)
        & (figures["group"] == group)
        & (figures["measure"] == measure)
    ]
    if rows.empty:
        raise KeyError(f"no published {measure} for {document} {question} {item!r} ({group})")
    ranked = rows.assign(
        _prose=~is_table_cell(rows), _summary=~rows["section"].str.match(r"\d+\.\d")
    ).sort_values(["approximate", "_prose", "_summary", "id"])
    chosen, others = ranked.iloc[0], ranked.iloc[1:]
    differs = others[~others["approximate"] & ((others["value"] - chosen["value"]).abs() >= 0.05)]
    return Cited(
        str(chosen["id"]),
        float(chosen["value"]),
        None if pd.isna(chosen["base"]) else float(chosen["base"]),
        bool(chosen["approximate"]),
        tuple((r.id, float(r.value), r.section) for r in differs.itertuples()),
    )


def wilson(share: float, base: float, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Wilson interval of a published share (percent) on its base; sound near 0 and 100%, where supplier shares sit."""
    low, high = proportion_confint(share / 100 * base, base, alpha=1 - confidence, method="wilson")
    return 100 * float(low), 100 * float(high)


def wording(figures: pd.DataFrame, question: str, row: str) -> str:
    """A 2013 table row's wording, from the (source-checked) quote of its first cell."""
    cells = figures[
        (figures["document"] == THEN)
        & (figures["question"] == question)
        & figures["item"].str.startswith(f"{row}:")
        & is_table_cell(figures)
    ]
    if cells.empty:
        raise KeyError(f"no 2013 table row {row!r} for {question}")
    return re.sub(r"\s+-?\d[\d.]*%.*$", "", cells.sort_values("id")["quote"].iloc[0]).strip()


# --- the barrier crosswalk -------------------------------------------------------------------


def barriers_2013(figures: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Every 2013 barrier: the councils' 'yes' share, its interval and rank, and its 2024 counterpart."""
    rows = []
    for entry in crosswalk.itertuples():
        cited = cite(figures, THEN, BARRIERS_2013, f"{entry.item_2013}:yes", COUNCILS)
        low, high = wilson(cited.value, cited.base)
        rows.append(
            {
                "item_2013": entry.item_2013,
                "wording_2013": entry.wording_2013,
                "share_2013": cited.value,
                "share_2013_id": cited.id,
                "share_2013_also": cited.also,
                "base_2013": cited.base,
                "low_2013": low,
                "high_2013": high,
                "barrier_2024": entry.barrier_2024,
                "match": entry.match,
                "reason": entry.reason,
            }
        )
    table = pd.DataFrame(rows)
    table["rank_2013"] = table["share_2013"].rank(ascending=False, method="min").astype(int)
    return table.sort_values("rank_2013", kind="stable").reset_index(drop=True)


def barrier_ranks_2024(figures: pd.DataFrame) -> pd.DataFrame:
    """Each barrier the 2024 report names, its position among them (a range where it gives only 'the least two') and its score."""
    rows = figures[(figures["document"] == NOW) & (figures["question"] == "barrier_score")]
    named = len(survey.BARRIERS)
    out = []
    for code in survey.BARRIERS:
        own = rows[rows["item"] == code.code]
        exact, bottom = own[own["measure"] == "rank"], own[own["measure"] == "in_bottom_n"]
        if not exact.empty:
            low = high = int(exact["value"].iloc[0])
            source = exact["id"].iloc[0]
        elif not bottom.empty:
            low, high = named - int(bottom["value"].iloc[0]) + 1, named
            source = bottom["id"].iloc[0]
        else:
            raise KeyError(f"the 2024 figures give no position for barrier {code.code!r}")
        mean = own[own["measure"] == "mean"]
        out.append(
            {
                "barrier_2024": code.code,
                "label_2024": code.label,
                "rank_2024_low": low,
                "rank_2024_high": high,
                "rank_2024": f"{low}" if low == high else f"{low}–{high}",
                "rank_2024_from": source,
                "score_2024": mean["value"].iloc[0] if not mean.empty else float("nan"),
                "score_2024_id": mean["id"].iloc[0] if not mean.empty else None,
            }
        )
    return pd.DataFrame(out)


def barrier_pairs(barriers: pd.DataFrame, ranks: pd.DataFrame) -> pd.DataFrame:
    """Each matched 2013 item beside its 2024 barrier, with ranks on both sides.

    Ranks are the only comparable measure: 2013 asked yes / no / don't know, 2024
    a 0-5 score. So that both sides rank the same concepts, the 2013 rank is
    recomputed among the primary pairs: the strongest match for each 2024 item.
    """
    strength = {m: i for i, m in enumerate(published.MATCHES)}
    pairs = barriers[barriers["match"] != "none"].merge(ranks, on="barrier_2024")
    order = pairs.assign(_strength=pairs["match"].map(strength)).sort_values(
        ["_strength", "rank_2013"], kind="stable"
    )
    pairs["primary"] = pairs.index.isin(order.drop_duplicates("barrier_2024").index)
    pairs["rank_2013_among_pairs"] = (
        pairs["share_2013"].where(pairs["primary"]).rank(ascending=False, method="min")
    )
    return pairs.sort_values(["rank_2024_low", "rank_2013"], kind="stable").reset_index(drop=True)


def _direction(then: float, low: int, high: int) -> str:
    """Which way a rank moved, when 'now' may be a range (the report's unordered bottom two)."""
    possible = [
        word
        for word, ok in (("up", low < then), ("level", low <= then <= high), ("down", high > then))
        if ok
    ]
    return " or ".join(possible)


def rank_moves(pairs: pd.DataFrame) -> pd.DataFrame:
    """For each primary pair: its rank then and now, and which way it moved ('level or up' where now is a range)."""
    primary = pairs[pairs["primary"]].copy()
    primary["moved"] = [
        _direction(then, low, high)
        for then, low, high in zip(
            primary["rank_2013_among_pairs"],
            primary["rank_2024_low"],
            primary["rank_2024_high"],
            strict=True,
        )
    ]
    return primary


def no_counterpart_2024(crosswalk: pd.DataFrame) -> list[str]:
    """2024 barrier codes no 2013 item is matched to."""
    matched = set(crosswalk["barrier_2024"].dropna())
    return [code for code in survey.codes(survey.BARRIERS) if code not in matched]


# --- strategy and vision ---------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A published figure to show, with what was asked and of whom."""

    document: str
    question: str
    item: str
    group: str
    label: str
    asked: str


def _asked_2024(code: str) -> str:
    question = next(q for q in survey.QUESTIONS if q.code == code)
    return question.text + ("" if question.quoted else " (the report's paraphrase)")


STRATEGY_2013 = (
    "Has your organisation created a Digital Strategy to guide its digital developments?"
)
STATEMENTS_2013 = "Do you agree or disagree with the following statements about Digital Strategies?"
STRATEGY_MEASURES = (
    Measure(THEN, "has_digital_strategy", "yes", COUNCILS, "Has a digital strategy", STRATEGY_2013),
    Measure(
        THEN,
        "has_digital_strategy",
        "no_but_intend",
        COUNCILS,
        "No digital strategy, but intends to create one",
        STRATEGY_2013,
    ),
    Measure(
        THEN,
        "has_digital_strategy",
        "yes_or_intend",
        COUNCILS,
        "Has a digital strategy or intends to create one",
        STRATEGY_2013,
    ),
    Measure(
        THEN,
        "digital_strategy_statements",
        "key_part_of_management_strategy:agree_or_strongly_agree",
        COUNCILS,
        "Agrees digital developments form a key part of the management strategy",
        STATEMENTS_2013,
    ),
    Measure(
        NOW,
        "has_vision",
        "yes",
        survey.ALL,
        "Has a strategic vision for the organisation in five years' time",
        _asked_2024("has_vision"),
    ),
    Measure(
        NOW,
        "vision_digital_could_help",
        "large_or_very_large",
        "has_vision",
        "Digital could help achieve the vision to a large or very large extent",
        _asked_2024("vision_could_help"),
    ),
    Measure(
        NOW,
        "vision_digital_in_plan",
        "large_or_very_large",
        "has_vision",
        "Digital is part of the plan for the vision to a large or very large extent",
        _asked_2024("vision_in_plan"),
    ),
)


def base_2024(figures: pd.DataFrame, group: str) -> tuple[float, bool, str]:
    """The respondents a 2024 share is of: the stated sample for 'all', else approximate from published shares.

    The 2024 report states no per-question base, only its 78 valid responses
    and (rounded) shares of respondents by council type and with a vision.
    """
    total = cite(figures, NOW, "respondents", "valid_responses", survey.ALL, "count")
    if group == survey.ALL:
        return total.value, False, total.id
    if group == "has_vision":
        share = cite(figures, NOW, "has_vision", "yes", survey.ALL)
    else:
        share = cite(figures, NOW, "respondent_council_type", group, survey.ALL)
    return round(total.value * share.value / 100), True, f"{share.id} × {total.id}"


def _shown(figures: pd.DataFrame, measure: Measure) -> dict:
    """One figure's row for a table: value, id, restatements, base and interval."""
    cited = cite(figures, measure.document, measure.question, measure.item, measure.group)
    if measure.document == THEN:
        base, approximate_base, base_from = cited.base, False, cited.id
    else:
        base, approximate_base, base_from = base_2024(figures, measure.group)
    low, high = wilson(cited.value, base)
    return {
        "survey": "2013" if measure.document == THEN else "2024",
        "question": measure.question,
        "item": measure.item,
        "label": measure.label,
        "asked": measure.asked,
        "group": measure.group,
        "share": cited.value,
        "share_id": cited.id,
        "share_also": cited.also,
        "verbal": cited.approximate,
        "base": base,
        "base_approximate": approximate_base,
        "base_from": base_from,
        "low": low,
        "high": high,
    }


def strategy_table(figures: pd.DataFrame) -> pd.DataFrame:
    """2013's digital strategy beside 2024's strategic vision and digital's place in it."""
    return pd.DataFrame([_shown(figures, m) for m in STRATEGY_MEASURES])


# --- councils versus suppliers in 2013 ---------------------------------------------------------


def _supplier_shares(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[
        (figures["document"] == THEN)
        & (figures["measure"] == "share")
        & (figures["group"] == SUPPLIERS)
        & figures["question"].isin(list(TOPICS))
    ]


def _council_item(figures: pd.DataFrame, question: str, item: str) -> tuple[str, str] | None:
    """The council item a supplier figure is compared with, and how they were paired; None if the report gives none."""
    council_item, pairing = PAIRED_ANSWERS.get((question, item), (item, ""))
    exists = (
        (figures["document"] == THEN)
        & (figures["question"] == question)
        & (figures["item"] == council_item)
        & (figures["group"] == COUNCILS)
        & (figures["measure"] == "share")
    ).any()
    return (council_item, pairing) if exists else None


def perception_gaps(figures: pd.DataFrame) -> pd.DataFrame:
    """Councils beside suppliers on every statement the report gives both for (gap: suppliers minus councils)."""
    items = _supplier_shares(figures)[["question", "item"]].drop_duplicates()
    rows = []
    for question, item in items.itertuples(index=False):
        paired = _council_item(figures, question, item)
        if paired is None:
            continue
        council_item, pairing = paired
        row, answer = council_item.split(":")
        entry = {
            "topic": TOPICS[question],
            "question": question,
            "item": council_item,
            "wording": wording(figures, question, row),
            "answer": ANSWERS[answer],
            "pairing": pairing,
        }
        for group, own_item in ((COUNCILS, council_item), (SUPPLIERS, item)):
            cited = cite(figures, THEN, question, own_item, group)
            low, high = wilson(cited.value, cited.base)
            entry |= {
                group: cited.value,
                f"{group}_id": cited.id,
                f"{group}_also": cited.also,
                f"{group}_verbal": cited.approximate,
                f"{group}_base": cited.base,
                f"{group}_low": low,
                f"{group}_high": high,
            }
        rows.append(entry)
    table = pd.DataFrame(rows)
    table["gap"] = table[SUPPLIERS] - table[COUNCILS]
    table["separated"] = (table["suppliers_low"] > table["councils_high"]) | (
        table["suppliers_high"] < table["councils_low"]
    )
    return table.sort_values(
        ["question", "gap"], ascending=[True, False], kind="stable"
    ).reset_index(drop=True)


def supplier_only(figures: pd.DataFrame) -> pd.DataFrame:
    """Supplier figures the report gives no council figure beside (so they have no gap)."""
    shares = _supplier_shares(figures).drop_duplicates(["question", "item"])
    alone = [
        _council_item(figures, q, i) is None
        for q, i in zip(shares["question"], shares["item"], strict=False)
    ]
    return shares[alone][["id", "question", "item", "value"]]


# --- council types -----------------------------------------------------------------------------

# 2013 figures that answer the same kind of question as a 2024 type-specific one.
COUNTERPARTS_2013 = {
    ("has_vision", "yes"): Measure(
        THEN,
        "has_digital_strategy",
        "yes",
        COUNCILS,
        "Has a digital strategy (a different question: a strategy for digital, not a strategic vision)",
        STRATEGY_2013,
    ),
}


def figures_for_type(figures: pd.DataFrame, council_type: str) -> pd.DataFrame:
    """Every published figure of either survey about one council type: answers, or who responded."""
    about = (figures["group"] == council_type) | (
        figures["question"].str.startswith("respondent_council_type")
        & (figures["item"] == council_type)
    )
    return figures[about & figures["document"].isin([THEN, NOW])].sort_values("id")


def type_comparison(figures: pd.DataFrame, council_type: str) -> pd.DataFrame:
    """Each 2024 answer published for the council type, beside all 2024 respondents and all 2013 councils."""
    answers = figures[
        (figures["document"] == NOW)
        & (figures["group"] == council_type)
        & (figures["measure"] == "share")
    ]
    rows = []
    for question, item in answers[["question", "item"]].drop_duplicates().itertuples(index=False):
        own = _shown(figures, Measure(NOW, question, item, council_type, "", ""))
        everyone = _shown(figures, Measure(NOW, question, item, survey.ALL, "", ""))
        known = [m.label for m in STRATEGY_MEASURES if (m.question, m.item) == (question, item)]
        row = {
            "question": question,
            "item": item,
            "label": known[0] if known else f"{question}: {item}",
            "type_share": own["share"],
            "type_share_id": own["share_id"],
            "type_verbal": own["verbal"],
            "type_base": own["base"],
            "type_base_from": own["base_from"],
            "type_low": own["low"],
            "type_high": own["high"],
            "all_share": everyone["share"],
            "all_share_id": everyone["share_id"],
            "all_base": everyone["base"],
            "all_low": everyone["low"],
            "all_high": everyone["high"],
        }
        counterpart = COUNTERPARTS_2013.get((question, item))
        if counterpart is not None:
            then = _shown(figures, counterpart)
            row |= {
                "label_2013": counterpart.label,
                "share_2013": then["share"],
                "share_2013_id": then["share_id"],
                "base_2013": then["base"],
                "low_2013": then["low"],
                "high_2013": then["high"],
            }
        rows.append(row)
    return pd.DataFrame(rows)


# --- checks against the 2013 report's own tables ---------------------------------------------------


def cited_values(table: pd.DataFrame) -> pd.DataFrame:
    """Every (row id, value) a table carries: each column with an ``_id`` twin."""
    rows = [
        {"id": figure_id, "value": value, "column": column}
        for column in table.columns
        if f"{column}_id" in table.columns
        for figure_id, value in zip(table[f"{column}_id"], table[column], strict=True)
        if isinstance(figure_id, str)
    ]
    return pd.DataFrame(rows, columns=["id", "value", "column"])


def table_check(figures: pd.DataFrame, figure_id: str) -> dict:
    """A 2013 figure against the report's printed table: the cell it is, or the cells it sums."""
    row = figures.loc[figures["id"] == figure_id].iloc[0]
    if figure_id in set(figures.loc[is_table_cell(figures), "id"]):
        return {"cells": figure_id, "table_value": row["value"], "verdict": "is a table cell"}
    stem, _, answer = row["item"].rpartition(":")
    parts = [f"{stem}:{p}" if stem else p for p in COMPONENTS.get(answer, (answer,))]
    cells = figures[
        (figures["document"] == THEN)
        & (figures["question"] == row["question"])
        & (figures["group"] == row["group"])
        & figures["item"].isin(parts)
        & is_table_cell(figures)
    ]
    if len(cells) != len(parts):
        return {"cells": "", "table_value": float("nan"), "verdict": "no table in the report"}
    total = float(cells["value"].sum())
    difference = abs(row["value"] - total)
    # Each printed cell is rounded to 0.1, so a sum of k cells may be off by 0.05 per cell.
    if difference < 0.05:
        verdict = "matches the table"
    elif difference <= 0.05 * (len(parts) + 1):
        verdict = "matches within the rounding of the cells"
    else:
        verdict = "differs from the table"
    return {"cells": " + ".join(cells["id"]), "table_value": total, "verdict": verdict}


def reproduction(figures: pd.DataFrame, tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Every 2013 value the page shows, checked against the 2013 report's tables."""
    shown = pd.concat([cited_values(t) for t in tables], ignore_index=True)
    shown = shown[shown["id"].str.startswith(f"{sources.document(THEN).id_prefix}-")]
    shown = shown.drop_duplicates("id")
    rows = figures.set_index("id")
    out = []
    for figure_id, value in shown[["id", "value"]].itertuples(index=False):
        row = rows.loc[figure_id]
        restated = cite(figures, THEN, row["question"], row["item"], row["group"], row["measure"])
        out.append(
            {
                "id": figure_id,
                "figure": f"{row['question']}: {row['item']} ({row['group']})",
                "shown": value,
                "published": row["value"],
                **table_check(figures, figure_id),
                "also": restated.also,
            }
        )
    return pd.DataFrame(out).sort_values("id").reset_index(drop=True)


# --- the page's results ------------------------------------------------------------------------

LEVEL = f"{CONFIDENCE:.0%}"
WRAP = 72  # characters per line of a chart title
PROVENANCE = (
    "Published figures of the 2013 and 2024 surveys (data/published/ldt2013.csv, lgc2024.csv) "
    "and the analyst's barrier crosswalk (data/published/barrier_crosswalk.csv); "
    "no respondent-level data"
)
MATCH_LABELS = {
    "exact": "exact match in 2024",
    "close": "close match in 2024",
    "loose": "loose match in 2024",
    "none": "no 2024 counterpart",
}
# The perception-gap charts: one per group of the report's topics.
GAP_CHARTS = {
    "Barriers": ("Barriers",),
    "Who leads digital": ("Who leads digital",),
    "Success factors": ("Success factors",),
    "Benefits of digital, and readiness": ("Benefits of digital", "Readiness"),
}
GROUPS = {
    "councils": "council respondents",
    "all": "all respondents",
    "has_vision": "respondents whose council has a vision",
}


@dataclass(frozen=True)
class Surveys:
    """Who answered each survey, with the rows that say so, and how each survey is cited."""

    councils: Cited
    organisations: Cited
    suppliers: Cited
    respondents: Cited
    then_source: str
    now_source: str

    @property
    def n_councils(self) -> int:
        return int(self.councils.value)

    @property
    def n_suppliers(self) -> int:
        return int(self.suppliers.value)

    @property
    def n_respondents(self) -> int:
        return int(self.respondents.value)

    @property
    def sources(self) -> str:
        return f"{self.then_source}; {self.now_source}"


def surveys(figures: pd.DataFrame) -> Surveys:
    """The two samples and citations every caption and chart footer on the page names."""
    return Surveys(
        cite(figures, THEN, "response", "council_respondents", COUNCILS, "count"),
        cite(figures, THEN, "response", "unique_organisations", COUNCILS, "count"),
        cite(figures, THEN, "response", "supplier_respondents", SUPPLIERS, "count"),
        cite(figures, NOW, "respondents", "valid_responses", survey.ALL, "count"),
        sources.document(THEN).citation,
        sources.document(NOW).citation,
    )


def _verbal(flags: pd.Series) -> pd.Series:
    return flags.map({True: " (verbal)", False: ""})


def scope(both: Surveys, *, council_type: str, data_path: str | None = None) -> str:
    """Whom the page covers, and why every figure is a published one (the data file is unused)."""
    if council_type == survey.ALL:
        covers = "This page covers **all respondents** of both surveys."
    else:
        type_label = survey.label(survey.COUNCIL_TYPES, council_type)
        covers = (
            f"This page is for **{type_label}** respondents ({council_type}). The 2013 report "
            f"gives no answer by council type, so every 2013 figure on this page is for all "
            f"{both.n_councils} council respondents. What the 2024 report gives for this type is "
            "listed in the next section; every other 2024 figure is for all respondents."
        )
    return (
        f"{covers}\n\nEvery figure is a published one, shown with the id of its row in "
        "`data/published/` (see the evidence section) so it can be traced to the report's words. "
        "The `data_path` parameter is not used here: respondent-level data exists for neither "
        "survey (the 2024 data elsewhere in this report is a synthetic reconstruction), so this "
        "section reads published aggregates only"
        + (" (the data file given was ignored)." if data_path else ".")
    )


@dataclass(frozen=True)
class TypeFigures:
    """What either survey publishes for one council type; a sentence where a table has nothing."""

    heading: str
    listing: Table | None
    nothing_listed: str | None
    comparison: Table | None
    no_answer: str | None
    vision: str | None


def type_figures(figures: pd.DataFrame, both: Surveys, *, council_type: str) -> TypeFigures:
    """The council type's own figures, and its 2024 answers beside everyone's and 2013's."""
    type_label = survey.label(survey.COUNCIL_TYPES, council_type)
    own = figures_for_type(figures, council_type)
    listing = nothing_listed = comparison = no_answer = vision = None
    if own.empty:
        nothing_listed = f"Neither report publishes any figure for {type_label} respondents."
    else:
        frame = own.assign(
            survey=own["document"].map({THEN: "2013", NOW: "2024"}),
            what=[
                evidence.described(q, i, g)
                for q, i, g in zip(own["question"], own["item"], own["group"], strict=True)
            ],
            value=[
                evidence.as_written(v, u) for v, u in zip(own["value"], own["unit"], strict=True)
            ],
        )[["survey", "id", "what", "measure", "value", "quote"]]
        frame.columns = ["Survey", "Figure id", "What", "Measure", "Value", "The report's words"]
        listing = Table(
            frame,
            f"Every published figure about {type_label} respondents in either survey "
            "(2013: who responded, never how they answered)",
        )
    answers = type_comparison(figures, council_type)
    if answers.empty:
        no_answer = (
            f"The 2024 report publishes **no answer** for {type_label} respondents separately, "
            "and the 2013 report none by council type at all: every figure below is for all "
            "respondents."
        )
    else:
        comparison = _type_answers(answers, both, type_label)
        row = answers.iloc[0]
        vision = (
            f"{row['type_share']:g}% of {type_label} respondents said their council "
            f"has a strategic vision, against {row['all_share']:g}% of all 2024 respondents; "
            f"with only about {row['type_base']:.0f} {type_label} respondents the {LEVEL} "
            "interval runs from "
            f"{formatting.interval(row['type_low'], row['type_high'], sep=' to ', unit='%')}. "
            f"The 2013 figure beside it ({row['share_2013']:g}% had a digital strategy) is for "
            "all council types and answers a different question (see 'Strategy and vision')."
        )
    return TypeFigures(
        f"## What the two surveys publish for {type_label} respondents",
        listing,
        nothing_listed,
        comparison,
        no_answer,
        vision,
    )


def _type_answers(answers: pd.DataFrame, both: Surveys, type_label: str) -> Table:
    """The type's 2024 answers beside all respondents' and the 2013 counterpart, as text."""
    frame = pd.DataFrame(
        {
            "2024 figure": answers["label"],
            f"2024, {type_label} (%)": answers["type_share"].map(formatting.as_published)
            + _verbal(answers["type_verbal"]),
            "Figure id": answers["type_share_id"],
            f"{LEVEL} interval": formatting.intervals(
                answers["type_low"], answers["type_high"], 1, sep=" to "
            ),
            "Base (approximate)": formatting.decimals(answers["type_base"], 0)
            + " ("
            + answers["type_base_from"]
            + ")",
            "2024, all (%)": answers["all_share"].map(formatting.as_published),
            "Figure id, all": answers["all_share_id"],
            "2013 counterpart (all councils)": answers["label_2013"],
            "2013 (%)": answers["share_2013"].map(formatting.as_published),
            "Figure id, 2013": answers["share_2013_id"],
        }
    )
    return Table(
        frame,
        f"2024 figures for {type_label} respondents beside all 2024 respondents "
        f"(n = {both.n_respondents}) and all 2013 council respondents (n = {both.n_councils}). "
        "The type's base is not published: it is approximated from its (rounded) share of "
        "respondents.",
    )


@dataclass(frozen=True)
class Barriers:
    """The barriers then and now: the frames, the charts, the tables and what they say.

    ``chart`` is the 2013 shares (rows ``row``, ``share``, ``low``, ``high``,
    ``group``), coloured by match in ``hue_order``.
    """

    items: pd.DataFrame
    ranks: pd.DataFrame
    pairs: pd.DataFrame
    leaders: str
    chart: Chart
    hue_order: tuple[str, ...]
    match_meanings: str
    matching: Table
    side_by_side: Table
    slope: Chart
    moved: str
    unmatched: str
    headline: str

    @property
    def ordered(self) -> int:
        """How many of the 2024 barriers the report puts in order (the rest are a set)."""
        return _ordered(self.ranks)


def _ordered(ranks: pd.DataFrame) -> int:
    return int((ranks["rank_2024_low"] == ranks["rank_2024_high"]).sum())


def compare_barriers(figures: pd.DataFrame, crosswalk: pd.DataFrame, both: Surveys) -> Barriers:
    """Which barriers led in 2013 and in 2024, ranked on the concepts both surveys name."""
    items = barriers_2013(figures, crosswalk)
    ranks = barrier_ranks_2024(figures)
    pairs = barrier_pairs(items, ranks)
    moves = rank_moves(pairs)
    top, second = items.iloc[0], items.iloc[1]
    first_2024 = ranks.loc[ranks["rank_2024_high"] == 1].iloc[0]
    escape = formatting.escape_markdown
    leaders = (
        f"In 2013 councils most often said **{escape(formatting.lower_first(top['wording_2013']))}"
        f"** held digital back ({formatting.as_published(top['share_2013'])}%, "
        f"{top['share_2013_id']}; {LEVEL} interval "
        f"{formatting.interval(top['low_2013'], top['high_2013'], 1, sep=' to ')}), then "
        f"{escape(formatting.lower_first(second['wording_2013']))} "
        f"({formatting.as_published(second['share_2013'])}%, {second['share_2013_id']}). In 2024 "
        f"**{formatting.lower_first(first_2024['label_2024'])}** ranked first "
        f"({first_2024['rank_2024_from']}), with a mean score of {first_2024['score_2024']:g} out "
        f"of {survey.BARRIER.values[-1]} ({first_2024['score_2024_id']})."
    )
    chart = Chart(
        pd.DataFrame(
            {
                "row": items["wording_2013"],
                "share": items["share_2013"],
                "low": items["low_2013"],
                "high": items["high_2013"],
                "group": items["match"].map(MATCH_LABELS),
            }
        ),
        f"In 2013, {formatting.lower_first(top['wording_2013'])} ({top['share_2013']:g}%) and "
        f"{formatting.lower_first(second['wording_2013'])} ({second['share_2013']:g}%) held "
        "councils back most",
        x=f"% of council respondents saying it holds digital back (dot), with {LEVEL} interval "
        "(line)",
        y="",
        n=f"{both.n_councils} council respondents",
        source=f"{both.then_source}, section 5.6 table (figure ids in the table below)",
        wrap=WRAP,
    )
    labels_2024 = {code.code: code.label for code in survey.BARRIERS}
    matching = Table(
        pd.DataFrame(
            {
                "2013 item (the report's table wording)": items["wording_2013"],
                "2024 barrier": items["barrier_2024"].map(labels_2024).fillna("none"),
                "Match": items["match"],
                "Reason": items["reason"],
            }
        ),
        f"How each of the {len(items)} 2013 barrier items was matched to the "
        f"{len(survey.BARRIERS)} barriers the 2024 report names (analyst's judgement)",
    )
    first_then = moves.loc[moves["rank_2013_among_pairs"] == 1].iloc[0]
    unmatched = items[items["match"] == "none"]
    missing_2024 = no_counterpart_2024(crosswalk)
    return Barriers(
        items=items,
        ranks=ranks,
        pairs=pairs,
        leaders=leaders,
        chart=chart,
        hue_order=tuple(MATCH_LABELS[m] for m in published.MATCHES if m in set(items["match"])),
        match_meanings="\n".join(f"- **{m}**: {meaning}" for m, meaning in MATCH_MEANINGS.items()),
        matching=matching,
        side_by_side=_side_by_side(pairs, items, both),
        slope=Chart(
            moves.assign(
                short=moves["barrier_2024"].map({c.code: c.chart_label for c in survey.BARRIERS})
            ),
            f"{first_2024['label_2024']} now ranks first; in 2013 "
            f"{formatting.lower_first(first_then['wording_2013'])} did",
            x="Survey",
            y="Rank (1 = the most cited)",
            n=f"{both.n_councils} council respondents (2013), {both.n_respondents} respondents "
            "(2024)",
            source=both.sources,
            wrap=WRAP,
        ),
        moved=_moved(moves, len(ranks) - _ordered(ranks)),
        unmatched=(
            f"**2013 items with no 2024 counterpart** ({len(unmatched)} of {len(items)}): "
            + "; ".join(
                f"{escape(row['wording_2013'])} ({row['share_2013']:g}%, {row['share_2013_id']})"
                for _, row in unmatched.iterrows()
            )
            + ". The 2024 report may have asked about some of these: it names only "
            f"{len(survey.BARRIERS)} barriers, and a respondent's comment mentions 'another "
            "barrier that was not among the options listed'.\n\n**2024 barriers with no 2013 "
            "counterpart**: "
            + (
                ", ".join(labels_2024[c] for c in missing_2024)
                if missing_2024
                else "none; every barrier the 2024 report names has at least one 2013 match"
            )
            + "."
        ),
        headline=f"{top['wording_2013']} ({top['share_2013']:g}%), then {first_2024['label_2024']}",
    )


def _side_by_side(pairs: pd.DataFrame, items: pd.DataFrame, both: Surveys) -> Table:
    """Each matched 2013 item beside its 2024 barrier: shares, ranks and scores as text."""
    named = len(survey.BARRIERS)
    frame = pd.DataFrame(
        {
            "2013 item": pairs["wording_2013"],
            "2013 % yes": formatting.decimals(pairs["share_2013"], 1),
            "Figure id": pairs["share_2013_id"],
            f"{LEVEL} interval": formatting.intervals(
                pairs["low_2013"], pairs["high_2013"], 1, sep=" to "
            ),
            f"2013 rank of {len(items)}": pairs["rank_2013"],
            "2013 rank among the pairs": formatting.decimals(pairs["rank_2013_among_pairs"], 0),
            "2024 barrier": pairs["label_2024"],
            f"2024 rank of {named}": pairs["rank_2024"],
            "Rank from": pairs["rank_2024_from"],
            "2024 mean score (0-5)": [
                "not published" if pd.isna(s) else formatting.as_published(s)
                for s in pairs["score_2024"]
            ],
            "Score id": pairs["score_2024_id"].fillna(""),
            "Match": pairs["match"],
            "Also stated as": pairs["share_2013_also"],
        }
    )
    return Table(
        frame,
        f"2013 barrier items with a 2024 counterpart, side by side. 2013: share of "
        f"{both.n_councils} council respondents saying 'yes'; 2024: rank among the {named} named "
        f"barriers ({both.n_respondents} respondents). Ranks among the pairs use only the "
        "strongest match for each 2024 barrier, so both columns rank the same concepts.",
    )


def _moved(moves: pd.DataFrame, unordered: int) -> str:
    """How many concepts moved up or down in rank, one line each, and what a move means."""
    up = int((moves["moved"] == "up").sum())
    down = int((moves["moved"] == "down").sum())
    lines = [
        f"- **{row['label_2024']}** (2013: '{formatting.escape_markdown(row['wording_2013'])}', "
        f"{row['match']} match): rank {row['rank_2013_among_pairs']:.0f} in 2013, "
        f"{row['rank_2024']} in 2024 ({row['moved']})."
        for _, row in moves.iterrows()
    ]
    return (
        f"Ranked among the {len(moves)} matched concepts, {up} moved up and {down} "
        f"moved down between the surveys; {len(moves) - up - down} cannot be placed "
        f"because the 2024 report does not order its bottom {unordered}:\n\n"
        + "\n".join(lines)
        + "\n\nThese are movements of rank order between two different samples answering "
        "differently worded questions on different scales: they say which concerns lead, not "
        "how much any concern has grown or shrunk."
    )


def comparability(both: Surveys, barriers: Barriers, gaps: PerceptionGaps) -> str:
    """Where the two surveys can be compared and where not: samples, questions, uncertainty."""
    items, ranks = barriers.items, barriers.ranks
    half_13 = (items["high_2013"] - items["low_2013"]) / 2
    half_suppliers = (gaps.frame["suppliers_high"] - gaps.frame["suppliers_low"]) / 2
    conflicted = items[items["share_2013_also"] != ""]
    n13, s13, n24 = both.n_councils, both.n_suppliers, both.n_respondents
    return "\n".join(
        [
            f"- **Different samples.** 2013: {n13} council respondents from "
            f"{int(both.organisations.value)} organisations ({both.councils.id}, "
            f"{both.organisations.id}) and {s13} supplier respondents ({both.suppliers.id}). "
            f"2024: {n24} council respondents ({both.respondents.id}). Both are self-selected, "
            "neither is weighted, and the mix of council types and job roles differs.",
            '- **Different questions and scales.** 2013 asked, for each barrier, "What do you '
            "think is holding back 'Digital' development in your organisation today?\" "
            f'(yes / no / don\'t know). 2024 asked "{survey.BARRIER.question}" on a '
            f"{survey.BARRIER.values[0]} to {survey.BARRIER.values[-1]} scale, and its report "
            "publishes only ranks and one mean score, no shares.",
            "- **Rank-based only.** The barrier comparison is of rank order, never of levels: "
            "a share saying 'yes' and a mean score are not on one scale. The 2024 report names "
            f"{len(survey.BARRIERS)} barriers and orders only its top {barriers.ordered}; its "
            f"bottom {len(ranks) - barriers.ordered} are a set. The strategy and vision figures "
            "are not comparable at all (different questions); they are shown side by side with "
            "the difference stated.",
            f"- **Uncertainty.** {LEVEL} Wilson intervals on the 2013 base of {n13}: half-widths "
            f"from {half_13.min():.1f} to {half_13.max():.1f} percentage points for the "
            f"barrier shares. On the {s13} suppliers they reach {half_suppliers.max():.1f} "
            "points. The transcriber's notes show that not everyone answered every row (the "
            "printed percentages are whole counts of somewhat fewer respondents), so "
            "intervals on the stated base are, if anything, a little narrow.",
            "- **2024 bases are not published per question.** All-respondent shares are "
            f"taken on the {n24} valid responses; bases of subgroups (those with a vision, a "
            "council type) are approximated from the report's rounded shares and marked so.",
            f"- **Figures stated twice.** {len(conflicted)} of the 2013 barrier figures are "
            "stated with a different value elsewhere in the report (the Highlights truncate "
            "rather than round). The table cell is used; the other statement is shown beside "
            "it under 'Also stated as'.",
        ]
    )


@dataclass(frozen=True)
class Strategy:
    """2013's digital strategy beside 2024's strategic vision: what each asked, and the chart.

    The chart's rows are ``row``, ``share``, ``low``, ``high`` and ``group`` (the
    survey, coloured in ``hue_order``).
    """

    frame: pd.DataFrame
    difference: str
    table: Table
    chart: Chart
    hue_order: tuple[str, ...]


def compare_strategy(figures: pd.DataFrame, both: Surveys) -> Strategy:
    """The strategy and vision figures side by side, with why they measure different things."""
    frame = strategy_table(figures)
    by_figure = frame.set_index(["question", "item"])
    has_strategy = by_figure.loc[("has_digital_strategy", "yes")]
    intend = by_figure.loc[("has_digital_strategy", "no_but_intend")]
    has_vision = by_figure.loc[("has_vision", "yes")]
    in_plan_2013 = by_figure.loc[
        ("digital_strategy_statements", "key_part_of_management_strategy:agree_or_strongly_agree")
    ]
    in_plan_2024 = by_figure.loc[("vision_digital_in_plan", "large_or_very_large")]
    pct = formatting.as_published
    difference = (
        f'**What was asked differs.** 2013 asked: *"{has_strategy["asked"]}"* '
        f"{pct(has_strategy['share'])}% said yes ({has_strategy['share_id']}) and a further "
        f"{pct(intend['share'])}% intended to create one ({intend['share_id']}). 2024 asked: "
        f'*"{has_vision["asked"]}"* {pct(has_vision["share"])}% said yes '
        f"({has_vision['share_id']}). A strategic vision is a corporate plan for the kind of "
        "council it wants to be, not a plan for digital: the 2024 figure says nothing about "
        "how many councils now have a digital strategy, and the rise from "
        f"{has_strategy['share']:g}% to {has_vision['share']:g}% is **not** a measure of "
        "progress.\n\n"
        "The nearest like-for-like pair is about digital's place in the council's plans: in "
        f"2013 {pct(in_plan_2013['share'])}% of councils agreed that digital developments form a "
        f"key part of their management strategy ({in_plan_2013['share_id']}); in 2024 "
        f"{pct(in_plan_2024['share'])}% of those with a vision said digital is part of the plan "
        f"to realise it to a large or very large extent ({in_plan_2024['share_id']}), which is "
        f"about {has_vision['share'] * in_plan_2024['share'] / 100:.0f}% of all respondents "
        "(derived). Even this pair differs in scale (agree / disagree then, extent now) and in "
        "whom it is of."
    )
    shown = pd.DataFrame(
        {
            "Survey": frame["survey"],
            "Figure": frame["label"],
            "Question asked": frame["asked"],
            "Of whom": frame["group"].map(GROUPS),
            "%": frame["share"].map(formatting.as_published) + _verbal(frame["verbal"]),
            "Figure id": frame["share_id"],
            f"{LEVEL} interval": formatting.intervals(frame["low"], frame["high"], 1, sep=" to "),
            "Base": [
                f"about {b:.0f} ({src})" if approx else f"{b:.0f}"
                for b, approx, src in zip(
                    frame["base"], frame["base_approximate"], frame["base_from"], strict=True
                )
            ],
            "Also stated as": frame["share_also"],
        }
    )
    with_vision = f"{in_plan_2024['base']:.0f}"
    table = Table(
        shown,
        f"2013 digital strategy and 2024 strategic vision: different questions, side by side. "
        f"Bases: {both.n_councils} council respondents (2013); {both.n_respondents} respondents, "
        f"or about {with_vision} with a vision (2024).",
    )
    chart = Chart(
        pd.DataFrame(
            {
                "row": frame["survey"] + ": " + frame["label"],
                "share": frame["share"],
                "low": frame["low"],
                "high": frame["high"],
                "group": frame["survey"],
            }
        ),
        f"{has_vision['share']:g}% of 2024 respondents report a strategic vision; "
        f"{has_strategy['share']:g}% of 2013 councils had a digital strategy: different questions",
        x=f"% of respondents (dot), with {LEVEL} interval (line)",
        y="",
        n=f"{both.n_councils} council respondents (2013); {both.n_respondents} respondents, about "
        f"{with_vision} with a vision (2024)",
        source=both.sources,
        wrap=WRAP,
    )
    return Strategy(frame, difference, table, chart, tuple(dict.fromkeys(frame["survey"])))


@dataclass(frozen=True)
class PerceptionGaps:
    """Councils against suppliers in 2013: the gaps, a chart per topic, and what they show.

    Each chart's rows are ``row``, ``share``, ``low``, ``high`` and ``group``:
    councils' rows first, then suppliers', so councils take the first colour.
    """

    frame: pd.DataFrame
    summary: str
    charts: tuple[Chart, ...]
    table: Table
    not_compared: str


def compare_perceptions(figures: pd.DataFrame, both: Surveys) -> PerceptionGaps:
    """Where suppliers saw councils differently from how councils saw themselves, and how clearly."""
    gaps = perception_gaps(figures)
    separated = gaps[gaps["separated"]]
    widest = gaps.loc[gaps["gap"].abs().idxmax()]
    summary = (
        f"Of {len(gaps)} statements the report gives for both groups, suppliers gave the "
        f"higher share on {int((gaps['gap'] > 0).sum())} and the lower on "
        f"{int((gaps['gap'] < 0).sum())}. The gap is clear (intervals apart) on "
        f"{len(separated)}: {int((separated['gap'] > 0).sum())} with suppliers higher, "
        f"{int((separated['gap'] < 0).sum())} with councils higher. The widest is under "
        f"'{widest['topic'].lower()}': '{formatting.escape_markdown(widest['wording'])}' "
        f"({widest['answer']}), {widest['suppliers']:g}% of suppliers ({widest['suppliers_id']}) "
        f"against {widest['councils']:g}% of councils ({widest['councils_id']})."
    )
    n13, s13 = both.n_councils, both.n_suppliers
    shown = pd.DataFrame(
        {
            "Topic": gaps["topic"],
            "Statement (council wording)": gaps["wording"],
            "Answer": gaps["answer"],
            "Councils %": gaps["councils"].map(formatting.as_published),
            "Councils id": gaps["councils_id"],
            "Suppliers %": gaps["suppliers"].map(formatting.as_published)
            + _verbal(gaps["suppliers_verbal"]),
            "Suppliers id": gaps["suppliers_id"],
            "Gap (points)": formatting.decimals(gaps["gap"], 1, sign=True),
            "Clear gap": gaps["separated"],
            "Councils' figure also stated as": gaps["councils_also"],
            "Suppliers' figure also stated as": gaps["suppliers_also"],
            "Pairing": gaps["pairing"],
        }
    )
    table = Table(
        formatting.yes_no(shown),
        f"Councils ({n13}) and suppliers ({s13}) on the same statements in 2013; gap = suppliers "
        f"minus councils. Supplier intervals use the stated base of {s13}; the transcriber's "
        "notes show some items were answered by fewer.",
    )
    alone = supplier_only(figures)
    escape = formatting.escape_markdown
    not_compared = (
        "Not compared, because the report gives no council figure for the same answer: "
        + "; ".join(
            f"{escape(row.question)}: {escape(row.item)} ({row.value:g}%, {row.id})"
            for row in alone.itertuples()
        )
        + "."
    )
    charts = tuple(_gap_chart(gaps[gaps["topic"].isin(t)], n, both) for n, t in GAP_CHARTS.items())
    return PerceptionGaps(gaps, summary, charts, table, not_compared)


def _gap_chart(part: pd.DataFrame, name: str, both: Surveys) -> Chart:
    """One topic's statements: councils' and suppliers' shares joined, the widest gap named."""
    label = (
        part["wording"]
        + part["answer"].map(lambda a: "" if a == "yes" else f" ({a})")
        + part["pairing"].map(lambda p: " [suppliers asked differently]" if p else "")
    )
    groups = [
        pd.DataFrame(
            {
                "row": label,
                "share": part[group],
                "low": part[f"{group}_low"],
                "high": part[f"{group}_high"],
                "group": group.capitalize(),
            }
        )
        for group in (COUNCILS, SUPPLIERS)
    ]
    widest = part.loc[part["gap"].abs().idxmax()]
    return Chart(
        pd.concat(groups),
        f"{name}: suppliers higher on {int((part['gap'] > 0).sum())} of {len(part)}; widest "
        f"gap '{widest['wording']}': suppliers {widest['suppliers']:g}%, "
        f"councils {widest['councils']:g}%",
        x=f"% giving the answer (dot), with {LEVEL} interval (line)",
        y="",
        n=f"{both.n_councils} council respondents, {both.n_suppliers} supplier respondents",
        source=f"{both.then_source}; councils from the report's tables, suppliers from its text "
        "(no supplier table is printed); figure ids in the table below",
        wrap=WRAP,
    )


@dataclass(frozen=True)
class Reproduction:
    """Every 2013 figure the page shows, checked against the report's printed tables."""

    summary: str
    table: Table


def check_reproduction(
    figures: pd.DataFrame,
    both: Surveys,
    barriers: Barriers,
    strategy: Strategy,
    gaps: PerceptionGaps,
) -> Reproduction:
    """Whether the page's 2013 figures are the report's table cells (or the sums of them)."""
    checked = reproduction(figures, [barriers.items, barriers.pairs, strategy.frame, gaps.frame])
    counts = checked["verdict"].value_counts()
    summary = (
        "## Reproduces the published tables\n\n"
        f"Every 2013 figure on this page ({len(checked)}) is checked against the 2013 "
        "report's printed tables: either it is a table cell, or it is the sum of the cells "
        "it combines (e.g. 'agree' + 'strongly agree'). Supplier figures have no printed "
        "table. Verdicts: "
        + ", ".join(f"{verdict} {count}" for verdict, count in counts.items())
        + "."
    )
    shown = checked.assign(
        **{
            column: ["" if pd.isna(v) else formatting.as_published(v) for v in checked[column]]
            for column in ("shown", "published", "table_value")
        }
    ).rename(
        columns={
            "id": "Figure id",
            "figure": "Figure (question: item, group)",
            "shown": "Shown",
            "published": "Published row",
            "cells": "Report table cell(s)",
            "table_value": "Table value",
            "verdict": "Verdict",
            "also": "Also stated as (not used)",
        }
    )
    return Reproduction(
        summary,
        Table(
            shown,
            f"Every 2013 figure shown on this page against the report's tables (base "
            f"{both.n_councils} councils, {both.n_suppliers} suppliers)",
        ),
    )


def main_points(barriers: Barriers, gaps: PerceptionGaps) -> list[str]:
    """The page's main points, from published figures only (no evidence marks), first first."""
    return [
        f"The barrier councils named most, in 2013 then in 2024: {barriers.headline}.",
        gaps.summary.split(". ")[0].rstrip(".") + ".",
        "The two surveys asked different councils different questions, so only matched "
        "items are compared, and each comparison says how far it holds.",
    ]


COMPARABILITY = (
    "The 2013 and 2024 surveys drew different councils, asked different questions in "
    "different words, and publish different statistics (shares in 2013, mostly means and "
    "ranks in 2024). Barriers are matched by the analyst's judgement "
    "(`data/published/barrier_crosswalk.csv`, with a reason for each match), and a 2024 "
    "strategic vision is not a 2013 digital strategy. Differences between the years are "
    "therefore indications, not measured change; see *How far the two surveys can be "
    "compared* above."
)

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

"""What the LGC 2024 report does not publish, named, with a value and a reason, in one place."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd

from councildigital.data import microdata, survey

ASSUMPTIONS_PATH = microdata.DEFAULT_PATH.parent / "assumptions.csv"

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

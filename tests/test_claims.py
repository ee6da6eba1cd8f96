"""Claims and fidelity: each published 2024 figure read as a checkable claim, checked on microdata."""

import pandas as pd
import pytest
from conftest import outside
from councildigital.data import microdata, survey
from councildigital.data.microdata import column_name
from councildigital.reconstruct import claims


def test_every_published_figure_is_within_tolerance(default):
    table = claims.fidelity(default)
    figures = table[table["source"] == "figure"]
    assert len(figures) == 165
    assert figures["checkable"].all(), figures.loc[~figures["checkable"], ["id", "note"]]
    assert outside(table) == []
    values = figures[figures["kind"] == "value"]
    exact = values[~values["approximate"]]
    assert exact["difference"].abs().max() <= 0.5
    assert (figures["kind"] == "ordering").sum() >= 50


def test_fidelity_catches_a_dataset_that_does_not_match(default):
    wrong = default.copy()
    wrong["has_capability"] = 1.0
    funding, skills = column_name("barrier", "funding"), column_name("barrier", "staff_skills")
    wrong[[funding, skills]] = wrong[[skills, funding]].to_numpy()
    wrong.loc[wrong.index[:3], "council_type"] = "wales"
    failed = set(outside(claims.fidelity(wrong)))
    assert {"LGC24-0001", "LGC24-0056"} <= failed  # 46% yes / 54% no
    assert {"LGC24-0050", "LGC24-0051", "LGC24-0052"} <= failed  # funding's mean and the ranks
    assert failed & {f"LGC24-{i:04d}" for i in range(5, 9)}  # council type shares


def test_readings_of_figures(by_id):
    two_thirds = by_id["LGC24-0019"]
    assert (two_thirds.lo, two_thirds.hi) == (62.0, 71.0)
    under_a_third = by_id["LGC24-0093"]
    assert under_a_third.hi_strict and under_a_third.hi == pytest.approx(100 / 3)
    less_than_a_quarter = by_id["LGC24-0130"]
    assert (less_than_a_quarter.hi, less_than_a_quarter.hi_strict) == (25.0, True)
    at_least_ten = by_id["LGC24-0161"]  # 'at least 10 points', inclusive, on rounded figures
    assert (at_least_ten.lo, at_least_ten.lo_strict) == (9.5, False)
    all_nine_themes = by_id["LGC24-0039"]  # a gap above 0, exclusive
    assert (all_nine_themes.lo, all_nine_themes.lo_strict) == (0.0, True)
    across_themes = by_id["LGC24-0061"]  # generative AI's rank across the nine themes
    assert {q.column for q in across_themes.siblings} == {
        column_name("help", t, "generative_ai") for t in survey.codes(survey.THEMES)
    }
    london = by_id["LGC24-0016"]
    assert {q.group for q in london.siblings} == set(survey.codes(survey.COUNCIL_TYPES))
    assert by_id["LGC24-0003"].tolerance == "exact"


def test_a_figure_the_microdata_cannot_speak_to_is_listed_with_its_reason():
    figures = pd.DataFrame(
        [
            {
                "id": "LGC24-0999",
                "document": "lgc2024",
                "question": "has_vision",
                "item": "maybe",
                "group": "all",
                "measure": "share",
                "value": 5.0,
                "approximate": False,
                "quote": "",
                "note": None,
            }
        ]
    )
    table = claims.fidelity(microdata.load_microdata().frame, figures)
    row = table.set_index("id").loc["LGC24-0999"]
    assert not row["checkable"]
    assert row["note"] == "no answer codes for the item 'maybe'"


def _two_answers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "council_type": ["county", "county", "district", "district", "district"],
            "a": [5, 4, 2, None, 3],
            "b": [3, 4, 4, 1, None],
        }
    )


def test_paired_statistics_compare_the_same_respondents_who_answered_both():
    frame = _two_answers()
    a, b = claims.Quantity("mean", "a"), claims.Quantity("mean", "b")
    # Answered both: rows 0-2, with a - b = 2, 0, -2.
    assert claims.evaluate(claims.Quantity("paired", parts=(a, b)), frame) == 0.0
    below = claims.Quantity("sign", parts=(a, b), threshold=-1)
    assert claims.evaluate(below, frame) == pytest.approx(100 / 3)
    assert claims.base(below, frame) == 3
    high = claims.Quantity("share", "a", (4, 5)), claims.Quantity("share", "b", (4, 5))
    assert claims.evaluate(claims.Quantity("joint", parts=high), frame) == pytest.approx(100 / 3)
    assert claims.evaluate(claims.Quantity("paired", parts=high), frame) == pytest.approx(0.0)
    county = claims.Quantity("paired", parts=(a, b), group="county")
    assert claims.evaluate(county, frame) == 1.0
    assert claims.base(county, frame) == 2


def test_given_narrows_the_respondents_and_combination_weights_parts():
    frame = _two_answers()
    rest = claims.Quantity("mean", "a", given=(("council_type", ("district",)),))
    assert claims.evaluate(rest, frame) == 2.5
    assert claims.base(rest, frame) == 2
    assert rest.columns() == {"a", "council_type"}
    county = claims.Quantity("mean", "a", group="county")
    blend = claims.Quantity("combination", parts=(county, rest), coefficients=(0.25, 0.75))
    assert claims.evaluate(blend, frame) == pytest.approx(0.25 * 4.5 + 0.75 * 2.5)

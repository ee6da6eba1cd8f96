"""Evidence statuses (sections.estimates): what stands behind each number a page shows.

Statuses come from the report's figures (a published statistic is recognised by
its claim's quantity) and from the identification bounds; the words, marks and
the estimates file's rows are tested on constructed estimates.
"""

import math
import re

import pandas as pd
import pytest
from councildigital.data import microdata
from councildigital.reconstruct import bounds, claims
from councildigital.sections import estimates, records
from councildigital.sections import page as pages
from councildigital.sections.estimates import Estimate
from councildigital.sections.records import HEADLINE_MIME

VISION_COUNTY = claims.Quantity("share", "has_vision", (1,), "county")
CAPABILITY_DISTRICT = claims.Quantity("share", "has_capability", (1,), "district")


def _estimate(**fields) -> Estimate:
    values = {"statistic": "Has a strategic vision (% yes)", "group": "county", "value": 60.0}
    return Estimate(**(values | fields))


def test_a_published_statistic_is_found_by_its_claims_quantity(by_id):
    figure = estimates.published_id(VISION_COUNTY)
    assert figure
    assert by_id[figure].published == 85
    assert estimates.published_id(CAPABILITY_DISTRICT) == ""
    # An ordering claim names a statistic but does not state its value.
    ranked = [c for c in claims.claims() if c.checkable and c.order]
    assert all(estimates.published_id(c.quantity) != c.id for c in ranked)


@pytest.mark.parametrize(
    "fields, label, phrase",
    [
        (
            {"evidence": "published", "identification": "published", "figure_id": "LGC24-0010"},
            "published (LGC24-0010)",
            "as the report states (LGC24-0010)",
        ),
        (
            {"evidence": "bounded", "identification": "bounded", "bound_low": 52, "bound_high": 78},
            "bounded: 52% to 78%",
            "the published figures put this between 52% and 78%",
        ),
        (
            {"evidence": "assumed", "bound_low": 0, "bound_high": 100},
            "illustrative (assumed)",
            estimates.ILLUSTRATIVE,
        ),
        (
            {"evidence": "observed", "bound_low": 70, "bound_high": 78},
            "observed; outside the published range (70% to 78%)",
            "outside the range the published figures allow (70% to 78%)",
        ),
        (
            {"evidence": "observed", "bound_low": 52, "bound_high": 78},
            "observed (published range: 52% to 78%)",
            "",
        ),
    ],
)
def test_each_status_in_words(fields, label, phrase):
    e = _estimate(**fields)
    assert e.label == label
    assert e.cell == f"{estimates.MARKS[e.evidence]} {label}"
    assert e.phrase() == phrase
    assert e.is_finding is (e.evidence != "assumed")


def test_ranges_are_written_in_the_estimates_unit():
    assert estimates.written_range(-10, 30, "points") == "-10 to +30 points"
    assert estimates.written_range(2.1, 3.4, "") == "2.10 to 3.40"
    assert estimates.written_range(-0.2, 1, "scale points") == "-0.20 to +1.00"
    assert estimates.written_range(27.0, 27.0, "points") == "exactly +27 points"
    pinned = _estimate(evidence="bounded", unit="points", bound_low=27.0, bound_high=27.0)
    assert pinned.phrase() == "the published figures put this at exactly +27 points"


def test_real_data_the_report_cannot_fit_is_flagged():
    odd = _estimate(evidence="observed", bound_low=math.nan, bound_high=math.nan)
    assert odd.within_bounds is False
    assert odd.label == f"observed; {estimates.UNATTAINABLE}"
    assert odd.phrase() == estimates.UNATTAINABLE


def test_within_bounds_allows_rounding_noise_only():
    assert _estimate(bound_low=60.0, bound_high=70.0).within_bounds is True
    assert _estimate(value=60.0 - 1e-9, bound_low=60.0, bound_high=70.0).within_bounds is True
    assert _estimate(value=59.9, bound_low=60.0, bound_high=70.0).within_bounds is False
    assert _estimate().within_bounds is None


def test_the_estimates_file_row_has_the_issues_columns_in_order():
    row = _estimate(evidence="bounded", bound_low=52.0, bound_high=78.0, n=20).row()
    assert tuple(row) == estimates.COLUMNS
    assert tuple(row)[:10] == (
        "statistic",
        "group",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "evidence",
        "bound_low",
        "bound_high",
        "figure_id",
    )
    assert row["within_bounds"] is True and row["evidence"] == "bounded"


def test_the_weakest_estimate_decides_a_statement():
    published = _estimate(evidence="published", identification="published", figure_id="X")
    assumed = _estimate(evidence="assumed")
    bounded = _estimate(evidence="bounded", identification="bounded")
    assert estimates.weakest([published, bounded, assumed]) is assumed
    assert estimates.weakest([published, bounded]) is bounded
    assert estimates.weakest(published) is published
    with pytest.raises(ValueError, match="no estimates"):
        estimates.weakest([])


def test_unknown_statuses_and_units_are_refused():
    with pytest.raises(ValueError, match="unknown evidence status 'found'"):
        _estimate(evidence="found")
    with pytest.raises(ValueError, match="unknown unit 'pp'"):
        _estimate(unit="pp")


def test_statistic_names():
    assert estimates.statistic_name("has_vision") == "Has a strategic vision (% yes)"
    assert (
        estimates.statistic_name("help_efficiency_productivity__generative_ai")
        == "Generative AI could help efficiency and productivity (% yes)"
    )
    assert estimates.statistic_name("barrier_funding") == "Funding as a barrier (mean, 0-5)"
    assert (
        estimates.statistic_name("pot_prevention")
        == "Digital's potential for prevention (mean, 1-5)"
    )


# --- statuses from the bounds ---------------------------------------------------------------


def test_statuses_of_the_issues_named_cases(default):
    county = estimates.estimate(
        VISION_COUNTY, "vision", 85.0, default, synthetic=True, n=20, unit="%"
    )
    assert county.evidence == "published" and county.figure_id
    assert (county.bound_low, county.bound_high) == (85.0, 85.0)
    district = estimates.estimate(CAPABILITY_DISTRICT, "capability", 60.0, default, synthetic=True)
    assert district.evidence == "assumed"
    assert bounds.identify(CAPABILITY_DISTRICT, default).coverage >= bounds.ASSUMED_COVERAGE


def test_real_data_is_observed_and_checked_against_the_report(default):
    real = estimates.estimate(VISION_COUNTY, "vision", 70.0, default, synthetic=False)
    assert real.evidence == "observed" and real.identification == "published"
    assert real.within_bounds is False
    assert "outside the published range (exactly 85%)" in real.label


# --- on the page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def county():
    return pages.load_page("county")


def test_a_type_page_opens_with_what_the_report_says_about_it(county):
    text = county.what_the_report_says(["has_vision", "has_capability", "barrier_funding"])
    assert text.startswith("**What the published evidence says about county council respondents.**")
    assert "● Has a strategic vision (% yes): the report states it (" in text
    assert "85%" in text
    assert "leave the other 2 of this type's 3 estimates essentially free" in text
    assert pages.load_page("all").what_the_report_says(["has_vision"]) == ""


def test_a_type_with_nothing_published_says_every_estimate_is_illustrative():
    district = pages.load_page("district")
    text = district.what_the_report_says(["has_capability", "barrier_funding"])
    assert "publishes no figure about district council respondents" in text
    assert "all 2 of this type's estimates essentially free" in text
    assert "every estimate for district council respondents below is illustrative" in text


def test_a_too_small_type_says_the_estimates_below_are_for_all_respondents_not_its_own():
    wales = pages.load_page("wales")
    assert wales.too_small
    text = wales.what_the_report_says(["has_capability", "barrier_funding"])
    assert "publishes no figure about Welsh council respondents" in text
    assert "below is illustrative" not in text and "on this page they are" not in text
    assert text.endswith(
        "Too few Welsh council respondents answered for estimates of their own: the estimates "
        "below are for all respondents, for context."
    )


def test_the_closing_section_carries_the_legend_once_the_page_shows_an_estimate(displayed):
    county = pages.load_page("county")
    assert estimates.LEGEND not in county.strengths_and_limitations("Comparable.")
    frame = pd.DataFrame({"Statistic": ["vision"], "Estimate": ["60%"]})
    county.show(pages.Table(frame, "Vision", 20, estimates=(_estimate(evidence="bounded"),)))
    closing = county.strengths_and_limitations("Comparable.")
    assert estimates.LEGEND in closing and "1 bounded" in closing
    assert estimates.LEGEND not in county.notice()


def test_a_weighted_estimate_is_bounded_as_the_weighted_combination():
    weighted = pages.load_page("all", weighting="council_type")
    q = claims.Quantity("share", "has_capability", (1,))
    combined = weighted.as_estimated(q)
    assert combined.stat == "combination"
    assert math.isclose(sum(combined.coefficients), 1.0)
    shown = weighted.estimate(q, "capability", 50.0, weighted=True)
    assert shown.quantity == combined
    assert pages.load_page("all").as_estimated(q) == q
    gap = claims.Quantity("difference", parts=(q, claims.Quantity("share", "has_vision", (1,))))
    assert weighted.as_estimated(gap).parts == (combined, weighted.as_estimated(gap.parts[1]))


def test_an_illustrative_figure_is_no_headline(county, displayed):
    with pytest.raises(ValueError, match="names the estimates behind it"):
        county.headline("Has a strategic vision", "85%")
    county.headline("Illustrative", "60%", _estimate(evidence="assumed"))
    assert displayed == []


@pytest.fixture(scope="module")
def real_county(tmp_path_factory):
    """A county page from a researcher's own file: the embedded data without the synthetic ids."""
    mine = tmp_path_factory.mktemp("real") / "mine.csv"
    text = microdata.DEFAULT_PATH.read_text(encoding="utf-8")
    mine.write_text(text.replace(microdata.SYNTHETIC_PREFIX, "R-"), encoding="utf-8")
    return pages.load_page("county", str(mine))


def test_real_data_pages_observe_and_say_where_the_report_puts_each_value(real_county):
    assert "data from mine" in real_county.notice()
    shown = real_county.estimate(VISION_COUNTY, "vision", 85.0, n=20)
    assert shown.evidence == "observed" and shown.within_bounds is True
    text = real_county.what_the_report_says(["has_vision"])
    assert "the report states it (" in text
    assert "observed 85% (n = 20)" in text
    assert "outside that range" not in text


def withheld(displayed) -> list[dict]:
    """The hidden cells a page recorded for its audit file from its opening summary."""
    return [
        row
        for record, _ in displayed
        if isinstance(record, dict) and records.WITHHELD_MIME in record
        for row in record[records.WITHHELD_MIME]["rows"]
        if row["table"] == pages.REPORT_SAYS
    ]


@pytest.fixture(scope="module")
def mine(tmp_path_factory):
    """The embedded data as a researcher's own file (observed, not synthetic)."""
    path = tmp_path_factory.mktemp("own") / "mine.csv"
    text = microdata.DEFAULT_PATH.read_text(encoding="utf-8")
    path.write_text(text.replace(microdata.SYNTHETIC_PREFIX, "R-"), encoding="utf-8")
    return str(path)


def test_a_type_value_on_a_base_below_the_minimum_is_not_shown_but_audited(mine, displayed):
    """London boroughs with min_base 13: 13 respondents, but only 12 answered the follow-ups."""
    borough = pages.load_page("london_borough", mine, min_base=13)
    assert not borough.too_small
    text = borough.what_the_report_says(["has_vision", "vision_could_help"])
    assert "observed 92% (n = 13)" in text
    assert "observed value not shown (n = 12: disclosure control, see the audit file)" in text
    assert "observed 4.00" not in text
    [row] = withheld(displayed)
    assert (row["row"], row["column"], row["rule"], row["reason"]) == (
        "How far digital could help the vision (mean, 1-5)",
        "observed value",
        "primary",
        "base n = 12 is below the minimum of 13",
    )
    # Nor is such a value a main point of the page.
    points = borough.with_report_findings([], ["has_vision", "vision_could_help"])
    assert [p.estimates[0].statistic for p in points] == ["Has a strategic vision (% yes)"]


def test_a_too_small_type_shows_none_of_its_observed_values(mine, displayed):
    wales = pages.load_page("wales", mine)
    text = wales.what_the_report_says(["has_vision", "vision_could_help"])
    assert re.search(r"observed \d", text) is None
    assert text.count("observed value not shown") == 2
    assert {r["rule"] for r in withheld(displayed)} == {"primary"}


def test_a_bounded_headline_carries_its_range_to_the_index(county, displayed):
    bounded = _estimate(evidence="bounded", identification="bounded", bound_low=25, bound_high=69)
    county.headline("Plan below potential", "31%", bounded)
    county.headline("Two figures", "31%", [bounded, _estimate(evidence="published")])
    [(record, _), (several, _)] = displayed
    assert (
        "range_text" not in several[HEADLINE_MIME]
        and several[HEADLINE_MIME]["evidence"] == "bounded"
    )
    assert record[HEADLINE_MIME] == {
        "label": "Plan below potential",
        "value": "31%",
        "evidence": "bounded",
        "bound_low": 25,
        "bound_high": 69,
        "range_text": "25% to 69%",
    }


def test_a_cell_carries_its_estimates_mark_unless_it_is_blank():
    bounded = _estimate(evidence="bounded", identification="bounded")
    assert estimates.marked("52", bounded) == "52 ◐"
    assert estimates.marked("–", bounded) == "–"
    assert estimates.marked("", bounded) == ""
    assert estimates.marked("52", None) == "52"

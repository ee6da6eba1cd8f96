"""What a notebook tells the site (sections.records): provenance, headlines and estimates as
JSON MIME records."""

import json
import math
import subprocess
import sys

import numpy as np
import pytest
from councildigital.sections import records


def test_the_mime_types_are_the_projects_own():
    assert records.PROVENANCE_MIME == "application/vnd.councildigital.provenance+json"
    assert records.HEADLINE_MIME == "application/vnd.councildigital.headline+json"
    assert records.ESTIMATES_MIME == "application/vnd.councildigital.estimates+json"


def test_provenance_is_one_raw_record(displayed):
    records.provenance("Respondent data from mine.csv (sha256 0123)", False, "0123" * 16)
    assert displayed == [
        (
            {
                records.PROVENANCE_MIME: {
                    "description": "Respondent data from mine.csv (sha256 0123)",
                    "synthetic": False,
                    "sha256": "0123" * 16,
                }
            },
            {"raw": True},
        )
    ]


def test_provenance_of_published_figures_has_no_hash(displayed):
    records.provenance("Published figures", synthetic=True)
    [(record, _)] = displayed
    assert record[records.PROVENANCE_MIME] == {
        "description": "Published figures",
        "synthetic": True,
        "sha256": None,
    }


def test_headline_is_one_raw_record_of_text(displayed):
    records.headline("Have a strategic vision", "79%")
    records.headline("Largest barrier", "funding (4.0 out of 5)")
    assert displayed == [
        (
            {records.HEADLINE_MIME: {"label": "Have a strategic vision", "value": "79%"}},
            {"raw": True},
        ),
        (
            {
                records.HEADLINE_MIME: {
                    "label": "Largest barrier",
                    "value": "funding (4.0 out of 5)",
                }
            },
            {"raw": True},
        ),
    ]
    json.dumps(displayed[0][0])  # the site reads them back as JSON


def test_a_headline_says_what_stands_behind_it(displayed):
    records.headline(
        "Have a strategic vision",
        "64%",
        evidence="bounded",
        bound_low=np.float64(52.0),
        bound_high=78.25,
        range_text="52% to 78%",
    )
    records.headline("Largest barrier", "funding", evidence="published", figure_id="LGC24-0012")
    [(bounded, raw), (published, _)] = displayed
    assert raw == {"raw": True}
    assert bounded[records.HEADLINE_MIME] == {
        "label": "Have a strategic vision",
        "value": "64%",
        "evidence": "bounded",
        "bound_low": 52.0,
        "bound_high": 78.25,
        "range_text": "52% to 78%",
    }
    assert type(bounded[records.HEADLINE_MIME]["bound_low"]) is float
    assert published[records.HEADLINE_MIME] == {
        "label": "Largest barrier",
        "value": "funding",
        "evidence": "published",
        "figure_id": "LGC24-0012",
    }


ROW = {
    "statistic": "Has a strategic vision (% yes)",
    "group": "county",
    "value": 64.28571428571429,
    "ci_low": 40.1,
    "ci_high": 81.2,
    "n": 14,
    "evidence": "bounded",
    "bound_low": 52.0,
    "bound_high": 78.0,
    "figure_id": "",
    "unit": "%",
    "within_bounds": True,
    "identification": "bounded",
}


def test_estimates_are_one_raw_record_of_rows_in_column_order(displayed):
    shuffled = dict(reversed(list(ROW.items())))
    records.estimates([shuffled, {**ROW, "group": "all"}])
    records.estimates([])
    [(first, raw), (second, _)] = displayed
    assert raw == {"raw": True}
    rows = first[records.ESTIMATES_MIME]["rows"]
    assert rows == [ROW, {**ROW, "group": "all"}]
    assert [list(row) for row in rows] == [list(records.ESTIMATE_COLUMNS)] * 2
    assert second == {records.ESTIMATES_MIME: {"rows": []}}
    json.dumps(first, allow_nan=False)


def test_estimates_record_missing_and_nan_optional_values_as_none(displayed):
    records.estimates(
        [
            {
                "statistic": "Mean potential: data (1 to 5)",
                "group": "all",
                "value": np.float64(3.5),
                "evidence": "assumed",
                "ci_low": math.nan,
                "n": np.int64(70),
                "within_bounds": np.bool_(False),
            }
        ]
    )
    [row] = displayed[0][0][records.ESTIMATES_MIME]["rows"]
    assert row == {
        **dict.fromkeys(records.ESTIMATE_COLUMNS),
        "statistic": "Mean potential: data (1 to 5)",
        "group": "all",
        "value": 3.5,
        "evidence": "assumed",
        "n": 70,
        "within_bounds": False,
    }
    assert [type(row[k]) for k in ("value", "n", "within_bounds")] == [float, int, bool]
    json.dumps(row, allow_nan=False)


def test_an_estimate_row_with_a_wrong_or_missing_column_is_refused(displayed):
    with pytest.raises(
        ValueError, match=r"unknown column\(s\) quantity; expected statistic, group"
    ):
        records.estimates([{**ROW, "quantity": "q"}])
    with pytest.raises(ValueError, match="missing value, evidence; expected"):
        records.estimates([{"statistic": "x", "group": "all"}])
    assert displayed == []


def test_the_batch_and_site_read_the_mime_types_without_ipython():
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, councildigital.sections.records; print('IPython' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert imported == "False\n"

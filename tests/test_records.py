"""What a notebook tells the site (sections.records): provenance and headlines as JSON MIME records."""

import json
import subprocess
import sys

from councildigital.sections import records


def test_the_mime_types_are_the_projects_own():
    assert records.PROVENANCE_MIME == "application/vnd.councildigital.provenance+json"
    assert records.HEADLINE_MIME == "application/vnd.councildigital.headline+json"


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

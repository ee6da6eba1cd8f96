"""The catalogue of report sections (pipeline.catalogue): one list, named like its notebooks."""

import subprocess
import sys

import pytest
from councildigital.paths import NOTEBOOKS_DIR
from councildigital.pipeline import catalogue, parameters

CODES = [
    "evidence",
    "vision",
    "potential_vs_plan",
    "barriers",
    "future_councils_costs",
    "then_and_now",
]


def test_the_sections_in_report_order_each_in_its_numbered_notebook():
    assert [sec.code for sec in catalogue.SECTIONS] == CODES
    for number, sec in enumerate(catalogue.SECTIONS):
        assert sec.notebook == f"{number:02d}_{sec.code}.py"
        assert sec.path == NOTEBOOKS_DIR / sec.notebook
        assert sec.path.is_file(), sec.path


def test_only_the_evidence_base_is_one_page_for_every_council_type():
    assert [sec.code for sec in catalogue.SECTIONS if not sec.per_council_type] == ["evidence"]


def test_what_each_section_reads():
    reads = {sec.code: sec.reads for sec in catalogue.SECTIONS}
    assert reads == {
        "evidence": ("published",),
        "vision": catalogue.ALL_DATA,
        "potential_vs_plan": catalogue.ALL_DATA,
        "barriers": catalogue.ALL_DATA,
        "future_councils_costs": ("published", "reference"),
        "then_and_now": ("published",),
    }
    assert catalogue.ALL_DATA == ("published", "reference", "synthetic")


def test_sections_reading_respondents_declare_where_they_come_from():
    for sec in catalogue.SECTIONS:
        declared = parameters.declared(sec.path.read_text(encoding="utf-8"))
        assert declared["council_type"].default == "all", sec.code
        if "synthetic" in sec.reads:
            assert declared["data_path"].default is None, sec.code


def test_find_a_section_by_its_code():
    assert catalogue.find("barriers").title == "Barriers and capability"
    assert catalogue.find("then_and_now").notebook == "05_then_and_now.py"
    with pytest.raises(ValueError) as caught:
        catalogue.find("potential")
    assert str(caught.value) == f"unknown section 'potential'; expected one of {', '.join(CODES)}"


def test_a_section_is_a_value():
    sec = catalogue.Section("x", "x.py", "X")
    assert (sec.per_council_type, sec.reads) == (True, catalogue.ALL_DATA)
    assert sec == catalogue.Section("x", "x.py", "X")
    with pytest.raises(AttributeError):
        sec.code = "y"


def test_the_catalogue_is_a_leaf_importing_nothing_of_the_batch():
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, councildigital.pipeline.catalogue; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('councildigital'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert imported == [
        "councildigital",
        "councildigital.paths",
        "councildigital.pipeline",
        "councildigital.pipeline.catalogue",
    ]

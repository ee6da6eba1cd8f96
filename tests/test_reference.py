import shutil

import pandas as pd
import pytest
from councildigital.data import reference, survey
from councildigital.data.published import DataValidationError
from councildigital.paths import REFERENCE_DIR


def test_council_counts_cover_every_council_type_in_questionnaire_order():
    counts = reference.council_counts()
    assert tuple(counts["council_type"]) == survey.codes(survey.COUNCIL_TYPES)


def test_england_counts_add_up_to_govuk_total_of_317():
    counts = reference.council_counts()
    england = counts[
        (counts["nation"] == "England") & (counts["council_type"] != "combined_authority")
    ]
    assert england["councils"].sum() == 317


def test_every_count_has_a_source_date_and_quote():
    counts = reference.council_counts()
    assert counts[["source", "source_url", "as_of", "quote"]].notna().all().all()


# --- broken copies, as a batch checks the folder before any kernel starts ---------------------


@pytest.fixture
def folder(tmp_path):
    """A copy of the reference folder to break."""
    return shutil.copytree(REFERENCE_DIR, tmp_path / "reference")


def broken(folder, old, new):
    """The problems of the folder once ``old`` is replaced by ``new`` in council_counts.csv."""
    path = folder / "council_counts.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        reference.check_reference(folder)
    assert caught.value.path == path
    return caught.value.problems


def test_the_reference_folder_passes():
    assert reference.check_reference() is None


def test_a_count_below_zero(folder):
    assert broken(folder, "county,21,", "county,-21,") == [
        "line 2, column 'councils': value '-21' fails: expected a whole number 0 or more"
    ]


def test_a_count_that_is_not_a_whole_number(folder):
    assert broken(folder, "county,21,", "county,21.5,") == [
        "line 2, column 'councils': value '21.5' fails: expected a whole number"
    ]


def test_a_bad_url(folder):
    problems = broken(folder, "https://www.gov.uk/guidance/", "www.gov.uk/guidance/")
    assert problems == [
        "line 2, column 'source_url': value "
        "'www.gov.uk/guidance/local-government-structure-and-elections' fails: "
        "expected a web address starting https://"
    ]


def test_a_date_that_is_not_a_date(folder):
    assert broken(folder, "2023-04-01", "2023-02-30") == [
        "line 2, column 'as_of': value '2023-02-30' fails: expected a date like 2024-03-31"
    ]


def test_a_missing_column(folder):
    path = folder / "council_counts.csv"
    pd.read_csv(path, dtype=str).drop(columns="councils").to_csv(path, index=False)
    with pytest.raises(DataValidationError) as caught:
        reference.check_reference(folder)
    assert caught.value.problems == [
        "header: missing column 'councils' (expected columns: council_type, councils, nation, "
        "as_of, source, source_url, quote, note)"
    ]


def test_a_row_with_a_value_too_many(folder):
    assert broken(folder, "county,21,", "county,21,,") == [
        "line 2: 9 values, but the header has 8 columns; a value holding a comma must be in "
        "double quotes"
    ]


def test_an_unknown_nation(folder):
    problems = broken(folder, "England,2023-04-01", "Englnd,2023-04-01")
    assert problems == [
        "line 2, column 'nation': value 'Englnd' fails: "
        "expected one of England, Scotland, Wales, Northern Ireland"
    ]


def test_a_missing_file(folder):
    (folder / "council_counts.csv").unlink()
    with pytest.raises(DataValidationError) as caught:
        reference.check_reference(folder)
    assert (caught.value.path.name, caught.value.problems) == (
        "council_counts.csv",
        ["file: not found"],
    )


# --- the size of each council type and the pay benchmarks -------------------------------------


def broken_file(folder, name, old, new):
    """The problems of the folder once ``old`` is replaced by ``new`` in file ``name``."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        reference.check_reference(folder)
    assert caught.value.path == path
    return caught.value.problems


def test_council_type_size_covers_englands_council_types_with_a_source_each():
    sizes = reference.council_type_size()
    assert set(sizes["council_type"]) == {
        "county",
        "district",
        "unitary",
        "metropolitan",
        "london_borough",
    }
    assert sizes[["source", "source_url", "table", "quote"]].notna().all().all()
    assert (sizes["year"] == "2020-21").all() and (sizes["measure"] == "core_spending_power").all()
    # A county council is far bigger than a district council on this measure.
    average = (sizes["total"] / sizes["authorities"]).set_axis(sizes["council_type"])
    assert average["county"] > 40 * average["district"]


def test_a_size_basis_mixing_years_is_refused(folder):
    problems = broken_file(folder, "council_type_size.csv", ",2020-21,", ",2021-22,")
    assert problems == ["every row must be the same measure and year, so the types can be compared"]


def test_a_size_total_that_is_not_positive(folder):
    problems = broken_file(folder, "council_type_size.csv", "14704.45", "-1")
    assert problems == ["line 2, column 'total': value '-1' fails: expected a number above 0"]


def test_pay_benchmarks_give_an_average_salary_and_a_floor_with_quotes():
    pay = reference.pay_benchmarks()
    assert pay.loc["lga_average_fulltime_salary", "value"] == 28_900
    assert "£28,900" in pay.loc["lga_average_fulltime_salary", "quote"]
    assert pay.loc["nlw_fulltime_annual", "value"] == 22_308
    assert "£22,308" in pay.loc["nlw_fulltime_annual", "quote"]

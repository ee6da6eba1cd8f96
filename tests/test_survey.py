import pytest
from councildigital.data import survey


@pytest.mark.parametrize(
    "items, n",
    [
        (survey.THEMES, 9),
        (survey.DIGITAL_TYPES, 6),
        (survey.BARRIERS, 5),
        (survey.COUNCIL_TYPES, 9),
    ],
)
def test_each_list_has_the_reports_count_of_unique_codes(items, n):
    assert len(survey.codes(items)) == len(set(survey.codes(items))) == n


def test_scales_have_one_label_per_value():
    assert survey.EXTENT.label_of(5) == "Very large"
    assert survey.BARRIER.values == (0, 1, 2, 3, 4, 5)
    assert survey.SIGNIFICANCE.label_of(1) == "Not at all"


def test_council_type_parameter_accepts_all_and_each_type():
    assert survey.check_council_type("all") == "all"
    assert survey.check_council_type("london_borough") == "london_borough"
    with pytest.raises(
        ValueError, match="unknown council type 'parish'; expected one of all, county"
    ):
        survey.check_council_type("parish")


def test_label_lookup_names_the_valid_codes_when_wrong():
    assert survey.label(survey.THEMES, "prevention") == "Prevention"
    with pytest.raises(KeyError, match="expected one of efficiency_productivity"):
        survey.label(survey.THEMES, "nonsense")


def test_a_council_type_inside_a_sentence_keeps_only_a_proper_nouns_capital():
    inside = {c.code: survey.in_sentence(c.label) for c in survey.COUNCIL_TYPES}
    assert inside["london_borough"] == "London borough"
    assert inside["scotland"] == "Scottish council"
    assert inside["wales"] == "Welsh council"
    assert inside["county"] == "county council"
    assert inside["combined_authority"] == "combined authority"

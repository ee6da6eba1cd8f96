from councildigital import reference, survey


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

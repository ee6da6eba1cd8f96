"""The published-figures dataset: complete, sourced, and true to its documents."""

import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital.cli import main
from councildigital.data import published, sources


@pytest.fixture(scope="module")
def figures():
    return published.load_figures()


def test_every_document_has_figures_and_there_are_at_least_500(figures):
    per_document = figures.groupby("document").size()
    assert set(per_document.index) == set(sources.DOCUMENT_KEYS)
    assert len(figures) >= 500


def test_every_quote_occurs_in_its_source_document(figures, seeds):
    missing = [
        f"{row.id}: {row.quote!r}"
        for row in figures.itertuples()
        if sources.fold_whitespace(row.quote) not in sources.folded_text(row.document, seeds)
    ]
    assert missing == []


NUMBER_WORDS = (
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"hundred|thousand|million|billion|half|third|quarter|double|twice|decade)"
)


def test_every_quote_states_a_number_or_is_an_ordering_or_verbal_figure(figures):
    """A quote with no number in digits or words must be an approximate figure or an ordering."""
    wordless = figures[~figures["quote"].str.contains(NUMBER_WORDS, case=False)]
    unexplained = wordless[
        ~wordless["approximate"]
        & ~wordless["measure"].str.match(r"rank|in_top_n|in_bottom_n|.*_bound")
    ]
    assert unexplained[["id", "quote"]].values.tolist() == []


def test_every_figure_has_value_unit_and_source(figures):
    for column in ("value", "unit", "document", "quote"):
        assert figures[column].notna().all(), column


def test_shares_of_the_whole_2024_sample_are_out_of_78(figures):
    with_base = figures[(figures["document"] == "lgc2024") & figures["base"].notna()]
    assert not with_base.empty
    assert set(with_base["base"]) == {78.0}


def test_headline_2024_figures_are_transcribed(figures):
    def value(question, item, group="all"):
        rows = figures[
            (figures["document"] == "lgc2024")
            & (figures["question"] == question)
            & (figures["item"] == item)
            & (figures["group"] == group)
            & (figures["measure"].isin(["share", "mean"]))
        ]
        assert len(rows) == 1, (question, item, group)
        return rows["value"].iloc[0]

    assert value("has_vision", "yes") == 79
    assert value("has_vision", "yes", "london_borough") == 92
    assert value("has_capability", "yes") == 46
    assert value("has_capability", "no") == 54
    assert value("barrier_score", "funding") == 4
    assert value("type_could_help", "efficiency_productivity:automation") == 77


def test_figures_summary_command_counts_per_document(figures):
    result = CliRunner().invoke(main, ["figures", "--summary"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[2:]}
    for key in sources.DOCUMENT_KEYS:
        assert int(lines[key][0]) == (figures["document"] == key).sum()
    assert int(lines["total"][0]) == len(figures)


def test_summary_counts_approximate_figures():
    frame = pd.DataFrame(
        {
            "id": ["LGC24-0001", "LGC24-0002", "FC-0001"],
            "document": ["lgc2024", "lgc2024", "future_councils"],
            "approximate": [True, False, True],
            "base": [78.0, None, None],
        }
    )
    table = published.summary(frame)
    assert table.loc["lgc2024"].tolist() == [2, 1, 1]
    assert table.loc["total"].tolist() == [3, 2, 1]


def test_framework_loads_with_every_tag_linking_a_stage_to_a_known_code():
    framework = published.load_framework()
    stages = set(framework.loc[framework["kind"] == "lifecycle_stage", "code"])
    tags = framework[framework["kind"] == "tag"]
    assert len(stages) == 6
    assert not tags.empty
    assert set(tags["parent_code"]) <= set(framework["code"])
    assert set(tags["related_code"]) <= set(framework["code"])


def test_framework_quotes_occur_in_the_future_councils_report(seeds):
    framework = published.load_framework()
    text = sources.folded_text("future_councils", seeds)
    missing = [
        row.id for row in framework.itertuples() if sources.fold_whitespace(row.quote) not in text
    ]
    assert missing == []


def test_framework_tag_to_an_undefined_code_is_named(tmp_path):
    path = tmp_path / "framework.csv"
    path.write_text(
        "id,kind,code,label,parent_code,related_code,order,quote,note\n"
        "FW-0001,lifecycle_stage,set_direction,Setting a direction,,,1,Setting a direction,\n"
        "FW-0002,tag,tag_x,Silos,set_direction,silos,1,Silos,\n"
    )
    with pytest.raises(published.DataValidationError) as caught:
        published.load_framework(path)
    assert "line 3, column 'related_code': value 'silos' fails" in str(caught.value)
    assert "related_code must be a code defined in the file" in str(caught.value)

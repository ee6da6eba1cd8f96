"""The published figures (data.published): complete, sourced and true to their documents; and
broken files give errors that name the file, line, column and expectation."""

import re
import shutil

import pandas as pd
import pytest
from councildigital.data import published, sources
from councildigital.paths import PUBLISHED_DIR


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


# --- broken files are named: file, line, column and what was expected ------------------------

HEADER = "id,document,section,question,item,group,measure,value,unit,base,approximate,quote,note"
GOOD = (
    "LGC24-0001,lgc2024,Vision,has_vision,yes,all,share,79,percent,78,false,"
    "(79%) said that their organisation does have such a vision,\n"
    "LGC24-0002,lgc2024,Vision,has_vision,yes,london_borough,share,92,percent,,false,"
    "most likely to say their council had a strategy (92%),\n"
)


def write(tmp_path, body, header=HEADER, name="lgc2024.csv"):
    path = tmp_path / name
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def problems_of(path, expected_document="lgc2024"):
    with pytest.raises(published.DataValidationError) as caught:
        published.read_figures(path, expected_document)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_good_file_loads(tmp_path):
    frame = published.read_figures(write(tmp_path, GOOD), "lgc2024")
    assert frame["value"].tolist() == [79.0, 92.0]
    assert frame["approximate"].tolist() == [False, False]


def test_missing_column(tmp_path):
    header = HEADER.replace(",quote", "")
    body = "\n".join(
        ",".join(line.split(",")[:11] + line.split(",")[12:]) for line in GOOD.splitlines()
    )
    message = problems_of(write(tmp_path, body + "\n", header=header))
    assert "missing column 'quote'" in message


def test_percentage_above_100(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace(",79,percent", ",179,percent")))
    assert (
        "line 2, column 'value': value '179' fails: a percentage must lie between 0 and 100"
        in message
    )


def test_unknown_council_type(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace("london_borough", "parish")))
    assert "line 3, column 'group': value 'parish'" in message
    assert "council type" in message


def test_unknown_theme(tmp_path):
    row = (
        "LGC24-0003,lgc2024,Themes,theme_significance,world_peace,all,rank,1,rank,,false,"
        "efficiency and productivity was rated the most significant,\n"
    )
    message = problems_of(write(tmp_path, GOOD + row))
    assert "line 4, column 'item': value 'world_peace'" in message
    assert "questionnaire codes" in message


def test_unknown_digital_type_in_a_theme(tmp_path):
    row = (
        "LGC24-0003,lgc2024,Efficiency,type_could_help,efficiency_productivity:blockchain,all,"
        "share,77,percent,,false,with 77% seeing a role for automation,\n"
    )
    message = problems_of(write(tmp_path, GOOD + row))
    assert "'efficiency_productivity:blockchain'" in message


def test_duplicated_id(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace("LGC24-0002", "LGC24-0001")))
    assert "line 2, line 3, column 'id': duplicated value 'LGC24-0001'" in message


def test_non_numeric_value(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace(",92,percent", ",ninety-two,percent")))
    assert "column 'value'" in message
    assert "expected a number" in message


def test_missing_quote(tmp_path):
    body = GOOD.replace("most likely to say their council had a strategy (92%)", "")
    message = problems_of(write(tmp_path, body))
    assert "line 3, column 'quote'" in message
    assert "expected a value, found it empty" in message


def test_unknown_unit_and_measure(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace("share,79,percent", "guess,79,furlongs")))
    assert "line 2, column 'measure': value 'guess'" in message
    assert "line 2, column 'unit': value 'furlongs'" in message


def test_wrong_document_and_id_prefix(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace("LGC24-0002,lgc2024", "FC-0002,lgc2024")))
    assert (
        "line 3, column 'id': value 'FC-0002' fails: the id prefix must be the document's"
        in message
    )
    message = problems_of(write(tmp_path, GOOD), expected_document="ldt2013")
    assert "column 'document': value 'lgc2024' fails: expected one of ldt2013" in message


def test_bad_approximate_flag(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace(",78,false,", ",78,maybe,")))
    assert (
        "line 2, column 'approximate': value 'maybe' fails: expected 'true' or 'false'" in message
    )


def test_empty_file(tmp_path):
    path = tmp_path / "lgc2024.csv"
    path.write_text("")
    assert "empty" in problems_of(path)


def figure_rows(n):
    """``n`` good 2024 figure rows, LGC24-0001 onwards."""
    row = GOOD.splitlines()[0]
    return "".join(row.replace("LGC24-0001", f"LGC24-{i:04d}") + "\n" for i in range(1, n + 1))


def test_not_utf8_names_the_line_and_the_byte_offset_in_the_file(tmp_path):
    rows = figure_rows(45).splitlines(keepends=True)
    rows[39] = rows[39].replace("such a vision", "such a visión")
    raw = (HEADER + "\n" + "".join(rows)).encode("latin-1")
    path = tmp_path / "lgc2024.csv"
    path.write_bytes(raw)
    offset = raw.index("ó".encode("latin-1"))
    assert f"line 41: not UTF-8 text: byte 0xf3 at byte offset {offset} of the file" in problems_of(
        path
    )


def test_a_row_with_too_many_or_too_few_values_names_its_own_line(tmp_path):
    body = GOOD + "LGC24-0003,lgc2024,extra,,,,,,,,,,,,,\n" + "LGC24-0004,lgc2024\n"
    message = problems_of(write(tmp_path, body))
    assert "line 4: 16 values, but the header has 13 columns" in message
    assert "line 5: 2 values, but the header has 13 columns" in message


def test_a_quoted_line_break_does_not_shift_the_lines_after_it(tmp_path):
    quote = "(79%) said that their organisation does have such a vision"
    body = GOOD.replace(quote, f'"{quote}\n(page 3)"').replace(",92,percent", ",192,percent")
    message = problems_of(write(tmp_path, body))
    assert "line 4, column 'value': value '192' fails" in message


def test_blank_lines_are_skipped_but_counted(tmp_path):
    lines = GOOD.replace(",92,percent", ",192,percent").splitlines(keepends=True)
    message = problems_of(write(tmp_path, lines[0] + "\n\n" + lines[1]))
    assert "line 5, column 'value': value '192' fails" in message


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_delimited_otherwise_is_named(tmp_path, delimiter, name):
    path = write(tmp_path, "", header=HEADER.replace(",", delimiter))
    message = problems_of(path)
    assert f"header: the file is delimited by {name}; expected a comma-separated file" in message


def test_a_byte_order_mark_before_a_quoted_header_is_dropped(tmp_path):
    path = tmp_path / "lgc2024.csv"
    path.write_bytes(("\ufeff" + '"id"' + HEADER[2:] + "\n" + GOOD).encode("utf-8"))
    assert published.read_figures(path, "lgc2024")["id"].tolist() == ["LGC24-0001", "LGC24-0002"]


def test_a_directory_is_not_a_file(tmp_path):
    folder = tmp_path / "lgc2024.csv"
    folder.mkdir()
    assert "file: is a directory, not a file" in problems_of(folder)


def test_a_repeated_header_column_is_named(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace("\n", ",x\n"), header=HEADER + ",note"))
    assert "header: column 'note' appears more than once" in message


def test_bad_codes_ids_and_bases_are_described_in_words(tmp_path):
    body = GOOD.replace("LGC24-0002", "LGC-2").replace("has_vision,yes,all", "Has Vision,yes,all")
    message = problems_of(write(tmp_path, body.replace(",78,false", ",-78,false")))
    assert "line 3, column 'id': value 'LGC-2' fails: expected an id like LGC24-0001" in message
    assert "line 2, column 'question': value 'Has Vision' fails: expected a code of lower-case" in (
        message
    )
    assert "line 2, column 'base': value '-78' fails: expected a number above 0" in message


def every_column_check():
    """(check text, column type) of every column check of the published and reference schemas."""
    from councildigital.data import reference

    schemas = [published._schema(None), published._FRAMEWORK_SCHEMA, reference._COUNCIL_COUNTS]
    for schema in schemas:
        for col in schema.columns.values():
            yield from ((str(check.error), str(col.dtype)) for check in col.checks)
            if col.coerce:
                yield f"coerce_dtype('{col.dtype}')", str(col.dtype)


@pytest.mark.parametrize(("check", "dtype"), sorted(set(every_column_check())))
def test_every_check_the_schemas_use_reads_as_plain_words(check, dtype):
    words = published._expectation(check, dtype)
    assert words.startswith("expected ")
    assert not re.search(r"\w\(|\[|\^|\$", words), f"pandera's name leaks out: {words}"


def test_the_expectations_say_what_is_expected():
    assert published._expectation("greater_than_or_equal_to(0)", "int64") == (
        "expected a whole number 0 or more"
    )
    assert published._expectation("str_startswith('https://')") == (
        "expected a web address starting https://"
    )
    assert published._expectation("coerce_dtype('float64')") == "expected a number"


def test_same_id_in_two_files(tmp_path):
    write(tmp_path, GOOD)
    fc = (
        "LGC24-0001,future_councils,Impact,estimate_legacy_spend,low,sector,amount,300000000,gbp,,"
        "false,£300m,\n"
    )
    write(tmp_path, fc, name="future_councils.csv")
    with pytest.raises(published.DataValidationError) as caught:
        published.load_figures(tmp_path)
    assert "LGC24-0001" in str(caught.value)


# --- the whole published folder, as a batch checks it before any kernel starts -----------------


@pytest.fixture
def published_copy(tmp_path):
    """A copy of the published folder to break."""
    return shutil.copytree(PUBLISHED_DIR, tmp_path / "published")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def published_problems(folder):
    with pytest.raises(published.DataValidationError) as caught:
        published.check_published(folder)
    return caught.value


def test_the_published_folder_passes():
    assert published.check_published() is None


def test_a_bad_figure_row_is_named_with_its_file_line_and_column(published_copy):
    edit(published_copy / "lgc2024.csv", "all,count,78,count", "all,count,seventy-eight,count")
    error = published_problems(published_copy)
    assert error.path == published_copy / "lgc2024.csv"
    assert "line 3, column 'value': value 'seventy-eight' fails: expected a number" in str(error)


def test_a_missing_column_is_named(published_copy):
    path = published_copy / "roundtable2024.csv"
    pd.read_csv(path, dtype=str).drop(columns="quote").to_csv(path, index=False)
    error = published_problems(published_copy)
    assert error.path == path
    assert "header: missing column 'quote' (expected columns: id, document," in str(error)


def test_a_bad_framework_row_is_named(published_copy):
    path = published_copy / "future_councils_framework.csv"
    edit(path, "Making the case,,,2,", "Making the case,,,0,")
    error = published_problems(published_copy)
    assert error.path == path
    assert "line 3, column 'order': value '0' fails: expected a whole number 1 or more" in (
        error.problems
    )


def test_a_bad_crosswalk_row_is_named(published_copy):
    path = published_copy / "barrier_crosswalk.csv"
    edit(path, "legacy_technology,close", "legacy_technology,similar")
    error = published_problems(published_copy)
    assert error.path == path
    assert "line 2: match 'similar'; expected one of exact, close, loose, none" in error.problems


def test_a_missing_file_is_named(published_copy):
    (published_copy / "essay2025.csv").unlink()
    error = published_problems(published_copy)
    assert (error.path, error.problems) == (published_copy / "essay2025.csv", ["file: not found"])


def test_every_bad_file_is_named_at_once(published_copy):
    edit(published_copy / "ldt2013.csv", ",ldt2013,", ",ldt2031,")
    edit(
        published_copy / "future_councils_framework.csv", "FW-0002,lifecycle_stage", "FW-0002,stage"
    )
    error = published_problems(published_copy)
    assert error.path == published_copy
    assert any(p.startswith("ldt2013.csv: line 2, column 'document'") for p in error.problems)
    assert any(
        p.startswith("future_councils_framework.csv: line 3, column 'kind': value 'stage'")
        for p in error.problems
    )


# --- the command line ---------------------------------------------------------------------

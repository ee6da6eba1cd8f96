"""Microdata: the schema comes from the questionnaire; broken files are refused with a clear message."""

import csv
import io

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital.cli import main
from councildigital.data import microdata, survey
from councildigital.data.published import DataValidationError


def default_rows(n=4):
    """The header and the first ``n`` respondents of the embedded file, as lists of cells."""
    with microdata.DEFAULT_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [row[:] for row in rows[1 : n + 1]]


def as_real(rows):
    """The same respondents with ids a real survey export would have."""
    header, body = rows
    for i, row in enumerate(body):
        row[0] = f"R{i + 1}"
    return header, body


def write(tmp_path, header, body, name="responses.csv"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    path = tmp_path / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def set_cell(rows, line, column, value):
    """Change one cell; ``line`` is the CSV line (header = 1)."""
    header, body = rows
    body[line - 2][header.index(column)] = value
    return rows


def problems(path):
    with pytest.raises(DataValidationError) as caught:
        microdata.load_microdata(path)
    message = str(caught.value)
    assert str(path) in message, "every message names the file"
    return message


def test_columns_come_from_the_questionnaire():
    assert len(microdata.COLUMNS) == 148
    assert microdata.COLUMNS[:4] == ("respondent_id", "council_type", "region", "role")
    assert "sig_prevention" in microdata.COLUMNS
    assert "help_place_making__data_platform" in microdata.COLUMNS
    assert "planned_personalised_services__iot" in microdata.COLUMNS
    assert "barrier_legacy_technology" in microdata.COLUMNS
    themes, types = len(survey.THEMES), len(survey.DIGITAL_TYPES)
    assert sum(c.startswith("help_") for c in microdata.COLUMNS) == themes * types


def test_codebook_is_generated_and_current():
    book = microdata.codebook()
    columns = list(microdata.COLUMNS)
    assert book["column"].tolist() == [
        columns[0],
        microdata.CLUSTER_COLUMN,
        microdata.FREE_TEXT_COLUMN,
        *columns[1:],
    ]
    assert book.set_index("column").at["comments", "scale"] == "free_text"
    row = book.set_index("column").loc["vision_in_plan"]
    assert row["asked_if"] == "has_vision = 1"
    assert row["labels"] == "; ".join(survey.EXTENT.labels)
    assert row["wording"] == "paraphrased from the report"
    barrier = book.set_index("column").loc["barrier_funding"]
    assert barrier["values"] == "0; 1; 2; 3; 4; 5"
    assert barrier["text"].endswith("[Funding]")
    expected = book.to_csv(index=False, lineterminator="\n")
    assert microdata.CODEBOOK_PATH.read_text(encoding="utf-8") == expected, (
        "data/synthetic/codebook.csv is stale: run `councildigital reconstruct`"
    )


def test_the_default_is_flagged_synthetic():
    loaded = microdata.load_microdata()
    assert loaded.synthetic
    assert loaded.path == microdata.DEFAULT_PATH
    assert len(loaded.frame) == 78
    assert len(loaded.sha256) == 64
    assert "SYNTHETIC" in loaded.label


def test_a_user_file_is_not_flagged_synthetic(tmp_path):
    path = write(tmp_path, *as_real(default_rows()))
    loaded = microdata.load_microdata(path)
    assert not loaded.synthetic
    assert loaded.path == path
    assert path.name in loaded.label
    assert loaded.frame["respondent_id"].tolist() == ["R1", "R2", "R3", "R4"]


def test_answers_are_typed_with_missing_as_nan(tmp_path):
    rows = set_cell(as_real(default_rows()), 2, "sig_prevention", "")
    frame = microdata.load_microdata(write(tmp_path, *rows)).frame
    assert frame["sig_prevention"].dtype == float
    assert frame["sig_prevention"].isna().tolist() == [True, False, False, False]
    assert frame["council_type"].iloc[0] in survey.codes(survey.COUNCIL_TYPES)


def test_spreadsheet_quirks_are_tolerated(tmp_path):
    header, body = as_real(default_rows())
    header[0] = "\ufeff" + header[0]  # byte-order mark of an Excel CSV export
    body[0][header.index("barrier_funding")] = " 4.0 "
    frame = microdata.load_microdata(write(tmp_path, header, body)).frame
    assert frame["barrier_funding"].iloc[0] == 4


# Broken files: each message names the file (checked in `problems`), the
# line or header, the column and what was expected.


def test_unknown_council_type(tmp_path):
    rows = set_cell(as_real(default_rows()), 3, "council_type", "parish")
    message = problems(write(tmp_path, *rows))
    assert "line 3, column 'council_type': value 'parish' fails: expected one of county" in message
    assert "london_borough" in message


def test_likert_answer_of_seven(tmp_path):
    rows = set_cell(as_real(default_rows()), 4, "pot_prevention", "7")
    message = problems(write(tmp_path, *rows))
    assert "line 4, column 'pot_prevention': value '7' fails: expected one of 1 (Not at all)" in (
        message
    )
    assert "5 (Very large), or empty" in message


def test_barrier_outside_its_scale_and_words_for_numbers(tmp_path):
    """A word that is none of the answers' labels ("yes" is one: it is read as 1)."""
    rows = set_cell(as_real(default_rows()), 2, "barrier_funding", "6")
    rows = set_cell(rows, 5, "help_prevention__cloud", "yep")
    message = problems(write(tmp_path, *rows))
    assert "line 2, column 'barrier_funding': value '6' fails: expected one of 0 (Not at all)" in (
        message
    )
    assert (
        "line 5, column 'help_prevention__cloud': value 'yep' fails: expected one of 0 (No), 1 (Yes)"
        in (message)
    )


def test_missing_column(tmp_path):
    header, body = as_real(default_rows())
    gone = header.index("barrier_funding")
    header = header[:gone] + header[gone + 1 :]
    body = [row[:gone] + row[gone + 1 :] for row in body]
    message = problems(write(tmp_path, header, body))
    assert "header: missing column 'barrier_funding'" in message
    assert "[Funding]" in message


def test_unexpected_column(tmp_path):
    header, body = as_real(default_rows())
    header = [*header, "timestamp"]
    body = [[*row, "2024-07-01"] for row in body]
    message = problems(write(tmp_path, header, body))
    assert "header: unexpected column 'timestamp'; expected only the columns of codebook.csv" in (
        message
    )


def test_declared_free_text_columns_are_read_as_text_and_others_still_refused(tmp_path):
    header, body = as_real(default_rows())
    header = [*header, "comments", "text_why"]
    notes = ["  Fine, 4.0 out of 5 ", "", "<b>bold</b>", "x"]
    body = [[*row, note, "because"] for row, note in zip(body, notes, strict=True)]
    frame = microdata.load_microdata(write(tmp_path, header, body)).frame
    assert frame["comments"].tolist()[0] == "Fine, 4.0 out of 5"
    assert pd.isna(frame["comments"].tolist()[1])
    assert frame["text_why"].tolist() == ["because"] * 4
    assert microdata.is_free_text("comments") and microdata.is_free_text("text_why")
    assert not microdata.is_free_text("text_") and not microdata.is_free_text("remarks")
    header = [*header, "remarks"]
    body = [[*row, "hello"] for row in body]
    message = problems(write(tmp_path, header, body))
    assert "header: unexpected column 'remarks'; expected only the columns of codebook.csv" in (
        message
    )
    assert "unexpected column 'comments'" not in message


def test_duplicated_column(tmp_path):
    header, body = as_real(default_rows())
    header = [*header, "role"]
    body = [[*row, "officer"] for row in body]
    assert "header: column 'role' appears more than once" in problems(write(tmp_path, header, body))


def test_duplicated_respondent_id(tmp_path):
    rows = set_cell(as_real(default_rows()), 4, "respondent_id", "R1")
    message = problems(write(tmp_path, *rows))
    assert "line 2, line 4, column 'respondent_id': duplicated value 'R1'; ids must be unique" in (
        message
    )


def test_empty_council_type(tmp_path):
    rows = set_cell(as_real(default_rows()), 5, "council_type", "")
    message = problems(write(tmp_path, *rows))
    assert "line 5, column 'council_type'" in message
    assert "expected a value, found it empty" in message


def test_answer_to_a_question_not_asked(tmp_path):
    header, body = as_real(default_rows(20))
    line = next(i + 2 for i, row in enumerate(body) if row[header.index("has_vision")] == "0")
    rows = set_cell((header, body), line, "vision_could_help", "4")
    message = problems(write(tmp_path, *rows))
    assert (
        f"line {line}, column 'vision_could_help': value '4' fails: expected empty, "
        "the question is asked only if has_vision = 1"
    ) in message


def test_empty_file(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"")
    assert "file: empty, expected a header row and one row per respondent" in problems(path)


def test_header_but_no_respondents(tmp_path):
    header, _ = default_rows()
    assert "file: a header row but no respondents" in problems(write(tmp_path, header, []))


def text_of(header, body):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *body])
    return buffer.getvalue()


def test_wrong_encoding_names_the_line_and_the_byte_offset_in_the_file(tmp_path):
    rows = set_cell(as_real(default_rows(60)), 41, "respondent_id", "Réponse-40")
    raw = text_of(*rows).encode("latin-1")
    path = tmp_path / "responses.csv"
    path.write_bytes(raw)
    offset = raw.index("é".encode("latin-1"))
    assert (
        f"line 41: not UTF-8 text: byte 0xe9 at byte offset {offset} of the file "
        "(invalid continuation byte); save the file as UTF-8"
    ) in problems(path)


def test_a_row_split_over_two_lines_names_both_lines(tmp_path):
    header, body = as_real(default_rows())
    lines = text_of(header, body).splitlines(keepends=True)
    cut = lines[2].index(",", 100)
    path = tmp_path / "responses.csv"
    path.write_text("".join([*lines[:2], lines[2][:cut] + "\n", lines[2][cut + 1 :], *lines[3:]]))
    message = problems(path)
    first = lines[2][:cut].count(",") + 1
    assert f"line 3: {first} values, but the header has 148 columns" in message
    assert f"line 4: {148 - first} values, but the header has 148 columns" in message
    assert "respondent_id" not in message


def test_a_row_with_a_value_too_many_names_its_own_line(tmp_path):
    header, body = as_real(default_rows())
    body[2].append("4")
    message = problems(write(tmp_path, header, body))
    assert "line 4: 149 values, but the header has 148 columns" in message


def test_a_quoted_line_break_does_not_shift_the_lines_after_it(tmp_path):
    rows = set_cell(as_real(default_rows()), 2, "respondent_id", "R1\n(first wave)")
    rows = set_cell(rows, 4, "council_type", "parish")
    message = problems(write(tmp_path, *rows))
    assert "line 5, column 'council_type': value 'parish'" in message


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings_read_as_unix_ones(tmp_path, ending):
    rows = as_real(default_rows())
    path = tmp_path / "responses.csv"
    path.write_bytes(text_of(*rows).replace("\n", ending).encode())
    expected = microdata.load_microdata(write(tmp_path, *rows, name="unix.csv")).frame
    pd.testing.assert_frame_equal(microdata.load_microdata(path).frame, expected)
    path.write_bytes(text_of(*set_cell(rows, 4, "role", "mayor")).replace("\n", ending).encode())
    assert "line 4, column 'role': value 'mayor'" in problems(path)


def test_a_directory_is_not_a_file(tmp_path):
    assert "file: is a directory, not a file" in problems(tmp_path)


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_delimited_otherwise_is_named(tmp_path, delimiter, name):
    path = tmp_path / "responses.csv"
    path.write_text(text_of(*as_real(default_rows())).replace(",", delimiter))
    message = problems(path)
    assert f"header: the file is delimited by {name}; expected a comma-separated file" in message


def test_a_nul_byte_is_refused(tmp_path):
    rows = set_cell(as_real(default_rows()), 3, "barrier_funding", "4\x00")
    message = problems(write(tmp_path, *rows))
    assert "line 3: holds a NUL byte, so it is not UTF-8 text" in message


def broken_everywhere():
    """Twenty respondents with problems of every kind, spread over the file."""
    header, body = as_real(default_rows(20))
    rows = set_cell((header, body), 3, "council_type", "parish")
    rows = set_cell(rows, 9, "respondent_id", "R2")
    rows = set_cell(rows, 12, "barrier_funding", "6")
    rows = set_cell(rows, 12, "help_prevention__cloud", " 1.0 ")
    rows = set_cell(rows, 17, "role", "mayor")
    unasked = next(i + 2 for i, row in enumerate(body) if row[header.index("has_vision")] == "0")
    rows = set_cell(rows, unasked, "vision_in_plan", "x")
    return set_cell(rows, 20, "has_vision", "")


def test_every_problem_is_found_whatever_the_chunks(tmp_path, monkeypatch):
    path = write(tmp_path, *broken_everywhere())
    whole = problems(path)
    monkeypatch.setattr(microdata, "CHUNK_ROWS", 3)
    assert problems(path) == whole
    for expected in (
        "line 3, column 'council_type': value 'parish'",
        "line 3, line 9, column 'respondent_id': duplicated value 'R2'; ids must be unique",
        "line 12, column 'barrier_funding': value '6'",
        "line 17, column 'role': value 'mayor'",
        "column 'vision_in_plan': value 'x' fails: expected one of",
        "column 'vision_in_plan': value 'x' fails: expected empty, the question is asked only if",
        "line 20, column 'vision_could_help': value '4' fails: expected empty, the question is "
        "asked only if has_vision = 1 (found it empty)",
    ):
        assert expected in whole
    assert "help_prevention__cloud" not in whole


def test_the_typed_frame_is_the_same_whatever_the_chunks(tmp_path, monkeypatch):
    header, body = as_real(default_rows(20))
    rows = set_cell((header, body), 5, "barrier_funding", " 3.0 ")
    path = write(tmp_path, *rows)
    whole = microdata.load_microdata(path).frame
    monkeypatch.setattr(microdata, "CHUNK_ROWS", 3)
    pd.testing.assert_frame_equal(microdata.load_microdata(path).frame, whole)
    assert whole["barrier_funding"].iloc[3] == 3.0


def test_the_embedded_file_types_as_pandas_reads_it():
    text = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    expected = text.replace({"": None})
    for col in microdata.NUMERIC_COLUMNS:
        expected[col.name] = pd.to_numeric(expected[col.name]).astype(float)
    frame = microdata.load_microdata().frame
    pd.testing.assert_frame_equal(frame, expected[list(microdata.COLUMNS)])
    assert (frame.dtypes.iloc[4:] == "float64").all()
    assert frame.loc[frame["has_vision"] != 1, "vision_could_help"].isna().all()


def test_missing_file(tmp_path):
    assert "file: not found" in problems(tmp_path / "nowhere.csv")


def test_excel_needs_openpyxl_or_is_read(tmp_path):
    path = tmp_path / "responses.xlsx"
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        path.write_bytes(b"not read")
        assert "reading Excel needs openpyxl" in problems(path)
        return
    path.write_bytes(b"not a workbook")
    assert "file: not a readable Excel workbook" in problems(path)
    import pandas as pd

    header, body = as_real(default_rows())
    pd.DataFrame(body, columns=header).to_excel(path, index=False)
    assert len(microdata.load_microdata(path).frame) == 4


def test_bad_data_writes_nothing(tmp_path):
    rows = set_cell(as_real(default_rows()), 2, "council_type", "parish")
    path = write(tmp_path, *rows)
    table = tmp_path / "fidelity.csv"
    result = CliRunner().invoke(main, ["fidelity", "--data", str(path), "--table", str(table)])
    assert result.exit_code == 1
    assert "value 'parish'" in result.output
    assert not table.exists()


# Formats: each written here the way pandas or pyreadstat writes it, read into the codebook's schema.


def default_frame():
    """The embedded respondents as text cells, as a survey tool exports them."""
    return pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)


def real_frame():
    frame = default_frame()
    frame["respondent_id"] = [f"R{i + 1}" for i in range(len(frame))]
    return frame


def test_answers_given_as_labels_are_read_as_codes(tmp_path):
    frame = real_frame()
    frame.loc[0, "council_type"] = "  county   COUNCIL "
    frame.loc[0, "role"] = "Other officer"
    said = {"0": "no", "1": "YES", "9": "Don't know"}
    frame.loc[1:2, "has_vision"] = frame.loc[1:2, "has_vision"].map(said)
    frame.loc[3, "barrier_funding"] = "Very large"
    frame.loc[4, "council_type"] = "London_Borough"
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    read = microdata.load_microdata(path).frame
    assert read.loc[0, "council_type"] == "county"
    assert read.loc[0, "role"] == "officer"
    assert read.loc[4, "council_type"] == "london_borough"
    expected = microdata.load_microdata().frame
    assert read["has_vision"].iloc[1:3].tolist() == expected["has_vision"].iloc[1:3].tolist()
    assert read.loc[3, "barrier_funding"] == 5.0


def test_an_unknown_label_names_row_column_value_and_the_allowed_labels(tmp_path):
    frame = real_frame()
    frame.loc[2, "council_type"] = "Parish council"
    frame.loc[5, "has_vision"] = "Maybe"
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    message = problems(path)
    assert "line 4, column 'council_type': value 'Parish council' fails: expected one of " in (
        message
    )
    assert "county (County council), london_borough (London borough)" in message
    assert (
        "line 7, column 'has_vision': value 'Maybe' fails: expected one of 0 (No), 1 (Yes), "
        in (message)
    )


def test_excel_with_labels_on_a_second_sheet(tmp_path):
    frame = real_frame()
    frame.loc[0, "council_type"] = "County council"
    path = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"About": ["LGC 2024 export"]}).to_excel(book, sheet_name="Notes", index=False)
        frame.to_excel(book, sheet_name="Responses", index=False)
    message = problems(path)
    assert message.count("problem") == 1 and "1 problem(s)" in message
    assert "its sheet 'Responses' does: choose it with --sheet 'Responses'" in message
    read = microdata.load_microdata(path, sheet="Responses")
    assert len(read.frame) == 78
    assert read.frame.loc[0, "council_type"] == "county"
    with pytest.raises(DataValidationError, match="no sheet 'Answers'; its sheets are 'Notes'"):
        microdata.load_microdata(path, sheet="Answers")


def test_ods_is_read(tmp_path):
    path = tmp_path / "survey.ods"
    real_frame().to_excel(path, index=False, engine="odf")
    read = microdata.load_microdata(path)
    assert not read.synthetic
    pd.testing.assert_frame_equal(
        read.frame.drop(columns="respondent_id"),
        microdata.load_microdata().frame.drop(columns="respondent_id"),
    )


def statistics_frame():
    """The respondents as SPSS and Stata hold them: numbers, council type coded 1-9, and
    has_vision coded 1 = Yes, 2 = No, 9 = Don't know (not the codebook's 0/1/9)."""
    text = real_frame()
    numbers = text.drop(columns=["respondent_id", "council_type", "region", "role"])
    frame = numbers.replace("", np.nan).astype(float)
    codes = {c.code: i + 1 for i, c in enumerate(survey.COUNCIL_TYPES)}
    first = pd.DataFrame(
        {
            "respondent_id": text["respondent_id"],
            "council_type": text["council_type"].map(codes).astype(float),
            "region": text["region"],
            "role": text["role"],
        }
    )
    frame = pd.concat([first, frame], axis=1)
    frame["has_vision"] = frame["has_vision"].map({0: 2.0, 1: 1.0, 9: 9.0})
    labels = {
        "council_type": {i + 1: c.label for i, c in enumerate(survey.COUNCIL_TYPES)},
        "has_vision": {1: "Yes", 2: "No", 9: "Don't know"},
    }
    return frame, labels


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_spss_and_stata_value_labels_give_the_codes(tmp_path, suffix):
    import pyreadstat

    frame, labels = statistics_frame()
    path = tmp_path / f"survey{suffix}"
    if suffix == ".sav":
        pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    else:  # Stata names are at most 32 characters: short names, the columns as variable labels
        short = {name: f"v{i}" for i, name in enumerate(frame.columns)}
        pyreadstat.write_dta(
            frame.rename(columns=short),
            str(path),
            column_labels=list(frame.columns),
            variable_value_labels={short[name]: value for name, value in labels.items()},
        )
    read = microdata.load_microdata(path).frame
    expected = microdata.load_microdata().frame
    pd.testing.assert_frame_equal(
        read.drop(columns="respondent_id"), expected.drop(columns="respondent_id")
    )


def test_an_unlabelled_spss_code_names_the_case(tmp_path):
    import pyreadstat

    frame, labels = statistics_frame()
    frame.loc[4, "council_type"] = 12.0
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels=labels)
    message = problems(path)
    assert "case 5, column 'council_type': value '12' fails: expected one of county" in message


def test_a_format_not_read_says_which_are(tmp_path):
    path = tmp_path / "survey.json"
    path.write_text("{}", encoding="utf-8")
    message = problems(path)
    assert ".json is not a format read here" in message
    for name in ("CSV (.csv", "Excel (.xlsx", "(.ods)", "SPSS (.sav", "Stata (.dta)"):
        assert name in message


def test_a_sheet_for_a_csv_is_refused(tmp_path):
    path = write(tmp_path, *as_real(default_rows()))
    with pytest.raises(DataValidationError, match="--sheet 'Responses' applies to spreadsheets"):
        microdata.load_microdata(path, sheet="Responses")


# Synthetic or not: an edited copy of the reconstruction is not called the reconstruction.


def test_the_reconstruction_in_another_format_is_still_the_reconstruction(tmp_path):
    path = tmp_path / "copy.xlsx"
    default_frame().to_excel(path, index=False)
    read = microdata.load_microdata(path)
    assert read.synthetic and not read.edited
    assert read.label.startswith("SYNTHETIC DATA: a reconstruction matching the published")


def test_an_edited_synthetic_file_is_not_called_the_reconstruction(tmp_path):
    frame = default_frame()
    frame.loc[0, "has_capability"] = "1" if frame.loc[0, "has_capability"] == "0" else "0"
    path = tmp_path / "edited.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    read = microdata.load_microdata(path)
    assert read.synthetic and read.edited
    assert "matching the published LGC 2024 figures" not in read.label.replace(
        "not the reconstruction matching the published LGC 2024 figures", ""
    )
    assert read.label.startswith("EDITED SYNTHETIC DATA from edited.csv (sha256 ")


def test_the_command_line_reads_the_sheet_it_is_given(tmp_path):
    path = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"About": ["notes"]}).to_excel(book, sheet_name="Notes", index=False)
        real_frame().to_excel(book, sheet_name="Responses", index=False)
    first = CliRunner().invoke(main, ["fidelity", "--data", str(path)])
    assert first.exit_code == 1 and "--sheet 'Responses'" in first.output
    chosen = CliRunner().invoke(main, ["fidelity", "--data", str(path), "--sheet", "Responses"])
    assert "Respondent data from survey.xlsx" in chosen.output
    assert "Traceback" not in chosen.output


def test_a_council_id_column_is_read_and_must_be_filled(tmp_path):
    frame = real_frame()
    frame.insert(1, "council_id", [f"C{i // 2}" for i in range(len(frame))])
    path = tmp_path / "clustered.csv"
    frame.to_csv(path, index=False)
    read = microdata.load_microdata(path).frame
    assert read.columns[1] == "council_id"
    assert read["council_id"].iloc[:3].tolist() == ["C0", "C0", "C1"]
    assert "council_id" not in microdata.load_microdata().frame.columns
    frame.loc[3, "council_id"] = " "
    frame.to_csv(path, index=False)
    assert "line 5, column 'council_id': expected the respondent's council, found it empty" in (
        problems(path)
    )

"""Broken published-figures files give errors that name the file, line, column and expectation."""

import pytest
from councildigital import data

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
    with pytest.raises(data.DataValidationError) as caught:
        data.read_figures(path, expected_document)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_a_good_file_loads(tmp_path):
    frame = data.read_figures(write(tmp_path, GOOD), "lgc2024")
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
    assert "column 'document': value 'lgc2024' fails: expected one of ['ldt2013']" in message


def test_bad_approximate_flag(tmp_path):
    message = problems_of(write(tmp_path, GOOD.replace(",78,false,", ",78,maybe,")))
    assert (
        "line 2, column 'approximate': value 'maybe' fails: expected 'true' or 'false'" in message
    )


def test_empty_file(tmp_path):
    path = tmp_path / "lgc2024.csv"
    path.write_text("")
    assert "empty" in problems_of(path)


def test_not_utf8(tmp_path):
    path = tmp_path / "lgc2024.csv"
    path.write_bytes((HEADER + "\n" + GOOD).replace("79%", "79\u00a3").encode("cp1252"))
    assert "not UTF-8" in problems_of(path)


def test_ragged_csv(tmp_path):
    message = problems_of(write(tmp_path, GOOD + "LGC24-0003,lgc2024,extra,,,,,,,,,,,,,\n"))
    assert "not a well-formed CSV" in message


def test_same_id_in_two_files(tmp_path):
    write(tmp_path, GOOD)
    fc = (
        "LGC24-0001,future_councils,Impact,estimate_legacy_spend,low,sector,amount,300000000,gbp,,"
        "false,£300m,\n"
    )
    write(tmp_path, fc, name="future_councils.csv")
    with pytest.raises(data.DataValidationError) as caught:
        data.load_figures(tmp_path)
    assert "LGC24-0001" in str(caught.value)

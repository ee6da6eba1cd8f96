"""Notebook parameters (pipeline.parameters): read from the parameters cell, checked up front."""

from pathlib import Path

import pytest
from conftest import HEADER
from councildigital.pipeline import parameters
from councildigital.pipeline.parameters import Declared, ParameterError

SCRIPT = (
    HEADER
    + """
# %% [markdown]
# council_type = "not a parameter: a markdown cell"

# %% tags=["parameters"]
council_type = "all"
min_base = 10  # smallest base shown
scale = 2.5
draws = 1_000
labels = ["a", "b"]
flag = False
data_path = None  # respondent microdata (CSV)
today = date.today()

# %%
council_type = "county"
"""
)


# --- declared --------------------------------------------------------------------------------


def test_declared_reads_names_defaults_and_comments_from_the_parameters_cell_only():
    found = parameters.declared(SCRIPT)
    assert list(found) == [
        "council_type",
        "min_base",
        "scale",
        "draws",
        "labels",
        "flag",
        "data_path",
        "today",
    ]
    assert found["council_type"] == Declared("council_type", "all", "")
    assert found["min_base"] == Declared("min_base", 10, "smallest base shown")
    assert found["draws"].default == 1000
    assert found["labels"].default == ["a", "b"]
    assert found["data_path"] == Declared("data_path", None, "respondent microdata (CSV)")
    assert found["today"].default == "date.today()"  # not a literal: its source


def test_a_last_cell_parameters_cell_is_read_to_the_end():
    script = HEADER + '\n# %% tags=["parameters"]\nseed = 7  # the seed\n'
    assert parameters.declared(script) == {"seed": Declared("seed", 7, "the seed")}


def test_a_script_without_a_parameters_cell_declares_nothing():
    assert parameters.declared(HEADER + "\n# %%\nx = 1\n") == {}


def test_kinds_come_from_the_specs_or_the_default():
    found = parameters.declared(SCRIPT)
    assert found["min_base"].kind == "whole number, 1 or more"
    assert found["draws"].kind == "whole number, 1 to 10,000,000"
    assert found["scale"].kind == "float"
    assert found["flag"].kind == "bool"
    assert found["council_type"].kind == "str"
    assert found["data_path"].kind == "text"
    assert Declared("it_spend", None).kind == "number, [low, high] or [low, central, high]"
    assert Declared("weighting", "none").kind == "one of none, council_type"


# --- check -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, value, expected",
    [
        ("min_base", "5", 5),
        ("min_base", " 1_000 ", 1000),
        ("min_base", "20.0", 20),
        ("min_base", 7, 7),
        ("draws", "1e6", 1_000_000),
        ("seed", "0", 0),
        ("seed", str(2**63 - 1), 2**63 - 1),
        ("weighting", "council_type", "council_type"),
        ("reading", "council", "council"),
        ("council_name", "Anytown <Borough>", "Anytown <Borough>"),
        ("council_name", None, None),
        ("it_spend", "[1e6, 2e6]", [1e6, 2e6]),
        ("it_spend", "2500000", 2500000),
        ("legacy_share", 40, 40),
        ("published_dir", "/data/published", Path("/data/published")),
        ("published_dir", None, None),
    ],
)
def test_good_values_are_converted(name, value, expected):
    assert parameters.check(name, value, None) == expected


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("min_base", "0", "must be the smallest base shown (respondents), a whole number from 1"),
        ("min_base", "2.5", "a whole number from 1 to 1,000,000; got '2.5'"),
        ("min_base", True, "a whole number from 1 to 1,000,000; got True"),
        ("seed", False, "a random seed, a whole number from 0 to"),
        ("draws", "10_000_001", "a number of draws, a whole number from 1 to 10,000,000"),
        ("draws", "inf", "got 'inf'"),
        ("seed", "-1", "a random seed, a whole number from 0 to"),
        ("seed", "seven", "got 'seven'"),
        ("weighting", "heavy", "must be one of none, council_type; got 'heavy'"),
        ("reading", "councils", "must be one of respondent, council; got 'councils'"),
        ("council_name", "x" * 121, "at most 120 characters on one line; got 121 characters"),
        ("council_name", "two\nlines", "on one line; got 9 characters"),
        ("it_spend", "lots", "must be a number, [low, high] or [low, central, high]; got 'lots'"),
    ],
)
def test_bad_values_are_refused_with_what_is_allowed(name, value, message):
    with pytest.raises(ParameterError) as caught:
        parameters.check(name, value, None)
    assert str(caught.value).startswith(f"parameter {name!r} must be ")
    assert message in str(caught.value)


def test_a_parameter_error_is_a_value_error():
    assert issubclass(ParameterError, ValueError)


def test_parameters_without_a_spec_take_their_defaults_type():
    assert parameters.check("show_free_text", "true", False) is True
    with pytest.raises(ParameterError, match="must be bool"):
        parameters.check("show_free_text", "maybe", False)
    assert parameters.check("scale", "3", 2) == 3
    assert parameters.check("scale", "2.5", 1.0) == 2.5
    assert parameters.check("label", "text", "default") == "text"
    assert parameters.check("anything", "x", None) == "x"


# --- coerce ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, default, expected",
    [
        ("True", False, True),
        (" yes ", False, True),
        ("1", False, True),
        ("false", True, False),
        ("NO", True, False),
        ("0", True, False),
        ("42", 1, 42),
        ("-3", 1, -3),
        ("2.5", 1.0, 2.5),
        ("1e3", 1.0, 1000.0),
        ("text", "default", "text"),
        ("anything", None, "anything"),
        (5, 1.0, 5),  # not command-line text: as given
    ],
)
def test_coerce_to_the_defaults_type(value, default, expected):
    coerced = parameters.coerce("p", value, default)
    assert coerced == expected
    assert type(coerced) is type(expected)


@pytest.mark.parametrize(
    "value, default, message",
    [
        ("maybe", False, "parameter 'p' must be bool (default False); got 'maybe'"),
        ("2.5", 1, "parameter 'p' must be int (default 1); got '2.5'"),
        ("big", 2.0, "parameter 'p' must be float (default 2.0); got 'big'"),
    ],
)
def test_coerce_refuses_what_does_not_spell_the_type(value, default, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parameters.coerce("p", value, default)


def test_the_batch_sets_council_type_and_data_path_itself():
    assert set(parameters.RESERVED) == {"council_type", "data_path"}
    assert "--council-types" in parameters.RESERVED["council_type"]
    assert "--data PATH" in parameters.RESERVED["data_path"]
    assert parameters.WEIGHTINGS == ("none", "council_type")

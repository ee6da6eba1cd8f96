"""What each notebook parameter may hold, checked before any kernel starts.

A notebook declares its parameters (names and defaults) in its papermill
``parameters`` cell; this module says what a value given on the command line
must be, in words a user can act on, so that a bad value is refused up front
instead of failing inside a kernel (or, worse, computing something else).
Parameters the batch sets itself are refused with the option to use instead.
"""

from __future__ import annotations

import ast
import json
import math
import re
import tokenize
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

# Set by the batch from its own options: a -p override would make a run compute
# something other than what it is named (and published as).
RESERVED = {
    "council_type": "the council type is set by the batch: use --council-types (batch) or "
    "--council-type (run)",
    "data_path": "the respondent data is set by the batch: use --data PATH",
}
WEIGHTINGS = ("none", "council_type")
# Who counts once: each respondent, or each council (its respondents weighted 1/m).
RESPONDENT_READING = "respondent"
COUNCIL_READING = "council"
READINGS = (RESPONDENT_READING, COUNCIL_READING)
# The cost model's readings of the report (sections.future_councils_costs.SCENARIO_CHANGES).
REPORT_SCENARIO = "report"
SCENARIOS = (
    REPORT_SCENARIO,
    "occupations",
    "it_spend_low",
    "mean_contract",
    "shares_of_failed",
    "framework_by_value_unknown",
)
MAX_DRAWS = 10_000_000
MAX_SEED = 2**63 - 1
MAX_TEXT = 120


class ParameterError(ValueError):
    """A parameter value that no run could use; the message says what is allowed."""


@dataclass(frozen=True)
class Declared:
    """A parameter as its notebook declares it: name, default and the comment beside it."""

    name: str
    default: object
    comment: str = ""

    @property
    def kind(self) -> str:
        spec = SPECS.get(self.name)
        if spec is not None:
            return spec.kind
        return "text" if self.default is None else type(self.default).__name__


_PARAMETERS_CELL = re.compile(r'^# %%.*tags=\[[^\]]*"parameters"', re.MULTILINE)


def declared(notebook_source: str) -> dict[str, Declared]:
    """The parameters cell of a jupytext percent script, read without notebook tooling.

    Plain ``name = literal`` assignments, as papermill expects; the trailing comment
    is the parameter's help text.
    """
    start = _PARAMETERS_CELL.search(notebook_source)
    if start is None:
        return {}
    body = notebook_source[start.end() :].split("\n", 1)[-1]
    end = re.search(r"^# %%", body, re.MULTILINE)
    cell = body[: end.start()] if end else body
    comments = {
        token.start[0]: token.string.lstrip("# ").strip()
        for token in tokenize.generate_tokens(StringIO(cell).readline)
        if token.type == tokenize.COMMENT
    }
    found = {}
    for node in ast.parse(cell).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            try:
                default = ast.literal_eval(node.value)
            except ValueError:
                default = ast.unparse(node.value)
            found[name] = Declared(name, default, comments.get(node.lineno, ""))
    return found


@dataclass(frozen=True)
class Spec:
    """What a parameter's value must be (``kind``, shown in --help) and how it is checked."""

    kind: str
    check: Callable[[str, object], object]


def _whole(least: int, most: int, what: str) -> Callable[[str, object], object]:
    def check(name: str, value: object) -> int:
        number = _as_number(value)
        if isinstance(number, bool) or not isinstance(number, int) or not least <= number <= most:
            raise ParameterError(
                f"parameter {name!r} must be {what}, a whole number from {least:,} to "
                f"{most:,}; got {value!r}"
            )
        return number

    return check


def _as_number(value: object) -> object:
    """Text from the command line as the number it spells, if it spells one."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().replace("_", "")
        for kind in (int, float):
            try:
                value = kind(text)
                break
            except ValueError:
                continue
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[str, object], object]:
    def check(name: str, value: object) -> str:
        if value not in choices:
            raise ParameterError(
                f"parameter {name!r} must be one of {', '.join(choices)}; got {value!r}"
            )
        return value

    return check


def _text(name: str, value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
        raise ParameterError(
            f"parameter {name!r} must be text of at most {MAX_TEXT} characters on one line; "
            f"got {len(text)} characters"
        )
    return text


def _own_figure(name: str, value: object) -> object:
    """A council's own figure: a number, or a JSON list [low, high] / [low, central, high].

    Its range (percent 0-100, money 0 or more) is checked with the cost model's own
    rules by :func:`councildigital.pipeline.batch.plan`.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ParameterError(
                f"parameter {name!r} must be a number, [low, high] or [low, central, high]; "
                f"got {value!r}"
            ) from None
    return value


def _folder(name: str, value: object) -> object:
    """A data folder: checked, read and copied by the batch (see :mod:`councildigital.pipeline.snapshot`)."""
    return None if value is None else Path(str(value))


SPECS: dict[str, Spec] = {
    "min_base": Spec(
        "whole number, 1 or more", _whole(1, 1_000_000, "the smallest base shown (respondents)")
    ),
    "weighting": Spec(f"one of {', '.join(WEIGHTINGS)}", _choice(WEIGHTINGS)),
    "reading": Spec(f"one of {', '.join(READINGS)}", _choice(READINGS)),
    "scenario": Spec(f"one of {', '.join(SCENARIOS)}", _choice(SCENARIOS)),
    "draws": Spec(f"whole number, 1 to {MAX_DRAWS:,}", _whole(1, MAX_DRAWS, "a number of draws")),
    "seed": Spec("whole number, 0 or more", _whole(0, MAX_SEED, "a random seed")),
    "council_name": Spec(f"text, at most {MAX_TEXT} characters", _text),
    "published_dir": Spec("folder of published-figures CSVs", _folder),
}
OWN_FIGURES = (
    "fte_total",
    "it_spend",
    "ddat_contract_value",
    "ddat_contract_count",
    "la_framework_share",
    "legacy_share",
    "ddat_project_median_value",
)
SPECS.update(
    {name: Spec("number, [low, high] or [low, central, high]", _own_figure) for name in OWN_FIGURES}
)


def check(name: str, value: object, default: object) -> object:
    """``value`` (often command-line text) as the parameter needs it, or a ParameterError.

    The batch refuses the :data:`RESERVED` names before asking.
    """
    spec = SPECS.get(name)
    if spec is not None:
        return spec.check(name, value)
    return coerce(name, value, default)


def check_reading(reading: str, weighting: str, columns, file_name: str) -> None:
    """A ParameterError unless ``reading`` fits ``weighting`` and data with ``columns``:
    reading per council needs each respondent's council (``council_id``), and is not
    combined with weighting by council type, whose weights count respondents."""
    from councildigital.data.microdata import CLUSTER_COLUMN

    if reading != COUNCIL_READING:
        return
    if weighting != "none":
        raise ParameterError(
            "reading 'council' counts each council once; it is not combined with "
            f"weighting {weighting!r}, whose weights count respondents: use one or the other"
        )
    if CLUSTER_COLUMN not in columns:
        raise ParameterError(
            f"reading 'council' counts each council once, so it needs the column "
            f"{CLUSTER_COLUMN!r} naming each respondent's council; "
            f"{file_name} has no {CLUSTER_COLUMN!r} column"
        )


def coerce(name: str, value: object, default: object) -> object:
    """A command-line value as the type of the parameter's default, or a clear error."""
    if not isinstance(value, str) or default is None or isinstance(default, str):
        return value
    try:
        if isinstance(default, bool):
            lowered = value.strip().lower()
            if lowered not in {"true", "false", "1", "0", "yes", "no"}:
                raise ValueError(value)
            return lowered in {"true", "1", "yes"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except ValueError:
        raise ParameterError(
            f"parameter {name!r} must be {type(default).__name__} (default {default!r}); "
            f"got {value!r}"
        ) from None
    return value

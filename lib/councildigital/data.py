"""Load and validate the published-figures dataset (``data/published/*.csv``).

Validation is declared once as a pandera schema; any failure is reported as a
:class:`DataValidationError` whose message names the file, the CSV line, the
column, the offending value and what was expected, one line per problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councildigital import survey
from councildigital.paths import PUBLISHED_DIR
from councildigital.sources import DOCUMENT_KEYS, DOCUMENTS

COLUMNS: tuple[str, ...] = (
    "id",
    "document",
    "section",
    "question",
    "item",
    "group",
    "measure",
    "value",
    "unit",
    "base",
    "approximate",
    "quote",
    "note",
)
REQUIRED_TEXT = (
    "id",
    "document",
    "section",
    "question",
    "item",
    "group",
    "measure",
    "unit",
    "quote",
)

BASE_MEASURES = (
    "share",
    "count",
    "mean",
    "median",
    "minimum",
    "maximum",
    "rank",
    "gap",
    "amount",
    "rate",
    "ratio",
    "duration",
    "in_top_n",
    "in_bottom_n",
)
# A bound ("more than half", "under £1bn") is its measure with _lower_bound or _upper_bound.
MEASURES = frozenset(
    {*BASE_MEASURES}
    | {
        f"{m}_{b}_bound"
        for m in BASE_MEASURES
        for b in ("lower", "upper")
        if not m.startswith("in_")
    }
)
UNITS = frozenset(
    {
        "percent",
        "percentage_points",
        "count",
        "rank",
        "score",
        "gbp",
        "fte",
        "hours",
        "days",
        "weeks",
        "months",
        "years",
        "ratio",
    }
)
PERCENT_UNITS = frozenset({"percent"})
ID_PATTERN = re.compile(r"^(?P<prefix>[A-Z0-9]+)-\d{4}$")
CODE_PATTERN = r"^[a-z0-9_:]+$"


class DataValidationError(ValueError):
    """A data file broke the schema; ``problems`` holds one message per failure."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        shown = problems[:20]
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"{self.path}: {len(problems)} problem(s):\n  " + "\n  ".join(shown) + more
        )


def _lgc2024_items() -> dict[str, frozenset[str]]:
    """Allowed ``item`` codes for the 2024 survey's questions that use questionnaire codes."""
    themes = frozenset(survey.codes(survey.THEMES))
    types = frozenset(survey.codes(survey.DIGITAL_TYPES))
    theme_types = frozenset(f"{t}:{d}" for t in themes for d in types)
    return {
        "respondent_council_type": frozenset(survey.codes(survey.COUNCIL_TYPES)),
        "respondent_region": frozenset(survey.codes(survey.REGIONS)),
        "respondent_role": frozenset(survey.codes(survey.ROLES)),
        "theme_significance": themes,
        "theme_potential": themes,
        "theme_plan": themes,
        "theme_gap": themes,
        "barrier_score": frozenset(survey.codes(survey.BARRIERS)),
        "type_could_help": theme_types,
        "type_planned": theme_types,
        "type_gap": theme_types,
    }


def _check_lgc2024_codes(df: pd.DataFrame) -> pd.Series:
    """True where a 2024 row's item is a known questionnaire code (or the question is free)."""
    allowed = _lgc2024_items()
    ok = pd.Series(True, index=df.index)
    rows = df["document"] == "lgc2024"
    for question, items in allowed.items():
        sel = rows & (df["question"] == question)
        ok[sel] = df.loc[sel, "item"].isin(items) | df.loc[sel, "item"].map(_is_type_set).astype(
            bool
        )
    return ok


def _is_type_set(item: str) -> bool:
    """``theme:types_...`` names a set of digital types within a theme (described in the note)."""
    theme, _, rest = item.partition(":")
    return theme in survey.codes(survey.THEMES) and rest.startswith("types_")


def _check_lgc2024_groups(df: pd.DataFrame) -> pd.Series:
    groups = {
        survey.ALL,
        "has_vision",
        "could_help_large",
        "could_help_very_large",
        *survey.codes(survey.COUNCIL_TYPES),
    }
    rows = df["document"] == "lgc2024"
    return ~rows | df["group"].isin(groups)


def _check_percent(df: pd.DataFrame) -> pd.Series:
    return ~df["unit"].isin(PERCENT_UNITS) | df["value"].between(0, 100)


def _check_id_prefix(df: pd.DataFrame) -> pd.Series:
    prefixes = df["document"].map({d.key: d.id_prefix for d in DOCUMENTS})
    return prefixes.isna() | (df["id"].str.split("-").str[0] == prefixes)


# Checks across columns: (the column a failure is reported against, what is expected, the check).
_FRAME_CHECKS = (
    ("value", "a percentage must lie between 0 and 100", _check_percent),
    (
        "id",
        "the id prefix must be the document's (LGC24, RT24, LDT13, FC, ESS25)",
        _check_id_prefix,
    ),
    (
        "item",
        "a 2024 survey item must use the questionnaire codes of councildigital.survey",
        _check_lgc2024_codes,
    ),
    (
        "group",
        "a 2024 survey group must be 'all', a council type code or a vision subgroup",
        _check_lgc2024_groups,
    ),
)


def _schema(expected_document: str | None) -> pa.DataFrameSchema:
    text = {
        c: pa.Column(str, pa.Check.str_length(min_value=1), nullable=False) for c in REQUIRED_TEXT
    }
    documents = [expected_document] if expected_document else list(DOCUMENT_KEYS)
    text["document"] = pa.Column(str, pa.Check.isin(documents), nullable=False)
    text["id"] = pa.Column(str, pa.Check.str_matches(ID_PATTERN.pattern), unique=True)
    for code_column in ("question", "item", "group", "measure", "unit"):
        text[code_column] = pa.Column(str, pa.Check.str_matches(CODE_PATTERN), nullable=False)
    text["measure"] = pa.Column(str, pa.Check.isin(sorted(MEASURES)), nullable=False)
    text["unit"] = pa.Column(str, pa.Check.isin(sorted(UNITS)), nullable=False)
    return pa.DataFrameSchema(
        {
            **text,
            "value": pa.Column(float, nullable=False, coerce=True),
            "base": pa.Column(float, pa.Check.gt(0), nullable=True, coerce=True),
            "approximate": pa.Column(bool, nullable=False),
            "note": pa.Column(str, nullable=True),
        },
        checks=[pa.Check(fn, name=message, error=message) for _, message, fn in _FRAME_CHECKS],
        strict=False,
        ordered=False,
    )


_CHECK_COLUMN = {message: column for column, message, _ in _FRAME_CHECKS}


def _line(index: object) -> str:
    """The CSV line of a row index: the header is line 1, the first row line 2."""
    return (
        f"line {int(index) + 2}" if isinstance(index, int | float) and pd.notna(index) else "file"
    )


def describe_failures(frame: pd.DataFrame, errors: pa.errors.SchemaErrors) -> list[str]:
    """One message per pandera failure, naming CSV line, column, value and expectation."""
    problems = []
    for case in errors.failure_cases.itertuples(index=False):
        check = str(case.check)
        # A frame-wide check is reported once per column by pandera; name the column it is about.
        column = _CHECK_COLUMN.get(check) or (case.column if isinstance(case.column, str) else None)
        if column is not None and pd.notna(case.index) and column in frame.columns:
            value = frame.at[case.index, column]
        else:
            value = case.failure_case
        where = _line(case.index)
        if check.startswith("column_in_dataframe"):
            problems.append(
                f"missing column {case.failure_case!r} (expected columns: {', '.join(COLUMNS)})"
            )
            continue
        if check == "field_uniqueness":
            where = ", ".join(_line(i) for i in frame.index[frame[column] == value])
            problems.append(
                f"{where}, column {column!r}: duplicated value {value!r}; ids must be unique"
            )
            continue
        problems.append(f"{where}, column {column!r}: value {value!r} fails: {_expectation(check)}")
    return sorted(set(problems), key=_sort_key)


def _sort_key(message: str) -> tuple[int, str]:
    match = re.match(r"line (\d+)", message)
    return (int(match.group(1)) if match else 0, message)


def _expectation(check: str) -> str:
    if check.startswith("isin("):
        return "expected one of " + check[len("isin(") : -1]
    if check.startswith("str_matches("):
        return "expected a snake_case code or an id like LGC24-0001"
    if check.startswith("str_length("):
        return "expected a non-empty value"
    if check.startswith("not_nullable"):
        return "expected a value, found it empty"
    if check.startswith("coerce_dtype("):
        return "expected a number" if "float" in check else f"expected {check}"
    if check.startswith("dtype("):
        return f"expected type {check[len('dtype(') : -1]}"
    if check.startswith("greater_than("):
        return "expected a number above 0"
    return check


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV as text cells (empty cells as None); unreadable files raise DataValidationError."""
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False
        )
    except pd.errors.ParserError as exc:
        raise DataValidationError(path, [f"file: not a well-formed CSV ({exc})"]) from exc
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            path, [f"file: not UTF-8 text ({exc.reason} at byte {exc.start})"]
        ) from exc
    except pd.errors.EmptyDataError as exc:
        raise DataValidationError(path, ["file: empty, expected a header row and figures"]) from exc
    frame = frame.replace({"": None})
    return frame


def _coerce_flags(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    if "approximate" not in frame.columns:
        return frame
    mapping = {"true": True, "false": False}
    lowered = frame["approximate"].str.strip().str.lower()
    bad = frame.index[~lowered.isin(mapping)]
    if len(bad):
        raise DataValidationError(
            path,
            [
                f"{_line(i)}, column 'approximate': value {frame.at[i, 'approximate']!r} fails: "
                "expected 'true' or 'false'"
                for i in bad
            ],
        )
    frame = frame.copy()
    frame["approximate"] = lowered.map(mapping).astype(bool)
    return frame


def validate_figures(
    frame: pd.DataFrame, path: Path | str, expected_document: str | None = None
) -> pd.DataFrame:
    """Validate a published-figures frame read from ``path``; return it with typed columns."""
    path = Path(path)
    frame = _coerce_flags(frame, path)
    try:
        valid = _schema(expected_document).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None
    return valid[list(COLUMNS)]


def read_figures(path: Path | str, expected_document: str | None = None) -> pd.DataFrame:
    """Read and validate one published-figures CSV."""
    path = Path(path)
    return validate_figures(read_csv_text(path), path, expected_document)


def published_files(folder: Path = PUBLISHED_DIR) -> list[tuple[str, Path]]:
    """The (document key, file) pairs of the published-figures dataset that exist."""
    return [
        (d.key, folder / f"{d.key}.csv") for d in DOCUMENTS if (folder / f"{d.key}.csv").exists()
    ]


def load_figures(
    folder: Path = PUBLISHED_DIR, documents: Iterable[str] | None = None
) -> pd.DataFrame:
    """Every published figure, validated, as one tidy frame (ids unique across files)."""
    wanted = set(documents) if documents is not None else set(DOCUMENT_KEYS)
    frames = [read_figures(path, key) for key, path in published_files(folder) if key in wanted]
    if not frames:
        raise FileNotFoundError(f"no published-figures CSV in {folder}")
    figures = pd.concat(frames, ignore_index=True)
    duplicated = figures["id"][figures["id"].duplicated()].unique()
    if len(duplicated):
        raise DataValidationError(
            folder, [f"id {i!r} appears in more than one file" for i in duplicated]
        )
    return figures


def summary(figures: pd.DataFrame) -> pd.DataFrame:
    """Figures per document: total, approximate and with a respondent base."""
    counts = figures.groupby("document", sort=False).agg(
        figures=("id", "size"),
        approximate=("approximate", "sum"),
        with_base=("base", "count"),
    )
    counts = counts.reindex([k for k in DOCUMENT_KEYS if k in counts.index])
    counts.loc["total"] = counts.sum()
    return counts.astype(int)


FRAMEWORK_KINDS = ("lifecycle_stage", "common_challenge", "systemic_barrier", "tag")


def _known_or_empty(column: str):
    def check(df: pd.DataFrame) -> pd.Series:
        return df[column].isna() | df[column].isin(set(df["code"]))

    return check


def _check_framework_tags(df: pd.DataFrame) -> pd.Series:
    is_tag = df["kind"] == "tag"
    return ~is_tag | (df["parent_code"].notna() & df["related_code"].notna())


_FRAMEWORK_CHECKS = (
    (
        "parent_code",
        "parent_code must be a code defined in the file",
        _known_or_empty("parent_code"),
    ),
    (
        "related_code",
        "related_code must be a code defined in the file",
        _known_or_empty("related_code"),
    ),
    (
        "related_code",
        "a tag needs both a parent_code (stage) and a related_code (what it tags)",
        _check_framework_tags,
    ),
)
_FRAMEWORK_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_matches(r"^FW-\d{4}$"), unique=True),
        "kind": pa.Column(str, pa.Check.isin(list(FRAMEWORK_KINDS))),
        "code": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
        "label": pa.Column(str, pa.Check.str_length(min_value=1)),
        "parent_code": pa.Column(str, nullable=True),
        "related_code": pa.Column(str, nullable=True),
        "order": pa.Column(int, pa.Check.ge(1), coerce=True),
        "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(fn, name=message, error=message) for _, message, fn in _FRAMEWORK_CHECKS],
    strict=True,
)
_CHECK_COLUMN.update({message: column for column, message, _ in _FRAMEWORK_CHECKS})


def load_framework(path: Path = PUBLISHED_DIR / "future_councils_framework.csv") -> pd.DataFrame:
    """The Future Councils barrier framework (stages, challenges, barriers and their tags), validated."""
    frame = read_csv_text(path)
    try:
        return _FRAMEWORK_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None

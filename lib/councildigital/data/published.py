"""Load and validate the published-figures dataset (``data/published/*.csv``).

Validation is declared once as a pandera schema; any failure is reported as a
:class:`DataValidationError` whose message names the file, the CSV line, the
column, the offending value and what was expected in plain words, one line per
problem. :func:`read_rows` and :func:`read_csv_text` read every CSV of the
project (microdata and reference files too), so a file that is not a clean
comma-separated UTF-8 table is refused with the same words everywhere.
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councildigital import cache
from councildigital.data import survey
from councildigital.data.sources import DOCUMENT_KEYS, DOCUMENTS
from councildigital.paths import PUBLISHED_DIR

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


class UnknownDocumentError(ValueError):
    """A document key that names none of the source documents (a typo on the command line)."""


# --- reading CSV files -------------------------------------------------------------------------

# A one-column header holding one of these was written with the wrong delimiter.
_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def check_file(path: Path) -> None:
    """Refuse a path that is not a file before reading it, saying what it is instead."""
    if path.is_dir():
        raise DataValidationError(path, ["file: is a directory, not a file"])
    if not path.is_file():
        raise DataValidationError(path, ["file: not found"])


def _not_utf8(path: Path) -> DataValidationError:
    """The first byte that is not UTF-8, named by its line and its offset in the file.

    The text decoder's own offset is within a buffer of its own; decoding line by line
    finds the byte, as no UTF-8 sequence spans a line break.
    """
    offset = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                error, line = exc, number
                break
            offset += len(raw)
    return DataValidationError(
        path,
        [
            f"line {line}: not UTF-8 text: byte {raw[error.start]:#04x} at byte offset "
            f"{offset + error.start} of the file ({error.reason}); save the file as UTF-8"
        ],
    )


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank record as (the physical line it starts on, its fields).

    A byte-order mark (spreadsheets write one) is dropped before the first field.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        start = 1
        try:
            for fields in reader:
                if len(fields) > 1 or (fields and fields[0].strip()):
                    yield start, fields
                start = reader.line_num + 1
        except csv.Error as exc:
            raise DataValidationError(
                path, [f"line {start}: not a well-formed CSV ({exc})"]
            ) from None
        except UnicodeDecodeError:
            raise _not_utf8(path) from None


def _header_problems(header: list[str]) -> list[str]:
    if len(header) == 1:
        for char, name in _DELIMITERS.items():
            if char in header[0]:
                return [f"header: the file is delimited by {name}; expected a comma-separated file"]
    repeated = sorted({c for c in header if header.count(c) > 1})
    return [f"header: column {c!r} appears more than once" for c in repeated]


def read_rows(path: Path | str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A CSV's header (names trimmed) and an iterator over its records as (line, fields).

    ``line`` is the physical line of the file where the record starts (the
    header is line 1), so a quoted field holding a line break does not shift
    the lines named after it; blank lines are skipped but counted. A record's
    fields are not checked against the header: see :func:`field_count_problem`.
    """
    path = Path(path)
    check_file(path)
    records = _records(path)
    first = next(records, None)
    if first is None:
        raise DataValidationError(path, ["file: empty, expected a header row and data rows"])
    header = [name.strip() for name in first[1]]
    problems = _header_problems(header)
    if problems:
        raise DataValidationError(path, problems)
    return header, records


def field_count_problem(line: int, fields: list[str], width: int) -> str | None:
    """What is wrong with a record that has more or fewer fields than the header, if anything."""
    if len(fields) == width:
        return None
    hint = "; a value holding a comma must be in double quotes" if len(fields) > width else ""
    return f"line {line}: {len(fields)} values, but the header has {width} columns{hint}"


def _row_labels(lines: list[int]) -> pd.Index:
    """Row labels such that ``label + 2`` is the row's line: 0, 1, 2, ... for a plain file."""
    labels = [line - 2 for line in lines]
    return pd.RangeIndex(len(labels)) if labels == list(range(len(labels))) else pd.Index(labels)


def read_csv_text(path: Path | str) -> pd.DataFrame:
    """Read a CSV as text cells (empty cells missing); unreadable files raise DataValidationError.

    A row's label plus 2 is the physical line where its record starts, even
    after a quoted line break or a blank line, so every message built from
    ``index + 2`` names the right line.
    """
    header, records = read_rows(path)
    lines, rows, problems = [], [], []
    for line, fields in records:
        problem = field_count_problem(line, fields, len(header))
        if problem is not None:
            problems.append(problem)
            continue
        lines.append(line)
        rows.append(fields)
    if problems:
        raise DataValidationError(path, problems)
    frame = pd.DataFrame(rows, columns=header, index=_row_labels(lines), dtype="str")
    return frame.replace({"": None})


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
        "a 2024 survey item must use the questionnaire codes of councildigital.data.survey",
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
FRAMEWORK_ID_PATTERN = r"^FW-\d{4}$"
FRAMEWORK_CODE_PATTERN = r"^[a-z0-9_]+$"
# What each pattern a schema matches text against means, for people who do not read regexes.
_PATTERN_WORDS = {
    ID_PATTERN.pattern: "expected an id like LGC24-0001 (capitals or digits, a hyphen, 4 digits)",
    CODE_PATTERN: "expected a code of lower-case letters, digits, _ and : (like has_vision)",
    FRAMEWORK_ID_PATTERN: "expected an id like FW-0001",
    FRAMEWORK_CODE_PATTERN: "expected a code of lower-case letters, digits and _ (like make_case)",
}
_TYPE_WORDS = {"int64": "expected a whole number", "float64": "expected a number"}
# pandera's checks of the header and of the schema's own consistency, not of a cell.
_HEADER_CHECKS = ("column_in_dataframe", "column_in_schema")


def _line(index: object) -> str:
    """The CSV line of a row label: see :func:`read_csv_text`."""
    return f"line {int(index) + 2}"


def describe_failures(frame: pd.DataFrame, errors: pa.errors.SchemaErrors) -> list[str]:
    """One message per pandera failure, naming CSV line, column, value and expectation."""
    cases = errors.failure_cases
    untyped = _untyped_columns(cases)
    problems = [
        _describe(case, frame, errors.schema)
        for case in cases.itertuples(index=False)
        if not _is_consequence(case, untyped)
    ]
    return sort_problems(problems)


def _untyped_columns(cases: pd.DataFrame) -> set[str]:
    """Columns missing or with a cell not of the column's type: other checks on them are moot."""
    check = cases["check"].astype(str)
    missing = cases.loc[check == "column_in_dataframe", "failure_case"]
    return {*missing, *cases.loc[check.str.startswith("coerce_dtype("), "column"]}


def _is_consequence(case, untyped: set[str]) -> bool:
    """A check pandera could not run (a TypeError, no row) because of a problem reported already."""
    check = str(case.check)
    if check.startswith("dtype("):
        return case.column in untyped
    return bool(untyped) and pd.isna(case.index) and check not in _HEADER_CHECKS


def _describe(case, frame: pd.DataFrame, schema: pa.DataFrameSchema) -> str:
    check = str(case.check)
    expected = ", ".join(schema.columns)
    if check == "column_in_dataframe":
        return f"header: missing column {case.failure_case!r} (expected columns: {expected})"
    if check == "column_in_schema":
        return f"header: unexpected column {case.failure_case!r} (expected only: {expected})"
    # A frame-wide check is reported once per column by pandera; name the column it is about.
    column = _CHECK_COLUMN.get(check) or case.column
    dtype = str(schema.columns[column].dtype) if column in schema.columns else None
    if pd.isna(case.index):
        return f"column {column!r}: {_expectation(check, dtype)} (found {case.failure_case})"
    where = _line(case.index)
    value = frame.at[case.index, column] if column in frame.columns else case.failure_case
    if check == "field_uniqueness":
        where = ", ".join(_line(i) for i in frame.index[frame[column] == value])
        what = "ids" if column.endswith("id") else f"{column} values"
        return f"{where}, column {column!r}: duplicated value {value!r}; {what} must be unique"
    if check == "not_nullable":
        return f"{where}, column {column!r}: expected a value, found it empty"
    return f"{where}, column {column!r}: value {value!r} fails: {_expectation(check, dtype)}"


def sort_problems(problems: Iterable[str]) -> list[str]:
    """Problems without repeats, in the order of the lines they name (file-wide ones first)."""
    return sorted(set(problems), key=_sort_key)


def _sort_key(message: str) -> tuple[int, str]:
    match = re.match(r"line (\d+)", message)
    return (int(match.group(1)) if match else 0, message)


def _check_arguments(check: str) -> tuple[str, tuple]:
    """``greater_than_or_equal_to(0)`` as ``("greater_than_or_equal_to", (0,))``.

    pandera quotes a single text argument without escaping it (a regex's ``\\d``), so that
    is taken as written; other arguments are Python literals.
    """
    text = re.fullmatch(r"(\w+)\('([^']*)'\)", check, flags=re.DOTALL)
    if text is not None:
        return text.group(1), (text.group(2),)
    match = re.fullmatch(r"(\w+)\((.*)\)", check, flags=re.DOTALL)
    try:
        return match.group(1), ast.literal_eval(f"({match.group(2)},)")
    except (AttributeError, ValueError, SyntaxError):  # no call, or not literal arguments
        return check, ()


def _expectation(check: str, dtype: str | None = None) -> str:
    """Plain words for a failed pandera check; a check declared with its own words keeps them."""
    number = _TYPE_WORDS.get(dtype or "", "expected a number")
    match _check_arguments(check):
        case "isin", (allowed,):
            return "expected one of " + ", ".join(str(value) for value in allowed)
        case "str_matches", (pattern,):
            return _PATTERN_WORDS.get(pattern, f"expected text matching the pattern {pattern}")
        case "str_length", (1, None):
            return "expected a non-empty value"
        case "str_startswith", (prefix,):
            kind = "a web address" if prefix.startswith("http") else "text"
            return f"expected {kind} starting {prefix}"
        case "greater_than_or_equal_to", (low,):
            return f"{number} {low} or more"
        case "greater_than", (low,):
            return f"{number} above {low}"
        case (("coerce_dtype" | "dtype"), (kind,)):
            return _TYPE_WORDS.get(kind, f"expected a value of type {kind}")
    return check


def _coerce_flags(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    if "approximate" not in frame.columns:
        return frame
    mapping = {"true": True, "false": False}
    lowered = frame["approximate"].str.strip().str.lower()
    bad = frame.index[~lowered.isin(mapping)]
    if len(bad):
        raise DataValidationError(path, [_flag_problem(i, frame.at[i, "approximate"]) for i in bad])
    frame = frame.copy()
    frame["approximate"] = lowered.map(mapping).astype(bool)
    return frame


def _flag_problem(index: object, value: object) -> str:
    where = f"{_line(index)}, column 'approximate'"
    if pd.isna(value):
        return f"{where}: expected 'true' or 'false', found it empty"
    return f"{where}: value {value!r} fails: expected 'true' or 'false'"


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
    return valid[list(COLUMNS)].reset_index(drop=True)


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
    """Every published figure, validated, as one tidy frame (ids unique across files).

    An unknown key in ``documents`` raises :class:`UnknownDocumentError` naming the valid keys.
    Read and validated once per version of the files (:mod:`councildigital.cache`).
    """
    wanted = set(DOCUMENT_KEYS) if documents is None else _known_documents(documents)
    files = [(key, path) for key, path in published_files(folder) if key in wanted]
    if not files:
        raise FileNotFoundError(f"no published-figures CSV in {folder}")
    version = cache.key(*(f"{key}\0".encode() + path.read_bytes() for key, path in files))
    return cache.derived("figures", version, partial(_validated_figures, folder, files))


def _validated_figures(folder: Path, files: list[tuple[str, Path]]) -> pd.DataFrame:
    frames = [read_figures(path, key) for key, path in files]
    figures = pd.concat(frames, ignore_index=True)
    duplicated = figures["id"][figures["id"].duplicated()].unique()
    if len(duplicated):
        raise DataValidationError(
            folder, [f"id {i!r} appears in more than one file" for i in duplicated]
        )
    return figures


def _known_documents(documents: Iterable[str]) -> set[str]:
    wanted = set(documents)
    unknown = sorted(wanted - set(DOCUMENT_KEYS))
    if unknown:
        raise UnknownDocumentError(
            f"unknown document key {', '.join(map(repr, unknown))}; "
            f"the document keys are: {', '.join(DOCUMENT_KEYS)}"
        )
    return wanted


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
FRAMEWORK_PATH = PUBLISHED_DIR / "future_councils_framework.csv"


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
        "id": pa.Column(str, pa.Check.str_matches(FRAMEWORK_ID_PATTERN), unique=True),
        "kind": pa.Column(str, pa.Check.isin(list(FRAMEWORK_KINDS))),
        "code": pa.Column(str, pa.Check.str_matches(FRAMEWORK_CODE_PATTERN), unique=True),
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


def load_framework(path: Path = FRAMEWORK_PATH) -> pd.DataFrame:
    """The Future Councils barrier framework (stages, challenges, barriers and their tags), validated."""
    frame = read_csv_text(path)
    try:
        valid = _FRAMEWORK_SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None
    return valid.reset_index(drop=True)


CROSSWALK_PATH = PUBLISHED_DIR / "barrier_crosswalk.csv"
CROSSWALK_COLUMNS = ("item_2013", "wording_2013", "barrier_2024", "match", "reason")
# Strongest first: the order decides which 2013 item stands for a 2024 barrier.
MATCHES = ("exact", "close", "loose", "none")


def load_crosswalk(path: Path = CROSSWALK_PATH) -> pd.DataFrame:
    """The analyst's crosswalk of 2013 barrier items to 2024 barrier codes, checked row by row."""
    frame = read_csv_text(path)
    missing = [c for c in CROSSWALK_COLUMNS if c not in frame.columns]
    if missing:
        raise DataValidationError(path, [f"missing column(s): {', '.join(missing)}"])
    codes = survey.codes(survey.BARRIERS)
    problems = []
    for index, row in frame.iterrows():
        where = f"line {index + 2}"
        code = None if pd.isna(row["barrier_2024"]) else row["barrier_2024"]
        if row["match"] not in MATCHES:
            problems.append(
                f"{where}: match {row['match']!r}; expected one of {', '.join(MATCHES)}"
            )
        elif (row["match"] == "none") != (code is None):
            problems.append(f"{where}: barrier_2024 must be empty exactly when match is 'none'")
        if code is not None and code not in codes:
            problems.append(
                f"{where}: barrier_2024 {code!r} is not a 2024 barrier code ({', '.join(codes)})"
            )
        if pd.isna(row["reason"]) or pd.isna(row["wording_2013"]):
            problems.append(f"{where}: every row needs its 2013 wording and a reason")
    for item in frame["item_2013"][frame["item_2013"].duplicated()]:
        problems.append(f"item_2013 {item!r} appears more than once")
    if problems:
        raise DataValidationError(path, problems)
    return frame


def check_files(folder: Path, loaders: Iterable[tuple[Path, Callable[[Path], object]]]) -> None:
    """Load every file with its loader, so that every bad file is named at once.

    One bad file raises its own error; several raise one error for ``folder``
    whose problems each start with the file's name.
    """
    failures = []
    for path, load in loaders:
        try:
            load(path)
        except DataValidationError as exc:
            failures.append(exc)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise DataValidationError(
            folder, [f"{exc.path.name}: {problem}" for exc in failures for problem in exc.problems]
        )


def check_published(folder: Path = PUBLISHED_DIR) -> None:
    """Validate every published file: each document's figures, the framework, the crosswalk.

    A batch calls it so that bad data is refused before any kernel starts.
    """
    loaders = [
        (folder / f"{key}.csv", partial(read_figures, expected_document=key))
        for key in DOCUMENT_KEYS
    ]
    check_files(
        folder,
        [
            *loaders,
            (folder / FRAMEWORK_PATH.name, load_framework),
            (folder / CROSSWALK_PATH.name, load_crosswalk),
        ],
    )

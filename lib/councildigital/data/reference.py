"""Reference facts from outside the source documents (``data/reference/``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councildigital.data import survey
from councildigital.data.published import (
    DataValidationError,
    check_files,
    describe_failures,
    read_csv_text,
)
from councildigital.paths import REFERENCE_DIR


def _is_date(values: pd.Series) -> pd.Series:
    """A real calendar date written as YYYY-MM-DD (2024-02-30 is not one)."""
    written = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    return written & pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").notna()


def _sourced(**columns: pa.Column) -> pa.DataFrameSchema:
    """A reference file's schema: its own columns, then where each row comes from (every file has
    its source, a link to it and the phrase the row rests on, and may have a note)."""
    return pa.DataFrameSchema(
        {
            **columns,
            "source": pa.Column(str, pa.Check.str_length(min_value=1)),
            "source_url": pa.Column(str, pa.Check.str_startswith("https://")),
            "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
            "note": pa.Column(str, nullable=True),
        },
        strict=True,
    )


_COUNCIL_COUNTS = _sourced(
    council_type=pa.Column(
        str, pa.Check.isin(list(survey.codes(survey.COUNCIL_TYPES))), unique=True
    ),
    councils=pa.Column(int, pa.Check.ge(0), coerce=True),
    nation=pa.Column(str, pa.Check.isin(["England", "Scotland", "Wales", "Northern Ireland"])),
    as_of=pa.Column(str, pa.Check(_is_date, error="expected a date like 2024-03-31")),
)
COUNCIL_COUNTS_PATH = REFERENCE_DIR / "council_counts.csv"


def council_counts(path: Path = COUNCIL_COUNTS_PATH) -> pd.DataFrame:
    """Councils of each survey council type in Great Britain, validated, in questionnaire order."""
    frame = _validated(path, _COUNCIL_COUNTS)
    order = {code: i for i, code in enumerate(survey.codes(survey.COUNCIL_TYPES))}
    return frame.sort_values("council_type", key=lambda s: s.map(order)).reset_index(drop=True)


def _validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    frame = read_csv_text(path)
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None


# Types of council the size basis can describe: the survey's types but 'other' and the
# nations (their councils are outside an English release).
SIZE_MEASURES = ("core_spending_power",)
_COUNCIL_TYPE_SIZE = _sourced(
    council_type=pa.Column(
        str, pa.Check.isin(list(survey.codes(survey.COUNCIL_TYPES))), unique=True
    ),
    measure=pa.Column(str, pa.Check.isin(list(SIZE_MEASURES))),
    unit=pa.Column(str, pa.Check.isin(["gbp_million"])),
    total=pa.Column(float, pa.Check.gt(0), coerce=True),
    authorities=pa.Column(int, pa.Check.ge(1), coerce=True),
    year=pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
    table=pa.Column(str, pa.Check.str_length(min_value=1)),
    transcribed_from=pa.Column(str, pa.Check.str_startswith("https://"), nullable=True),
)
COUNCIL_TYPE_SIZE_PATH = REFERENCE_DIR / "council_type_size.csv"


def council_type_size(path: Path = COUNCIL_TYPE_SIZE_PATH) -> pd.DataFrame:
    """A sourced size measure per council type (a total over the authorities summed), validated.

    A council type without a row has no basis in the sources.
    """
    frame = _validated(path, _COUNCIL_TYPE_SIZE)
    if frame["measure"].nunique() > 1 or frame["year"].nunique() > 1:
        raise DataValidationError(
            path, ["every row must be the same measure and year, so the types can be compared"]
        )
    return frame.reset_index(drop=True)


_PAY_BENCHMARKS = _sourced(
    benchmark=pa.Column(str, unique=True),
    value=pa.Column(float, pa.Check.gt(0), coerce=True),
    unit=pa.Column(str, pa.Check.isin(["gbp"])),
    coverage=pa.Column(str, pa.Check.str_length(min_value=1)),
    as_of=pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}$")),
)
PAY_BENCHMARKS_PATH = REFERENCE_DIR / "pay_benchmarks.csv"


def pay_benchmarks(path: Path = PAY_BENCHMARKS_PATH) -> pd.DataFrame:
    """Annual pay per full-time worker from sources outside the report, validated, by name."""
    return _validated(path, _PAY_BENCHMARKS).set_index("benchmark")


# Every reference file and the loader that validates it.
LOADERS = {
    COUNCIL_COUNTS_PATH.name: council_counts,
    COUNCIL_TYPE_SIZE_PATH.name: council_type_size,
    PAY_BENCHMARKS_PATH.name: pay_benchmarks,
}


def check_reference(folder: Path = REFERENCE_DIR) -> None:
    """Validate every reference file, so a batch refuses bad data before any kernel starts."""
    check_files(folder, [(folder / name, load) for name, load in LOADERS.items()])

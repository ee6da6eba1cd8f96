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


_COUNCIL_COUNTS = pa.DataFrameSchema(
    {
        "council_type": pa.Column(
            str, pa.Check.isin(list(survey.codes(survey.COUNCIL_TYPES))), unique=True
        ),
        "councils": pa.Column(int, pa.Check.ge(0), coerce=True),
        "nation": pa.Column(
            str, pa.Check.isin(["England", "Scotland", "Wales", "Northern Ireland"])
        ),
        "as_of": pa.Column(str, pa.Check(_is_date, error="expected a date like 2024-03-31")),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_url": pa.Column(str, pa.Check.str_startswith("https://")),
        "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
        "note": pa.Column(str, nullable=True),
    },
    strict=True,
)
COUNCIL_COUNTS_PATH = REFERENCE_DIR / "council_counts.csv"


def council_counts(path: Path = COUNCIL_COUNTS_PATH) -> pd.DataFrame:
    """Councils of each survey council type in Great Britain, validated, in questionnaire order."""
    frame = read_csv_text(path)
    try:
        frame = _COUNCIL_COUNTS.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None
    order = {code: i for i, code in enumerate(survey.codes(survey.COUNCIL_TYPES))}
    return frame.sort_values("council_type", key=lambda s: s.map(order)).reset_index(drop=True)


# Every reference file and the loader that validates it.
LOADERS = {COUNCIL_COUNTS_PATH.name: council_counts}


def check_reference(folder: Path = REFERENCE_DIR) -> None:
    """Validate every reference file, so a batch refuses bad data before any kernel starts."""
    check_files(folder, [(folder / name, load) for name, load in LOADERS.items()])

"""Reference facts from outside the source documents (``data/reference/``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councildigital import survey
from councildigital.data import DataValidationError, describe_failures, read_csv_text
from councildigital.paths import REFERENCE_DIR

_COUNCIL_COUNTS = pa.DataFrameSchema(
    {
        "council_type": pa.Column(
            str, pa.Check.isin(list(survey.codes(survey.COUNCIL_TYPES))), unique=True
        ),
        "councils": pa.Column(int, pa.Check.ge(0), coerce=True),
        "nation": pa.Column(
            str, pa.Check.isin(["England", "Scotland", "Wales", "Northern Ireland"])
        ),
        "as_of": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_url": pa.Column(str, pa.Check.str_startswith("https://")),
        "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
        "note": pa.Column(str, nullable=True),
    },
    strict=True,
)


def council_counts(path: Path = REFERENCE_DIR / "council_counts.csv") -> pd.DataFrame:
    """Councils of each survey council type in Great Britain, validated, in questionnaire order."""
    frame = read_csv_text(path)
    try:
        frame = _COUNCIL_COUNTS.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataValidationError(path, describe_failures(frame, errors)) from None
    order = {code: i for i, code in enumerate(survey.codes(survey.COUNCIL_TYPES))}
    return frame.sort_values("council_type", key=lambda s: s.map(order)).reset_index(drop=True)

"""Respondent microdata: one row per respondent, one column per question, as a survey tool exports it.

The columns, their allowed answers and the codebook are all generated from
``survey.QUESTIONS``, so the questionnaire is written down once. A file is
validated before anything uses it; every problem is reported with the file,
the CSV line (the header is line 1), the column and what was expected.

An empty cell is a question not answered (item non-response) or not asked
(routing: the vision follow-ups are asked only of respondents whose council
has a vision). Every statistic is computed on the answers a question got.
"""

from __future__ import annotations

import csv
import hashlib
import re
import zipfile
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from councildigital import survey
from councildigital.data import DataValidationError, describe_failures, read_csv_text
from councildigital.paths import SYNTHETIC_DIR

ID_COLUMN = "respondent_id"
# Synthetic respondents carry this id prefix, so a synthetic file is recognised
# wherever it is copied to and can never be labelled as real data.
SYNTHETIC_PREFIX = "SYN-"
DEFAULT_PATH = SYNTHETIC_DIR / "lgc2024_synthetic.csv"
CODEBOOK_PATH = SYNTHETIC_DIR / "codebook.csv"
# Columns every row must fill: the reports are split by council type.
REQUIRED = (ID_COLUMN, "council_type")


@dataclass(frozen=True)
class Column:
    """One microdata column: the question it answers and the item(s) it is about."""

    name: str
    question: survey.Question
    items: tuple[survey.Code, ...] = ()

    @property
    def allowed(self) -> tuple[str, ...]:
        """The answers allowed in the file, as text."""
        if self.question.scale is not None:
            return tuple(str(v) for v in self.question.scale.values)
        return survey.codes(self.question.options)

    @property
    def numeric(self) -> bool:
        return self.question.scale is not None

    @property
    def text(self) -> str:
        about = " - ".join(item.label for item in self.items)
        return f"{self.question.text} [{about}]" if about else self.question.text

    def expectation(self) -> str:
        if self.question.scale is not None:
            scale = self.question.scale
            answers = ", ".join(
                f"{v} ({lab})" for v, lab in zip(scale.values, scale.labels, strict=True)
            )
        else:
            answers = ", ".join(self.allowed)
        return f"expected one of {answers}" + ("" if self.name in REQUIRED else ", or empty")


def column_name(question: str, *items: str) -> str:
    """``sig_prevention``, ``help_prevention__cloud``: the question code, then the item codes."""
    return f"{question}_{'__'.join(items)}" if items else question


def _build_columns() -> tuple[Column, ...]:
    columns = []
    for question in survey.QUESTIONS:
        for items in product(*question.per):
            columns.append(
                Column(column_name(question.code, *(i.code for i in items)), question, items)
            )
    return tuple(columns)


ANSWER_COLUMNS: tuple[Column, ...] = _build_columns()
COLUMNS: tuple[str, ...] = (ID_COLUMN, *(c.name for c in ANSWER_COLUMNS))
_BY_NAME = {c.name: c for c in ANSWER_COLUMNS}


def column(name: str) -> Column:
    """The column called ``name``; a clear error naming the known columns' pattern if unknown."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown microdata column {name!r}; see {CODEBOOK_PATH.name}") from None


def codebook() -> pd.DataFrame:
    """Every column with its question wording, scale and answer labels: the file's documentation."""
    rows = [
        {
            "column": ID_COLUMN,
            "question": "",
            "text": "Respondent identifier, unique in the file (synthetic respondents: SYN-001, ...)",
            "scale": "text",
            "values": "",
            "labels": "",
            "asked_if": "",
            "wording": "",
        }
    ]
    for col in ANSWER_COLUMNS:
        q = col.question
        if q.scale is not None:
            scale, labels = q.scale.code, "; ".join(q.scale.labels)
        else:
            scale, labels = "code", "; ".join(o.label for o in q.options)
        rows.append(
            {
                "column": col.name,
                "question": q.code,
                "text": col.text,
                "scale": scale,
                "values": "; ".join(col.allowed),
                "labels": labels,
                "asked_if": f"{q.asked_if[0]} = {q.asked_if[1]}" if q.asked_if else "",
                "wording": "quoted in the report" if q.quoted else "paraphrased from the report",
            }
        )
    return pd.DataFrame(rows)


def write_codebook(path: Path = CODEBOOK_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    codebook().to_csv(path, index=False, lineterminator="\n")
    return path


def _schema() -> pa.DataFrameSchema:
    checks = {
        ID_COLUMN: pa.Column(
            str,
            pa.Check.str_length(min_value=1, error="expected a respondent id"),
            nullable=False,
            unique=True,
        )
    }
    for col in ANSWER_COLUMNS:
        checks[col.name] = pa.Column(
            str,
            pa.Check.isin(list(col.allowed), error=col.expectation()),
            nullable=col.name not in REQUIRED,
        )
    return pa.DataFrameSchema(checks, strict=False, ordered=False)


_SCHEMA = _schema()


@dataclass(frozen=True)
class Microdata:
    """A validated microdata file: the frame, where it came from, and whether it is synthetic."""

    frame: pd.DataFrame
    path: Path
    sha256: str
    synthetic: bool

    @property
    def label(self) -> str:
        """What every chart and table made from this data must say about it."""
        if self.synthetic:
            return (
                "SYNTHETIC DATA: a reconstruction matching the published LGC 2024 figures, "
                "not the survey's real responses"
            )
        return f"Respondent data from {self.path.name} (sha256 {self.sha256[:12]})"


def _read(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
        except ImportError as exc:
            raise DataValidationError(
                path, [f"file: reading Excel needs openpyxl ({exc}); save the sheet as CSV"]
            ) from exc
        except (ValueError, OSError, zipfile.BadZipFile) as exc:
            raise DataValidationError(
                path, [f"file: not a readable Excel workbook ({exc})"]
            ) from exc
    else:
        frame = read_csv_text(path)
        # pandas renames a repeated column ("role" becomes "role.1"): name it as it is.
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        repeated = sorted({c for c in header if header.count(c) > 1})
        if repeated:
            raise DataValidationError(
                path, [f"header: column {c!r} appears more than once" for c in repeated]
            )
    # Spreadsheet exports often start with a byte-order mark and pad cells with spaces.
    frame.columns = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    return frame.map(_clean_cell)


def _clean_cell(value: object) -> object:
    """Trim spaces; a spreadsheet's 4.0 is still the answer 4; a blank cell is no answer."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    whole = re.fullmatch(r"(\d+)\.0+", value)
    return (whole.group(1) if whole else value) or None


def _header_problems(frame: pd.DataFrame) -> list[str]:
    missing = [c for c in COLUMNS if c not in frame.columns]
    problems = [f"header: missing column {c!r} ({_describe(c)})" for c in missing]
    unknown = [c for c in frame.columns if c not in COLUMNS]
    problems += [
        f"header: unexpected column {c!r}; expected only the columns of {CODEBOOK_PATH.name}"
        for c in unknown
    ]
    return problems


def _describe(name: str) -> str:
    return "respondent id" if name == ID_COLUMN else column(name).text


def _routing_problems(frame: pd.DataFrame) -> list[str]:
    """Answers to a question the routing did not ask: a sign of shifted or mislabelled columns."""
    problems = []
    for col in ANSWER_COLUMNS:
        if col.question.asked_if is None:
            continue
        source, answer = col.question.asked_if
        asked = pd.to_numeric(frame[source], errors="coerce") == answer
        for index in frame.index[frame[col.name].notna() & ~asked]:
            problems.append(
                f"line {index + 2}, column {col.name!r}: value {frame.at[index, col.name]!r} "
                f"fails: expected empty, the question is asked only if {source} = {answer} "
                f"(found {frame.at[index, source]!r})"
            )
    return problems


def validate(frame: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """Check a text frame read from ``path``; return it typed.

    Answer codes become floats, NaN where not answered: what pandas, numpy and
    statsmodels all treat as missing without further conversion.
    """
    path = Path(path)
    problems = _header_problems(frame)
    if problems:
        raise DataValidationError(path, problems)
    if frame.empty:
        raise DataValidationError(path, ["file: a header row but no respondents"])
    try:
        _SCHEMA.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = describe_failures(frame, errors)
    problems += _routing_problems(frame)
    if problems:
        raise DataValidationError(path, problems)
    typed = frame[list(COLUMNS)].copy()
    for col in ANSWER_COLUMNS:
        if col.numeric:
            typed[col.name] = pd.to_numeric(typed[col.name]).astype(float)
    return typed


def load_microdata(path: Path | str | None = None) -> Microdata:
    """The embedded synthetic default, or the researcher's own file in the same schema, validated."""
    path = Path(path) if path is not None else DEFAULT_PATH
    if not path.is_file():
        raise DataValidationError(path, ["file: not found"])
    if path.stat().st_size == 0:
        raise DataValidationError(
            path, ["file: empty, expected a header row and one row per respondent"]
        )
    frame = validate(_read(path), path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    synthetic = bool(frame[ID_COLUMN].str.startswith(SYNTHETIC_PREFIX).any())
    return Microdata(frame, path, digest, synthetic)

"""Respondent microdata: one row per respondent, one column per question, as a survey tool exports it.

The columns, their allowed answers and the codebook are all generated from
``survey.QUESTIONS``, so the questionnaire is written down once. A file (CSV,
Excel, OpenDocument, SPSS or Stata: :data:`FORMATS`) is validated before
anything uses it; an answer may be its code or its label, in any case. Every
problem is reported with the file, the line (the header is line 1; a case for
SPSS and Stata), the column, the value and what was expected.

An empty cell is a question not answered (item non-response) or not asked
(routing: the vision follow-ups are asked only of respondents whose council
has a vision). Every statistic is computed on the answers a question got.
"""

from __future__ import annotations

import gc
import hashlib
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice, product
from pathlib import Path

import numpy as np
import pandas as pd

from councildigital.data import survey
from councildigital.data.published import (
    DataValidationError,
    check_file,
    field_count_problem,
    read_rows,
    sort_problems,
)
from councildigital.paths import DEFAULT_MICRODATA, SYNTHETIC_DIR

ID_COLUMN = "respondent_id"
# Synthetic respondents carry this id prefix, so a synthetic file is recognised
# wherever it is copied to and can never be labelled as real data.
SYNTHETIC_PREFIX = "SYN-"
DEFAULT_PATH = DEFAULT_MICRODATA
CODEBOOK_PATH = SYNTHETIC_DIR / "codebook.csv"
# Columns every row must fill: the reports are split by council type.
REQUIRED = (ID_COLUMN, "council_type")
# An optional column: the respondent's council, any identifier shared by the respondents
# of one council. Where a file has it, intervals allow for respondents clustered in
# councils; where not, respondents are taken as independent (the embedded data has none).
CLUSTER_COLUMN = "council_id"
# Optional free-text answers, declared by name: the column `comments`, or any column named
# text_<something>. They are kept as text, never validated against answers, and no page
# shows them unless its `show_free_text` parameter asks (then escaped). Any other column
# the codebook does not list is refused.
FREE_TEXT_COLUMN = "comments"
FREE_TEXT_PREFIX = "text_"


def is_free_text(name: str) -> bool:
    """Whether a column is a declared free-text answer (``comments`` or ``text_<name>``)."""
    return name == FREE_TEXT_COLUMN or (
        name.startswith(FREE_TEXT_PREFIX) and len(name) > len(FREE_TEXT_PREFIX)
    )


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
            answers = ", ".join(f"{o.code} ({o.label})" for o in self.question.options)
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
    rows.append(
        {
            "column": CLUSTER_COLUMN,
            "question": "",
            "text": "Optional: the respondent's council, any identifier the same for every "
            "respondent of one council (intervals then allow for several respondents per "
            "council); filled in every row where the column is given",
            "scale": "text",
            "values": "",
            "labels": "",
            "asked_if": "",
            "wording": "",
        }
    )
    rows.append(
        {
            "column": FREE_TEXT_COLUMN,
            "question": "",
            "text": "Optional: free-text answers (so is any column named "
            f"{FREE_TEXT_PREFIX}<name>), kept as text and shown on no page unless its "
            "show_free_text parameter asks for them",
            "scale": "free_text",
            "values": "",
            "labels": "",
            "asked_if": "",
            "wording": "",
        }
    )
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


@dataclass(frozen=True)
class Microdata:
    """A validated microdata file: the frame, where it came from, and whether it is synthetic.

    ``edited``: synthetic respondents (their ids say so) that are not the embedded
    reconstruction, so nothing says they still match the published figures.
    """

    frame: pd.DataFrame
    path: Path
    sha256: str
    synthetic: bool
    edited: bool = False

    @property
    def label(self) -> str:
        """What every chart and table made from this data must say about it."""
        if self.edited:
            return (
                f"EDITED SYNTHETIC DATA from {self.path.name} (sha256 {self.sha256[:12]}): a "
                "changed copy of the synthetic reconstruction, so it is not the reconstruction "
                "matching the published LGC 2024 figures (`councildigital fidelity --data` "
                "checks it against them), and not the survey's real responses"
            )
        if self.synthetic:
            return (
                "SYNTHETIC DATA: a reconstruction matching the published LGC 2024 figures, "
                "not the survey's real responses"
            )
        return f"Respondent data from {self.path.name} (sha256 {self.sha256[:12]})"


# --- validation ------------------------------------------------------------------------------
#
# A file is checked in chunks of rows with vectorised numpy checks, into one preallocated
# float64 block, so a file of hundreds of megabytes takes seconds and little more memory than
# the typed frame itself. Every problem of every chunk is kept and reported in line order.

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
ODS_SUFFIXES = frozenset({".ods"})
SPSS_SUFFIXES = frozenset({".sav", ".zsav"})
STATA_SUFFIXES = frozenset({".dta"})
# A file without a suffix (or .txt) is taken for CSV text, as most tools would.
CSV_SUFFIXES = frozenset({".csv", ".txt", ""})
# What ``--data`` reads, for help texts and the error on any other file.
FORMATS = (
    "CSV (.csv, UTF-8, comma-separated)",
    "Excel (.xlsx, .xlsm)",
    "OpenDocument spreadsheet (.ods)",
    "SPSS (.sav, .zsav)",
    "Stata (.dta)",
)
CHUNK_ROWS = 4096
NUMERIC_COLUMNS: tuple[Column, ...] = tuple(c for c in ANSWER_COLUMNS if c.numeric)
TEXT_COLUMNS: tuple[str, ...] = (ID_COLUMN, *(c.name for c in ANSWER_COLUMNS if not c.numeric))
_OTHER = 128  # the code of a cell that is not empty (0) and not one ASCII character
# Each allowed answer as one shared string: a million respondents' "london_borough" is one object.
_ALLOWED = {c.name: {answer: answer for answer in c.allowed} for c in ANSWER_COLUMNS}
_NUMERIC_INDEX = {c.name: j for j, c in enumerate(NUMERIC_COLUMNS)}
_ROUTED = tuple((order, c) for order, c in enumerate(ANSWER_COLUMNS) if c.question.asked_if)


def _code_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per answer column and cell code: is the cell allowed as it is, and its value (NaN if empty).

    Answers longer than one character are not in the tables; such cells take the slow path.
    """
    allowed = np.zeros((len(NUMERIC_COLUMNS), _OTHER + 1), dtype=bool)
    values = np.full(allowed.shape, np.nan)
    allowed[:, 0] = True  # an empty cell: not answered
    for j, col in enumerate(NUMERIC_COLUMNS):
        for answer in col.allowed:
            if len(answer) == 1 and ord(answer) < _OTHER:
                allowed[j, ord(answer)], values[j, ord(answer)] = True, float(answer)
    return allowed, values


_CODE_ALLOWED, _CODE_VALUES = _code_tables()
_NUMERIC_ROWS = np.arange(len(NUMERIC_COLUMNS))[:, None]


def _cell_codes(rows: list[list[str]]) -> np.ndarray:
    """Each cell's code: its one ASCII character, 0 if empty, ``_OTHER`` if anything else.

    The cells are joined with NUL bytes, which no cell holds (a CSV with one is refused by
    :func:`_count_lines`; a spreadsheet cannot hold one), and numpy finds them, so no Python
    code runs per cell.
    """
    joined = ("\x00".join(map("\x00".join, rows)) + "\x00").encode()
    data = np.frombuffer(joined, dtype=np.uint8)
    ends = np.flatnonzero(data == 0)
    starts = np.concatenate(([0], ends[:-1] + 1))
    codes = np.where(ends - starts <= 1, data[starts], _OTHER).astype(np.uint8)
    return codes.reshape(len(rows), len(rows[0]))


_WHOLE_NUMBER = re.compile(r"(\d+)\.0+")


def _clean_cell(value: object) -> object:
    """Trim spaces; a spreadsheet's 4.0 is still the answer 4; a blank cell is no answer."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    whole = _WHOLE_NUMBER.fullmatch(value) if value.endswith("0") else None
    return (whole.group(1) if whole else value) or None


def _fold(text: str) -> str:
    """A label as compared: case and runs of spaces folded ("  county  Council" is "county council")."""
    return " ".join(text.split()).casefold()


def _answer_table(col: Column) -> dict[str, str]:
    """Each folded code and label of a column's answers, to the code the file must hold."""
    question = col.question
    if question.scale is not None:
        pairs = zip(question.scale.values, question.scale.labels, strict=True)
        named = [(str(value), label) for value, label in pairs]
    else:
        named = [(o.code, o.label) for o in question.options]
    table = {_fold(label): code for code, label in named}
    table.update({_fold(code): code for code, _ in named})
    return table


# An answer given as its label ("Yes", "County council"), in any case, read as its code.
_BY_LABEL = {c.name: _answer_table(c) for c in ANSWER_COLUMNS}


def _coded(name: str, cell: object) -> object:
    """A trimmed cell given as an answer's label or a differently cased code, as its code."""
    if not isinstance(cell, str) or name == ID_COLUMN:
        return cell
    return _BY_LABEL[name].get(_fold(cell), cell)


def _header_problems(header: list[str]) -> list[str]:
    missing = [c for c in COLUMNS if c not in header]
    problems = [f"header: missing column {c!r} ({_describe(c)})" for c in missing]
    unknown = [
        c for c in header if c not in COLUMNS and c != CLUSTER_COLUMN and not is_free_text(c)
    ]
    problems += [
        f"header: unexpected column {c!r}; expected only the columns of {CODEBOOK_PATH.name} "
        f"(free-text answers go in {FREE_TEXT_COLUMN!r} or a column named "
        f"{FREE_TEXT_PREFIX}<name>)"
        for c in unknown
    ]
    return problems


def _describe(name: str) -> str:
    return "respondent id" if name == ID_COLUMN else column(name).text


def _cell_problem(line: int, name: str, cell: str | None) -> str | None:
    """What is wrong with a trimmed cell, if anything."""
    if cell is None and name in REQUIRED:
        return f"line {line}, column {name!r}: expected a value, found it empty"
    if cell is None or name == ID_COLUMN or cell in _ALLOWED[name]:
        return None
    return f"line {line}, column {name!r}: value {cell!r} fails: {column(name).expectation()}"


class _Chunk:
    """Rows of the header's length with their lines, checked a column or a block at a time."""

    def __init__(self, rows: list[list[str]], lines: np.ndarray, position: dict[str, int]):
        self.rows, self.lines, self.position = rows, lines, position
        self.problems: list[str] = []

    def cell(self, i: int, name: str) -> object:
        return _coded(name, _clean_cell(self.rows[i][self.position[name]]))

    def texts(self, name: str) -> list[object]:
        """A text column's trimmed cells; a problem noted for each one not allowed."""
        at = self.position[name]
        allowed = _ALLOWED.get(name, {})
        cells = [allowed.get(row[at]) for row in self.rows]
        for i in [i for i, cell in enumerate(cells) if cell is None]:
            cells[i] = _coded(name, _clean_cell(self.rows[i][at]))
            problem = _cell_problem(int(self.lines[i]), name, cells[i])
            if problem is not None:
                self.problems.append(problem)
        return cells

    def numbers(self, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The answer columns at ``at``, as (column, row) arrays: floats, and where answered."""
        codes = _cell_codes(self.rows)[:, at].T
        values = _CODE_VALUES[_NUMERIC_ROWS, codes]
        answered = codes != 0
        bad, bad_cells = [], []
        for j, i in zip(*np.nonzero(~_CODE_ALLOWED[_NUMERIC_ROWS, codes]), strict=True):
            name = NUMERIC_COLUMNS[j].name
            cell = self.cell(i, name)
            answered[j, i] = cell is not None
            problem = _cell_problem(int(self.lines[i]), name, cell)
            if problem is None:
                values[j, i] = np.nan if cell is None else float(cell)
                continue
            self.problems.append(problem)
            bad.append((j, i))
            bad_cells.append(cell)
        # A bad answer counts as what it reads as a number, for the routing check only.
        if bad:
            values[tuple(np.transpose(bad))] = pd.to_numeric(
                pd.Series(bad_cells, dtype=object), errors="coerce"
            )
        return values, answered

    def routing(
        self, col: Column, answered: np.ndarray, source: np.ndarray
    ) -> list[tuple[int, str]]:
        """(line, message) of each answer to ``col`` the routing did not ask for."""
        name, answer = col.question.asked_if
        found = []
        for i in np.flatnonzero(answered & (source != answer)).tolist():
            was = self.cell(i, name)
            found.append(
                (
                    int(self.lines[i]),
                    f"line {self.lines[i]}, column {col.name!r}: value {self.cell(i, col.name)!r} "
                    f"fails: expected empty, the question is asked only if {name} = {answer} "
                    f"(found {'it empty' if was is None else repr(was)})",
                )
            )
        return found


class _Table:
    """A file's typed columns, filled chunk by chunk, and every problem found on the way."""

    def __init__(self, path: Path, header: list[str], capacity: int):
        problems = _header_problems(header)
        if problems:
            raise DataValidationError(path, problems)
        self.path, self.width = path, len(header)
        self.position = {name: header.index(name) for name in COLUMNS}
        self.numeric_at = np.array([self.position[c.name] for c in NUMERIC_COLUMNS])
        self.numbers = np.empty((len(NUMERIC_COLUMNS), capacity))
        self.texts = np.empty((len(TEXT_COLUMNS), capacity), dtype=object)
        self.lines = np.empty(capacity, dtype=np.int64)
        self.cluster_at = header.index(CLUSTER_COLUMN) if CLUSTER_COLUMN in header else None
        self.clusters = np.empty(capacity if self.cluster_at is not None else 0, dtype=object)
        self.free_at = {name: i for i, name in enumerate(header) if is_free_text(name)}
        self.free = {name: np.empty(capacity, dtype=object) for name in self.free_at}
        self.size = 0
        self.ragged: list[str] = []
        self.problems: list[str] = []
        self.routing: list[tuple[int, int, str]] = []

    def add(self, records: list[tuple[int, list[str]]]) -> None:
        """Check and type records (line, fields); a record of the wrong length is only noted."""
        rows, lines = [], []
        for line, fields in records:
            problem = field_count_problem(line, fields, self.width)
            if problem is None:
                rows.append(fields)
                lines.append(line)
            else:
                self.ragged.append(problem)
        if rows:
            self._check(_Chunk(rows, np.array(lines, dtype=np.int64), self.position))

    def _check(self, chunk: _Chunk) -> None:
        rows = slice(self.size, self.size + len(chunk.rows))
        self.lines[rows] = chunk.lines
        for j, name in enumerate(TEXT_COLUMNS):
            self.texts[j, rows] = chunk.texts(name)
        if self.cluster_at is not None:
            self.clusters[rows] = self._councils(chunk)
        for name, at in self.free_at.items():
            self.free[name][rows] = [
                (row[at].strip() or None) if isinstance(row[at], str) else row[at]
                for row in chunk.rows
            ]
        values, answered = chunk.numbers(self.numeric_at)
        self.numbers[:, rows] = values
        for order, col in _ROUTED:
            source = values[_NUMERIC_INDEX[col.question.asked_if[0]]]
            found = chunk.routing(col, answered[_NUMERIC_INDEX[col.name]], source)
            self.routing += [(order, line, message) for line, message in found]
        self.problems += chunk.problems
        self.size = rows.stop

    def _councils(self, chunk: _Chunk) -> list[object]:
        cells = [_clean_cell(row[self.cluster_at]) for row in chunk.rows]
        chunk.problems += [
            f"line {line}, column {CLUSTER_COLUMN!r}: expected the respondent's council, found "
            "it empty (leave the column out where councils are not known)"
            for line, cell in zip(chunk.lines.tolist(), cells, strict=True)
            if cell is None
        ]
        return cells

    def _duplicated_ids(self) -> list[str]:
        ids = pd.Series(self.texts[0, : self.size], dtype=object)
        repeated = ids[ids.duplicated(keep=False) & ids.notna()]
        return [
            ", ".join(f"line {line}" for line in self.lines[group.index])
            + f", column {ID_COLUMN!r}: duplicated value {value!r}; ids must be unique"
            for value, group in repeated.groupby(repeated, sort=False)
        ]

    def result(self) -> pd.DataFrame:
        """The typed frame, or every problem found: cells in line order, then the routing's."""
        if self.ragged:
            raise DataValidationError(self.path, self.ragged)
        if self.size == 0:
            raise DataValidationError(self.path, ["file: a header row but no respondents"])
        problems = sort_problems(self.problems + self._duplicated_ids())
        problems += [message for *_, message in sorted(self.routing)]
        if problems:
            raise DataValidationError(self.path, problems)
        return self._frame()

    def _frame(self) -> pd.DataFrame:
        """Answer columns as views of the float64 block (no copy), text columns inserted."""
        frame = pd.DataFrame(
            self.numbers[:, : self.size].T,
            columns=[c.name for c in NUMERIC_COLUMNS],
            copy=False,
        )
        for j, name in enumerate(TEXT_COLUMNS):
            frame.insert(COLUMNS.index(name), name, pd.array(self.texts[j, : self.size], "str"))
        if self.cluster_at is not None:
            frame.insert(1, CLUSTER_COLUMN, pd.array(self.clusters[: self.size], "str"))
        for name, cells in self.free.items():
            frame[name] = pd.array(cells[: self.size], "str")
        return frame


def validate(frame: pd.DataFrame, path: Path | str) -> pd.DataFrame:
    """Check a text frame read from ``path``; return it typed.

    Answer codes become floats, NaN where not answered: what pandas, numpy and
    statsmodels all treat as missing without further conversion. Row ``i`` is
    reported as line ``i + 2``, as if the frame had been read from a CSV.
    """
    table = _Table(Path(path), _header(frame), len(frame))
    cells = frame.astype(object).where(frame.notna(), "").to_numpy().tolist()
    table.add(list(zip((frame.index + 2).tolist(), cells, strict=True)))
    return table.result()


def _read_spreadsheet(path: Path, sheet: str | None) -> pd.DataFrame:
    """An Excel or OpenDocument sheet (the first, or ``sheet``), every cell as text."""
    engine = "odf" if path.suffix.lower() in ODS_SUFFIXES else "openpyxl"
    kind = "OpenDocument spreadsheet" if engine == "odf" else "Excel workbook"
    try:
        with pd.ExcelFile(path, engine=engine) as book:
            names = [str(name) for name in book.sheet_names]
            if sheet is not None and sheet not in names:
                raise DataValidationError(
                    path,
                    [f"file: no sheet {sheet!r}; its sheets are {', '.join(map(repr, names))}"],
                )
            chosen = names[0] if sheet is None else sheet
            frame = pd.read_excel(book, sheet_name=chosen, dtype=str, keep_default_na=False)
            if sheet is None and len(names) > 1:
                _check_first_sheet(path, book, names, frame)
    except DataValidationError:
        raise
    except ImportError as exc:
        raise DataValidationError(
            path, [f"file: reading this {kind} needs {exc.name or engine}; save it as CSV"]
        ) from exc
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
        raise DataValidationError(path, [f"file: not a readable {kind} ({exc})"]) from exc
    return validate(frame, path)


def _header(frame: pd.DataFrame) -> list[str]:
    # Spreadsheet exports often start with a byte-order mark and pad cells with spaces.
    frame.columns = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    return list(frame.columns)


def _check_first_sheet(path: Path, book: pd.ExcelFile, names: list[str], frame) -> None:
    """A first sheet without the schema's columns, in a workbook whose other sheet has them:
    one error naming that sheet, rather than a missing-column error per column."""
    if not _header_problems(_header(frame)):
        return
    fits = [
        name
        for name in names[1:]
        if not _header_problems(_header(pd.read_excel(book, sheet_name=name, nrows=0)))
    ]
    if fits:
        raise DataValidationError(
            path,
            [
                f"file: its first sheet {names[0]!r} does not hold the codebook's columns, its "
                f"sheet {fits[0]!r} does: choose it with --sheet {fits[0]!r} (sheet={fits[0]!r})"
            ],
        )


def _read_statistics_file(path: Path, sheet: str | None) -> pd.DataFrame:
    """An SPSS or Stata file (pyreadstat), a value's label used where the file gives one.

    A labelled value is read as its label, which must be one of the codebook's labels or
    codes, so a file coding "No" as 2 is read right; unlabelled values are read as they are.
    Stata names hold at most 32 characters, so a variable whose name is not a codebook
    column but whose variable label is one is read as that column. Cases are numbered
    from 1, as SPSS and Stata number them.
    """
    import pyreadstat

    if sheet is not None:
        raise DataValidationError(path, [f"file: --sheet {sheet!r} applies to spreadsheets only"])
    stata = path.suffix.lower() in STATA_SUFFIXES
    read = pyreadstat.read_dta if stata else pyreadstat.read_sav
    try:
        frame, meta = read(str(path), apply_value_formats=False)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError) as exc:
        kind = "Stata .dta" if stata else "SPSS .sav"
        raise DataValidationError(path, [f"file: not a readable {kind} file ({exc})"]) from exc
    labels_of = meta.column_labels or [None] * len(meta.column_names)
    named = dict(zip(meta.column_names, labels_of, strict=True))
    cells = {}
    for name in frame.columns:
        labels = meta.variable_value_labels.get(name, {})
        label = (named.get(name) or "").strip()
        column = label if name not in COLUMNS and label in COLUMNS else name
        cells[column] = [_statistics_cell(value, labels) for value in frame[name]]
    text = pd.DataFrame(cells, index=frame.index)
    try:
        return validate(text, path)
    except DataValidationError as exc:
        raise DataValidationError(path, [_as_case(p) for p in exc.problems]) from None


def _statistics_cell(value: object, labels: dict) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if value in labels:
        return str(labels[value])
    return str(value)


_LINE = re.compile(r"^line (\d+)")


def _as_case(problem: str) -> str:
    """A problem about line ``k`` (as if a CSV, header on line 1) about case ``k - 1``."""
    return _LINE.sub(lambda m: f"case {int(m.group(1)) - 1}", problem)


def _read_csv(path: Path) -> pd.DataFrame:
    """Validate a CSV a chunk of rows at a time; lines are those where each record starts."""
    header, records = read_rows(path)
    table = _Table(path, header, _count_lines(path))
    with _collector_paused():
        for chunk in iter(lambda: list(islice(records, CHUNK_ROWS)), []):
            table.add(chunk)
    return table.result()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while rows are read, then restore it as it was.

    The reader makes a list per row and the collector, run every few hundred of them, walks
    every object alive: a third of a large file's time, though rows hold no cycles.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _count_lines(path: Path) -> int:
    """The file's lines, an upper bound on its records; a file with a NUL byte is refused.

    Lines end as the reader splits them (``\\n``, ``\\r\\n`` or ``\\r``). No text CSV holds
    a NUL, and the numeric checks find cells by the NUL bytes joining them.
    """
    lines = 1
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            if b"\x00" in block:
                line = lines + _breaks(block[: block.index(b"\x00")])
                raise DataValidationError(
                    path,
                    [
                        f"line {line}: holds a NUL byte, so it is not UTF-8 text (UTF-16?); "
                        "save the file as UTF-8"
                    ],
                )
            lines += _breaks(block)
    return lines


def _breaks(block: bytes) -> int:
    """Line breaks in ``block``; one split between two blocks may count twice."""
    return block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def load_microdata(path: Path | str | None = None, sheet: str | None = None) -> Microdata:
    """The embedded synthetic default, or the researcher's own file in the same schema, validated.

    The format is the file's suffix (:data:`FORMATS`); ``sheet`` picks a spreadsheet's
    sheet (default: the first).
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    check_file(path)
    if path.stat().st_size == 0:
        raise DataValidationError(
            path, ["file: empty, expected a header row and one row per respondent"]
        )
    frame = _reader(path, sheet)(path)
    sha256 = _sha256(path)
    synthetic = bool(frame[ID_COLUMN].str.startswith(SYNTHETIC_PREFIX).any())
    edited = synthetic and not _is_the_reconstruction(frame, sha256)
    return Microdata(frame, path, sha256, synthetic, edited)


def _reader(path: Path, sheet: str | None):
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES | ODS_SUFFIXES:
        return lambda p: _read_spreadsheet(p, sheet)
    if suffix in SPSS_SUFFIXES | STATA_SUFFIXES:
        return lambda p: _read_statistics_file(p, sheet)
    if sheet is not None:
        raise DataValidationError(path, [f"file: --sheet {sheet!r} applies to spreadsheets only"])
    if suffix in CSV_SUFFIXES:
        return _read_csv
    raise DataValidationError(
        path,
        [
            f"file: {path.suffix or 'no suffix'} is not a format read here; the formats read "
            f"(by suffix) are {'; '.join(FORMATS)}"
        ],
    )


def _is_the_reconstruction(frame: pd.DataFrame, sha256: str) -> bool:
    """Whether synthetic data are the embedded reconstruction: its bytes, or the same
    respondents and answers in another format."""
    if sha256 == _sha256(DEFAULT_PATH):
        return True
    return frame.equals(_read_csv(DEFAULT_PATH))

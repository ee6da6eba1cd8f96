"""How numbers, text and tables are written on a page: the one vocabulary every section uses.

Numbers: :func:`percent`, :func:`interval`, :func:`signed`, :func:`p_value`,
:func:`amount` (money and counts as the Future Councils report writes them) and
their column forms; words: :func:`names`, :func:`lower_first`; text from a user
or a data file: :func:`escape_markdown`, and tables with :func:`table_style`.
A missing value is written as an en dash (``MISSING``) wherever a table shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape

import numpy as np
import pandas as pd

MISSING = "–"


def percent(value: float, digits: int = 0) -> str:
    """'58%': a share in percent, rounded to ``digits`` decimals."""
    return f"{value:.{digits}f}%"


def as_published(value: float) -> str:
    """A figure as a report printed it: no trailing zeros ('58', '4.5')."""
    return f"{value:g}"


def signed(value: float, digits: int = 0) -> str:
    """'+12' or '-3': a difference with its sign."""
    return f"{value:+.{digits}f}"


def interval(
    low: float,
    high: float,
    digits: int = 0,
    *,
    sep: str = "–",
    sign: bool = False,
    unit: str = "",
    missing: str = "",
) -> str:
    """'42–61', or '3.2 to 4.1' with ``sep=' to '``, or '36% to 57%' with ``unit='%'``.

    ``missing`` where there is no interval (a suppressed estimate).
    """
    if pd.isna(low) or pd.isna(high):
        return missing
    plus = "+" if sign else ""
    return f"{low:{plus}.{digits}f}{unit}{sep}{high:{plus}.{digits}f}{unit}"


def intervals(low: pd.Series, high: pd.Series, digits: int = 0, **how) -> list[str]:
    """:func:`interval` per row: a table's interval column (``how``: sep, sign, unit, missing)."""
    return [interval(lo, hi, digits, **how) for lo, hi in zip(low, high, strict=True)]


def base_range(n: pd.Series, *, why: str = "") -> str:
    """The base of several estimates: one number ('78'), or its range ('75 to 78' + ``why``)."""
    low, high = int(n.min()), int(n.max())
    return f"{high}" if low == high else f"{low} to {high}{why}"


def p_value(p: float) -> str:
    """A p-value to two significant figures, '< 0.001' below that, '–' where no test was done."""
    if np.isnan(p):
        return MISSING
    return "< 0.001" if p < 0.001 else f"{p:.2g}"


def p_values(p: pd.Series) -> pd.Series:
    """:func:`p_value` for a column."""
    return p.map(p_value)


def decimals(values: pd.Series, digits: int, *, sign: bool = False, missing: str = "") -> pd.Series:
    """A column of numbers as text with ``digits`` decimals; ``missing`` where there is none."""
    plus = "+" if sign else ""
    return values.map(lambda v: missing if pd.isna(v) else f"{v:{plus}.{digits}f}")


def with_interval(
    estimate: pd.Series, low: pd.Series, high: pd.Series, decimals: int = 1, sign: bool = False
) -> pd.Series:
    """'0.50 (0.36 to 0.64)' per row, '–' where suppressed: estimate and uncertainty in one cell."""
    plus = "+" if sign else ""

    def one(e: float, lo: float, hi: float) -> str:
        if np.isnan(e):
            return MISSING
        if np.isnan(lo) or np.isnan(hi):
            return f"{e:{plus}.{decimals}f}"
        return f"{e:{plus}.{decimals}f} ({lo:{plus}.{decimals}f} to {hi:{plus}.{decimals}f})"

    return pd.Series(
        [one(e, lo, hi) for e, lo, hi in zip(estimate, low, high, strict=True)],
        index=estimate.index,
    )


def amount(value: float, unit: str) -> str:
    """A number as the Future Councils report writes it: £1.59bn, £747.3m, £61,000, 58%, 248,263.

    Money changes unit where its rounded value would reach the next one (£999.96m
    is "£1bn", not "£1000m"); a negative sum puts its sign before the pound sign.
    """
    if unit == "gbp":
        sign, value = ("-" if value < 0 else ""), abs(value)
        if float(f"{value / 1e6:.4g}") >= 1000:
            return f"{sign}£{value / 1e9:.4g}bn"
        if round(value) >= 1e6:
            return f"{sign}£{value / 1e6:.4g}m"
        return f"{sign}£{value:,.0f}"
    if unit == "percent":
        return f"{value:.4g}%"
    return f"{value:,.0f}" if abs(value) >= 999.5 else f"{value:.4g}"


def amounts(frame: pd.DataFrame, columns: list[str], unit_column: str = "unit") -> pd.DataFrame:
    """``frame`` with ``columns`` written by :func:`amount`, each row in its own unit."""
    out = frame.copy()
    for column in columns:
        out[column] = [
            MISSING if pd.isna(value) else amount(value, unit)
            for value, unit in zip(frame[column], frame[unit_column], strict=True)
        ]
    return out


def amount_formatter(unit: str) -> Callable[[float], str]:
    """A one-argument :func:`amount` for chart axes."""
    return lambda value: amount(value, unit)


def names(labels: Iterable[str], *, sep: str = ", ") -> str:
    """'a, b and c': a list of names in a sentence (``sep='; '`` where names contain 'and')."""
    labels = list(labels)
    if len(labels) < 2:
        return "".join(labels)
    return sep.join(labels[:-1]) + " and " + labels[-1]


def lower_first(text: str) -> str:
    """Mid-sentence wording: a lower-case first letter, acronyms (ICT, CIO) and "I" left alone."""
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first[:2].isupper()):
        return text
    return text[:1].lower() + text[1:]


# Markdown's punctuation (CommonMark, and the GFM and math extensions nbconvert and JupyterLab use).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:])")


def escape_markdown(text: object) -> str:
    """Text from a parameter or a data file as Markdown that renders as exactly that text.

    Notebook Markdown is rendered with raw HTML and math allowed: ``<script>`` would
    run, ``__import__`` turn bold, ``$x$`` become math. So HTML's special characters
    become entities and Markdown's punctuation is backslash-escaped; white space is
    folded as HTML shows it, so the text cannot start a heading, list or code block.
    """
    folded = re.sub(r"\s+", " ", str(text)).strip()
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escape(folded, quote=False))


class TrustedHTML(str):
    """Markup the notebook wrote itself, for a table cell or caption: shown as HTML, not escaped."""

    def __html__(self) -> str:
        return str(self)


def _html_text(value: object) -> object:
    """A cell, header or caption for HTML: markup (``__html__``) as it is, other text escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(value, quote=False) if isinstance(value, str) else value


def table_style(table, caption: str):
    """A table as reviewers see it: no index, left-aligned, with its caption (a pandas Styler).

    Text in cells, headers and the caption is escaped (a Styler shows it as raw
    HTML), except :class:`TrustedHTML`; later ``format`` calls must not escape again.
    """
    from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

    escaped = table.copy()
    for i, dtype in enumerate(table.dtypes):
        if not (is_numeric_dtype(dtype) or is_datetime64_any_dtype(dtype)):
            escaped.isetitem(i, table.iloc[:, i].map(_html_text))
    return (
        escaped.style.hide(axis="index")
        .format_index(_html_text, axis=1)
        .set_caption(_html_text(caption))
        .set_properties(**{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": "text-align: left"}])
    )


def show_table(styled) -> None:
    """Display a Styler as HTML: its plain-text form holds a memory address that changes per run."""
    from IPython.display import HTML, display

    display(HTML(styled.to_html()))


def yes_no(table: pd.DataFrame) -> pd.DataFrame:
    """The table with its true/false columns as "yes"/"no": readers, not code, see it."""
    flags = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c])]
    return table.assign(**{c: table[c].map({True: "yes", False: "no"}) for c in flags})

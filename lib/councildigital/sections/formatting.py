"""How text and tables are written on a page: escaped where they come from a user or a data file."""

from __future__ import annotations

import re
from html import escape

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

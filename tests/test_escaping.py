"""Text from parameters and data files reaches pages as text: never as markup, Markdown or math.

Unit tests of the helpers, then the real command line on hostile values: a council
name, a copy of the published figures, and a respondent data file whose name is markup.
The pages are read with an HTML parser: the hostile text must show literally and must
not have become an element or an attribute.
"""

import csv
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital.cli import main
from councildigital.paths import PUBLISHED_DIR, SYNTHETIC_DIR
from councildigital.sections import formatting, plots
from nbconvert.filters.markdown_mistune import markdown2html_mistune

# Markup, Markdown emphasis and links, and mathtext that does not parse; one line, 120 at most.
HOSTILE = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> __import__ *y* "
    r"[z](javascript:alert(3)) $\frac{$"
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """A page's elements (tag and attributes) and the text of each element."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[tuple[str, str]] = []
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        while self._open:
            name, parts = self._open.pop()
            self.texts.append((name, "".join(parts)))
            if name == tag:
                break

    def handle_data(self, data):
        for _, parts in self._open:
            parts.append(data)

    def text_of(self, tag: str) -> list[str]:
        """The text of every ``tag`` element, white space folded as a browser shows it."""
        return [" ".join(text.split()) for name, text in self.texts if name == tag]

    def attributes(self, tag: str, name: str) -> list[str]:
        return [attrs[name] for t, attrs in self.elements if t == tag and name in attrs]


def assert_inert(page: Page) -> None:
    """No element or attribute that text could have injected: no script, handler or stray image."""
    tags = {tag for tag, _ in page.elements}
    assert "script" not in tags
    handlers = [
        (tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")
    ]
    assert handlers == []
    assert all(src.startswith("data:image/png;base64,") for src in page.attributes("img", "src"))
    assert [href for href in page.attributes("a", "href") if "javascript" in href] == []


def render(markdown: str) -> Page:
    """Markdown as nbconvert renders a notebook's Markdown output (raw HTML and math allowed)."""
    return Page(markdown2html_mistune(markdown))


# --- escape_markdown ------------------------------------------------------------------------

MARKDOWN_HOSTILE = [
    HOSTILE,
    "__import__",
    "**bold** _em_ ~~struck~~ `code`",
    "$x$ and $$y$$",
    r"\[x\] \\[y\\] \(z\) \begin{equation}w\end{equation}",
    "![image](x.png) [link](https://example.com) <https://example.com>",
    "https://example.com/a_b_ www.example.com",
    "a & b &amp; &lt;c&gt; &#60;d",
    "<!-- comment --> <b onclick=alert(1)>x</b>",
    "a | b | c",
    "trailing backslash \\",
    "# heading",
    "1. ordered",
    "- bullet",
    "> quote",
    "line one\n\n# line two\n    indented code",
    "Term\n: definition",
    "[ ] task",
    "---",
]


@pytest.mark.parametrize("text", MARKDOWN_HOSTILE)
@pytest.mark.parametrize("template", ["{}", "**{}**", "- {}", "Before {} after."])
def test_escaped_markdown_renders_as_the_text_itself(text, template):
    page = render(template.format(formatting.escape_markdown(text)))
    folded = " ".join(text.split())
    assert {tag for tag, _ in page.elements} <= {"p", "strong", "ul", "li"}
    shown = " ".join("".join(t for name, t in page.texts if name in {"p", "li"}).split())
    assert shown == " ".join(template.replace("**", "").removeprefix("- ").format(folded).split())


def test_escaped_markdown_keeps_emphasis_around_it():
    page = render(f"**{formatting.escape_markdown('__import__')}** is the name")
    assert page.text_of("strong") == ["__import__"]


@pytest.mark.parametrize(
    "text",
    [
        "Unitary council respondents (n = 12): 45% (95% CI 30–61); it's 3.5 of 5.",
        "LGC and Hitachi Solutions (2024), survey of 78 UK council respondents",
        "Respondent data from survey-2024.final.csv (sha256 0123456789ab)",
    ],
)
def test_ordinary_text_renders_exactly_as_before(text):
    assert markdown2html_mistune(formatting.escape_markdown(text)) == markdown2html_mistune(text)


# --- table_style ----------------------------------------------------------------------------


def test_table_cells_headers_and_caption_are_text():
    table = pd.DataFrame({"Name <i>": [HOSTILE, "plain"], "n": [1, 2]})
    styled = formatting.table_style(table, f"Caption {HOSTILE}").format(precision=2, na_rep="–")
    page = Page(styled.to_html())
    assert_inert(page)
    assert {tag for tag, _ in page.elements} <= {
        "style",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
    assert page.text_of("caption") == [f"Caption {HOSTILE}"]
    assert page.text_of("th") == ["Name <i>", "n"]
    assert page.text_of("td") == [HOSTILE, "1", "plain", "2"]


def test_table_shows_trusted_html_as_markup():
    table = pd.DataFrame({"link": [formatting.TrustedHTML('<a href="#methods">Method</a>')]})
    page = Page(
        formatting.table_style(table, formatting.TrustedHTML("See <em>below</em>")).to_html()
    )
    assert page.attributes("a", "href") == ["#methods"]
    assert page.text_of("em") == ["below"]


def test_ordinary_tables_are_styled_as_before():
    """Numbers, missing values and nullable integers are formatted as without escaping."""
    table = pd.DataFrame(
        {
            "Council type": ["County council", "District council"],
            "Councils": pd.array([21, pd.NA], dtype="Int64"),
            "Share (%)": [12.345, float("nan")],
            "Clear gap": [True, False],
        }
    )
    before = (
        table.style.hide(axis="index")
        .set_caption("Councils' shares, by type. Base: n = 78.")
        .set_properties(**{"text-align": "left"})
        .set_table_styles([{"selector": "th", "props": "text-align: left"}])
    )
    after = formatting.table_style(table, "Councils' shares, by type. Base: n = 78.")
    for styled in (before, after):
        styled.set_uuid("t").format({"Share (%)": "{:.1f}"}, na_rep="–")
    assert after.to_html() == before.to_html()


# --- charts ---------------------------------------------------------------------------------


def test_chart_text_is_not_mathtext():
    """With mathtext on, this title does not even draw ('\\frac' lacks its arguments)."""
    name = r"Respondent data from a$\frac{$b.csv"
    with mpl.rc_context():
        plots.set_theme()
        fig, ax = plt.subplots()
        try:
            plots.finish(ax, f"Costs for {name}", "x", "y", source=name, n=3)
            fig.canvas.draw()
            assert f"Chart: Costs for {name}." in plots.alt_text(fig)
            assert f"Source: {name}" in plots.alt_text(fig)
        finally:
            plt.close(fig)


# --- end to end: the command line, the notebooks and the published pages --------------------


def run_cli(*args: str) -> None:
    result = CliRunner().invoke(main, [*args, "--quiet"])
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_a_hostile_council_name_is_text_on_the_cost_page(tmp_path):
    run_cli(
        "run", "future_councils_costs", "--council-type", "county",
        "-p", "council_name", HOSTILE, "--out", str(tmp_path),
    )  # fmt: skip
    page = Page((tmp_path / "future_councils_costs" / "county.html").read_text(encoding="utf-8"))
    assert_inert(page)
    assert HOSTILE in page.text_of("strong")  # "This page covers **<council_name>** ..."
    assert f"Model inputs for {HOSTILE}" in page.text_of("caption")
    assert any(
        f"Horizontal axis: Estimate for {HOSTILE}." in alt for alt in page.attributes("img", "alt")
    )


def _rewrite_csv(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_hostile_text_in_published_figures_is_text_on_the_evidence_page(tmp_path):
    published = tmp_path / "published"
    shutil.copytree(PUBLISHED_DIR, published)

    def hostile(rows):
        rows[0]["section"] = f"Section {HOSTILE}"
        rows[1]["quote"] = f"Quote {HOSTILE}"

    _rewrite_csv(published / "lgc2024.csv", hostile)
    run_cli(
        "run", "evidence", "-p", "published_dir", str(published), "--out", str(tmp_path / "out")
    )
    page = Page((tmp_path / "out" / "evidence" / "all.html").read_text(encoding="utf-8"))
    assert_inert(page)
    cells = page.text_of("td")
    assert f"Section {HOSTILE}" in cells
    assert f"Quote {HOSTILE}" in cells


@pytest.mark.slow
def test_a_hostile_data_file_name_is_text_in_the_header_and_every_chart(tmp_path):
    name = r"<img src=x onerror=alert(1)>$x$__b__$\frac{$.csv"
    real = (SYNTHETIC_DIR / "lgc2024_synthetic.csv").read_text(encoding="utf-8")
    (tmp_path / name).write_text(re.sub(r"^SYN-", "R-", real, flags=re.MULTILINE), "utf-8")
    run_cli("run", "vision", "--data", str(tmp_path / name), "--out", str(tmp_path / "out"))
    page = Page((tmp_path / "out" / "vision" / "all.html").read_text(encoding="utf-8"))
    assert_inert(page)
    label = f"Respondent data from {name} (sha256 "
    assert any(text.startswith(label) for text in page.text_of("dd"))  # the page header
    alts = page.attributes("img", "alt")
    assert alts and all("Source: LGC and Hitachi Solutions (2024) survey" in alt for alt in alts)
    assert all(label in alt for alt in alts)

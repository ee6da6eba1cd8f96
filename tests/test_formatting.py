"""How numbers, words and tables are written on a page (sections.formatting).

Every function of the vocabulary, and the escaping that keeps text from a
parameter or a data file text: Markdown rendered as nbconvert renders a notebook
output, tables read with an HTML parser.
"""

import numpy as np
import pandas as pd
import pytest
from conftest import HOSTILE, HTMLPage, assert_inert
from councildigital.sections import formatting
from IPython.display import HTML
from nbconvert.filters.markdown_mistune import markdown2html_mistune

NAN = float("nan")


def render(markdown: str) -> HTMLPage:
    """Markdown as nbconvert renders a notebook's Markdown output (raw HTML and math allowed)."""
    return HTMLPage(markdown2html_mistune(markdown))


# --- numbers ----------------------------------------------------------------------------------


def test_missing_is_an_en_dash():
    assert formatting.MISSING == "–"


@pytest.mark.parametrize(
    "value, digits, expected",
    [(58.4, 0, "58%"), (58.6, 0, "59%"), (7.25, 1, "7.2%"), (100, 0, "100%"), (0.04, 1, "0.0%")],
)
def test_percent_rounds_to_its_digits(value, digits, expected):
    assert formatting.percent(value, digits) == expected


@pytest.mark.parametrize(
    "value, expected", [(58.0, "58"), (4.5, "4.5"), (0.25, "0.25"), (1234567.0, "1.23457e+06")]
)
def test_as_published_drops_trailing_zeros(value, expected):
    assert formatting.as_published(value) == expected


@pytest.mark.parametrize(
    "value, digits, expected",
    [(12.4, 0, "+12"), (-3.2, 0, "-3"), (0.0, 0, "+0"), (0.46, 1, "+0.5"), (-1.25, 2, "-1.25")],
)
def test_signed_always_shows_the_sign(value, digits, expected):
    assert formatting.signed(value, digits) == expected


def test_interval_joins_its_ends():
    assert formatting.interval(42.3, 61.5) == "42–62"
    assert formatting.interval(4.2, 5.0, 1, sep=" to ") == "4.2 to 5.0"
    assert formatting.interval(-3.0, 4.0, sign=True) == "-3–+4"
    assert formatting.interval(-0.12, 0.3, 2, sep=" to ", sign=True) == "-0.12 to +0.30"


@pytest.mark.parametrize(
    "p, expected",
    [
        (NAN, "–"),
        (0.0, "< 0.001"),
        (0.000999, "< 0.001"),
        (0.001, "0.001"),
        (0.04567, "0.046"),
        (0.5, "0.5"),
        (1.0, "1"),
    ],
)
def test_p_value_to_two_significant_figures(p, expected):
    assert formatting.p_value(p) == expected


def test_p_values_formats_a_column_and_keeps_its_index():
    column = pd.Series([0.0001, 0.2345, NAN], index=["a", "b", "c"])
    assert formatting.p_values(column).to_dict() == {"a": "< 0.001", "b": "0.23", "c": "–"}


def test_decimals_writes_a_column_with_its_digits_and_missing_text():
    column = pd.Series([1.234, NAN, -2.0, 0.05], index=[3, 1, 2, 0])
    assert formatting.decimals(column, 1).to_dict() == {3: "1.2", 1: "", 2: "-2.0", 0: "0.1"}
    assert formatting.decimals(column, 2, sign=True, missing="–").tolist() == [
        "+1.23",
        "–",
        "-2.00",
        "+0.05",
    ]
    assert formatting.decimals(pd.Series([pd.NA], dtype="Float64"), 0).tolist() == [""]


def test_with_interval_puts_estimate_and_interval_in_one_cell():
    estimate = pd.Series([0.5, 4.623, NAN, 2.0], index=list("wxyz"))
    low = pd.Series([0.36, 4.22, 1.0, NAN], index=list("wxyz"))
    high = pd.Series([0.64, 5.0, 2.0, 3.0], index=list("wxyz"))
    cells = formatting.with_interval(estimate, low, high, decimals=2)
    assert cells.to_dict() == {
        "w": "0.50 (0.36 to 0.64)",
        "x": "4.62 (4.22 to 5.00)",
        "y": "–",  # suppressed estimate: nothing, not even its interval
        "z": "2.00",  # no interval: the estimate alone
    }
    signed = formatting.with_interval(
        pd.Series([0.3]), pd.Series([-0.1]), pd.Series([0.7]), sign=True
    )
    assert signed.tolist() == ["+0.3 (-0.1 to +0.7)"]


def test_with_interval_needs_columns_of_one_length():
    with pytest.raises(ValueError):
        formatting.with_interval(pd.Series([1.0, 2.0]), pd.Series([0.5]), pd.Series([1.5]))


@pytest.mark.parametrize(
    "value, unit, expected",
    [
        (1.59e9, "gbp", "£1.59bn"),
        (2e9, "gbp", "£2bn"),
        (747.3e6, "gbp", "£747.3m"),
        (1e6, "gbp", "£1m"),
        (61_000, "gbp", "£61,000"),
        (999_999.4, "gbp", "£999,999"),
        (58, "percent", "58%"),
        (12.345, "percent", "12.35%"),
        (248_263, "count", "248,263"),
        (1000, "count", "1,000"),
        (12.5, "count", "12.5"),
        (3, "fte", "3"),
        (999_960_000, "gbp", "£1bn"),
        (999_999.6, "gbp", "£1m"),
        (-2e9, "gbp", "-£2bn"),
        (-61_000, "gbp", "-£61,000"),
        (999.96, "count", "1,000"),
    ],
)
def test_amount_as_the_future_councils_report_writes_it(value, unit, expected):
    assert formatting.amount(value, unit) == expected


def test_amounts_writes_each_row_in_its_own_unit_and_leaves_the_frame_alone():
    frame = pd.DataFrame(
        {
            "unit": ["gbp", "percent", "count"],
            "low": [1.5e6, 12.0, 2500.0],
            "high": [2.25e9, NAN, 7.0],
            "note": ["a", "b", "c"],
        }
    )
    written = formatting.amounts(frame, ["low", "high"])
    assert written["low"].tolist() == ["£1.5m", "12%", "2,500"]
    assert written["high"].tolist() == ["£2.25bn", "–", "7"]
    assert written["note"].tolist() == ["a", "b", "c"]
    assert frame["low"].tolist() == [1.5e6, 12.0, 2500.0]
    other = formatting.amounts(frame.rename(columns={"unit": "kind"}), ["low"], unit_column="kind")
    assert other["low"].tolist() == ["£1.5m", "12%", "2,500"]


def test_amount_formatter_is_amount_in_one_unit():
    gbp = formatting.amount_formatter("gbp")
    assert [gbp(v) for v in (2e6, 3.5e9, 500)] == ["£2m", "£3.5bn", "£500"]
    assert formatting.amount_formatter("percent")(40) == "40%"


# --- words ------------------------------------------------------------------------------------


def test_names_in_a_sentence():
    assert formatting.names([]) == ""
    assert formatting.names(["funding"]) == "funding"
    assert formatting.names(iter(["funding", "skills"])) == "funding and skills"
    assert formatting.names(["a", "b", "c"]) == "a, b and c"
    assert formatting.names(["funding", "skills and capability", "culture"], sep="; ") == (
        "funding; skills and capability and culture"
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Funding", "funding"),
        ("Skills and capability of staff", "skills and capability of staff"),
        ("ICT budgets", "ICT budgets"),
        ("CIO support", "CIO support"),
        ("already lower", "already lower"),
        ("A big change", "a big change"),
        ("I think so", "I think so"),
        ("IT spend", "IT spend"),
        ("", ""),
    ],
)
def test_lower_first_keeps_acronyms(text, expected):
    assert formatting.lower_first(text) == expected


# --- tables, shown -----------------------------------------------------------------------------


def test_show_table_displays_the_styled_html_only(displayed):
    table = pd.DataFrame({"Theme": ["Place <making>"], "Share": ["58%"]})
    styled = formatting.table_style(table, "Shares. Base: n = 78.")
    formatting.show_table(styled)
    [(output, options)] = displayed
    assert isinstance(output, HTML)
    assert options == {}
    assert output.data == styled.to_html()
    page = HTMLPage(output.data)
    assert page.text_of("caption") == ["Shares. Base: n = 78."]
    assert page.text_of("td") == ["Place <making>", "58%"]
    assert "Place &lt;making&gt;" in output.data


def test_table_style_leaves_numbers_and_dates_for_format():
    table = pd.DataFrame(
        {"n": [3], "when": pd.to_datetime(["2024-05-01"]), "mean": [np.float64(4.25)]}
    )
    styled = formatting.table_style(table, "Caption")
    assert styled.data.dtypes.tolist() == table.dtypes.tolist()
    assert HTMLPage(styled.format(precision=1).to_html()).text_of("td")[0] == "3"


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
    page = HTMLPage(styled.to_html())
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
    page = HTMLPage(
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


def test_yes_no_writes_true_false_columns_for_readers():
    table = pd.DataFrame({"id": ["a", "b"], "within": [True, False], "n": [1, 0]})
    assert formatting.yes_no(table).to_dict("list") == {
        "id": ["a", "b"],
        "within": ["yes", "no"],
        "n": [1, 0],
    }
    assert table["within"].tolist() == [True, False]


def test_interval_is_blank_or_missing_where_there_is_none_and_takes_a_unit():
    assert formatting.interval(36.4, 57.2, unit="%", sep=" to ") == "36% to 57%"
    assert formatting.interval(NAN, NAN) == ""
    assert formatting.interval(NAN, 3.0, 1, missing="–") == "–"
    assert formatting.intervals(pd.Series([1.0, NAN]), pd.Series([2.0, NAN]), 1, sep=" to ") == [
        "1.0 to 2.0",
        "",
    ]


def test_base_range_is_one_number_or_the_range_with_why():
    assert formatting.base_range(pd.Series([78, 78])) == "78"
    assert formatting.base_range(pd.Series([78, 75, 77])) == "75 to 78"
    assert formatting.base_range(pd.Series([75, 78]), why=" (varies)") == "75 to 78 (varies)"

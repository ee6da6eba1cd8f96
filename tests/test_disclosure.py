"""Disclosure control: no hidden count can be recovered from what the pages show."""

import csv
import io
import re

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from councildigital import disclosure
from councildigital.cli import main
from councildigital.data import microdata, survey
from councildigital.sections import page as pages
from councildigital.sections import vision as v
from councildigital.sections.page import load_page


def by_subtraction(facts: list[np.ndarray], target: np.ndarray) -> bool:
    """Whether ``target . x`` follows from the facts ``f . x`` by adding and subtracting
    them: ``target`` lies in the span of the facts."""
    known = np.array(facts, dtype=float)
    return np.linalg.matrix_rank(np.vstack([known, target])) == np.linalg.matrix_rank(known)


def unit(size: int, at: int) -> np.ndarray:
    vector = np.zeros(size)
    vector[at] = 1.0
    return vector


# --- the audit itself --------------------------------------------------------------------------


def test_ranges_are_the_integer_ends_that_the_facts_allow():
    # x1 + x2 = 3, each 0..2: each is 1 or 2; with the total 4 both are pinned at 2.
    three = disclosure.Fact(np.ones(2), 3, 3)
    assert [list(end) for end in disclosure.ranges([2, 2], [three])] == [[1, 1], [2, 2]]
    four = disclosure.Fact(np.ones(2), 4, 4)
    assert [list(end) for end in disclosure.ranges([2, 2], [four])] == [[2, 2], [2, 2]]
    # A weighted share written to one decimal can pin what the plain total leaves open.
    weighted = disclosure.Fact(np.array([10.0, 1.0]), 20.95, 21.05)
    assert [list(end) for end in disclosure.ranges([2, 2], [three, weighted])] == [[2, 1], [2, 1]]


def test_one_hidden_row_of_a_table_with_totals_is_protected_by_a_second():
    counts = pd.DataFrame([[1, 2], [5, 5], [4, 8]], index=["a", "b", "c"], columns=["x", "y"])
    hidden = disclosure.withheld_rows(counts, min_base=4)
    assert hidden.rules["a"][0] == disclosure.PRIMARY
    assert hidden.rules["b"][0] == disclosure.SECONDARY  # the shown row with the fewest
    assert "c" not in hidden
    assert disclosure.recovered_cells(counts, ["a"]) == [("a", "x", 1), ("a", "y", 2)]
    assert disclosure.recovered_cells(counts, ["a", "b"]) == []


# --- known case 1: vision for everyone, the potential-by-plan rows ------------------------------


@pytest.fixture(scope="module")
def everyone():
    return load_page("all")


def test_the_heatmap_does_not_give_back_the_rows_the_row_table_hides(everyone):
    """'A little' (n = 3) and 'large' (n = 9) potential are hidden in the row table. The
    heatmap, the row table and the answers' distributions, added and subtracted in every
    way, give back none of their cells."""
    result = v.unrealised_potential(everyone)
    chart = result.chart.frame
    helps, plans = list(survey.EXTENT.values), list(survey.EXTENT.values)
    size = len(helps) * len(plans)

    def at(h, p):
        return helps.index(h) * len(plans) + plans.index(p)

    facts = []
    for row in chart.itertuples():  # every count the heatmap shows
        if not np.isnan(row.count):
            facts.append(unit(size, at(getattr(row, v.COULD_HELP), getattr(row, v.IN_PLAN))))
    table = result.tables[2].frame  # the row table: each shown row's cells, and every base
    for label, reason in zip(table["Could help"], table["Not shown because"], strict=True):
        h = helps[list(survey.EXTENT.labels).index(label)]
        facts.append(sum(unit(size, at(h, p)) for p in plans))  # its base
        if not reason:
            facts += [unit(size, at(h, p)) for p in plans]
    for p in plans:  # each plan answer's total (the follow-up distribution)
        facts.append(sum(unit(size, at(h, p)) for h in helps))
    for side in (np.less, np.equal, np.greater):  # below, on and above the diagonal
        facts.append(np.array([float(side(p, h)) for h in helps for p in plans]))
    hidden = [(h, p) for h in (2, 4) for p in plans]
    assert chart.loc[chart[v.COULD_HELP].isin([2, 4]), "count"].isna().all()
    assert not [cell for cell in hidden if by_subtraction(facts, unit(size, at(*cell)))]


def test_the_heatmap_rows_hidden_are_in_the_page_audit(everyone):
    rows = v.unrealised_potential(everyone).chart.withheld
    hidden = {(r["row"], r["rule"]) for r in rows if r["column"] == "all"}
    assert hidden == {
        ("Could help: A little", disclosure.PRIMARY),
        ("Could help: Large", disclosure.PRIMARY),
    }
    # What the published distributions and diagonal totals pin whatever is hidden is named.
    unprotectable = {
        (r["row"], r["column"]): r["reason"] for r in rows if r["rule"] == disclosure.UNPROTECTABLE
    }
    # Still three cells, each with how the figures every page shows give it back.
    assert set(unprotectable) == {
        ("Could help: A little", "In plan: A little"),
        ("Could help: Large", "In plan: Medium"),
        ("Could help: Large", "In plan: Large"),
    }
    assert unprotectable["Could help: Large", "In plan: Medium"].endswith(
        ": Could help: Large x In plan: Medium = 3 = the total of In plan: Medium less the rows "
        "shown (23 - 20) - Could help: A little x In plan: Medium (which the figures shown "
        "force to 0)"
    )


def test_a_derivation_is_the_sum_of_the_figures_shown_that_gives_the_cell_back():
    counts = pd.DataFrame([[1, 2], [5, 5], [4, 8]], index=["a", "b", "c"], columns=["x", "y"])
    # Row a hidden alone: its cell x is the column total less the rows shown.
    assert disclosure.derivation(counts, ["a"], ("a", "x")) == (
        "a x x = 1 = the total of x less the rows shown (10 - 9)"
    )


# --- known case 2: council types with min_base 6 ------------------------------------------------


def type_facts(frame: pd.DataFrame, table: pd.DataFrame, weights: pd.Series) -> list[np.ndarray]:
    """What the page for everyone shows about the types' yes counts: each shown count, the
    total, and the weighted share (a combination of the types' shares)."""
    codes = [c for c in survey.codes(survey.COUNCIL_TYPES)]
    rows = table.set_index("council_type")
    facts = [unit(len(codes), i) for i, c in enumerate(codes) if not rows.at[c, "suppressed"]]
    facts.append(np.ones(len(codes)))
    answered = frame[v.HAS_VISION].notna()
    share = weights[answered].groupby(frame.loc[answered, "council_type"]).sum()
    facts.append(
        np.array([share.get(c, 0) / rows.at[c, "n"] if rows.at[c, "n"] else 0 for c in codes])
    )
    return facts


def test_with_min_base_6_the_metropolitan_count_is_not_the_total_less_the_shown_types():
    page = load_page("all", min_base=6)
    table = v.vision_by_type(page.all, min_base=6)
    rows = table.set_index("council_type")
    assert rows.at["metropolitan", "suppressed"]
    assert rows.at["metropolitan", "suppression_reason"] == "base n = 5 is below the minimum of 6"
    secondary = [
        c
        for c in rows.index
        if rows.at[c, "suppression_reason"].endswith("(secondary suppression)")
    ]
    assert secondary == ["combined_authority", "scotland", "wales"]
    codes = survey.codes(survey.COUNCIL_TYPES)
    weights = pages.council_type_weights(page.all).weights
    facts = type_facts(page.all, table, weights)
    for code in ("metropolitan", *secondary):
        assert not by_subtraction(facts, unit(len(codes), codes.index(code))), code
    # And exactly: the whole numbers the shown figures allow for each hidden count.
    upper, found = disclosure.type_facts(
        page.all, v.HAS_VISION, (1,), ["metropolitan", *secondary], weights
    )
    low, high = disclosure.ranges(upper, found)
    assert (low < high).all()


def test_without_secondary_suppression_the_subtraction_gives_the_count_back():
    """The attack the test above defeats: one type hidden, the total and the rest shown."""
    page = load_page("all", min_base=6)
    table = v.vision_by_type(page.all, min_base=6).set_index("council_type")
    counts = page.all.groupby("council_type")[v.HAS_VISION].apply(lambda s: int((s == 1).sum()))
    total = int(table.at["all", "count"])
    others = counts.drop("metropolitan").sum()
    assert total - others == counts["metropolitan"] == 4


def test_a_type_hidden_to_protect_another_is_hidden_on_its_own_page_too():
    own = load_page("combined_authority", min_base=6)
    assert own.n == 6 and own.too_small
    reason = (
        "hidden although n = 6, as with the figures for all respondents it would give back "
        "those of Metropolitan council (secondary suppression)"
    )
    assert own.too_small_reason() == reason
    assert reason in own.notice()
    assert f"is not shown on its own: {reason}." in v.vision_share(own).sentence
    county = load_page("county", min_base=6)
    assert not county.too_small


# --- the audit file of a run ---------------------------------------------------------------------


@pytest.mark.slow
def test_every_run_writes_an_audit_file_of_what_it_hid(tmp_path):
    result = CliRunner().invoke(
        main,
        ["run", "vision", "--council-type", "all", "-p", "min_base", "6", "--out", str(tmp_path), "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (tmp_path / "vision" / "all.disclosure.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    by_type = [r for r in rows if r["table"].startswith("Share of respondents whose council")]
    assert [(r["row"], r["rule"]) for r in by_type] == [
        ("Metropolitan council", "primary"),
        ("Combined authority", "secondary"),
        ("Scottish council", "secondary"),
        ("Welsh council", "secondary"),
        ("Other", "primary"),
    ]
    assert {r["rule"] for r in rows} <= {"primary", "secondary", disclosure.UNPROTECTABLE}
    assert all(r["reason"] for r in rows)


# --- known case 3: the follow-up answers of a type, between its page and the page for all ----


@pytest.fixture(scope="module")
def four_types(tmp_path_factory):
    """The embedded respondents with the four smallest types relabelled county: with min_base
    8 every type is shown, and only the district (7 with a vision) has too few for the
    follow-up questions."""
    frame = pd.read_csv(microdata.DEFAULT_PATH, dtype=str, keep_default_na=False)
    small = frame["council_type"].isin(["metropolitan", "combined_authority", "scotland", "wales"])
    frame.loc[small, "council_type"] = "county"
    frame["respondent_id"] = [f"R{i}" for i in range(len(frame))]
    path = tmp_path_factory.mktemp("four") / "four_types.csv"
    frame.to_csv(path, index=False)
    return path


def follow_up_facts(counts: pd.DataFrame, shown: list[str]) -> list[np.ndarray]:
    """What the pages show of the types' follow-up answers, over types x answer pairs: every
    count of a shown type's page, the page for all (each pair's total) and each type's base."""
    rows, cols = list(counts.index), list(counts.columns)
    size = len(rows) * len(cols)

    def at(r, c):
        return rows.index(r) * len(cols) + cols.index(c)

    facts = [unit(size, at(r, c)) for r in shown for c in cols]
    facts += [sum(unit(size, at(r, c)) for r in rows) for c in cols]
    facts += [sum(unit(size, at(r, c)) for c in cols) for r in rows]
    return facts


def recoverable(counts: pd.DataFrame, hidden: list[str]) -> list[tuple[str, str]]:
    shown = [r for r in counts.index if r not in hidden]
    facts = follow_up_facts(counts, shown)
    cols = list(counts.columns)
    size = len(counts.index) * len(cols)
    return [
        (r, c)
        for r in hidden
        for c in cols
        if counts.at[r, c] > 0
        and by_subtraction(
            facts, unit(size, list(counts.index).index(r) * len(cols) + cols.index(c))
        )
    ]


def test_a_type_whose_follow_ups_are_hidden_is_not_all_less_the_shown_types(four_types):
    frame = load_page("all", str(four_types), min_base=8).all
    hidden = v.withheld_follow_ups(frame, 8)
    assert {r: rule for r, (rule, _) in hidden.rules.items()} == {
        "district": disclosure.PRIMARY,
        "unitary": disclosure.SECONDARY,
    }
    counts = v.follow_up_patterns(frame)
    # Hidden for its base alone, the district's answers are everyone's less the other types'.
    assert recoverable(counts, ["district"])
    # Hidden with the unitary authorities too, no subtraction gives back a cell of either.
    assert recoverable(counts, list(hidden.rules)) == []


def test_a_type_hidden_to_protect_another_says_so_and_the_audit_names_its_rule(four_types):
    unitary = load_page("unitary", str(four_types), min_base=8)
    assert not unitary.too_small
    found = v.follow_ups(unitary)
    assert not found.enough and found.chart is None
    assert found.sentence.startswith(
        "Unitary authority respondents: 8 have a vision, but their answers are not shown: "
        "hidden although n = 8, as with the answers of all respondents"
    )
    rows = disclosure.audit_table(found.table.caption, found.table.frame)
    assert [(r["row"], r["rule"]) for r in rows] == [
        ("Unitary authority respondents with a vision", disclosure.SECONDARY)
    ]
    district = v.follow_ups(load_page("district", str(four_types), min_base=8))
    rows = disclosure.audit_table(district.table.caption, district.table.frame)
    assert [(r["row"], r["rule"], r["reason"]) for r in rows] == [
        (
            "District council respondents with a vision",
            disclosure.PRIMARY,
            "base n = 7 is below the minimum of 8",
        )
    ]
    assert v.follow_ups(load_page("london_borough", str(four_types), min_base=8)).enough


def test_frechet_bounds_are_the_integer_programmes_ranges():
    """The shortcut for tables known only by their margins gives what the solver gives."""
    rng = np.random.default_rng(7)
    for trial in range(60):
        values = rng.integers(0, 4, size=(4, 3)).astype(float)
        rows = [0, 1] if trial % 2 else [2]
        cells = [(i, j) for i in rows for j in range(3)]
        shown = np.ones(4, bool)
        shown[rows] = False
        facts = [disclosure._over(cells, lambda c, i=i: c[0] == i, values[i].sum()) for i in rows]
        facts += [
            disclosure._over(cells, lambda c, j=j: c[1] == j, values[~shown, j].sum())
            for j in range(3)
        ]
        solved = disclosure.ranges([values[i].sum() for i, _ in cells], facts)
        shortcut = disclosure.frechet(values, rows)
        assert np.array_equal(solved[0], shortcut[0]) and np.array_equal(solved[1], shortcut[1])


def test_a_type_whose_follow_ups_are_hidden_shows_no_follow_up_value_of_its_own(four_types):
    unitary = load_page("unitary", str(four_types), min_base=8)
    hidden = v.follow_ups(unitary).hidden
    assert {rule for rule, _ in hidden.values()} == {disclosure.SECONDARY}
    text = unitary.what_the_report_says([v.COULD_HELP], hidden)
    assert "observed value not shown (n = 8" in text
    assert re.search(r"observed \d", text) is None


# --- roles: never crossed with council type or region below the minimum ------------------------

ROLE_WORDS = [c.label for c in survey.ROLES]
GROUP_WORDS = [c.label for c in (*survey.COUNCIL_TYPES, *survey.REGIONS)]


def shown(found) -> tuple[list[pd.DataFrame], list[str]]:
    """Every table and chart frame and every sentence in a section's results."""
    frames, texts = [], []

    def walk(item):
        if isinstance(item, pages.Table | pages.Chart):
            if item.frame is not None:
                frames.append(item.frame)
            texts.extend(str(getattr(item, name, "")) for name in ("caption", "title"))
        elif isinstance(item, str):
            texts.append(item)
        elif isinstance(item, tuple | list):
            for part in item:
                walk(part)
        elif hasattr(item, "__dataclass_fields__"):
            for name in item.__dataclass_fields__:
                walk(getattr(item, name))

    walk(found)
    return frames, texts


def role_cells(frame: pd.DataFrame) -> list[str]:
    """The role categories a frame shows, in its headers or cells."""
    words = [str(c) for c in frame.columns] + [str(x) for x in frame.to_numpy().ravel()]
    return sorted({role for role in ROLE_WORDS for w in words if role in w})


def crossed_below(frame: pd.DataFrame, data: pd.DataFrame, min_base: int) -> list[str]:
    """Role rows of a frame crossed with a council type or region whose base is below
    ``min_base`` and that still show a number: what must never be."""
    text = frame.map(str)
    crossed = text.apply(lambda row: any(g in v for v in row for g in GROUP_WORDS), axis=1)
    found = []
    for role in survey.ROLES:
        named = text.apply(lambda row, label=role.label: any(label in v for v in row), axis=1)
        rows = text[crossed & named]
        for _, row in rows.iterrows():
            group = next(
                g
                for g in (*survey.COUNCIL_TYPES, *survey.REGIONS)
                if any(g.label in v for v in row)
            )
            column = "council_type" if group in survey.COUNCIL_TYPES else "region"
            n = int(((data["role"] == role.code) & (data[column] == group.code)).sum())
            numbers = [v for v in row if re.fullmatch(r"-?\d+(\.\d+)?%?", v.strip())]
            if n < min_base and numbers:
                found.append(f"{role.label} x {group.label} (n = {n}): {numbers}")
    return found


def test_the_scanner_finds_a_small_role_cell_crossed_with_a_type():
    data = load_page("all").all
    assert int((data["role"] == "chief_executive").sum()) == 8  # the report's few
    table = pd.DataFrame(
        {
            "Role": ["Chief executive or managing director"],
            "Council type": ["County council"],
            "Has a vision (%)": ["50.0"],
        }
    )
    assert role_cells(table) == ["Chief executive or managing director"]
    assert crossed_below(table, data, 10) == [
        "Chief executive or managing director x County council (n = 2): ['50.0']"
    ]
    assert crossed_below(table.assign(**{"Has a vision (%)": ["–"]}), data, 10) == []


@pytest.mark.parametrize("council_type", ["all", "county"])
def test_no_page_shows_roles_and_none_below_the_minimum_crossed(council_type):
    from councildigital.data import published, sources
    from councildigital.sections import barriers, potential_vs_plan

    page = load_page(council_type)
    framework = published.load_framework()
    citation = sources.document("future_councils").citation
    for found in (
        v.results(page),
        potential_vs_plan.results(page),
        barriers.results(page, framework, citation),
    ):
        frames, texts = shown(found)
        assert frames and texts
        assert [role_cells(f) for f in frames if role_cells(f)] == []
        assert not [t for t in texts if any(role in t for role in ROLE_WORDS)]
        assert [c for f in frames for c in crossed_below(f, page.all, page.min_base)] == []


def test_a_level_of_potential_one_type_hides_is_not_everyones_less_the_other_types(four_types):
    """With min_base 6 every type shows its follow-ups, and the districts hide their 'very
    large' potential row (n = 5): everyone's row less the other types' rows would give it
    back, so the London boroughs' row is hidden too, on their own page."""
    frame = load_page("all", str(four_types), min_base=6).all
    extra = v.across_pages(frame, 6)
    assert {t: list(levels) for t, levels in extra.items() if levels} == {"london_borough": [5]}
    both = v.with_vision(frame)[["council_type", v.COULD_HELP, v.IN_PLAN]].dropna()
    at = both[both[v.COULD_HELP] == 5]
    counts = pd.crosstab(at["council_type"], at[v.IN_PLAN])
    assert recoverable(counts, ["district"])
    assert recoverable(counts, ["district", "london_borough"]) == []
    borough = load_page("london_borough", str(four_types), min_base=6)
    rows = v.unrealised_potential(borough).chart.withheld
    assert ("Could help: Very large", disclosure.SECONDARY) in {
        (r["row"], r["rule"]) for r in rows if r["column"] == "all"
    }

# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (councildigital)
#     language: python
#     name: councildigital
# ---

# %% [markdown]
# # The evidence base
#
# Every figure the reports quote from the five source documents, transcribed
# one row per figure with the exact words of the source. Verbal figures ("a
# third", "nearly £750m") are kept and marked approximate. This page is the
# register the other sections are checked against.

# %% tags=["parameters"]
council_type = "all"
published_dir = None

# %%
from councildigital.data import published, sources
from councildigital.paths import PUBLISHED_DIR
from councildigital.pipeline import snapshot
from councildigital.sections import formatting, page, records
from IPython.display import Markdown, display

folder = snapshot.resolve_folder(published_dir, PUBLISHED_DIR)
figures = published.load_figures(folder)
counts = published.summary(figures)

# %%
display(
    Markdown(
        f"**{len(figures)} figures** from {len(counts) - 1} documents, "
        f"{int(figures['approximate'].sum())} of them approximate (verbal or hedged)."
    )
)
records.headline("Figures transcribed from the source documents", f"{len(figures):,}")
titles = {d.key: f"{d.citation} ({d.file})" for d in sources.DOCUMENTS}
table = counts.rename(index=titles).rename_axis("Source document").reset_index()
table.columns = ["Source document", "Figures", "Approximate", "With a stated base (n)"]
formatting.show_table(formatting.table_style(table, "Figures transcribed per source document"))

# %% [markdown]
# ## The figures, document by document
#
# Each row gives the figure, what it is of, and the quote it rests on.

# %%
for doc in sources.DOCUMENTS:
    rows = figures[figures["document"] == doc.key]
    if rows.empty:
        continue
    display(Markdown(f"### {doc.title}\n\n{doc.citation}; source file `{doc.file}`."))
    shown = page.yes_no(
        rows[
            ["id", "section", "question", "item", "group", "value", "unit", "approximate", "quote"]
        ]
    )
    styled = formatting.table_style(shown, f"{doc.title}: {len(rows)} figures")
    formatting.show_table(styled.format({"value": "{:,.6g}"}))

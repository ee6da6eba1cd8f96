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
from councildigital.data import published
from councildigital.paths import PUBLISHED_DIR
from councildigital.pipeline import snapshot
from councildigital.sections import evidence
from councildigital.sections.page import Page

page = Page(council_type, citation="", synthetic=False)
figures = published.load_figures(snapshot.resolve_folder(published_dir, PUBLISHED_DIR))

# %%
register = evidence.register(figures)
page.main_points(evidence.main_points(figures))
page.headline("Figures transcribed from the source documents", register.headline)
page.show(register.table)

# %% [markdown]
# ## The figures, document by document
#
# Each row gives the quote a figure rests on, the figure, what it measures and where in the
# document it is. Choose a document to see its figures alone.

# %%
evidence.show_documents(page, evidence.documents(figures))

"""What a notebook tells the site about itself: its data's provenance and its headline figures.

Both are displayed as JSON under the project's own MIME types: JupyterLab and
nbconvert do not render them, and the site reads them back from the executed
notebook, so the page header and the index show what the notebook really used
and computed rather than a second copy of the logic. IPython is imported where a
notebook displays: the batch and the site need only the MIME types, quickly.
"""

from __future__ import annotations

PROVENANCE_MIME = "application/vnd.councildigital.provenance+json"
HEADLINE_MIME = "application/vnd.councildigital.headline+json"


def provenance(description: str, synthetic: bool, sha256: str | None = None) -> None:
    """Record what data the page was computed from (shown in the page header)."""
    from IPython.display import display

    display(
        {PROVENANCE_MIME: {"description": description, "synthetic": synthetic, "sha256": sha256}},
        raw=True,
    )


def headline(label: str, value: str) -> None:
    """Record one headline figure (text, already formatted) for the site's index."""
    from IPython.display import display

    display({HEADLINE_MIME: {"label": label, "value": value}}, raw=True)

"""Where the project's files are: the repository's data folder and the source documents."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent
DATA_DIR = REPO_ROOT / "data"
PUBLISHED_DIR = DATA_DIR / "published"
REFERENCE_DIR = DATA_DIR / "reference"
SYNTHETIC_DIR = DATA_DIR / "synthetic"
DEFAULT_MICRODATA = SYNTHETIC_DIR / "lgc2024_synthetic.csv"  # the embedded synthetic data
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
OUTPUTS_DIR = REPO_ROOT / "outputs"
# Where kernels keep the identification bounds they compute (reconstruct.bounds), set by a batch.
BOUNDS_CACHE_ENV = "COUNCILDIGITAL_BOUNDS"


def bounds_store(out_dir: Path) -> Path:
    """A batch's store of identification bounds: beside its data snapshots, keyed inside by
    the bases, the published figures and the code (so it is shared by every page and run)."""
    return Path(out_dir) / ".cache" / "bounds"


# Where kernels keep the charts they draw (sections.chart_cache), set by a batch.
CHARTS_CACHE_ENV = "COUNCILDIGITAL_CHARTS"


def charts_store(out_dir: Path) -> Path:
    """A batch's store of finished charts, beside its bounds: a chart the same on many pages
    (keyed inside by what it is drawn from, the theme and the code) is drawn once."""
    return Path(out_dir) / ".cache" / "charts"


def seeds_dir() -> Path:
    """The folder of source documents: ``$COUNCILDIGITAL_SEEDS`` or ``shared/seeds`` beside the repo."""
    override = os.environ.get("COUNCILDIGITAL_SEEDS")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "seeds"

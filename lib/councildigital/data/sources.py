"""The source documents: their keys, files and titles, and quote look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from councildigital.paths import seeds_dir


@dataclass(frozen=True)
class Document:
    key: str
    file: str
    id_prefix: str
    title: str
    citation: str


DOCUMENTS: tuple[Document, ...] = (
    Document(
        "lgc2024",
        "000_43b7d811497cb89c.txt",
        "LGC24",
        "Exclusive research uncovers the gap between councils' digital ambitions and reality",
        "LGC and Hitachi Solutions (2024), survey of 78 UK council respondents",
    ),
    Document(
        "roundtable2024",
        "001_bb226693e8d13c6d.txt",
        "RT24",
        "Hitachi Solutions X LGC Roundtable",
        "LGC and Hitachi Solutions (2024), roundtable write-up",
    ),
    Document(
        "ldt2013",
        "002_f5b79c9bb3d21ec3.txt",
        "LDT13",
        "Local Digital Today",
        "UKAuthority for DCLG (October 2013), survey of 178 council and 22 supplier respondents",
    ),
    Document(
        "future_councils",
        "003_4c520b4e9737915d.txt",
        "FC",
        "Future Councils pilot report",
        "DLUHC Local Digital, Future Councils pilot report",
    ),
    Document(
        "essay2025",
        "004_5d06f9cbb60a09d3.txt",
        "ESS25",
        "The state of digital in local government",
        "Essay on the state of digital in local government (2025)",
    ),
)

DOCUMENT_KEYS: tuple[str, ...] = tuple(d.key for d in DOCUMENTS)


def document(key: str) -> Document:
    for doc in DOCUMENTS:
        if doc.key == key:
            return doc
    raise KeyError(f"unknown document {key!r}; expected one of {', '.join(DOCUMENT_KEYS)}")


def fold_whitespace(text: str) -> str:
    """Every run of white space as one space: PDF extraction breaks lines at random."""
    return re.sub(r"\s+", " ", text).strip()


@cache
def folded_text(key: str, folder: Path | None = None) -> str:
    """The document's text with white space folded, for quote checks."""
    path = (folder or seeds_dir()) / document(key).file
    return fold_whitespace(path.read_text(encoding="utf-8"))

"""PDF briefings: every section's page for one council type in one document, printed by headless
Chromium.

A briefing opens with a cover (council type, data, date, version, contents), then each section
from a new sheet, with the data notice of that section's page at the top of every sheet (CSS
named pages and page-margin boxes) and no navigation (the pages' print stylesheet). It is made
from the published pages, so it shows what they show; it is remade only when one of its pages
changed (its key is their keys') and is kept under ``briefings/<council type>.pdf``.

Chromium is found on the PATH (``chromium-headless-shell`` first, then ``chromium``,
``chromium-browser``, ``google-chrome``) or named by ``COUNCILDIGITAL_CHROMIUM``; without one the
batch makes everything else and says once how to get the briefings. The headless shell (Debian's
``chromium-headless-shell``, Playwright's default for headless printing) prints the same pages
as the full browser with a third less CPU and memory: the full browser composites every printed
page again in a process of its own. PDF files are not byte-identical between two printings (Chromium records the
moment it printed), so the byte-stability checks leave them out.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from councildigital import __version__
from councildigital.data import survey
from councildigital.pipeline import catalogue, downloads, execution, site

CHROMIUM_ENV = "COUNCILDIGITAL_CHROMIUM"
BROWSERS = (
    "chromium-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
PRINT_TIMEOUT_S = 300
KEYS_FILE = "briefings.json"  # under the output folder's cache: each briefing's key
HOW_TO = (
    "PDF briefings were not made: {reason}. Install Chromium (Debian or Ubuntu: "
    f"apt-get install chromium-headless-shell, or chromium) or name a Chromium or Chrome with {CHROMIUM_ENV}=/path/to/it, "
    "then run the batch again: everything else is made and kept"
)


class ChromiumMissing(LookupError):
    """No Chromium to print with; the message says why."""


def find_chromium() -> str:
    """The Chromium to print with: the one ``COUNCILDIGITAL_CHROMIUM`` names, else the PATH's."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        found = shutil.which(named)
        if found is None:
            raise ChromiumMissing(f"{CHROMIUM_ENV} names {named}, which is not a program here")
        return found
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(f"no Chromium found on the PATH ({', '.join(BROWSERS)})")


@dataclass(frozen=True)
class Briefing:
    """One council type's briefing: its pages (section, HTML path under the output folder)."""

    council_type: str
    pages: tuple[tuple[catalogue.Section, str], ...]
    key: str

    @property
    def path(self) -> str:
        return f"{site.BRIEFINGS}/{self.council_type}{site.BRIEFING_SUFFIX}"


def planned(manifest: dict[str, dict], out_dir: Path, sections=None) -> list[Briefing]:
    """A briefing for each council type that has a page for every section run per council
    type, keyed by those pages' keys. Sections run once for everyone (the evidence register,
    a hundred printed pages of quotes) stay on the site, and the cover names them."""
    sections = [sec for sec in sections or catalogue.SECTIONS if sec.per_council_type]
    found = []
    for council_type in survey.council_type_choices():
        pages, keys = [], []
        for sec in sections:
            entry = manifest.get(f"{sec.code}/{council_type}")
            html = next((p for p in (entry or {}).get("outputs", []) if p.endswith(".html")), None)
            if html is None or not (out_dir / html).exists():
                break
            pages.append((sec, html))
            keys.append(entry["key"])
        else:
            key = hashlib.sha256(json.dumps([council_type, keys]).encode()).hexdigest()
            found.append(Briefing(council_type, tuple(pages), key))
    return found


_MAIN = re.compile(r'<main id="content">(.*)</main>', re.DOTALL)
_HEAD = re.compile(r"<head>(.*?)</head>", re.DOTALL)
_BANNER = re.compile(r'<p class="cd-banner[^"]*" role="note">(.*?)</p>', re.DOTALL)
_SOURCES = re.compile(r'<footer class="cd-footer">(.*?)<p class="cd-footer-links">', re.DOTALL)
_IDS = re.compile(r'(?<![\w-])(id|href|aria-labelledby)="(#?)([^"]*)"')


def _section_body(html: str, prefix: str) -> str:
    """A page's report (its ``main``), with its ids and in-page links made unique in the
    briefing (other links are dropped to their text: they lead nowhere from a PDF)."""
    body = _MAIN.search(html).group(1)

    def rename(match: re.Match) -> str:
        attribute, hash_mark, name = match.groups()
        if attribute != "href":
            return f'{attribute}="{prefix}{name}"'
        return f'href="#{prefix}{name}"' if hash_mark else ""

    return _IDS.sub(rename, body)


def compose(briefing: Briefing, out_dir: Path, commit: str, date: str) -> str:
    """The briefing as one HTML document: cover, then each section's page, for printing."""
    texts = [(sec, (out_dir / page).read_text(encoding="utf-8")) for sec, page in briefing.pages]
    head = _HEAD.search(texts[0][1]).group(1)
    head = re.sub(r"<title>.*?</title>", "", head, flags=re.DOTALL)
    label = site.council_type_label(briefing.council_type)
    notices = [_BANNER.search(text).group(1) for _, text in texts]
    named_pages = "".join(
        f".cd-part-{i} {{ page: part{i}; }} @page part{i} {{ @top-left {{ content: "
        f"{site.css_string(unescape(notice))}; }} }}\n"
        for i, notice in enumerate(notices)
    )
    distinct = list(dict.fromkeys(notices))
    synthetic = [n for n in distinct if unescape(n) == site.SYNTHETIC_TEXT]
    first = (synthetic or distinct)[0]  # the cover's notice: synthetic data, where any is shown
    shared = [sec for sec in catalogue.SECTIONS if not sec.per_council_type]
    cover = (
        '<section class="cd-cover">\n'
        f'<p class="cd-cover-kicker">Councils\' digital ambitions versus reality</p>\n'
        f"<h1>Briefing: {escape(label)}</h1>\n"
        "<dl>\n"
        f"<dt>Council type</dt><dd>{escape(label)}</dd>\n"
        "<dt>Data</dt><dd><ul>" + "".join(f"<li>{n}</li>" for n in distinct) + "</ul></dd>\n"
        f"<dt>Date printed</dt><dd>{escape(date)}</dd>\n"
        f"<dt>Version</dt><dd>councildigital {escape(__version__)}, commit "
        f"<code>{escape(commit)}</code> of {escape(downloads.commit_date())} (the date its "
        "data files carry)</dd>\n"
        "</dl>\n<h2>Contents</h2>\n<ol>"
        + "".join(
            f'<li><a href="#part{i}">{escape(sec.title)}</a></li>'
            for i, (sec, _) in enumerate(briefing.pages)
        )
        + "</ol>\n"
        + "".join(
            f"<p>{escape(sec.title)}, the same for every council type, is on the site: "
            f"<code>{escape(sec.code)}/{survey.ALL}.html</code>.</p>\n"
            for sec in shared
        )
        + "</section>\n"
    )
    parts = "".join(
        f'<section class="cd-part cd-part-{i}" id="part{i}" aria-label="{escape(sec.title)}">\n'
        f"{_section_body(text, f'p{i}-')}\n</section>\n"
        for i, (sec, text) in enumerate(texts)
    )
    sources = _SOURCES.search(texts[0][1]).group(1)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
        f"<title>Briefing: {escape(label)}</title>\n{head}\n<style>\n{BRIEFING_CSS}"
        f"@page {{ @top-left {{ content: {site.css_string(unescape(first))}; }} }}\n"
        f"{named_pages}</style>\n</head>\n"
        '<body class="jp-Notebook cd-page cd-briefing" data-jp-theme-light="true">\n'
        f'{cover}<main id="content">\n{parts}</main>\n'
        f'<footer class="cd-footer cd-part">{sources}</footer>\n</body>\n</html>\n'
    )


BRIEFING_CSS = """
.cd-cover { break-after: page; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.cd-cover h1 { font-size: 2rem; margin: 4rem 0 1.5rem; }
.cd-cover-kicker { font-size: 1.1rem; color: #484949; margin-top: 3rem; }
.cd-cover dt { font-weight: bold; margin-top: .5rem; }
.cd-cover dd { margin: 0 0 0 1rem; }
.cd-cover dd ul { margin: 0; padding-left: 1rem; }
.cd-part { break-before: page; }
"""


def print_pdfs(chromium: str, documents: list[tuple[Path, Callable[[], str]]]) -> dict[Path, str]:
    """Print each document (its target, and a function giving its HTML) with one headless
    Chromium, one document after another, each atomically and readable by others; the
    problem met by each target not printed (the others are printed all the same).

    One browser for all of them, driven by Playwright over the DevTools protocol: a Chromium
    started per document spends a second of CPU starting, and printing one at a time keeps
    the batch to one browser's memory (some 650 MB for a briefing) at its end. The pages are
    as ``chromium --headless --print-to-pdf`` prints them: the page size is the stylesheet's,
    no header or footer, no background colours but those the stylesheet asks to print.

    The browser is driven from a thread of its own: Playwright's synchronous API refuses to
    run in a thread with a running asyncio loop (a Jupyter kernel's, where a researcher runs
    a batch from a notebook)."""
    outcome: list = []

    def work() -> None:
        try:
            outcome.append(_print_all(chromium, documents))
        except BaseException as exc:  # raised again in the caller's thread
            outcome.append(exc)

    thread = threading.Thread(target=work, name="councildigital-print", daemon=True)
    thread.start()
    thread.join()
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _print_all(chromium: str, documents: list[tuple[Path, Callable[[], str]]]) -> dict[Path, str]:
    from playwright.sync_api import Error as BrowserError
    from playwright.sync_api import sync_playwright

    problems: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="councildigital-print-") as work:
        source = Path(work) / "briefing.html"
        printed = Path(work) / "briefing.pdf"
        with sync_playwright() as driver:
            try:
                browser = driver.chromium.launch(
                    executable_path=chromium, args=["--disable-gpu"], timeout=PRINT_TIMEOUT_S * 1000
                )
            except BrowserError as exc:
                reason = f"Chromium ({chromium}) did not start: {_first_line(exc)}"
                return {target: reason for target, _ in documents}
            for target, html in documents:
                page = None
                try:
                    source.write_text(html(), encoding="utf-8")
                    page = browser.new_page()
                    page.goto(source.as_uri(), timeout=PRINT_TIMEOUT_S * 1000)
                    page.pdf(path=printed, prefer_css_page_size=True)
                    execution.atomic_write(target, printed.read_bytes())
                except (BrowserError, OSError) as exc:
                    problems[target] = f"Chromium could not print it: {_first_line(exc)}"
                finally:
                    if page is not None:
                        with contextlib.suppress(BrowserError):
                            page.close()
            browser.close()
    return problems


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def print_pdf(chromium: str, html: str, target: Path) -> None:
    """Print one document (:func:`print_pdfs`); OSError if it could not be printed."""
    problems = print_pdfs(chromium, [(target, lambda: html)])
    if problems:
        raise OSError(problems[target])


def _keys_path(out_dir: Path) -> Path:
    from councildigital.pipeline import snapshot

    return snapshot.store(out_dir).parent / KEYS_FILE


def _read_keys(out_dir: Path) -> dict[str, str]:
    try:
        keys = json.loads(_keys_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def today() -> str:
    """The date a briefing is made, for its cover (it is remade only when its pages change)."""
    return datetime.datetime.now(datetime.UTC).strftime("%-d %B %Y")


def update(
    out_dir: Path,
    manifest: dict[str, dict],
    commit: str,
    notify: Callable[[str], None] | None = None,
    sections=None,
) -> tuple[dict[str, str], list[str]]:
    """Make the briefings whose pages changed; the current ones (council type to path under
    ``out_dir``) and the problems met. Without Chromium, none is made and ``notify`` is told
    once how to get them; a briefing that is already current is kept either way."""
    keys = _read_keys(out_dir)
    wanted = planned(manifest, out_dir, sections)
    current = {
        b.council_type: b.path
        for b in wanted
        if keys.get(b.council_type) == b.key and (out_dir / b.path).exists()
    }
    stale = [b for b in wanted if b.council_type not in current]
    if not stale:
        return current, []
    try:
        chromium = find_chromium()
    except ChromiumMissing as exc:
        if notify:
            notify(HOW_TO.format(reason=exc))
        return current, []
    date = today()
    documents = [
        (out_dir / b.path, functools.partial(compose, b, out_dir, commit, date)) for b in stale
    ]
    failed = print_pdfs(chromium, documents)
    problems = []
    for b in stale:
        problem = failed.get(out_dir / b.path)
        if problem:
            problems.append(f"the briefing {b.path} could not be made: {problem}")
        else:
            current[b.council_type] = b.path
            keys[b.council_type] = b.key
    execution.atomic_write(_keys_path(out_dir), json.dumps(keys, indent=2, sort_keys=True) + "\n")
    return current, problems

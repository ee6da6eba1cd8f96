"""Compare what two batches' pages show: the outputs of every executed notebook, in order.

Cell boundaries may move (a refactor merges or splits cells), so each page is
compared as one stream of outputs: Markdown, HTML, text, the site's JSON
records and charts (by their PNG bytes). Styler table ids and memory
addresses change from run to run and are normalised away.

    python scripts/compare_pages.py BEFORE_DIR AFTER_DIR [--section vision] [--show 3]
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
from pathlib import Path

_VOLATILE = (
    (re.compile(r"T_[0-9a-z]{5,}"), "T_id"),
    (re.compile(r" at 0x[0-9a-f]+"), " at 0x…"),
)


def _text(value: str | list[str]) -> str:
    text = "".join(value) if isinstance(value, list) else value
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def outputs(notebook: Path) -> list[str]:
    """A page's outputs as comparable lines, in the order a reader meets them."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                lines.append(f"[{output['name']}] {_text(output['text'])}")
                continue
            if output["output_type"] == "error":
                lines.append(f"[error] {output['ename']}: {output['evalue']}")
                continue
            for mime, value in sorted(output.get("data", {}).items()):
                if mime.startswith("image/"):
                    digest = hashlib.sha256(str(value).encode()).hexdigest()[:16]
                    lines.append(f"[{mime}] sha256 {digest}")
                elif isinstance(value, dict):
                    lines.append(f"[{mime}] {json.dumps(value, sort_keys=True)}")
                else:
                    lines.append(f"[{mime}] {_text(value)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--section", help="only this section's pages")
    parser.add_argument("--show", type=int, default=2, help="differing lines shown per page")
    args = parser.parse_args()
    pattern = f"{args.section}/*.ipynb" if args.section else "*/*.ipynb"
    pages = sorted(p.relative_to(args.before) for p in args.before.glob(pattern))
    differ = 0
    for page in pages:
        after = args.after / page
        if not after.exists():
            print(f"{page}: missing in {args.after}")
            differ += 1
            continue
        old, new = outputs(args.before / page), outputs(after)
        if old == new:
            continue
        differ += 1
        diff = [
            line
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        print(f"{page}: {len(diff)} differing lines")
        for line in diff[: 2 * args.show]:
            print("   ", line[:400].replace("\n", "\\n"))
    print(f"{len(pages)} pages compared, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())

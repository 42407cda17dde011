"""Split a Markdown document into plain-text blocks, so a template can lay it out safely.

Only block structure is recognised (headings, fenced code, tables, lists, paragraphs); inline
markup stays as typed. Nothing here produces HTML: the template escapes every text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A cell boundary: a ``|`` that is not written ``\\|`` (how a table cell holds a bar).
_CELL_BAR = re.compile(r"(?<!\\)\|")


@dataclass
class Block:
    """One block: heading (with level), code, table (rows of cells), list (items) or paragraph."""

    kind: str
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def _table_row(line: str) -> list[str]:
    inner = line.strip().removeprefix("|")
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [cell.strip().replace("\\|", "|") for cell in _CELL_BAR.split(inner)]


def parse_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown document, in order."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
        elif stripped.startswith("```"):
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith("```"):
                end += 1
            blocks.append(Block("code", "\n".join(lines[index + 1 : end])))
            index = end + 1
        elif stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(Block("heading", stripped[level:].strip(), level=min(level, 6)))
            index += 1
        elif stripped.startswith("|"):
            rows = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                cells = _table_row(lines[index])
                if not all(set(cell) <= set("-: ") for cell in cells):
                    rows.append(cells)
                index += 1
            blocks.append(Block("table", rows=rows))
        elif stripped.startswith(("- ", "* ")):
            items: list[str] = []
            while index < len(lines) and lines[index].strip():
                current = lines[index].strip()
                if current.startswith(("- ", "* ")):
                    items.append(current[2:])
                elif items:
                    items[-1] += " " + current
                index += 1
            blocks.append(Block("list", items=items))
        else:
            text = []
            while (
                index < len(lines)
                and lines[index].strip()
                and not lines[index].strip().startswith(("#", "```", "|", "- "))
            ):
                text.append(lines[index].strip())
                index += 1
            blocks.append(Block("paragraph", " ".join(text)))
    return blocks

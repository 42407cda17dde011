"""Read a YAML (or JSON) question-set document safely, keeping the line of every value.

Only PyYAML's safe loader is used. Aliases are counted and the expanded document is bounded, so
an "alias bomb" or a deeply nested file is refused quickly instead of exhausting memory.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import QuestionSetError, ValidationIssue
from .i18n import gettext
from .limits import (
    MAX_EXPANDED_CHARS,
    MAX_EXPANDED_NODES,
    MAX_FILE_BYTES,
    MAX_YAML_ALIASES,
    MAX_YAML_DEPTH,
)
from .raw_document import PathKey, RawDocument, file_too_large
from .yaml_messages import plain_yaml_problem


def too_many_values() -> str:
    """Why a document whose aliases expand too far is refused."""
    return gettext(
        "the document expands to too many values, or to too much text, once its YAML aliases "
        "are written out; write the values out instead, or split the set"
    )


#: A "\\ud800" escape gives half of a UTF-16 pair, which no text can store or show.
_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_message() -> str:
    """Why a value holding half of a UTF-16 pair is refused."""
    return gettext("a \\uD800-\\uDFFF escape is half of a character; write the character itself")


class _DocumentTooLarge(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _BoundedLoader(yaml.SafeLoader):
    """Safe loader that refuses too many aliases and too deep nesting while composing."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0
        #: Nodes composed so far: never more than the expanded document holds, so stopping at
        #: its bound refuses no file that fits, and spares reading the rest of one that does not.
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        self._nodes += 1
        if self._nodes > MAX_EXPANDED_NODES:
            raise _DocumentTooLarge(too_many_values(), _line(event.start_mark))
        if isinstance(event, AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _DocumentTooLarge(
                    gettext(
                        "the document uses more than %(max)s YAML aliases (*name); write the "
                        "values out instead",
                        max=MAX_YAML_ALIASES,
                    ),
                    _line(event.start_mark),
                )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _DocumentTooLarge(
                    gettext(
                        "the document is nested more than %(max)s levels deep", max=MAX_YAML_DEPTH
                    ),
                    _line(event.start_mark),
                )
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


def _line(mark: Any) -> int | None:
    """The 1-based line of a YAML mark, if there is one."""
    return None if mark is None else int(mark.line) + 1


def decode_text(content: bytes, filename: str) -> str:
    """Decode an uploaded text file: UTF-8 with or without a byte-order mark."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    gettext(
                        "the file is not UTF-8 text (%(reason)s); save it as UTF-8",
                        reason=exc.reason,
                    ),
                )
            ]
        ) from None


# A \uD800-\uDBFF escape followed by a \uDC00-\uDFFF one, not itself escaped (an even number of
# backslashes before it): JSON's way of writing a character beyond U+FFFF, such as an emoji.
_SURROGATE_PAIR_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE
)


def _json_for_yaml(text: str) -> tuple[str, json.JSONDecodeError | None]:
    """Valid JSON as text the YAML reader takes, with the same lines; or the JSON error.

    JSON is YAML, except that YAML refuses tabs for indentation and reads each half of a
    surrogate pair (``\\ud83d\\ude00``, how many JSON writers escape an emoji) on its own. In
    valid JSON a tab can only be space between tokens, since a tab in a string is escaped.
    Text that is not valid JSON is left as it is: YAML may still read it (it did before).
    """
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        return text, error
    except (ValueError, RecursionError):
        return text, None

    def joined(pair: re.Match[str]) -> str:
        high, low = int(pair.group(2), 16), int(pair.group(3), 16)
        return pair.group(1) + chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    return _SURROGATE_PAIR_ESCAPE.sub(joined, text.replace("\t", " ")), None


def read_yaml_document(text: str, filename: str) -> RawDocument:
    """Parse one YAML document into plain data with line numbers, or raise QuestionSetError."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise QuestionSetError([ValidationIssue(filename, file_too_large())])
    json_error = None
    if filename.lower().endswith(".json"):
        text, json_error = _json_for_yaml(text)
    try:
        loader = _BoundedLoader(text)
    except yaml.reader.ReaderError as exc:  # characters YAML never allows, such as U+FFFF
        message = gettext(
            "the file holds a character that YAML does not allow (U+%(code)s); remove it",
            code=format(exc.character, "04X"),
        )
        where = text.count("\n", 0, exc.position) + 1
        raise QuestionSetError([ValidationIssue(filename, message, where)]) from None
    try:
        node = loader.get_single_node()
    except _DocumentTooLarge as exc:
        raise QuestionSetError([ValidationIssue(filename, str(exc), exc.line)]) from None
    except yaml.MarkedYAMLError as exc:
        # A .json file that neither reader takes: JSON's own words are clearer.
        if json_error is not None:
            raise QuestionSetError(
                [
                    ValidationIssue(
                        filename,
                        gettext("JSON syntax error: %(error)s", error=json_error.msg),
                        json_error.lineno,
                    )
                ]
            ) from None
        problem, line = plain_yaml_problem(exc, text)
        raise QuestionSetError([ValidationIssue(filename, problem, line)]) from None
    except yaml.YAMLError as exc:
        raise QuestionSetError(
            [ValidationIssue(filename, gettext("YAML error: %(error)s", error=exc))]
        ) from None
    finally:
        loader.dispose()
    if node is None:
        raise QuestionSetError([ValidationIssue(filename, gettext("the file is empty"), 1)])
    oversized = _oversized_node(node)
    if oversized is not None:
        raise QuestionSetError(
            [
                ValidationIssue(
                    filename,
                    too_many_values(),
                    oversized.start_mark.line + 1,
                )
            ]
        )
    builder = _Builder(loader, filename)
    data = builder.build(node, ())
    if builder.issues:
        raise QuestionSetError(builder.issues)
    return RawDocument(data, builder.lines, builder.raw_scalars)


def _oversized_node(root: Node) -> Node | None:
    """The first node whose aliases expand past the bounds, or None when the document fits.

    The bounds count values and characters: a few aliases of one long text (under an ``x-``
    key, which is kept with the set) expand to megabytes with few values. An alias is the same
    node object as its anchor, so each distinct node is sized once: an "alias bomb" of a few
    lines is measured in microseconds instead of being built in seconds.
    """
    sizes: dict[int, tuple[int, int]] = {}
    culprit: list[Node] = []

    def size_of(node: Node) -> tuple[int, int]:
        known = sizes.get(id(node))
        if known is not None:
            return known
        children: list[Node] = []
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        nodes, chars = 1, len(node.value) if isinstance(node, ScalarNode) else 0
        for child in children:
            child_nodes, child_chars = size_of(child)
            nodes, chars = nodes + child_nodes, chars + child_chars
            if culprit:
                break
        if (nodes > MAX_EXPANDED_NODES or chars > MAX_EXPANDED_CHARS) and not culprit:
            culprit.append(node)  # the smallest node that is too big on its own
        sizes[id(node)] = (nodes, chars)
        return nodes, chars

    size_of(root)
    return culprit[0] if culprit else None


class _Builder:
    """Turns a composed node tree into plain Python data, recording lines as it goes."""

    def __init__(self, loader: yaml.SafeLoader, filename: str) -> None:
        self.loader = loader
        self.filename = filename
        self.lines: dict[PathKey, int] = {}
        self.raw_scalars: dict[PathKey, str] = {}
        self.issues: list[ValidationIssue] = []

    def build(self, node: Node, path: PathKey) -> Any:
        # read_yaml_document has checked the expanded size, so this walk is bounded.
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if isinstance(node, MappingNode):
            return self._build_mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)  # noqa: S101 - the composer makes no other kind
        try:
            value = self.loader.construct_object(node, deep=True)
        # PyYAML raises ValueError for dates such as 2020-13-45 and for integers past
        # Python's digit limit; both are a bad value in the file, not a bug.
        except (yaml.YAMLError, ValueError) as exc:
            self.issues.append(
                ValidationIssue(
                    self.filename, gettext("unreadable value: %(error)s", error=exc), line
                )
            )
            return None
        if isinstance(value, str) and _SURROGATE.search(value):
            self.issues.append(ValidationIssue(self.filename, surrogate_message(), line))
            return None
        if not isinstance(value, str) and node.value != "":
            self.raw_scalars[path] = node.value
        return value

    def _build_mapping(self, node: MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.issues.append(
                    ValidationIssue(
                        self.filename,
                        gettext("merge keys (<<) are not supported; write the keys out"),
                        key_line,
                    )
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.issues.append(
                    ValidationIssue(self.filename, gettext("a key must be plain text"), key_line)
                )
                continue
            key = key_node.value
            if _SURROGATE.search(key):
                self.issues.append(ValidationIssue(self.filename, surrogate_message(), key_line))
                continue
            if key in result:
                self.issues.append(
                    ValidationIssue(
                        self.filename,
                        gettext("the key '%(key)s' appears twice here; keep only one", key=key),
                        key_line,
                    )
                )
                continue
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result

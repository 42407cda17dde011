"""Question texts in their format: plain stays plain, HTML passes the allowlist, markdown has
no HTML of its own, and images show only when their file travels with the set."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from helpers.fuzzing import examples
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.domain.rich_text import image_file_name, image_sources, plain_text, render_text

MOODLE_HTML = (
    '<p dir="ltr" style="text-align: left;">Who <strong>signed</strong>&nbsp;the '
    '<a href="https://www.archives.gov/founding-docs">Constitution</a>?<br></p>'
)


def test_plain_text_stays_plain() -> None:
    assert (
        render_text("<b>Bold</b> & 'quoted'") == "&lt;b&gt;Bold&lt;/b&gt; &amp; &#x27;quoted&#x27;"
    )
    assert plain_text("<b>Bold</b>") == "<b>Bold</b>"


def test_moodle_html_keeps_its_structure_and_loses_its_styles() -> None:
    shown = render_text(MOODLE_HTML, "html")
    assert shown == (
        "<p>Who <strong>signed</strong> the <a "
        'href="https://www.archives.gov/founding-docs" rel="noopener noreferrer">Constitution</a>'
        "?<br></p>"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<p onclick="alert(1)">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="data:text/html,hi">x</a>',
        "<style>body{display:none}</style>",
        '<span style="position:fixed">x</span>',
        '<iframe src="https://example.org"></iframe>',
        '<img src="x" onerror="alert(1)">',
        '<svg onload="alert(1)"></svg>',
        "<object data=x></object>",
    ],
)
def test_hostile_html_is_removed(hostile: str) -> None:
    for inline in (False, True):
        shown = render_text(hostile, "html", inline=inline)
        for banned in ("<script", "onclick", "javascript:", "data:", "<style", "style=", "<iframe"):
            assert banned not in shown
        for banned in ("onerror", "<svg", "<object", "<img", "alert(1)</"):
            assert banned not in shown


def test_the_allowlist_keeps_lists_tables_code_and_sub_sup() -> None:
    text = (
        "<ul><li>H<sub>2</sub>O</li><li>x<sup>2</sup></li></ul><ol><li>one</li></ol>"
        "<pre><code>a = 1</code></pre><table><tr><th>Branch</th></tr><tr><td>Judicial</td></tr>"
        "</table><p><em>e</em> <b>b</b> <i>i</i> <u>u</u> <a href='mailto:clerk@example.org'>m</a></p>"
    )
    shown = render_text(text, "html")
    for kept in ("<ul>", "<ol>", "<li>", "<sub>2</sub>", "<sup>2</sup>", "<pre><code>", "<table>"):
        assert kept in shown
    assert '<a href="mailto:clerk@example.org" rel="noopener noreferrer">m</a>' in shown


def test_inline_text_fits_in_a_heading_or_a_label() -> None:
    shown = render_text("<p>First paragraph.</p><p>Second <em>one</em>.</p>", "html", inline=True)
    assert shown == "First paragraph.<br>Second <em>one</em>."


def test_markdown_renders_without_html_of_its_own() -> None:
    shown = render_text("**Due process** of <b>law</b> [link](javascript:alert(1))", "markdown")
    assert shown.startswith("<p><strong>Due process</strong> of &lt;b&gt;law&lt;/b&gt;")
    assert "<a" not in shown and "href" not in shown


def test_text_quotes_are_entities_so_typed_markup_stays_text() -> None:
    shown = render_text('<p>&lt;a href="javascript:x"&gt;</p>', "html")
    assert shown == "<p>&lt;a href=&#34;javascript:x&#34;&gt;</p>"


def test_images_show_only_when_their_file_travels_with_the_set() -> None:
    text = '<p><img src="@@PLUGINFILE@@/map%20of%20states.png" alt="Map"><img src="gone.png"></p>'
    files = {"map of states.png": "/sets/files/7/map%20of%20states.png"}
    shown = render_text(text, "html", image_url=files.get)
    assert shown == '<p><img src="/sets/files/7/map%20of%20states.png" alt="Map"></p>'
    assert render_text(text, "html") == "<p></p>"
    assert render_text('<img src="https://tracker.example/p.gif">', "html") == ""
    assert image_sources(text, "html") == ["@@PLUGINFILE@@/map%20of%20states.png", "gone.png"]
    assert image_file_name("@@PLUGINFILE@@/map%20of%20states.png") == "map of states.png"
    # An image without alt text still gets one (empty), as HTML requires.
    assert render_text('<img src="a.png">', "html", image_url=lambda name: "/a.png") == (
        '<img alt="" src="/a.png">'
    )


def test_plain_text_of_html_and_markdown_is_their_words() -> None:
    assert plain_text(MOODLE_HTML, "html") == "Who signed the Constitution?"
    assert plain_text("**Due** _process_", "markdown") == "Due process"


def test_an_upload_warns_of_each_image_whose_file_is_not_in_it() -> None:
    from quizapp.domain.formats import parse_upload

    text = (
        "format: quizapp/1\nid: pics\ntitle: Pics\nsources: {}\nquestions:\n"
        "  - id: map\n    type: true_false\n    text_format: html\n"
        "    prompt: '<p>Is this Ohio? <img src=\"@@PLUGINFILE@@/ohio.png\"></p>'\n"
        '    answer: true\n    explanation: \'<img src="key.png" alt="">Yes.\'\n'
    )
    parsed = parse_upload("pics.yaml", text.encode(), image_files={"ohio.png"})
    images = [(w.line, w.message) for w in parsed.warnings if "image" in w.message]
    assert images == [
        (
            6,
            "question 'map' shows the image 'key.png', which is not in the upload; the image is left out",
        )
    ]
    unshipped = parse_upload("pics.yaml", text.encode()).warnings
    assert len([w for w in unshipped if "image" in w.message]) == 2


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<img src=",
        "@@PLUGINFILE@@/a.png",
        " onerror=alert(1)",
        "<script>",
        "</script>",
        '<a href="',
        "javascript:",
        '">',
        "'",
        '"',
        "<",
        ">",
        "&nbsp;",
        "<table><tr><td>",
        "</td></tr></table>",
        "**",
        "[x](",
        ")",
        "![i](",
        "\n",
        "text",
    ]
)


class _Elements(HTMLParser):
    """The elements of rendered HTML as a browser reads them: each tag with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def unsafe_parts(shown: str) -> list[str]:
    """Script elements, event-handler and style attributes, and javascript: links in ``shown``.

    Text inside a quoted attribute value (a link to ``" onerror=alert(1)``) is no attribute:
    the parser reads the markup as a browser would, where a pattern over the tag text cannot.
    """
    elements = _Elements()
    elements.feed(shown)
    elements.close()
    unsafe = []
    for tag, attrs in elements.found:
        if tag == "script":
            unsafe.append("<script>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                unsafe.append(f"{tag} {name}")
            if (value or "").strip().lower().startswith("javascript:"):
                unsafe.append(f"{tag} {name}={value}")
    return unsafe


def test_the_check_of_unsafe_parts_reads_attributes_as_a_browser_does() -> None:
    assert unsafe_parts('<a href=" onerror=alert(1)%3Ca href=" rel="noopener">x</a>') == []
    assert unsafe_parts('<img src="a.png" onerror="alert(1)">') == ["img onerror"]
    assert unsafe_parts('<a href=" JavaScript:alert(1)">x</a>') == ["a href= JavaScript:alert(1)"]
    assert unsafe_parts('<p style="color: red"><script>x</script>') == ["p style", "<script>"]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=30), st.sampled_from(["html", "markdown"]))
# Once taken for an event attribute: the " onerror=" is inside the link's quoted address.
@example(pieces=['<a href="', " onerror=alert(1)", '<a href="', "<p>"], fmt="html")
def test_any_text_renders_without_script_or_event_attributes(pieces: list[str], fmt: str) -> None:
    text = "".join(pieces)
    for inline in (False, True):
        shown = render_text(text, fmt, inline=inline, image_url=lambda name: f"/files/{name}")
        assert unsafe_parts(shown) == []
        assert plain_text(text, fmt) is not None

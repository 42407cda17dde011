"""Moodle XML is read safely: no entity is expanded, nothing is fetched, bad XML names its line,
and an embedded file is kept only when its own bytes say it is a raster image."""

from __future__ import annotations

import base64

import pytest

from quizapp.domain.errors import QuestionSetError
from quizapp.domain.formats import parse_upload
from quizapp.domain.formats.images import image_type, safe_image_name
from quizapp.domain.limits import MAX_XML_FILE_BYTES, describe_bytes

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGPQiFoARww4OQADqg2Z41AAKgAAAABJRU5ErkJggg=="
)


def truefalse(prompt: str = "The Senate has 100 members.", extra: str = "") -> str:
    return f"""
  <question type="truefalse">
    <name><text>Senate size</text></name>
    <questiontext format="html"><text>{prompt}</text>{extra}</questiontext>
    <answer fraction="100"><text>true</text></answer>
    <answer fraction="0"><text>false</text></answer>
  </question>"""


def quiz(*questions: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    return (prolog + "<quiz>" + "".join(questions) + "\n</quiz>\n").encode("utf-8")


def refused(content: bytes, name: str = "bank.xml") -> list[tuple[int | None, str]]:
    with pytest.raises(QuestionSetError) as caught:
        parse_upload(name, content)
    return [(issue.line, issue.message) for issue in caught.value.issues]


def test_a_small_file_reads() -> None:
    parsed = parse_upload("bank.xml", quiz(truefalse()))
    assert parsed.format == "moodle_xml"
    assert [(q.id, q.type, q.answer) for q in parsed.question_set.questions] == [
        ("senate-size", "true_false", True)
    ]


def test_entity_expansion_is_refused() -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY a "ha">\n'
        ' <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        ' <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n]>\n'
    )
    problems = refused(quiz(truefalse("&c;"), prolog=laughs))
    assert len(problems) == 1
    assert "DOCTYPE or entities" in problems[0][1]
    assert "refused for safety" in problems[0][1]


def test_an_external_entity_is_refused_and_never_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the server's secret", encoding="utf-8")
    prolog = f'<?xml version="1.0"?>\n<!DOCTYPE quiz [ <!ENTITY s SYSTEM "file://{secret}"> ]>\n'
    problems = refused(quiz(truefalse("&s;"), prolog=prolog))
    assert "DOCTYPE or entities" in problems[0][1]
    assert "secret" not in " ".join(message for _, message in problems)


def test_an_external_dtd_is_refused() -> None:
    prolog = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "http://example.invalid/quiz.dtd">\n'
    assert "DOCTYPE" in refused(quiz(truefalse(), prolog=prolog))[0][1]


def test_an_undeclared_entity_is_a_clear_error_with_its_line() -> None:
    content = quiz(truefalse("Congress &nbsp; meets"))
    [(line, message)] = refused(content)
    assert line == 5
    assert message.startswith("the file is not well-formed XML")
    assert "entities are not read" in message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "<quiz>\n<question type='truefalse'>\n<name><text>x</text></name>\n</quiz>",
            4,
            "mismatch",
        ),
        ("<quiz>\n<question type='truefalse'>", 2, "premature end"),
        ('<?xml version="1.0"?>\n<quiz>\n  <question type="a" type="b"/>\n</quiz>', 3, "redefined"),
    ],
)
def test_bad_xml_names_its_line(text: str, line: int, words: str) -> None:
    [(found_line, message)] = refused(text.encode("utf-8"))
    assert found_line == line
    assert words.lower() in message.lower()


def test_a_file_that_is_not_a_moodle_export_says_so() -> None:
    [(line, message)] = refused(b'<?xml version="1.0"?>\n<html><body/></html>')
    assert "starts with <quiz>, not <html>" in message
    assert line == 2


def test_an_empty_quiz_has_no_question_to_import() -> None:
    [(_, message)] = refused(quiz())
    assert "no question to import" in message
    assert "Moodle XML" in message


def test_a_moodle_xml_file_saved_as_txt_is_still_read() -> None:
    assert parse_upload("bank.txt", quiz(truefalse())).format == "moodle_xml"


def test_the_file_declares_its_own_encoding() -> None:
    content = quiz(truefalse("La Cámara tiene 435 miembros."), prolog="")
    latin = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + content.decode("utf-8")).encode(
        "latin-1"
    )
    [question] = parse_upload("bank.xml", latin).question_set.questions
    assert question.prompt == "La Cámara tiene 435 miembros."


def file_element(name: str, data: bytes) -> str:
    return (
        f'<file name="{name}" path="/" encoding="base64">{base64.b64encode(data).decode()}</file>'
    )


def test_an_embedded_png_is_kept_by_its_name() -> None:
    prompt = '&lt;img src="@@PLUGINFILE@@/seal.png"&gt; Whose seal is this?'
    parsed = parse_upload("bank.xml", quiz(truefalse(prompt, file_element("seal.png", PNG))))
    assert list(parsed.images) == ["seal.png"]
    assert parsed.images["seal.png"].content_type == "image/png"
    assert parsed.images["seal.png"].data == PNG


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "not a PNG"),
        (b"MZ\x90\x00 an executable", "not a PNG"),
    ],
)
def test_an_embedded_file_that_is_no_raster_image_is_left_out(data: bytes, why: str) -> None:
    parsed = parse_upload("bank.xml", quiz(truefalse(extra=file_element("seal.png", data))))
    assert parsed.images == {}
    assert any(
        why in warning.message and "seal.png" in warning.message for warning in parsed.warnings
    )


def test_broken_base64_is_left_out_with_a_warning() -> None:
    broken = '<file name="seal.png" path="/" encoding="base64">not base64!!</file>'
    parsed = parse_upload("bank.xml", quiz(truefalse(extra=broken)))
    assert parsed.images == {}
    assert any("not valid base64" in warning.message for warning in parsed.warnings)


def test_image_names_cannot_climb_out_of_their_folder() -> None:
    assert safe_image_name("../../etc/passwd") == "passwd"
    assert safe_image_name("C:\\Users\\x\\map of 1787.png") == "map of 1787.png"
    assert safe_image_name('a"<b>.png') == "a_b_.png"
    assert safe_image_name("..") == ""


def test_image_types_come_from_the_bytes() -> None:
    assert image_type(PNG) == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_type(b"GIF89a...") == "image/gif"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b"<svg") is None


def test_an_image_name_with_spaces_is_found_as_moodle_encodes_it() -> None:
    prompt = '&lt;img src="@@PLUGINFILE@@/map%20of%20states.png" alt="Map"&gt; Which state?'
    content = quiz(truefalse(prompt, file_element("map of states.png", PNG)))
    parsed = parse_upload("bank.xml", content)
    assert list(parsed.images) == ["map of states.png"]
    assert not [w for w in parsed.warnings if "image" in w.message]


def test_an_image_named_but_not_embedded_is_left_out_with_a_warning() -> None:
    prompt = '&lt;img src="@@PLUGINFILE@@/seal.png" alt="Seal"&gt; Whose seal is this?'
    parsed = parse_upload("bank.xml", quiz(truefalse(prompt)))
    assert parsed.images == {}
    assert any("'seal.png'" in w.message and "left out" in w.message for w in parsed.warnings)


def test_an_embedded_image_no_question_shows_is_not_kept() -> None:
    parsed = parse_upload("bank.xml", quiz(truefalse(extra=file_element("unused.png", PNG))))
    assert parsed.images == {}


def test_an_empty_file_a_wrong_encoding_and_a_huge_file_say_what_to_do() -> None:
    assert refused(b"  \n") == [(1, "the file is empty")]
    broken = b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question><name><text>\xe9'
    [(line, message)] = refused(broken + b"</text></name></question></quiz>")
    assert line == 2 and message.endswith("save it as UTF-8")
    huge = quiz(truefalse()) + b" " * MAX_XML_FILE_BYTES
    [(_, message)] = refused(huge)
    assert message.startswith(
        f"a Moodle XML file may be at most {describe_bytes(MAX_XML_FILE_BYTES)}"
    )

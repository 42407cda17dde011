"""Uploads in every format we accept, parsed into one shape and checked by the one validator.

YAML and JSON are the native format. CSV, GIFT and Aiken parsers only turn their file into a
document of the native shape (with the lines of the original file); ``validate_document``
then checks every rule, so every format is held to the same contract.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from ..errors import QuestionSetError, ValidationIssue
from ..i18n import gettext, lazy_gettext, ngettext
from ..model import QuestionSet
from ..raw_document import RawDocument
from ..rich_text import image_file_name, image_sources, question_texts
from ..spreadsheet import xlsx_rows
from ..validation import SourceFileError, SourceReader, validate_document
from ..warnings import missing_image, no_evidence
from ..yaml_reader import read_yaml_document
from .aiken import parse_aiken
from .csv_format import parse_csv, parse_rows
from .decoding import SAVE_AS_CSV_UTF8, decode_upload
from .documents import DocumentBuilder, ParseResult, UploadContext, base_name
from .gift import parse_gift
from .images import ImageFile
from .moodle_xml import parse_moodle_xml
from .skipping import count_valid
from .skipping import skip_invalid as skip_invalid_questions
from .sniffing import NATIVE_FORMATS, format_from_extension, looks_like_xml, sniff_text_format

__all__ = ["ParsedUpload", "parse_upload"]

_PARSERS: dict[str, Callable[[str, UploadContext], ParseResult]] = {
    "csv": parse_csv,
    "gift": parse_gift,
    "aiken": parse_aiken,
}
#: How a zip file, and so an .xlsx workbook, begins.
ZIP_SIGNATURE = b"PK\x03\x04"
_EMPTY_HINTS = {
    "csv": lazy_gettext(
        "the file has no question to import; add one row per question under the header row"
    ),
    "xlsx": lazy_gettext(
        "the file has no question to import; add one row per question under the header row of "
        "the first sheet"
    ),
    "gift": lazy_gettext(
        "the file has no question to import; separate questions with a blank line and put their "
        "answers in { }"
    ),
    "aiken": lazy_gettext(
        "the file has no question to import; write a question line, its options (A. text), then "
        "a line such as ANSWER: A"
    ),
    "moodle_xml": lazy_gettext(
        "the file has no question to import; export questions from Moodle's question bank in "
        "Moodle XML format"
    ),
}
MOODLE_XML = "moodle_xml"


@dataclass(frozen=True)
class ParsedUpload:
    """A validated upload, what the teacher should know about it, and the format it was in."""

    question_set: QuestionSet
    #: Questions without evidence, images left out, etc.: they do not block the import.
    warnings: list[ValidationIssue]
    #: "yaml", "json", "csv", "xlsx", "gift", "aiken" or "moodle_xml".
    format: str
    #: With ``skip_invalid``: each problem of the questions left out, with its line and reason.
    skipped: list[ValidationIssue] = field(default_factory=list)
    #: How many questions were left out.
    skipped_count: int = 0
    #: Images the file carries (Moodle XML), by the name the set's text refers to them by.
    images: dict[str, ImageFile] = field(default_factory=dict)


def parse_upload(
    filename: str,
    content: bytes,
    *,
    sources: dict[str, str] | None = None,
    set_id: str | None = None,
    title: str | None = None,
    image_files: Collection[str] = (),
    skip_invalid: bool = False,
) -> ParsedUpload:
    """Detect the format, parse, validate; raise QuestionSetError with EVERY issue at once.

    ``image_files`` are the names of the image files that travel with the set: an image any
    other file names is dropped from the questions, with a warning. With ``skip_invalid`` the
    questions with errors are left out and listed, and the rest is imported; without it a file
    with any error is refused, and the error says how many questions skipping would keep."""
    name = base_name(filename)
    file_format = format_from_extension(name)
    if file_format == "csv" and content.startswith(ZIP_SIGNATURE):
        file_format = "xlsx"  # a workbook saved under a .csv name is read as the workbook it is
    if file_format == "txt" and looks_like_xml(content):
        file_format = MOODLE_XML
    # Workbooks are zip files, and XML files say their own encoding: both are read as bytes.
    text = "" if file_format in ("xlsx", MOODLE_XML) else _text_of(content, name, file_format)
    if file_format == "txt":
        file_format = sniff_text_format(text, name)
    images: dict[str, ImageFile] = {}
    validate: Callable[[RawDocument], QuestionSet]
    if file_format in NATIVE_FORMATS:
        document = read_yaml_document(text, name)
        reader = _uploaded_source_reader(sources or {})

        def validate(doc: RawDocument) -> QuestionSet:
            # Native sets keep their rules: sources required, evidence optional for uploads.
            return validate_document(
                doc,
                name,
                reader,
                require_evidence=False,
                require_sources=True,
                require_explanation=False,
            )

        parser_issues: list[ValidationIssue] = []
        warnings: list[ValidationIssue] = []
    else:
        context = UploadContext(name, sources or {}, set_id, title)
        result = _foreign(file_format, content, text, context)
        document, parser_issues, warnings = result.document, result.issues, result.warnings
        images = result.images
        if not document.data["questions"]:
            raise QuestionSetError(
                sorted(parser_issues, key=_by_line) or [_no_questions(file_format, name)],
                warnings=sorted(warnings, key=_by_line),
            )

        def validate(doc: RawDocument) -> QuestionSet:
            return validate_document(
                doc, name, None, require_sources=False, require_explanation=False
            )

    if skip_invalid:
        kept = skip_invalid_questions(document, validate, parser_issues)
        document, question_set = kept.document, kept.question_set
        skipped, skipped_count = kept.skipped, kept.skipped_count
    else:
        question_set = _validated_whole(document, validate, parser_issues, warnings)
        skipped, skipped_count = [], 0
    warnings += _evidence_warnings(question_set, document, name)
    warnings += _explanation_warnings(question_set, name)
    warnings += _missing_image_warnings(question_set, document, name, {*image_files, *images})
    return ParsedUpload(
        question_set,
        sorted(warnings, key=_by_line),
        file_format,
        skipped,
        skipped_count,
        _named_images(question_set, images),
    )


def _foreign(file_format: str, content: bytes, text: str, context: UploadContext) -> ParseResult:
    """A file of another format as a native-shaped document."""
    if file_format == MOODLE_XML:
        return parse_moodle_xml(content, context)
    if file_format == "xlsx":
        return _parse_workbook(content, context)
    return _PARSERS[file_format](text, context)


def _explanation_warnings(question_set: QuestionSet, filename: str) -> list[ValidationIssue]:
    """One warning for all the questions without an explanation: it is optional in an upload."""
    unexplained = [question.id for question in question_set.questions if not question.explanation]
    if not unexplained:
        return []
    shown = ", ".join(unexplained[:5])
    if len(unexplained) > 5:
        shown = gettext(
            "%(shown)s and %(count)s more", shown=shown, count=format(len(unexplained) - 5, ",")
        )
    count = len(unexplained)
    return [
        ValidationIssue(
            filename,
            ngettext(
                "%(count)s question has no explanation (%(shown)s); students will see only "
                "whether they were right, with no reason why",
                "%(count)s questions have no explanation (%(shown)s); students will see only "
                "whether they were right, with no reason why",
                count,
                count=format(count, ","),
                shown=shown,
            ),
        )
    ]


def _text_of(content: bytes, name: str, file_format: str) -> str:
    text = decode_upload(
        content,
        name,
        legacy_encodings=file_format not in NATIVE_FORMATS,
        save_as=SAVE_AS_CSV_UTF8 if file_format == "csv" else None,
    )
    if not text.strip():
        raise QuestionSetError([ValidationIssue(name, gettext("the file is empty"), 1)])
    return text


def _named_images(question_set: QuestionSet, images: dict[str, ImageFile]) -> dict[str, ImageFile]:
    """The images that the set's questions show (a skipped question's images stay behind)."""
    if not images:
        return {}
    shown = {
        image_file_name(src)
        for question in question_set.questions
        for text in question_texts(question)
        for src in image_sources(text, question.text_format)
    }
    return {name: image for name, image in images.items() if name in shown}


def _validated_whole(
    document: RawDocument,
    validate: Callable[[RawDocument], QuestionSet],
    parser_issues: list[ValidationIssue],
    warnings: list[ValidationIssue],
) -> QuestionSet:
    """The whole file as a set, or QuestionSetError with every issue, the warnings, and what
    skipping the invalid questions would keep."""
    validation_issues: list[ValidationIssue] = []
    try:
        question_set = validate(document)
    except QuestionSetError as error:
        validation_issues = error.issues
    if not parser_issues and not validation_issues:
        return question_set
    issues = parser_issues + validation_issues
    valid, invalid = count_valid(document, validation_issues, parser_issues)
    raise QuestionSetError(
        sorted(issues, key=_by_line),
        warnings=sorted(warnings, key=_by_line),
        valid_questions=valid,
        invalid_questions=invalid,
    )


def _parse_workbook(content: bytes, context: UploadContext) -> ParseResult:
    """An .xlsx upload: its first sheet's rows read as a CSV file's would be."""
    rows = xlsx_rows(content, context.filename)
    builder = DocumentBuilder(context)
    parse_rows(rows, builder)
    return builder.result()


def _uploaded_source_reader(sources: dict[str, str]) -> SourceReader:
    """A reader for ``file:`` sources that finds uploaded texts by base name, never on disk."""
    by_name = {base_name(name): text for name, text in sources.items()}
    by_folded_name = {name.casefold(): text for name, text in by_name.items()}

    def read(path: str) -> str:
        name = base_name(path)
        if name in by_name:
            return by_name[name]
        if name.casefold() in by_folded_name:
            return by_folded_name[name.casefold()]
        uploaded = ", ".join(sorted(by_name)) or gettext("none")
        raise SourceFileError(
            gettext(
                "source file '%(path)s' was not uploaded; upload '%(name)s' with the set "
                "(uploaded: %(uploaded)s)",
                path=path,
                name=name,
                uploaded=uploaded,
            )
        )

    return read


def _no_questions(file_format: str, filename: str) -> ValidationIssue:
    return ValidationIssue(filename, str(_EMPTY_HINTS[file_format]))


def _evidence_warnings(
    question_set: QuestionSet, document: RawDocument, filename: str
) -> list[ValidationIssue]:
    """One warning per question without evidence; the validated questions keep the file order."""
    return [
        ValidationIssue(
            filename,
            no_evidence(question.id),
            document.line(("questions", index)),
            question.id,
        )
        for index, question in enumerate(question_set.questions)
        if not question.evidence
    ]


def _missing_image_warnings(
    question_set: QuestionSet, document: RawDocument, filename: str, image_files: Collection[str]
) -> list[ValidationIssue]:
    """One warning per image a question shows whose file is not in the upload."""
    warnings = []
    for index, question in enumerate(question_set.questions):
        missing = sorted(
            {
                image_file_name(src)
                for text in question_texts(question)
                for src in image_sources(text, question.text_format)
                if image_file_name(src) not in image_files
            }
        )
        warnings += [
            ValidationIssue(
                filename,
                missing_image(question.id, name),
                document.line(("questions", index)),
                question.id,
            )
            for name in missing
        ]
    return warnings


def _by_line(issue: ValidationIssue) -> int:
    return issue.line or 0

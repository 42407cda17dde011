"""Every size limit of Civics Quiz in one place, so forms, validator, loader, templates and
error messages agree.

Each limit bounds the work one request can cause: gunicorn's worker timeout does not stop slow
Python code in a threaded worker, so the limits on the work itself are the request's budget.
docs/question-format.md states the ones a teacher meets.
"""

from __future__ import annotations

from datetime import timedelta

MIB = 1024 * 1024

#: A question-set file, in bytes, whatever its format: room for a 5,000-question Moodle bank.
MAX_FILE_BYTES = 4 * MIB
#: A whole upload request: the question-set file and its source texts together.
MAX_UPLOAD_REQUEST_BYTES = 16 * MIB
#: A Moodle XML file, in bytes: Moodle embeds each question's images in it (base64), so its
#: files are larger than the same questions in other formats.
MAX_XML_FILE_BYTES = 12 * MIB
#: One image carried by a set, and the images of one set.
MAX_IMAGE_BYTES = 2 * MIB
MAX_IMAGES_PER_SET = 200
#: Questions in one set (and so the most an assignment can draw): a whole Moodle course bank.
MAX_QUESTIONS = 5_000
#: Choices of a single or multiple choice question, and pairs of a matching question, as
#: Moodle allows them; items of an ordering question.
MAX_CHOICES = 20
MAX_MATCHING_PAIRS = 20
MAX_ORDERING_ITEMS = 8
#: Characters of one source text.
MAX_SOURCE_CHARS = 200_000
#: Bytes that MAX_SOURCE_CHARS characters can take in UTF-8 (at most 4 each), with a byte-order
#: mark: a source file larger than this is too long without being read.
MAX_SOURCE_BYTES = MAX_SOURCE_CHARS * 4 + 3
#: The text fields of one form, in bytes as sent (Flask's MAX_FORM_MEMORY_SIZE; its default of
#: 500 kB refused a long article pasted whole). A source at MAX_SOURCE_CHARS of 4-byte characters
#: is 2.4 MB once form-encoded; above it, a text pasted over the character limit still arrives,
#: and the page says how long it may be and keeps it.
MAX_FORM_TEXT_BYTES = 4 * MIB
#: Characters of a source text once normalised for quote matching (Unicode NFKC): some
#: characters grow many times (U+FDFA becomes 18 characters), and matching works on the result.
MAX_NORMALIZED_SOURCE_CHARS = 2 * MAX_SOURCE_CHARS
#: Evidence quotes of one question, and of a whole set: each is found and shown in its source.
MAX_EVIDENCE_PER_QUESTION = 20
MAX_EVIDENCE_PER_SET = 1_000
#: Characters of source text shown on each side of an evidence quote in a preview.
EXCERPT_CONTEXT_CHARS = 300
#: The longest stretch of a quote shown marked in a preview: longer ones show start … end.
EXCERPT_MARK_CHARS = 1_000
#: A title of a set or of a source, and a slug (set id, question id, source key, category).
MAX_TITLE_CHARS = 200
MAX_SLUG_CHARS = 64
#: A category path such as ``unit-1/reading`` (a Moodle bank's folders): each part is a slug.
MAX_CATEGORY_PATH_CHARS = 200
#: YAML: aliases (*name), nesting, and the document's size once aliases are expanded, in values
#: and in characters. A file without aliases can never pass the character bound, since no YAML
#: text is longer once read than as written.
MAX_YAML_ALIASES = 100
MAX_YAML_DEPTH = 40
MAX_EXPANDED_NODES = 400_000  # a 5,000-question set needs about 150,000
MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES
#: Problems of a refused upload listed on its page (the rest are counted).
MAX_PROBLEMS_SHOWN = 200
#: A student's typed short answer.
MAX_SHORT_ANSWER_CHARS = 500
#: A student's written response, whatever its word limit (a question allows at most 1,000 words).
MAX_WRITTEN_RESPONSE_CHARS = 20_000
#: Uploads waiting for their preview: each teacher keeps at most this many, for at most this long.
MAX_PENDING_UPLOADS = 5
PENDING_UPLOAD_LIFETIME = timedelta(days=1)
#: A second "Create" of the same class or assignment within this long is the first press sent
#: again (a double click on a page without its script, or a resend after a slow answer): it
#: opens what the first made instead of making another.
REPEATED_PRESS = timedelta(seconds=10)
#: Sets a teacher is writing in the editor; starting one more forgets the least recently saved.
MAX_DRAFT_SETS = 50
#: The largest id a URL can name: ids are 32-bit integer columns (PostgreSQL's ``integer``).
MAX_ID = 2**31 - 1


def describe_bytes(size: int) -> str:
    """A byte count as people read it: '1 MiB', '8 MiB', '800 KB'."""
    if size >= MIB and size % MIB == 0:
        return f"{size // MIB} MiB"
    return f"{round(size / 1000):,} KB"


#: A roster pasted or uploaded to create a class's accounts: students at a time, its characters
#: (each account costs a password hash), its file in bytes (any encoding), and one name.
MAX_ROSTER_STUDENTS = 100
MAX_ROSTER_CHARS = 100_000
MAX_ROSTER_BYTES = 4 * MAX_ROSTER_CHARS
MAX_NAME_CHARS = 100


#: An article brought in to draft questions from (quizapp/domain/articles.py): its file in
#: bytes, a PDF's pages, what a .docx (a zip file) may unzip to and its members, an HTML page's
#: characters, and the text such a page may hold once scripts and styles are dropped (the work
#: of finding the story in it grows with the page). The article's own text is a source text:
#: MAX_SOURCE_CHARS.
MAX_ARTICLE_BYTES = 5 * MIB
MAX_PDF_PAGES = 60
MAX_DOCX_EXPANDED_BYTES = 40 * MIB
MAX_DOCX_MEMBERS = 2_000
MAX_HTML_CHARS = 3_000_000
MAX_PAGE_TEXT_CHARS = 2 * MAX_SOURCE_CHARS


#: An .xlsx workbook uploaded as a question set (a zip file): what it may unzip to, its members,
#: and the rows and columns read of its first sheet (a set holds at most MAX_QUESTIONS rows, and
#: a template may have instructions above its header).
MAX_XLSX_EXPANDED_BYTES = 20 * MIB
MAX_XLSX_MEMBERS = 200
MAX_SHEET_ROWS = 2_000
MAX_SHEET_COLUMNS = 60

#: A quick round of free practice on a shipped set: this many items (a Part A with its Part B
#: is one), drawn evenly from the categories, so a round fits a class period on a phone.
QUICK_ROUND_ITEMS = 15

#: Marking: the distinct typed answers item analysis lists per short-answer question (the most
#: frequent first), and the characters of a teacher's comment on a written response.
MAX_TYPED_ANSWERS = 100
MAX_COMMENT_CHARS = 2_000

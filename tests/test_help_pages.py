"""The help for teachers: the guide at /help, its templates, and the format reference."""

from __future__ import annotations

import io

from helpers.forms import csrf_token, post_form
from openpyxl import load_workbook

from quizapp.domain.markdown_blocks import parse_blocks
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.domain.spreadsheet_template import EXAMPLE_ARTICLE_NAME, TEMPLATE_COLUMNS


def test_help_answers_with_the_teachers_guide(client):
    response = client.get("/help")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Help for teachers</h1>" in page
    for heading in ("Write questions in the browser", "Bring in an article", "Use a spreadsheet"):
        assert heading in page
    assert 'href="/help/templates/question-template.xlsx"' in page
    assert 'href="/help/templates/question-template.csv"' in page
    assert 'href="/help/question-format"' in page, "the full reference stays linked"
    assert 'href="/teach/"' in page


def test_teachers_reach_the_help_from_the_nav_the_dashboard_and_the_upload_page(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    for url in ("/teach/", "/teach/upload"):
        page = teacher.get(url).get_data(as_text=True)
        assert 'href="/help">Help</a>' in page, url
    assert "Help: writing questions, articles and spreadsheets" in teacher.get("/teach/").get_data(
        as_text=True
    )
    assert "help for teachers</a>" in teacher.get("/teach/upload").get_data(as_text=True)


def test_the_templates_download_as_files_a_spreadsheet_opens(client):
    xlsx = client.get("/help/templates/question-template.xlsx")
    assert xlsx.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert 'filename="question-template.xlsx"' in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == TEMPLATE_COLUMNS
    assert len(rows) == 1 + len(QUESTION_TYPES), "a header and an example of each type"

    csv = client.get("/help/templates/question-template.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.data.startswith("\ufeff".encode()), "Excel reads UTF-8 with a byte-order mark"
    assert csv.data.decode("utf-8-sig").splitlines()[0] == ",".join(TEMPLATE_COLUMNS)
    article = client.get("/help/templates/example-article.txt")
    assert f'filename="{EXAMPLE_ARTICLE_NAME}"' in article.headers["Content-Disposition"]
    assert article.headers["Content-Type"] == "text/plain; charset=utf-8"  # the charset once


def test_the_downloaded_templates_upload_as_they_are(client, signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    article = client.get("/help/templates/example-article.txt").data
    for name in ("question-template.xlsx", "question-template.csv"):
        response = teacher.post(
            "/teach/upload",
            data={
                "csrf_token": csrf_token(teacher, "/teach/upload"),
                "question_file": (io.BytesIO(client.get(f"/help/templates/{name}").data), name),
                "source_files": [(io.BytesIO(article), EXAMPLE_ARTICLE_NAME)],
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)


def test_a_bar_written_in_a_table_cell_shows_as_a_bar():
    [table] = parse_blocks("| column | content |\n| --- | --- |\n| `choices` | a \\| b \\| c |\n")
    assert table.rows == [["column", "content"], ["`choices`", "a | b | c"]]


def test_the_format_reference_shows_the_csv_list_separator(client):
    page = client.get("/help/question-format").get_data(as_text=True)
    assert "all the choices in one cell, separated by `|`" in page
    csv_section = page.split("<h2>CSV files</h2>", 1)[1]
    table = csv_section.split("<table", 1)[1].split("</table>", 1)[0]
    assert "`|`" in table and "\\" not in table


SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}


def test_the_guide_speaks_spanish_to_a_spanish_browser(client):
    page = client.get("/help", headers=SPANISH).get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "<h1>Ayuda para docentes</h1>" in page and "<title>Ayuda para docentes" in page
    for heading in ("Escribir preguntas en el navegador", "Usar una hoja de cálculo"):
        assert f">{heading}</h2>" in page and f">{heading}</a></li>" in page
    assert '<nav aria-label="En esta página">' in page
    # The links inside the translated sentences still lead where they did.
    assert '<a href="/teach/">página de Enseñanza</a>' in page
    assert '<a href="/help/templates/question-template.xlsx" download>' in page
    assert f"download>{EXAMPLE_ARTICLE_NAME}</a>, el artículo breve" in page
    assert '<a href="/help/question-format">el formato de archivo de conjuntos' in page
    # Column names are the file format: they stay as the sheet spells them.
    assert "<code>prompt</code> es la pregunta." in page
    assert "Help for teachers" not in page and "Write questions in the browser" not in page


def test_the_format_reference_is_the_spanish_document_in_spanish(client):
    response = client.get("/help/question-format", headers=SPANISH)
    page = response.get_data(as_text=True)
    assert '<html lang="es"' in page and '<article class="doc">' in page
    assert "<title>El formato de archivo de conjuntos de preguntas" in page
    assert "<h1>Formato de archivo de conjuntos de preguntas, versión 1</h1>" in page
    assert "<h2>Archivos CSV</h2>" in page and "<h2>CSV files</h2>" not in page
    # The examples are the file format, as in English; the table's label follows the interface.
    assert "format: quizapp/1                 # required, exactly this string" in page
    assert 'aria-label="Tabla de columna, contenido"' in page
    assert "todas las opciones en una celda, separadas por `|`" in page


def test_the_english_reference_stays_english_beside_the_spanish_one(client):
    client.get("/help/question-format", headers=SPANISH)
    page = client.get("/help/question-format").get_data(as_text=True)
    assert '<html lang="en"' in page and '<article class="doc">' in page
    assert "<h1>Question-set file format, version 1</h1>" in page
    assert "<title>The question-set file format" in page
    assert 'aria-label="Table of column, content"' in page


def test_a_teacher_who_chose_spanish_reads_the_spanish_reference(signed_in):
    teacher = signed_in("ms-lee", role="teacher")
    post_form(teacher, "/language", {"language": "es", "next": "/help"}, page="/help")
    page = teacher.get("/help/question-format", headers={"Accept-Language": "en"})
    assert "<h1>Formato de archivo de conjuntos de preguntas, versión 1</h1>" in page.get_data(
        as_text=True
    )


def test_a_language_without_its_own_document_reads_the_english_one_marked_english(app, client):
    app.config["LANGUAGES"] = {"en": "English", "es": "Español", "fr": "Français"}
    page = client.get("/help/question-format", headers={"Accept-Language": "fr"}).get_data(
        as_text=True
    )
    assert '<html lang="fr"' in page
    assert '<article class="doc" lang="en">' in page
    assert "<h1>Question-set file format, version 1</h1>" in page


def test_a_teacher_finds_how_to_get_an_account_from_the_sign_in_page(client):
    sign_in = client.get("/account/login").get_data(as_text=True)
    assert 'href="/help#account"' in sign_in
    help_page = client.get("/help").get_data(as_text=True)
    assert 'id="account"' in help_page and "create-teacher" in help_page
    assert "Invite another teacher" in help_page

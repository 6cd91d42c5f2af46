"""What every Word document Coordinator writes shares: opening a user's template, rendering it safely, and
the few texts documents word the same way (days, locations).

Rendering uses autoescape (a `&` or `<` in a task title would otherwise corrupt the document's XML) and strict
undefined variables (a typo in a template is an error, not an empty cell); every problem becomes a one-line
TemplateError naming the file. docxtpl, python-docx and jinja2 are imported on first use.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import TemplateError

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

TEAMS_PLACEHOLDERS = {"microsoft teams meeting", "microsoft teams-besprechung", ""}


def open_template(path: Path) -> DocxTemplate:
    """The template at `path`, read and parsed; TemplateError when it is missing or not a .docx."""
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate

    if not path.is_file():
        raise TemplateError(str(path), "file not found" if not path.exists() else "not a file")
    document = DocxTemplate(path)
    try:
        document.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(str(path), f"not a Word .docx document ({exc})") from None
    return document


def render(document: DocxTemplate, context: dict[str, Any], path: Path) -> bytes:
    """The filled-in document's bytes; TemplateError naming `path` and the problem when the tags are wrong."""
    import jinja2

    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    try:
        document.render(context, jinja_env=environment, autoescape=True)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(str(path), f"syntax error: {exc.message}{near(exc)}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(str(path), f"unknown variable: {exc.message} (templates/README.md lists them)") from None
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError) as exc:
        raise TemplateError(str(path), f"cannot render: {exc}") from None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def near(exc: Exception) -> str:
    """docxtpl attaches the paragraphs around a syntax error, tags stripped; the fourth is the culprit's."""
    lines = [html.unescape(line).strip() for line in getattr(exc, "docx_context", ())]
    lineno = getattr(exc, "lineno", None) or 0
    at = min(3, max(lineno - 1, 0))
    candidates = lines[at : at + 1] + lines[at - 1 : at] + lines[at + 1 :] if lines else []
    text = next((line for line in candidates if line), "")
    return f" (near “{text[:80]}”)" if text else ""


def day_text(value: dt.date | None, reference: dt.date) -> str:
    """`Fri 13 Mar`, the year added when it is not `reference`'s; None → ""."""
    if value is None:
        return ""
    return f"{value:%a} {value.day} {value:%b}" + (f" {value.year}" if value.year != reference.year else "")


def where(location: str) -> str:
    """The location, less the "Microsoft Teams Meeting" Outlook writes into every online meeting (alone or
    after a room: `New York – Hudson (12F); Microsoft Teams Meeting`)."""
    parts = [part.strip() for part in location.split(";")]
    return "; ".join(part for part in parts if part.casefold() not in TEAMS_PLACEHOLDERS)


def text_width_mm(document: DocxTemplate, most: float) -> float:
    section = document.get_docx().sections[0]
    if section.page_width is None:
        return most
    return float((section.page_width - (section.left_margin or 0) - (section.right_margin or 0)) / 36000)

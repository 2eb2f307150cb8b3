"""Build the DOCX templates of official documents (issue #16) from one layout.

Run from the repository root:  /work/main/.venv/bin/python workflows/documents/build_templates.py
Every template is written by this script so the Nghị định 30/2020/NĐ-CP layout (heading table, title, body,
signer's block, recipients) is the same in all of them and a change is reviewed here, not inside a binary file.
The bodies are in template_bodies.py (with body_parts.py, complaint_bodies.py and denunciation_bodies.py beside
it); documents.yaml (the manifest) names each template.
The templates use only the context names of the documents contract (unit, doc, case, requester, parties,
respondents, fields, signer, recipients, today) through docxtpl / Jinja2 tags.
"""

import datetime
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import template_bodies  # a sibling file, not a package: this folder holds data

HERE = Path(__file__).resolve().parent
FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
# A4; Nghị định 30/2020/NĐ-CP, Phụ lục I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
USABLE_CM = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
# fixed metadata so that re-running the script gives the same files
FIXED_TIME = datetime.datetime(2026, 12, 1, 0, 0, 0)


def _fonts(rpr_parent):
    """Times New Roman for every script (Vietnamese letters fall in the hAnsi / cs ranges)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def new_document():
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.0
    props = doc.core_properties
    props.author = props.last_modified_by = "dvflow"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.title = ""
    return doc


def add_par(container, text="", *, bold=False, italic=False, underline=False, size=BODY_PT,
            align=None, indent=False, space_after=0, space_before=0):
    """One paragraph; '**' in text toggles bold so a label and its value can share a line."""
    par = container.add_paragraph()
    fmt = par.paragraph_format
    fmt.space_after, fmt.space_before = Pt(space_after), Pt(space_before)
    if align is not None:
        par.alignment = align
    if indent:
        fmt.first_line_indent = Cm(1)
    for i, piece in enumerate(text.split("**")):
        if not piece:
            continue
        run = par.add_run(piece)
        run.bold = bold or (i % 2 == 1)
        run.italic, run.underline = italic, underline
        run.font.size = Pt(size)
    return par


def control(container, tag):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); docxtpl removes the paragraph itself."""
    par = container.add_paragraph()
    par.add_run(tag)
    return par


def borderless_table(doc, widths_cm):
    table = doc.add_table(rows=1, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)
    layout = OxmlElement("w:tblLayout")  # fixed widths: LibreOffice and Word then agree on the columns
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, widths_cm):
        cell.width = Cm(width)
    keep_row_whole(table.rows[0])
    return table


def keep_row_whole(row):
    """A signer's block or a heading never splits across two pages."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _cell(table, col):
    cell = table.rows[0].cells[col]
    cell._element.remove(cell.paragraphs[0]._p)  # start empty: every line is added explicitly
    return cell


def draft_mark(doc):
    control(doc, "{%p if doc.draft %}")
    add_par(doc, "DỰ THẢO", bold=True, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6)
    control(doc, "{%p endif %}")


def heading(doc, excerpt=None):
    """The two-column heading of Nghị định 30/2020/NĐ-CP: issuing body and number left, national heading right.

    excerpt: the "V/v ..." line of a letter (công văn), printed under the number."""
    table = borderless_table(doc, [7.0, USABLE_CM - 7.0])
    left, right = _cell(table, 0), _cell(table, 1)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    control(left, "{%p if unit.parent_name %}")
    add_par(left, "{{ unit.parent_name|upper }}", size=12, align=centre)
    control(left, "{%p endif %}")
    add_par(left, "{{ unit.name|upper }}", bold=True, size=12, align=centre)
    add_par(left, "Số: {{ doc.number_symbol }}", align=centre, space_before=6)
    if excerpt:
        add_par(left, excerpt, size=12, align=centre, space_before=4)
    add_par(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, align=centre)
    add_par(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, align=centre, space_after=10)
    add_par(right, "{{ doc.place or unit.place }}, {{ doc.date_long }}", italic=True, align=centre)
    add_par(doc, "", space_after=6)


def title(doc, text, excerpt=None):
    add_par(doc, text, bold=True, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6)
    if excerpt:
        add_par(doc, excerpt, bold=True, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_par(doc, "", space_after=6)


def body(doc, blocks):
    """blocks: strings (a justified, indented paragraph) or tuples (kind, text).

    kinds: 'ctrl' a {%p %} tag, 'centre' a bold centred line, 'plain' no indent, 'italic' an indented italic line
    (the "Căn cứ ..." of a decision), 'heading' a bold section line."""
    justify, centre = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    for block in blocks:
        kind, text = ("text", block) if isinstance(block, str) else block
        if kind == "ctrl":
            control(doc, text)
        elif kind == "centre":
            add_par(doc, text, bold=True, align=centre, space_before=6, space_after=6)
        elif kind == "plain":
            add_par(doc, text, align=centre, space_after=6)
        elif kind == "italic":
            add_par(doc, text, italic=True, align=justify, indent=True, space_after=3)
        elif kind == "heading":
            add_par(doc, text, bold=True, align=justify, indent=True, space_after=6)
        else:
            add_par(doc, text, align=justify, indent=True, space_after=6)


def signature(doc, with_recipients=True):
    """Recipients (Nơi nhận) left, signer right, as the decree lays them out."""
    add_par(doc, "", space_after=6)
    table = borderless_table(doc, [7.5, USABLE_CM - 7.5])
    left, right = _cell(table, 0), _cell(table, 1)
    if with_recipients:
        add_par(left, "Nơi nhận:", bold=True, italic=True, size=12)
        control(left, "{%p for r in recipients %}")
        add_par(left, "- {{ r }};", size=11)
        control(left, "{%p endfor %}")
        add_par(left, "- Lưu: VT, hồ sơ.", size=11)
    else:
        add_par(left, "")
    centre = WD_ALIGN_PARAGRAPH.CENTER
    add_par(right, "{{ signer.title|upper }}", bold=True, align=centre)
    add_par(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=12, align=centre)
    for _ in range(4):
        add_par(right, "")
    add_par(right, "{{ signer.name }}", bold=True, align=centre)


def signature_grid(doc, rows):
    """Signatures of several parties (minutes, receipts): rows of (left, right), each (title, note, name)."""
    add_par(doc, "", space_after=6)
    half = USABLE_CM / 2
    table = borderless_table(doc, [half, half])
    for index, pair in enumerate(rows):
        row = table.rows[0] if index == 0 else table.add_row()
        if index:
            keep_row_whole(row)
        cells = row.cells
        for cell, (heading_text, note, name) in zip(cells, pair):
            cell.width = Cm(half)
            if not cell.paragraphs[0].text:
                cell._element.remove(cell.paragraphs[0]._p)
            centre = WD_ALIGN_PARAGRAPH.CENTER
            add_par(cell, heading_text, bold=True, size=12, align=centre)
            add_par(cell, note, italic=True, size=11, align=centre)
            for _ in range(3):
                add_par(cell, "", size=11)
            add_par(cell, name, bold=True, align=centre, space_after=12)


def build(spec):
    doc = new_document()
    for block in spec.get("prelude", []):
        control(doc, block)
    draft_mark(doc)
    heading(doc, spec.get("excerpt_left"))
    if "title" in spec:  # a letter (công văn) has no title: its "V/v" line stands under the number
        title(doc, spec["title"], spec.get("excerpt"))
    body(doc, spec["body"])
    if "signatures" in spec:
        signature_grid(doc, spec["signatures"])
    else:
        signature(doc)
    return doc


def save_stable(document, path):
    """Save with fixed zip timestamps so that an unchanged template is an unchanged file in git."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            stable.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(stable, source.read(info.filename))


def main(out_dir=HERE):
    out_dir = Path(out_dir)
    written = []
    for doc_type, spec in template_bodies.TEMPLATES.items():
        path = out_dir / f"{doc_type}.docx"
        save_stable(build(spec), path)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in main(sys.argv[1] if len(sys.argv) > 1 else HERE):
        print(written_path)

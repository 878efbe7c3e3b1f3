"""The page frame every issued PDF shares: letterhead, title block, footer with QR."""
import functools
import io
from dataclasses import dataclass, field

import qrcode
import qrcode.constants
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from content_types.values import format_date, utcnow
from portal.documents.fonts import register_fonts

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
HEADER_H = 26 * mm
FOOTER_H = 26 * mm
QR_SIZE = 20 * mm


@dataclass(frozen=True)
class Office:
    """The issuing office as printed in the letterhead and in the metadata."""

    name: str
    address: tuple = ()
    logo: str = ""  # path to a PNG/JPEG, optional


#: the PDF keyword of an information sheet the portal prints without signing it
#: (the catalogue entry's «scheda»): /verifica names it as such instead of «unsigned»
INFORMATION_SHEET = "scheda-informativa-non-firmata"


@dataclass(frozen=True)
class Header:
    """What every document shows above its body and in its metadata."""

    office: Office
    title: str
    protocol: str = ""
    date: object = None  # date or datetime; defaults to today
    verify_url: str = ""
    subject: str = ""
    keywords: tuple = field(default_factory=tuple)


def escape(text):
    """Text safe inside a reportlab Paragraph (its mini-markup is XML-like)."""
    return (str(text if text is not None else "")
            .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


# -- styles -------------------------------------------------------------------------
class Styles:
    """Paragraph and table styles in the embedded family."""

    def __init__(self):
        regular, bold = register_fonts()
        self.regular, self.bold = regular, bold
        self.body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10)
        self.title = ParagraphStyle("title", fontName=bold, fontSize=15, leading=19,
                                    spaceAfter=4)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=11.5, leading=15,
                                      spaceBefore=8, spaceAfter=4)
        self.meta = ParagraphStyle("meta", parent=self.body, fontSize=9, leading=12,
                                   textColor=colors.HexColor("#333333"))
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=TA_RIGHT)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)


@functools.cache
def styles():
    return Styles()


# -- building blocks ----------------------------------------------------------------
def title_block(header):
    """Title, protocol number and date, as flowables."""
    st = styles()
    meta = []
    if header.protocol:
        meta.append(f"Protocollo n. <b>{escape(header.protocol)}</b>")
    meta.append(f"Data: {format_date(header.date or utcnow())}")
    return [Paragraph(escape(header.title), st.title),
            Paragraph(" — ".join(meta), st.meta), Spacer(1, 6 * mm)]


def heading(text):
    return Paragraph(escape(text), styles().heading)


def paragraph(text):
    return Paragraph(escape(text), styles().body)


def field_table(pairs):
    """A two-column label/value table."""
    st = styles()
    rows = [[Paragraph(escape(label), st.cell_head), Paragraph(escape(value), st.cell)]
            for label, value in pairs]
    if not rows:
        return Spacer(1, 0)
    table = Table(rows, colWidths=[55 * mm, PAGE_W - 2 * MARGIN - 55 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def data_table(columns, rows, widths=None, right_align=(), wrap_over=38):
    """A table with a repeated header row; ``columns`` are titles, rows are sequences.

    Short cells are plain strings (a Paragraph per cell is what makes long
    rankings slow); only text longer than ``wrap_over`` characters wraps.
    """
    st = styles()
    head = [Paragraph(escape(c), st.cell_head) for c in columns]
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None else str(value)
            if len(text) > wrap_over:
                cells.append(Paragraph(escape(text),
                                       st.cell_right if i in right_align else st.cell))
            else:
                cells.append(text)
        body.append(cells)
    total_w = PAGE_W - 2 * MARGIN
    if widths:
        scale = total_w / sum(widths)
        widths = [w * scale for w in widths]
    table = Table([head] + body, colWidths=widths, repeatRows=1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), st.regular),
        ("FONTSIZE", (0, 0), (-1, -1), st.cell.fontSize),
        ("LEADING", (0, 0), (-1, -1), st.cell.leading),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6ECF2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in right_align]
    table.setStyle(TableStyle(commands))
    return table


# -- page frame ---------------------------------------------------------------------
def _draw_letterhead(canvas, header):
    st = styles()
    canvas.saveState()
    top = PAGE_H - MARGIN
    x = MARGIN
    if header.office.logo:
        logo_h = 16 * mm
        canvas.drawImage(header.office.logo, x, top - logo_h, width=logo_h, height=logo_h,
                         preserveAspectRatio=True, mask="auto")
        x += logo_h + 4 * mm
    canvas.setFont(st.bold, 12)
    canvas.drawString(x, top - 5 * mm, header.office.name)
    canvas.setFont(st.regular, 8.5)
    y = top - 9.5 * mm
    for line in header.office.address[:3]:
        canvas.drawString(x, y, line)
        y -= 3.6 * mm
    canvas.setStrokeColor(colors.HexColor("#0066CC"))
    canvas.setLineWidth(1)
    canvas.line(MARGIN, PAGE_H - MARGIN - HEADER_H + 4 * mm,
                PAGE_W - MARGIN, PAGE_H - MARGIN - HEADER_H + 4 * mm)
    canvas.restoreState()


#: QR version by the (mode, length) of the data's segments, which alone decide it
_qr_versions = {}


def qr_matrix(url):
    """The QR modules for ``url`` (a fixed mask: searching the best one costs 10 ms).

    Fitting the version encodes the data once more; verification URLs all have
    the same shape, so the fitted version is remembered for that shape.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                         mask_pattern=2)
    code.add_data(url)
    shape = tuple((segment.mode, len(segment.data)) for segment in code.data_list)
    version = _qr_versions.get(shape)
    if version is None:
        code.make(fit=True)
        _qr_versions[shape] = code.version
    else:
        code.version = version
        code.make(fit=False)
    return code.get_matrix()


def _draw_qr_form(canvas, matrix, name):
    """Draw the QR once as a form XObject (each page then reuses it by name)."""
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=QR_SIZE, uppery=QR_SIZE)
    n = len(matrix)
    module = QR_SIZE / n
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        y = QR_SIZE - (row_index + 1) * module
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                path.rect(start * module, y, (col - start) * module, module)
            else:
                col += 1
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()


def _draw_footer(canvas, header, page, total, qr):
    st = styles()
    canvas.saveState()
    base = MARGIN
    canvas.setStrokeColor(colors.HexColor("#BBBBBB"))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, base + QR_SIZE + 2 * mm, PAGE_W - MARGIN, base + QR_SIZE + 2 * mm)
    canvas.setFont(st.regular, 7.5)
    text_w = PAGE_W - 2 * MARGIN - QR_SIZE - 4 * mm
    lines = []
    if header.verify_url:
        lines.append("Documento firmato digitalmente. Verifica l'autenticità inquadrando "
                     "il codice QR o visitando:")
        lines.extend(simpleSplit(header.verify_url, st.regular, 7.5, text_w))
    if header.protocol:
        lines.append(f"Protocollo n. {header.protocol}")
    y = base + QR_SIZE - 3 * mm
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= 3.4 * mm
    canvas.setFont(st.regular, 8)
    canvas.drawString(MARGIN, base, f"Pagina {page} di {total}")
    if qr is not None:
        canvas.saveState()
        canvas.translate(PAGE_W - MARGIN - QR_SIZE, base)
        canvas.doForm(qr)
        canvas.restoreState()
        canvas.linkURL(header.verify_url,
                       (PAGE_W - MARGIN - QR_SIZE, base, PAGE_W - MARGIN, base + QR_SIZE),
                       relative=0)
    canvas.restoreState()


def _numbered_canvas_class(header):
    """A canvas that defers footers until the page count is known («pagina x di y»)."""
    matrix = qr_matrix(header.verify_url) if header.verify_url else None

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_page_states = []

        def showPage(self):
            self._saved_page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_page_states)
            qr = None
            if matrix is not None:
                qr = "verifyQR"
                _draw_qr_form(self, matrix, qr)
            for state in self._saved_page_states:
                annotations = self._annotationCount  # keep annotation names unique
                self.__dict__.update(state)
                self._annotationCount = annotations
                _draw_footer(self, header, self._pageNumber, total, qr)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def build_pdf(header, flowables):
    """Render ``flowables`` inside the office's page frame; returns PDF bytes."""
    register_fonts()
    buf = io.BytesIO()
    office = header.office
    doc = BaseDocTemplate(
        buf, pagesize=A4,
        leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_H, bottomMargin=MARGIN + FOOTER_H,
        title=header.title, author=office.name,
        subject=header.subject or header.title,
        creator="Portale dei servizi sociali", producer="Portale dei servizi sociali",
        keywords=list(header.keywords) + ([header.protocol] if header.protocol else []),
        lang="it-IT", displayDocTitle=1, invariant=0,
        initialFontName=register_fonts()[0], initialFontSize=10,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(
        id="page", frames=[frame], onPage=lambda c, d: _draw_letterhead(c, header))])
    doc.build(title_block(header) + list(flowables),
              canvasmaker=_numbered_canvas_class(header))
    return buf.getvalue()


__all__ = [
    "Header",
    "Image",
    "Office",
    "build_pdf",
    "data_table",
    "escape",
    "field_table",
    "heading",
    "paragraph",
]

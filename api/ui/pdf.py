"""The referral dossier as a PDF (fpdf2): A4, the title and the flag id at the top of every page,
the page's sections in the page's order, "page n of m" at the bottom.

Text is set in DejaVu Sans (the TTF files matplotlib ships), so names and quotes beyond Latin-1
come out as written. A character the font has no glyph for is written as its code point
(``[U+1F600]``) rather than dropped: a dossier must not silently lose part of what was posted."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fpdf import FPDF
from fpdf.fonts import FontFace

from api.ui.text import translate

if TYPE_CHECKING:
    from api.ui.dossier.contents import Berkas, Fact

FAMILY = "DejaVu"
INK = (26, 26, 26)
MUTED = (74, 74, 74)
NOTE_BG = (255, 244, 224)
LINE = (200, 200, 200)
LABEL_W = 52.0  # mm, the label column of a section


def font_files() -> tuple[Path, Path]:
    import matplotlib  # a dependency already (the digest's chart); imported when a PDF is made

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return base / "DejaVuSans.ttf", base / "DejaVuSans-Bold.ttf"


def _add_fonts(pdf: FPDF) -> None:
    regular, bold = font_files()
    pdf.add_font(FAMILY, "", str(regular))
    pdf.add_font(FAMILY, "B", str(bold))


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points both DejaVu faces draw."""
    probe = FPDF()
    _add_fonts(probe)
    faces = [font.cmap for font in probe.fonts.values() if hasattr(font, "cmap")]
    return frozenset.intersection(*(frozenset(cmap) for cmap in faces))


def printable(text: str) -> str:
    """``text`` with what the font cannot draw spelled out, and invisible marks (variation
    selectors, joiners) left out."""
    covered = _covered()
    out = []
    for char in text.replace("\r\n", "\n").replace("\t", "    "):
        code = ord(char)
        if char == "\n" or code in covered:
            out.append(char)
        elif unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
            continue
        else:
            out.append(f"[U+{code:04X}]")
    return "".join(out)


class _Document(FPDF):
    def __init__(self, heading: str, page_words: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.heading = heading
        self.page_words = page_words  # "Halaman {n} dari {total}"
        _add_fonts(self)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, printable(self.heading), new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(4)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*MUTED)
        text = self.page_words.format(n=self.page_no(), total="{nb}")
        self.cell(0, 6, text, align="C")


def _section(pdf: _Document, title: str) -> None:
    if pdf.will_page_break(18):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, printable(title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*LINE)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)
    pdf.set_font(FAMILY, "", 10)


def _paragraph(pdf: _Document, text: str, *, size: float = 10, fill: bool = False) -> None:
    pdf.set_font(FAMILY, "", size)
    pdf.set_fill_color(*NOTE_BG)
    pdf.multi_cell(
        0, 5.2, printable(text), align="L", fill=fill, new_x="LMARGIN", new_y="NEXT",
        padding=2 if fill else 0,
    )  # fmt: skip
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1)


def _facts(pdf: _Document, facts: list[Fact]) -> None:
    pdf.set_font(FAMILY, "", 10)
    pdf.set_draw_color(*LINE)
    label_face = FontFace(color=MUTED)
    with pdf.table(
        cell_fill_mode="NONE",
        col_widths=(LABEL_W, pdf.epw - LABEL_W),
        width=pdf.epw,
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        text_align="LEFT",
        line_height=5.2,
        padding=1.2,
        v_align="TOP",
    ) as table:
        for fact in facts:
            row = table.row()
            row.cell(printable(fact.label), style=label_face)
            link = fact.value if fact.kind == "link" else None
            row.cell(printable(fact.value), link=link)


def dossier_pdf(made: Berkas, lang: str) -> bytes:
    """The dossier as PDF bytes."""
    words = made.words
    pdf = _Document(
        f"{made.title} — {made.flag_id}", translate("dossier.page", lang, n="{n}", total="{total}")
    )
    pdf.set_title(printable(f"{made.title} — {made.flag_id}"))
    pdf.set_subject(printable(made.statement))
    pdf.set_creator("Netra")
    pdf.set_lang("id" if lang == "id" else "en")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, printable(made.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    _paragraph(pdf, made.statement, fill=True)
    _facts(pdf, made.header)

    _section(pdf, words["person"])
    if made.person:
        _facts(pdf, made.person)
    else:
        _paragraph(pdf, words["no_person"])

    _section(pdf, words["account"])
    _facts(pdf, made.account)

    _section(pdf, words["event"])
    _facts(pdf, made.event)

    _section(pdf, words["post"])
    card = made.post
    pdf.set_font(FAMILY, "B", 10)
    pdf.multi_cell(
        0, 5.2, printable(f"{card.author} · @{card.handle} · {card.platform}"), align="L",
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0, 5, printable(f"{card.posted} · {card.kind}"), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_text_color(*INK)
    pdf.ln(1)
    pdf.set_draw_color(*LINE)
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(
        0, 5.8, printable(card.text), border=1, align="L", padding=3, new_x="LMARGIN",
        new_y="NEXT",
    )  # fmt: skip
    pdf.ln(1)
    media = "; ".join(card.media) if card.media else words["no_media"]
    _paragraph(pdf, f"{words['media']}: {media}", size=9.5)
    if card.url:
        pdf.set_font(FAMILY, "", 9.5)
        pdf.set_text_color(11, 83, 148)
        pdf.multi_cell(
            0, 5, printable(card.url), align="L", link=card.url, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(*INK)

    _section(pdf, words["evidence"])
    _facts(pdf, made.evidence)
    pdf.ln(1)
    _paragraph(pdf, words["payload_kept"], size=9)
    if made.versions:
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(0, 6, printable(words["versions"]), new_x="LMARGIN", new_y="NEXT")
        _facts(pdf, made.versions)

    _section(pdf, words["history"])
    if made.history:
        pdf.set_font(FAMILY, "", 9)
        pdf.set_draw_color(*LINE)
        with pdf.table(
            cell_fill_mode="NONE",
            col_widths=(30, 26, 38, 30, pdf.epw - 124),
            width=pdf.epw,
            text_align="LEFT",
            line_height=4.8,
            padding=1.2,
            v_align="TOP",
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            table.row([words[k] for k in ("when", "who", "action", "reason", "note")])
            for entry in made.history:
                table.row(
                    [
                        printable(entry.when),
                        printable(entry.who),
                        printable(entry.action),
                        printable(entry.reason),
                        printable(entry.note),
                    ]
                )
    else:
        _paragraph(pdf, words["no_history"])

    _section(pdf, words["model"])
    _paragraph(pdf, made.model_note)

    _section(pdf, words["witness"])
    _paragraph(pdf, words["witness_help"], size=9)
    pdf.set_draw_color(*MUTED)
    for _ in range(3):
        pdf.ln(8)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(4)
    _paragraph(pdf, made.zone_note, size=8.5)
    return bytes(pdf.output())

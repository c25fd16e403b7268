//! The report as a Word document (docx-rs): headings in Word's heading styles (so the table of
//! contents field works and Word/LibreOffice can refresh it), real Word tables, charts as PNG
//! (rasterised from the same SVG as the HTML), numbered captions. Returns bytes.

use anyhow::{Context, Result};
use docx_rs::{
    AlignmentType, BreakType, Docx, PageMargin, Paragraph, Pic, Run, RunFonts, Shading, Style,
    StyleType, Table, TableCell, TableOfContents, TableRow, WidthType,
};

use super::{Block, Doc, Fmt};

/// Text width of an A4 page with 2 cm margins, in EMU (17 cm).
const TEXT_W_EMU: u32 = 6_120_000;

fn styles(d: Docx) -> Docx {
    let fonts = RunFonts::new()
        .ascii("DejaVu Sans")
        .hi_ansi("DejaVu Sans")
        .cs("DejaVu Sans")
        .east_asia("DejaVu Sans");
    let mut d = d
        .default_fonts(fonts)
        .default_size(20)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(44)
                .bold()
                .color("1F3864"),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .size(18)
                .bold()
                .color("333333"),
        )
        .add_style(
            Style::new("Note", StyleType::Paragraph)
                .name("Note")
                .size(17)
                .color("444444"),
        );
    for (lvl, size) in [(1usize, 32usize), (2, 26), (3, 22), (4, 20)] {
        d = d.add_style(
            Style::new(format!("Heading{lvl}"), StyleType::Paragraph)
                .name(format!("heading {lvl}"))
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .color(if lvl <= 2 { "1F3864" } else { "222222" })
                .outline_lvl(lvl - 1),
        );
    }
    d
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

/// Column widths in twips: the first (labels) wider, the rest equal, over 17 cm.
fn widths(n: usize) -> Vec<usize> {
    const TOTAL: usize = 9638;
    match n {
        0 => vec![],
        1 => vec![TOTAL],
        _ => {
            let first = if n == 2 {
                TOTAL * 6 / 10
            } else {
                (TOTAL * 4 / 10).max(TOTAL / n)
            };
            let rest = (TOTAL - first) / (n - 1);
            std::iter::once(first)
                .chain(std::iter::repeat_n(rest, n - 1))
                .collect()
        }
    }
}

fn table(t: &super::Table) -> Table {
    let w = widths(t.headers.len());
    let head = TableRow::new(
        t.headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                TableCell::new()
                    .width(w.get(i).copied().unwrap_or(0), WidthType::Dxa)
                    .shading(Shading::new().fill("EEF3F9"))
                    .add_paragraph(Paragraph::new().add_run(Run::new().add_text(h).bold().size(18)))
            })
            .collect(),
    );
    let mut rows = vec![head];
    for r in &t.rows {
        rows.push(TableRow::new(
            r.iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut run = Run::new().add_text(&c.text).size(18);
                    if c.muted {
                        run = run.color("777777");
                    }
                    let mut p = Paragraph::new().add_run(run);
                    if c.fmt != Fmt::Text {
                        p = p.align(AlignmentType::Right);
                    }
                    TableCell::new()
                        .width(w.get(i).copied().unwrap_or(0), WidthType::Dxa)
                        .add_paragraph(p)
                })
                .collect(),
        ));
    }
    Table::new(rows).set_grid(w).width(5000, WidthType::Pct)
}

/// Render the Word document; `pngs` are [`super::chart_pngs`] of `doc`.
pub fn render(doc: &Doc, pngs: &[Vec<u8>]) -> Result<Vec<u8>> {
    let mut d = styles(Docx::new()).page_size(11906, 16838).page_margin(
        PageMargin::new()
            .top(1134)
            .bottom(1134)
            .left(1134)
            .right(1134),
    );
    d = d
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::TextWrapping)))
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(&doc.title)),
        )
        .add_paragraph(para(&doc.place).align(AlignmentType::Center));
    for s in [&doc.period, &doc.institution, &doc.notice] {
        if !s.is_empty() {
            d = d.add_paragraph(para(s).align(AlignmentType::Center));
        }
    }
    d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));
    d = d.add_paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(&doc.t["contents"])),
    );
    d = d.add_table_of_contents(TableOfContents::new().heading_styles_range(1, 2).auto());
    for b in &doc.blocks {
        d = match b {
            Block::Heading { level, text, .. } => {
                // the report's h2 are the document's chapters (Heading 1), each on a new page
                let lvl = level.saturating_sub(1).max(1);
                let mut p = Paragraph::new()
                    .style(&format!("Heading{lvl}"))
                    .add_run(Run::new().add_text(text));
                if lvl == 1 {
                    p = p.page_break_before(true);
                }
                d.add_paragraph(p.keep_next(true))
            }
            Block::Para { text, class } => {
                let p = para(text);
                d.add_paragraph(if class == "note" || class == "base" {
                    p.style("Note")
                } else {
                    p
                })
            }
            Block::List { items, ordered, .. } => {
                let mut d = d;
                for (i, it) in items.iter().enumerate() {
                    let mark = if *ordered {
                        format!("{}. ", i + 1)
                    } else {
                        "• ".to_string()
                    };
                    d = d.add_paragraph(para(&format!("{mark}{it}")).indent(
                        Some(360),
                        Some(docx_rs::SpecialIndentType::Hanging(360)),
                        None,
                        None,
                    ));
                }
                d
            }
            Block::Table(t) => {
                let mut d = d
                    .add_paragraph(
                        Paragraph::new()
                            .style("Caption")
                            .keep_next(true)
                            .add_run(Run::new().add_text(&t.caption)),
                    )
                    .add_table(table(t));
                if !t.note.is_empty() {
                    d = d.add_paragraph(para(&t.note).style("Note"));
                }
                d.add_paragraph(Paragraph::new())
            }
            Block::Chart(c) => {
                let png = pngs
                    .get(c.number - 1)
                    .cloned()
                    .with_context(|| format!("chart {} was not drawn", c.number))?;
                let (w, h) = (
                    u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
                    u32::from_be_bytes([png[20], png[21], png[22], png[23]]),
                );
                let emu_h = (u64::from(TEXT_W_EMU) * u64::from(h) / u64::from(w.max(1))) as u32;
                let pic = Pic::new_with_dimensions(png, w, h).size(TEXT_W_EMU, emu_h);
                d.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(Run::new().add_image(pic)),
                )
                .add_paragraph(
                    Paragraph::new()
                        .style("Caption")
                        .add_run(Run::new().add_text(&c.caption)),
                )
                .add_paragraph(Paragraph::new())
            }
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut buf)
        .context("packing the Word document")?;
    Ok(buf.into_inner())
}

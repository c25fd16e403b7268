//! The report as a Word document (docx-rs): a cover page (title, gmina, period, authors, year and
//! the gmina's coat of arms when diagnoza.toml names one), a table of contents and lists of
//! tables and charts written as entries with dot leaders and PAGEREF page numbers (no field code
//! shows; LibreOffice lays the numbers out, Word refreshes them on opening), headings in Word's heading styles, real Word tables
//! with column widths from their content (no word broken inside a cell), repeated header rows and
//! rows that do not split, "Strona X z Y" footers and a running header, charts as PNG (rasterised
//! from the same SVG as the HTML). Text is set in Arial (LibreOffice substitutes the
//! metric-compatible Liberation Sans); charts keep their embedded DejaVu Sans. Returns bytes.
//! What docx-rs cannot write (repeated header rows, `updateFields`) is patched into the packed
//! XML afterwards, deterministically.

use std::io::{Read, Write};

use anyhow::{Context, Result, bail};
use docx_rs::{
    AlignmentType, BreakType, Docx, FieldCharType, Footer, Header, InstrNUMPAGES, InstrPAGE,
    InstrPAGEREF, InstrText, LineSpacing, LineSpacingType, PageMargin, Paragraph, Pic, Run,
    RunFonts, Shading, Style, StyleType, Tab, TabLeaderType, TabValueType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, WidthType,
};

use super::{Block, Doc, Fmt};
use crate::chart::text_width;

/// Text width of an A4 page with 2 cm margins, in EMU (17 cm).
const TEXT_W_EMU: u32 = 6_120_000;
/// The tallest chart on a page, in EMU (23 cm: the page less the caption).
const MAX_CHART_H_EMU: u32 = 8_280_000;
/// The same in twips.
const TEXT_W: usize = 9638;
/// Usable page height (A4, 2 cm margins) in twips, for the table of contents' page estimate.
const PAGE_H: usize = 16838 - 2 * 1134 - 600;
/// Cell padding left and right, in twips.
const CELL_PAD: usize = 85;
/// Table text size in half-points (9 pt).
const TABLE_HP: usize = 18;
/// The text font: on Windows and macOS by name; LibreOffice maps it to Liberation Sans, whose
/// metrics are the same, so the layout does not reflow.
pub const FONT: &str = "Arial";

/// What the cover page shows beyond the [`Doc`]'s title, place, period and institution.
#[derive(Debug, Clone, Default)]
pub struct Cover {
    /// "Role: name (institution)" lines from the team.
    pub authors: Vec<String>,
    /// The year printed large on the cover, e.g. "2026".
    pub year: String,
    /// The coat of arms as PNG bytes.
    pub coat_of_arms: Option<Vec<u8>>,
}

/// Width and height in px of a PNG, from its IHDR chunk.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.len() < 24 || &png[1..4] != b"PNG" {
        return None;
    }
    let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    Some((be(16), be(20)))
}

fn styles(d: Docx) -> Docx {
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let mut d = d
        .default_fonts(fonts)
        .default_size(20)
        .default_line_spacing(
            LineSpacing::new()
                .after(120)
                .line(264)
                .line_rule(LineSpacingType::Auto),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(44)
                .bold()
                .color("1F3864")
                .line_spacing(
                    LineSpacing::new()
                        .before(240)
                        .after(240)
                        .line(252)
                        .line_rule(LineSpacingType::Auto),
                ),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("caption")
                .size(18)
                .bold()
                .color("333333")
                .line_spacing(LineSpacing::new().before(120).after(60)),
        )
        .add_style(
            Style::new("Note", StyleType::Paragraph)
                .name("Note")
                .size(17)
                .color("444444")
                .line_spacing(LineSpacing::new().before(40).after(160)),
        )
        .add_style(
            Style::new("RunningHead", StyleType::Paragraph)
                .name("Running head")
                .size(16)
                .color("666666"),
        );
    for (lvl, size, before, after) in [
        (1usize, 32usize, 0u32, 240u32),
        (2, 26, 360, 120),
        (3, 22, 280, 100),
        (4, 20, 200, 80),
    ] {
        d = d.add_style(
            Style::new(format!("Heading{lvl}"), StyleType::Paragraph)
                .name(format!("heading {lvl}"))
                .based_on("Normal")
                .next("Normal")
                .size(size)
                .bold()
                .color(if lvl <= 2 { "1F3864" } else { "222222" })
                .line_spacing(LineSpacing::new().before(before).after(after))
                .outline_lvl(lvl - 1),
        );
    }
    for lvl in 1..=2usize {
        d = d.add_style(
            Style::new(format!("TOC{lvl}"), StyleType::Paragraph)
                .name(format!("toc {lvl}"))
                .based_on("Normal")
                .next("Normal")
                .line_spacing(LineSpacing::new().after(60))
                .indent(Some(((lvl - 1) * 360) as i32), None, None, None),
        );
    }
    d
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

/// A field (`PAGE`, `NUMPAGES`, `PAGEREF x \h`) with its cached result.
fn field(instr: InstrText, cached: &str) -> Run {
    Run::new()
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(instr)
        .add_field_char(FieldCharType::Separate, false)
        .add_text(cached)
        .add_field_char(FieldCharType::End, false)
}

/// Width in twips of `s` at `hp` half-points, measured with DejaVu Sans (wider than Arial, so
/// the estimate errs on the safe side).
fn twips(s: &str, hp: usize, bold: bool) -> usize {
    // text_width at N px is the width in pt at N pt; 1 pt = 20 twips
    (text_width(s, hp as u32, bold) * 10.0).ceil() as usize
}

/// The table's text size in half-points: 9 pt, or smaller (down to 7 pt) when a wide table's
/// longest words would not fit its columns at 9 pt.
pub fn table_size(headers: &[String], rows: &[Vec<String>]) -> usize {
    let fits = |hp: usize| {
        let pad = 2 * CELL_PAD + 40;
        let mut min = vec![0usize; headers.len()];
        for (r, bold) in
            std::iter::once((headers, true)).chain(rows.iter().map(|r| (r.as_slice(), false)))
        {
            for (i, t) in r.iter().enumerate().take(min.len()) {
                for w in t.split_whitespace() {
                    min[i] = min[i].max(twips(w, hp, bold) + pad);
                }
            }
        }
        min.iter().sum::<usize>() <= TEXT_W
    };
    [TABLE_HP, 16, 15, 14]
        .into_iter()
        .find(|&hp| fits(hp))
        .unwrap_or(14)
}

/// Column widths in twips over the text width, from the content: every column at least as
/// wide as its longest word (plus padding), the rest shared in proportion to how much each
/// column's longest text exceeds that minimum (the HTML auto-layout rule).
pub fn widths(headers: &[String], rows: &[Vec<String>], hp: usize) -> Vec<usize> {
    let n = headers.len();
    if n == 0 {
        return vec![];
    }
    let pad = 2 * CELL_PAD + 40;
    let mut min = vec![0usize; n];
    let mut max = vec![0usize; n];
    let cells =
        std::iter::once((headers.to_vec(), true)).chain(rows.iter().map(|r| (r.clone(), false)));
    for (r, bold) in cells {
        for (i, t) in r.iter().enumerate().take(n) {
            let word = t
                .split_whitespace()
                .map(|w| twips(w, hp, bold))
                .max()
                .unwrap_or(0);
            min[i] = min[i].max(word + pad);
            max[i] = max[i].max(twips(t, hp, bold) + pad);
        }
    }
    let (smin, smax): (usize, usize) = (min.iter().sum(), max.iter().sum());
    let mut w: Vec<usize> = if smax <= TEXT_W {
        max.iter().map(|m| m * TEXT_W / smax.max(1)).collect()
    } else if smin >= TEXT_W {
        min.iter().map(|m| m * TEXT_W / smin.max(1)).collect()
    } else {
        let extra = TEXT_W - smin;
        let span: usize = max.iter().zip(&min).map(|(a, b)| a - b).sum();
        min.iter()
            .zip(&max)
            .map(|(lo, hi)| lo + extra * (hi - lo) / span.max(1))
            .collect()
    };
    let sum: usize = w.iter().sum();
    if let Some(last) = w.last_mut() {
        *last += TEXT_W.saturating_sub(sum);
    }
    w
}

fn table(t: &super::Table) -> Table {
    let texts: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.clone()).collect())
        .collect();
    let hp = table_size(&t.headers, &texts);
    let w = widths(&t.headers, &texts, hp);
    let head = TableRow::new(
        t.headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                TableCell::new()
                    .width(w.get(i).copied().unwrap_or(0), WidthType::Dxa)
                    .shading(Shading::new().fill("DCE6F2"))
                    .add_paragraph(
                        Paragraph::new()
                            .line_spacing(LineSpacing::new().after(0))
                            .add_run(Run::new().add_text(h).bold().size(hp)),
                    )
            })
            .collect(),
    )
    .cant_split();
    let mut rows = vec![head];
    for r in &t.rows {
        rows.push(
            TableRow::new(
                r.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut run = Run::new().add_text(&c.text).size(hp);
                        if c.muted {
                            run = run.color("666666");
                        }
                        let mut p = Paragraph::new()
                            .line_spacing(LineSpacing::new().after(0))
                            .add_run(run);
                        if c.fmt != Fmt::Text {
                            p = p.align(AlignmentType::Right);
                        }
                        TableCell::new()
                            .width(w.get(i).copied().unwrap_or(0), WidthType::Dxa)
                            .add_paragraph(p)
                    })
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(rows)
        .set_grid(w)
        .layout(TableLayoutType::Fixed)
        .width(TEXT_W, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(40, CELL_PAD, 40, CELL_PAD))
}

/// Lines `s` takes at `hp` half-points in a column `w` twips wide.
fn lines(s: &str, hp: usize, w: usize) -> usize {
    twips(s, hp, false).div_ceil(w.max(1)).max(1)
}

/// Estimated heights in twips of each block, for the cached page numbers of the table of
/// contents (Word and LibreOffice recompute them; this is what shows before they do).
fn block_height(b: &Block, pngs: &[Vec<u8>]) -> usize {
    let line = |hp: usize| hp * 10 * 132 / 100;
    match b {
        Block::Heading { level, text, .. } => {
            let hp = [32, 26, 22, 20][usize::from(level.saturating_sub(2)).min(3)];
            lines(text, hp, TEXT_W) * line(hp) + 360
        }
        Block::Para { text, .. } => lines(text, 20, TEXT_W) * line(20) + 120,
        Block::List { items, .. } => items
            .iter()
            .map(|i| lines(i, 20, TEXT_W - 360) * line(20) + 120)
            .sum(),
        Block::Table(t) => {
            let texts: Vec<Vec<String>> = t
                .rows
                .iter()
                .map(|r| r.iter().map(|c| c.text.clone()).collect())
                .collect();
            let hp = table_size(&t.headers, &texts);
            let w = widths(&t.headers, &texts, hp);
            let row_h = |r: &[String]| {
                r.iter()
                    .zip(&w)
                    .map(|(s, w)| lines(s, hp, w.saturating_sub(2 * CELL_PAD)))
                    .max()
                    .unwrap_or(1)
                    * line(hp)
                    + 100
            };
            line(18)
                + 180
                + row_h(&t.headers)
                + texts.iter().map(|r| row_h(r)).sum::<usize>()
                + lines(&t.note, 17, TEXT_W) * line(17)
                + 400
        }
        Block::Chart(c) => {
            let (w, h) = pngs
                .get(c.number - 1)
                .and_then(|p| png_size(p))
                .unwrap_or((1, 1));
            (TEXT_W * h as usize / w.max(1) as usize).min(MAX_CHART_H_EMU as usize / 635)
                + line(18)
                + 500
        }
    }
}

/// The page (1 = the cover) each block starts on, by a simple flow model: chapters start a
/// new page, a block that does not fit moves to the next one (tables and lists may split).
fn estimate_pages(doc: &Doc, pngs: &[Vec<u8>], front_pages: usize) -> Vec<usize> {
    let mut page = 1 + front_pages;
    let mut y = PAGE_H; // the first chapter breaks the page
    let mut out = Vec::new();
    for b in &doc.blocks {
        let h = block_height(b, pngs);
        let splittable = matches!(b, Block::Table(_) | Block::List { .. } | Block::Para { .. });
        if matches!(b, Block::Heading { level: 2, .. }) || (!splittable && y + h > PAGE_H) {
            page += 1;
            y = 0;
        }
        out.push(page);
        y += h;
        while y > PAGE_H {
            y -= PAGE_H;
            page += 1;
        }
    }
    out
}

/// The heading levels (of the report's blocks) that go into the table of contents.
fn in_toc(level: u8) -> bool {
    level == 2 || level == 3
}

/// Render the Word document; `pngs` are [`super::chart_pngs`] of `doc`.
pub fn render(doc: &Doc, pngs: &[Vec<u8>], cover: &Cover) -> Result<Vec<u8>> {
    let t = |k: &str| doc.t.get(k).cloned().unwrap_or_default();
    let pl = doc.lang == "pl";
    // the running header: the title and the gmina ("Gmina Wydminy", the place up to its comma)
    let gmina = doc.place.split(',').next().unwrap_or_default().trim();
    let running = if gmina.is_empty() {
        doc.title.clone()
    } else {
        format!("{} · {gmina}", doc.title)
    };
    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .style("RunningHead")
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text(if pl { "Strona " } else { "Page " }))
            .add_run(field(InstrText::PAGE(InstrPAGE::new()), "1"))
            .add_run(Run::new().add_text(if pl { " z " } else { " of " }))
            .add_run(field(InstrText::NUMPAGES(InstrNUMPAGES::new()), "1")),
    );
    let header = Header::new().add_paragraph(
        Paragraph::new()
            .style("RunningHead")
            .align(AlignmentType::Right)
            .add_run(Run::new().add_text(&running)),
    );
    let mut d = styles(Docx::new())
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134)
                .header(567)
                .footer(567),
        )
        .header(header)
        .footer(footer)
        .first_header(Header::new())
        .first_footer(Footer::new())
        .title_pg();

    // --- cover
    d = d.add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().before(2400)));
    if let Some(img) = &cover.coat_of_arms {
        let (w, h) = png_size(img).context("the coat of arms is not a PNG file")?;
        // 4 cm high, width in proportion
        let h_emu = 1_440_000u32;
        let w_emu = (u64::from(h_emu) * u64::from(w) / u64::from(h.max(1))) as u32;
        let pic = Pic::new_with_dimensions(img.clone(), w, h).size(w_emu, h_emu);
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_image(pic)),
        );
    }
    d = d
        .add_paragraph(
            Paragraph::new()
                .style("Title")
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(&doc.title)),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(&doc.place).size(28).bold()),
        );
    for s in [&doc.period, &doc.institution] {
        if !s.is_empty() {
            d = d.add_paragraph(para(s).align(AlignmentType::Center));
        }
    }
    if !cover.authors.is_empty() {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(960))
                .add_run(
                    Run::new()
                        .add_text(if pl { "Autorzy" } else { "Authors" })
                        .bold(),
                ),
        );
        for a in &cover.authors {
            d = d.add_paragraph(
                para(a)
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().after(0)),
            );
        }
    }
    if !cover.year.is_empty() {
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().before(960))
                .add_run(Run::new().add_text(&cover.year).size(32).bold()),
        );
    }
    d = d.add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::Page)));

    // --- table of contents: entries with PAGEREF fields to bookmarks on the headings. Not inside
    // a TOC field on purpose: LibreOffice shows a TOC field's cached text as it is, but lays out
    // PAGEREF fields itself, so the page numbers are right; Word refreshes them on opening
    // (`updateFields`). The cached numbers are an estimate for viewers that do neither.
    let contents = t("contents");
    d = d.add_paragraph(
        Paragraph::new()
            .style("Title")
            .add_run(Run::new().add_text(&contents)),
    );
    let toc_entries: Vec<(usize, u8, &str)> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Heading { level, text, .. } if in_toc(*level) => {
                Some((i, *level, text.as_str()))
            }
            _ => None,
        })
        .collect();
    // front matter: the cover, the contents, then a page (or more) per list of tables/charts
    let entry_h = 330;
    let n_tables = doc.tables().count();
    let n_charts = doc.charts().count();
    let mut front = 1 + (toc_entries.len() * entry_h + 1200).div_ceil(PAGE_H);
    for k in [n_tables, n_charts] {
        if k > 0 {
            front += (k * entry_h + 900).div_ceil(PAGE_H);
        }
    }
    let pages = estimate_pages(doc, pngs, front);
    let bookmark = |i: usize| format!("_Toc{:06}", i + 1);
    for (i, level, text) in &toc_entries {
        let lvl = usize::from(level - 1);
        let mut p = Paragraph::new().style(&format!("TOC{lvl}")).add_tab(
            Tab::new()
                .val(TabValueType::Right)
                .leader(TabLeaderType::Dot)
                .pos(TEXT_W),
        );
        p = p
            .add_run(Run::new().add_text(*text))
            .add_run(Run::new().add_tab())
            .add_run(field(
                InstrText::PAGEREF(InstrPAGEREF::new(bookmark(*i)).hyperlink()),
                &pages[*i].to_string(),
            ));
        d = d.add_paragraph(p);
    }
    // list of tables and charts (their captions and pages)
    let lists = [
        (if pl { "Spis tabel" } else { "List of tables" }, true),
        (
            if pl {
                "Spis wykresów"
            } else {
                "List of charts"
            },
            false,
        ),
    ];
    for (name, tables) in lists {
        let items: Vec<(usize, String)> = doc
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b {
                Block::Table(x) if tables => Some((i, x.caption.clone())),
                Block::Chart(x) if !tables => Some((i, x.caption.clone())),
                _ => None,
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        d = d.add_paragraph(
            Paragraph::new()
                .style("Heading2")
                .page_break_before(true)
                .add_run(Run::new().add_text(name)),
        );
        for (i, caption) in items {
            d = d.add_paragraph(
                Paragraph::new()
                    .style("TOC2")
                    .add_tab(
                        Tab::new()
                            .val(TabValueType::Right)
                            .leader(TabLeaderType::Dot)
                            .pos(TEXT_W),
                    )
                    .add_run(Run::new().add_text(&caption).size(18))
                    .add_run(Run::new().add_tab())
                    .add_run(field(
                        InstrText::PAGEREF(InstrPAGEREF::new(bookmark(i)).hyperlink()),
                        &pages[i].to_string(),
                    )),
            );
        }
    }

    for (i, b) in doc.blocks.iter().enumerate() {
        let id = i + 1;
        let name = bookmark(i);
        d = match b {
            Block::Heading { level, text, .. } => {
                // the report's h2 are the document's chapters (Heading 1), each on a new page
                let lvl = level.saturating_sub(1).max(1);
                let mut p = Paragraph::new()
                    .style(&format!("Heading{lvl}"))
                    .add_bookmark_start(id, &name)
                    .add_run(Run::new().add_text(text))
                    .add_bookmark_end(id);
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
                        format!("{}.\t", i + 1)
                    } else {
                        "•\t".to_string()
                    };
                    d = d.add_paragraph(
                        para(&format!("{mark}{it}"))
                            .add_tab(Tab::new().val(TabValueType::Left).pos(360))
                            .line_spacing(LineSpacing::new().after(60))
                            .indent(
                                Some(360),
                                Some(docx_rs::SpecialIndentType::Hanging(360)),
                                None,
                                None,
                            ),
                    );
                }
                d
            }
            Block::Table(t) => {
                let mut d = d
                    .add_paragraph(
                        Paragraph::new()
                            .style("Caption")
                            .keep_next(true)
                            .add_bookmark_start(id, &name)
                            .add_run(Run::new().add_text(&t.caption))
                            .add_bookmark_end(id),
                    )
                    .add_table(table(t));
                if !t.note.is_empty() {
                    d = d.add_paragraph(para(&t.note).style("Note"));
                }
                d
            }
            Block::Chart(c) => {
                let png = pngs
                    .get(c.number - 1)
                    .cloned()
                    .with_context(|| format!("chart {} was not drawn", c.number))?;
                let (w, h) = png_size(&png).context("chart PNG")?;
                // full text width; a chart taller than a page is scaled down to fit one
                let mut emu_w = TEXT_W_EMU;
                let mut emu_h = (u64::from(emu_w) * u64::from(h) / u64::from(w.max(1))) as u32;
                if emu_h > MAX_CHART_H_EMU {
                    emu_w =
                        (u64::from(emu_w) * u64::from(MAX_CHART_H_EMU) / u64::from(emu_h)) as u32;
                    emu_h = MAX_CHART_H_EMU;
                }
                let pic = Pic::new_with_dimensions(png, w, h).size(emu_w, emu_h);
                d.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(Run::new().add_image(pic)),
                )
                .add_paragraph(
                    Paragraph::new()
                        .style("Caption")
                        .line_spacing(LineSpacing::new().before(60).after(240))
                        .add_bookmark_start(id, &name)
                        .add_run(Run::new().add_text(&c.caption))
                        .add_bookmark_end(id),
                )
            }
        };
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut buf)
        .context("packing the Word document")?;
    patch(&buf.into_inner())
}

/// Mark the first row of every table as a header row repeated on each page (`w:tblHeader`), and
/// ask Word to refresh the fields (page numbers of the contents) when the file is opened.
fn patch_document(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 4096);
    let mut rest = xml;
    while let Some(i) = rest.find("<w:tbl>") {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let tag = "<w:cantSplit />";
        match rest.find(tag) {
            Some(j) => {
                out.push_str(&rest[..j + tag.len()]);
                out.push_str("<w:tblHeader />");
                rest = &rest[j + tag.len()..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

fn patch_settings(xml: &str) -> String {
    if xml.contains("w:updateFields") {
        return xml.to_string();
    }
    xml.replacen(
        "<w:compat>",
        "<w:updateFields w:val=\"true\" /><w:compat>",
        1,
    )
}

/// Rewrite the package with the patched parts; entries keep their order and a fixed date.
fn patch(docx: &[u8]) -> Result<Vec<u8>> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx))
        .context("reading the packed Word document")?;
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i)?;
        let name = f.name()?.to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data)?;
        let data = match name.as_str() {
            "word/document.xml" => patch_document(&String::from_utf8(data)?).into_bytes(),
            "word/settings.xml" => patch_settings(&String::from_utf8(data)?).into_bytes(),
            _ => data,
        };
        zout.start_file(name, opts)?;
        zout.write_all(&data)?;
    }
    let out = zout.finish()?.into_inner();
    if out.is_empty() {
        bail!("the Word document came out empty");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    /// The schedule and the recommendations: long texts next to short codes. No column may be
    /// narrower than its longest word (measured in the wider DejaVu Sans, plus the padding).
    #[test]
    fn no_column_is_narrower_than_its_longest_word() {
        let headers = s(&["Etap", "Zadanie", "Od", "Do", "Kto"]);
        let rows = vec![
            s(&[
                "I",
                "Planowanie diagnozy i ocena wykonalności",
                "2026-09-01",
                "2026-09-15",
                "Koordynator diagnozy",
            ]),
            s(&[
                "III",
                "Dane zastane, badanie ankietowe, wprowadzanie i analiza danych; harmonogram",
                "2026-10-01",
                "2026-11-20",
                "Zespół ds. diagnozy, sołtysi",
            ]),
        ];
        let rec = vec![s(&[
            "wysoki",
            "Transport",
            "Usługi transportowe door-to-door dla osób starszych i z niepełnosprawnościami, \
             które nie mogą samodzielnie dojechać do lekarza, urzędu ani sklepu; \
             rekomendowane na podstawie wskaźnika potrzeb i niskiej dostępności",
            "45,2%",
            "216 / 417",
        ])];
        let wide_h = s(&[
            "Priorytet",
            "Usługa",
            "Grupa docelowa",
            "Potrzeba",
            "95% przedział ufności (n / podstawa)",
            "Ocena dostępności",
            "Realizatorzy",
        ]);
        let wide = vec![s(&[
            "wysoki",
            "Transport „od drzwi do drzwi” (door-to-door)",
            "Osoby z niepełnosprawnościami oraz seniorzy (60+)",
            "63,5%",
            "49,9%–75,2% (33 / 52)",
            "38,9%",
            "CUS (własny pojazd lub zlecenie przewoźnikowi), organizacje pozarządowe",
        ])];
        for (h, r) in [
            (headers, rows),
            (
                s(&["Priorytet", "Obszar", "Uzasadnienie", "Potrzeba", "n"]),
                rec,
            ),
            (wide_h, wide),
        ] {
            let hp = table_size(&h, &r);
            let w = widths(&h, &r, hp);
            assert_eq!(w.iter().sum::<usize>(), TEXT_W);
            for (row, bold) in std::iter::once((&h, true)).chain(r.iter().map(|x| (x, false))) {
                for (cell, width) in row.iter().zip(&w) {
                    for word in cell.split_whitespace() {
                        let need = twips(word, hp, bold) + 2 * CELL_PAD;
                        assert!(
                            need <= *width,
                            "'{word}' needs {need} twips, column has {width}"
                        );
                    }
                }
            }
            // the long text column gets the most room
            if h.len() == 5 {
                let widest = w.iter().enumerate().max_by_key(|(_, x)| **x).unwrap().0;
                assert_eq!(widest, if h[0] == "Etap" { 1 } else { 2 });
            }
        }
    }

    #[test]
    fn header_rows_repeat_and_fields_update_on_open() {
        let xml = "<w:body><w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>\
                   <w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>";
        let p = patch_document(xml);
        assert_eq!(p.matches("<w:tblHeader />").count(), 2, "{p}");
        assert!(
            p.starts_with("<w:body><w:tbl><w:tblPr /><w:tr><w:trPr><w:cantSplit /><w:tblHeader />")
        );
        let st = patch_settings("<w:settings><w:compat /></w:settings>");
        assert_eq!(
            st, "<w:settings><w:compat /></w:settings>",
            "only before a <w:compat>"
        );
        let st = patch_settings("<w:settings><w:compat><x/></w:compat></w:settings>");
        assert!(st.contains("<w:updateFields w:val=\"true\" /><w:compat>"));
    }
}

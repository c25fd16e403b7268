//! Charts drawn with plotters as SVG strings: horizontal bars of shares (with n and confidence
//! whiskers), stacked diverging bars for rating scales, grouped bars for needs by group, a
//! need-vs-availability quadrant and a population pyramid; and [`png`], which rasterises an SVG
//! with resvg using the embedded DejaVu Sans (Polish letters render with no fonts installed).
//!
//! Layout rules (issue #13): the value axis ends at a rounded maximum just above the data; text is
//! measured with the embedded font's advance widths and wrapped onto lines, never cut; the base
//! (N) and any explanation go in a footnote under the plot; a suppressed bar is marked by its
//! note (e.g. "ukryto") instead of being a silent gap; zero bars are left out (tables keep them).
//! The canvas is [`WIDTH`] px wide and the smallest text 12 px, i.e. ≥ 9 pt when a chart is
//! printed 17 cm wide. Callers pass only what may be shown. No file I/O here.

use std::sync::OnceLock;

use anyhow::{Context, Result};
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: a share 0–1 with its label and annotation.
#[derive(Debug, Clone, Default)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// Printed at the end of the bar, e.g. "45,2% (n=123)"; for a hidden bar the mark, e.g.
    /// "ukryto".
    pub note: String,
    /// Suppressed (small group): no bar is drawn, only the note in grey in its place.
    pub hidden: bool,
}

/// Canvas width in px. Printed 17 cm (482 pt) wide, 1 px is 0.75 pt.
pub const WIDTH: u32 = 640;
/// The smallest text size used, in px (12 px × 0.75 = 9 pt in print).
pub const MIN_TEXT: u32 = 12;
const LABEL_PX: u32 = 13;
const TITLE_PX: u32 = 16;
const ROW: i32 = 24;
const MARGIN: i32 = 8;
const COLOR: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);
const GRID: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);
const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);
const DARK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Series colours (colour-blind safe, Okabe–Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xb2),
    RGBColor(0xe6, 0x9f, 0x00),
    RGBColor(0x00, 0x9e, 0x73),
    RGBColor(0xcc, 0x79, 0xa7),
    RGBColor(0x56, 0xb4, 0xe9),
    RGBColor(0xd5, 0x5e, 0x00),
    RGBColor(0xf0, 0xe4, 0x42),
    RGBColor(0x99, 0x99, 0x99),
];

struct Faces {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

fn faces() -> Option<&'static Faces> {
    static F: OnceLock<Option<Faces>> = OnceLock::new();
    F.get_or_init(|| {
        Some(Faces {
            regular: ttf_parser::Face::parse(dejavu::sans::regular(), 0).ok()?,
            bold: ttf_parser::Face::parse(dejavu::sans::bold(), 0).ok()?,
        })
    })
    .as_ref()
}

/// Width in px of `s` set in DejaVu Sans at `px` (the font [`png`] renders with).
pub fn text_width(s: &str, px: u32, bold: bool) -> f64 {
    let Some(f) = faces() else {
        return s.chars().count() as f64 * 0.62 * f64::from(px);
    };
    let face = if bold { &f.bold } else { &f.regular };
    let em = f64::from(face.units_per_em());
    s.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.62 * em, f64::from)
        })
        .sum::<f64>()
        * f64::from(px)
        / em
}

/// Greedy word wrap of `s` into lines no wider than `max_w` px; a single word wider than the
/// line is broken with a hyphen. Every character of `s` stays (nothing is cut).
pub fn wrap(s: &str, px: u32, bold: bool, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&cand, px, bold) <= max_w {
            cur = cand;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        // the word alone: break it if it still does not fit
        let mut rest = word.to_string();
        while text_width(&rest, px, bold) > max_w && rest.chars().count() > 2 {
            let chars: Vec<char> = rest.chars().collect();
            let mut k = chars.len() - 1;
            while k > 1 {
                let head: String = chars[..k].iter().collect();
                if text_width(&format!("{head}-"), px, bold) <= max_w {
                    break;
                }
                k -= 1;
            }
            lines.push(format!("{}-", chars[..k].iter().collect::<String>()));
            rest = chars[k..].iter().collect();
        }
        cur = rest;
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The label column's width (its right edge, where labels end): the widest label on one line,
/// between 120 px and 300 px (longer labels wrap).
fn label_w<'a>(labels: impl Iterator<Item = &'a str>) -> i32 {
    let w = labels
        .map(|l| text_width(l, LABEL_PX, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    (w + MARGIN).clamp(120, 300)
}

fn row_h(lines: usize) -> i32 {
    ROW.max(line_h(LABEL_PX) * lines as i32 + 6)
}

fn line_h(px: u32) -> i32 {
    (f64::from(px) * 1.25).round() as i32
}

/// plotters writes `font-size` as the requested size / 1.24; ask for px × 1.24 to get px.
fn fsize(px: u32) -> f64 {
    f64::from(px) * 1.24
}

fn font(size: u32, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    ("sans-serif", fsize(size.max(MIN_TEXT)))
        .into_font()
        .color(&color)
        .pos(Pos::new(h, v))
}

/// Lines of text from `y` (top of the first line) down; returns the y below the last line.
fn lines_at(root: &Area, lines: &[String], x: i32, y: i32, style: &TextStyle, px: u32) -> i32 {
    let lh = line_h(px);
    for (i, l) in lines.iter().enumerate() {
        root.draw(&Text::new(l.clone(), (x, y + lh * i as i32), style.clone()))
            .ok();
    }
    y + lh * lines.len() as i32
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Mark the chart as an image for screen readers, with its title and a text alternative
/// (`desc`: the figures drawn, in words); plotters already writes the viewBox that lets it scale
/// in HTML.
fn finish(buf: String, w: u32, h: u32, title: &str, desc: &str) -> String {
    let vb = format!("viewBox=\"0 0 {w} {h}\"");
    let buf = if buf.contains(&vb) {
        buf.replacen("<svg ", "<svg role=\"img\" ", 1)
    } else {
        buf.replacen("<svg ", &format!("<svg {vb} role=\"img\" "), 1)
    };
    let Some(end) = buf.find('>') else {
        return buf;
    };
    format!(
        "{}<title>{}</title><desc>{}</desc>{}",
        &buf[..=end],
        xml_escape(title),
        xml_escape(desc),
        &buf[end + 1..]
    )
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// The title wrapped to the canvas width: its lines and the y where the plot may start.
fn title_lines(title: &str) -> (Vec<String>, i32) {
    let lines = wrap(
        title,
        TITLE_PX,
        true,
        f64::from(WIDTH) - 2.0 * MARGIN as f64,
    );
    let bottom = 8 + line_h(TITLE_PX) * lines.len() as i32 + 10;
    (lines, bottom)
}

fn draw_title(root: &Area, lines: &[String]) {
    root.fill(&WHITE).ok();
    let style = ("sans-serif", fsize(TITLE_PX))
        .into_font()
        .style(FontStyle::Bold)
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Top));
    lines_at(root, lines, MARGIN, 8, &style, TITLE_PX);
}

fn foot_lines(foot: &str) -> Vec<String> {
    foot.split('\n')
        .filter(|l| !l.trim().is_empty())
        .flat_map(|l| wrap(l, MIN_TEXT, false, f64::from(WIDTH) - 2.0 * MARGIN as f64))
        .collect()
}

fn foot_h(lines: &[String]) -> i32 {
    if lines.is_empty() {
        0
    } else {
        line_h(MIN_TEXT) * lines.len() as i32 + 10
    }
}

fn draw_foot(root: &Area, lines: &[String], y: i32) {
    lines_at(
        root,
        lines,
        MARGIN,
        y + 6,
        &font(MIN_TEXT, GREY, HPos::Left, VPos::Top),
        MIN_TEXT,
    );
}

/// A rounded axis maximum just above `m` (a share 0–1): 4–6 ticks of 1, 2, 2.5, 5, 10, 20 or
/// 25 points, never above 100%. Returns (maximum, tick step).
pub fn nice_max(m: f64) -> (f64, f64) {
    let m = m.clamp(0.0, 1.0);
    // steps in per mille, so that the maximum is exact (3 × 0.1 is not 0.3 in floating point)
    for step in [10u32, 20, 25, 50, 100, 200, 250] {
        let n = (m * 1000.0 / f64::from(step) - 1e-9).ceil().max(1.0) as u32;
        if n <= 5 {
            let n = n.max(if step >= 200 { 1 } else { 2 });
            return (
                f64::from((n * step).min(1000)) / 1000.0,
                f64::from(step) / 1000.0,
            );
        }
    }
    (1.0, 0.25)
}

fn pct_label(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-6 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%").replace('.', ",")
    }
}

/// Vertical grid lines and tick labels from 0 to `max` every `step`, over `[x0, x0 + w]`.
fn pct_axis(root: &Area, top: i32, bottom: i32, x0: i32, w: i32, max: f64, step: f64) {
    let n = (max / step).round() as i32;
    for i in 0..=n {
        let v = step * f64::from(i);
        let x = x0 + (f64::from(w) * v / max).round() as i32;
        root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom)], GRID))
            .ok();
        root.draw(&Text::new(
            pct_label(v),
            (x, bottom + 3),
            font(MIN_TEXT, GREY, HPos::Center, VPos::Top),
        ))
        .ok();
    }
}

fn whisker(root: &Area, xl: i32, xh: i32, yc: i32) {
    let c = RGBColor(0x22, 0x22, 0x22);
    root.draw(&PathElement::new(vec![(xl, yc), (xh, yc)], c))
        .ok();
    root.draw(&PathElement::new(vec![(xl, yc - 4), (xl, yc + 4)], c))
        .ok();
    root.draw(&PathElement::new(vec![(xh, yc - 4), (xh, yc + 4)], c))
        .ok();
}

/// A horizontal bar chart as an SVG document (no XML declaration, ready to inline in HTML).
/// Bars with a zero share are left out; `foot` (lines separated by `\n`) is printed under the
/// axis, e.g. the base N and what "ukryto" means.
pub fn hbar_svg(title: &str, bars: &[Bar], foot: &str) -> String {
    let bars: Vec<&Bar> = bars.iter().filter(|b| b.hidden || b.value > 0.0).collect();
    let (tl, top) = title_lines(title);
    let lw = label_w(bars.iter().map(|b| b.label.as_str()));
    let bar_x0 = lw + 10;
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.label, LABEL_PX, false, f64::from(lw - MARGIN)))
        .collect();
    let rows: Vec<i32> = labels.iter().map(|l| row_h(l.len())).collect();
    let note_w = bars
        .iter()
        .map(|b| text_width(&b.note, MIN_TEXT, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let bar_w = (WIDTH as i32 - bar_x0 - MARGIN - note_w - 8).max(120);
    let data_max = bars
        .iter()
        .filter(|b| !b.hidden)
        .map(|b| b.ci.map_or(b.value, |c| c.1.max(b.value)))
        .fold(0.0, f64::max);
    let (max, step) = nice_max(data_max);
    let x_of = |v: f64| bar_x0 + (f64::from(bar_w) * (v / max).clamp(0.0, 1.0)).round() as i32;
    let plot_h: i32 = rows.iter().sum::<i32>().max(ROW);
    let bottom = top + plot_h;
    let fl = foot_lines(foot);
    let height = (bottom + 24 + foot_h(&fl)) as u32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw_title(&root, &tl);
        pct_axis(&root, top, bottom, bar_x0, bar_w, max, step);
        let mut y = top;
        for ((b, l), rh) in bars.iter().zip(&labels).zip(&rows) {
            let yc = y + rh / 2;
            let lh = line_h(LABEL_PX);
            lines_at(
                &root,
                l,
                lw,
                yc - lh * l.len() as i32 / 2,
                &font(LABEL_PX, BLACK, HPos::Right, VPos::Top),
                LABEL_PX,
            );
            if b.hidden {
                root.draw(&Text::new(
                    b.note.clone(),
                    (bar_x0 + 4, yc),
                    font(MIN_TEXT, GREY, HPos::Left, VPos::Center),
                ))
                .ok();
                y += rh;
                continue;
            }
            let x1 = x_of(b.value);
            root.draw(&Rectangle::new(
                [(bar_x0, yc - 8), (x1.max(bar_x0 + 1), yc + 8)],
                COLOR.filled(),
            ))
            .ok();
            let mut note_x = x1 + 6;
            if let Some((lo, hi)) = b.ci {
                let xh = x_of(hi);
                whisker(&root, x_of(lo), xh, yc);
                note_x = note_x.max(xh + 6);
            }
            root.draw(&Text::new(
                b.note.clone(),
                (note_x, yc),
                font(MIN_TEXT, DARK, HPos::Left, VPos::Center),
            ))
            .ok();
            y += rh;
        }
        draw_foot(&root, &fl, bottom + 20);
        root.present().ok();
    }
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.note))
        .chain(std::iter::once(foot.replace('\n', " ")).filter(|f| !f.is_empty()))
        .collect();
    finish(buf, WIDTH, height, title, &desc.join("; "))
}

/// One item of a rating-scale set: the share of each scored level among scored answers, in
/// scale order (lowest first); `None` for a suppressed level (left undrawn).
#[derive(Debug, Clone)]
pub struct LikertRow {
    pub label: String,
    pub shares: Vec<Option<f64>>,
    /// Printed right of the bar, e.g. "n=326".
    pub note: String,
}

impl LikertRow {
    /// Net rating: the share of the positive levels minus the share of the negative ones (the
    /// middle level of an odd scale counts for neither).
    pub fn net(&self, k: usize) -> f64 {
        let half = k / 2;
        let s = |r: std::ops::Range<usize>| -> f64 {
            r.filter_map(|i| self.shares.get(i).copied().flatten())
                .sum()
        };
        s(k - half..k) - s(0..half)
    }
}

fn likert_colors(k: usize) -> Vec<RGBColor> {
    let neg = [
        RGBColor(0xb2, 0x18, 0x2b),
        RGBColor(0xef, 0x8a, 0x62),
        RGBColor(0xfd, 0xdb, 0xc7),
    ];
    let pos = [
        RGBColor(0x21, 0x66, 0xac),
        RGBColor(0x67, 0xa9, 0xcf),
        RGBColor(0xd1, 0xe5, 0xf0),
    ];
    let half = k / 2;
    let mut out: Vec<RGBColor> = neg.iter().take(half).copied().collect();
    if k % 2 == 1 {
        out.push(RGBColor(0xbb, 0xbb, 0xbb));
    }
    let mut p: Vec<RGBColor> = pos.iter().take(half).copied().collect();
    p.reverse();
    out.extend(p);
    while out.len() < k {
        out.push(GRID);
    }
    out
}

/// Legend boxes flowing left to right and wrapping onto rows; names are never cut (a name
/// wider than the canvas wraps onto lines). Returns the height used; draws only when `root`.
fn legend(root: Option<&Area>, names: &[String], colors: &[RGBColor], y0: i32) -> i32 {
    let max_w = f64::from(WIDTH) - 2.0 * MARGIN as f64 - 20.0;
    let lh = line_h(MIN_TEXT);
    let (mut x, mut y, mut row_h) = (MARGIN, y0, 0);
    for (name, c) in names.iter().zip(colors) {
        let lines = wrap(name, MIN_TEXT, false, max_w);
        let w = lines
            .iter()
            .map(|l| text_width(l, MIN_TEXT, false))
            .fold(0.0, f64::max)
            .ceil() as i32
            + 20;
        if x > MARGIN && x + w > WIDTH as i32 - MARGIN {
            x = MARGIN;
            y += row_h + 6;
            row_h = 0;
        }
        if let Some(root) = root {
            root.draw(&Rectangle::new([(x, y + 1), (x + 13, y + 14)], c.filled()))
                .ok();
            lines_at(
                root,
                &lines,
                x + 18,
                y,
                &font(MIN_TEXT, BLACK, HPos::Left, VPos::Top),
                MIN_TEXT,
            );
        }
        row_h = row_h.max(lh * lines.len() as i32);
        x += w + 16;
    }
    y + row_h - y0
}

/// Stacked diverging bars for a set of rating questions: negative levels to the left of the
/// centre line, positive to the right, the middle level (odd scales) split across it. Rows are
/// sorted by net rating (best first).
pub fn likert_svg(title: &str, levels: &[String], rows: &[LikertRow], foot: &str) -> String {
    let k = levels.len();
    let mut rows: Vec<&LikertRow> = rows.iter().collect();
    rows.sort_by(|a, b| b.net(k).total_cmp(&a.net(k)));
    let (tl, top) = title_lines(title);
    let lw = label_w(rows.iter().map(|r| r.label.as_str()));
    let bar_x0 = lw + 10;
    let labels: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.label, LABEL_PX, false, f64::from(lw - MARGIN)))
        .collect();
    let heights: Vec<i32> = labels.iter().map(|l| row_h(l.len())).collect();
    let note_w = rows
        .iter()
        .map(|r| text_width(&r.note, MIN_TEXT, false))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let bar_w = (WIDTH as i32 - bar_x0 - MARGIN - note_w - 10).max(160);
    let bottom = top + heights.iter().sum::<i32>().max(ROW);
    let colors = likert_colors(k);
    let legend_h = legend(None, levels, &colors, 0);
    let fl = foot_lines(foot);
    let height = (bottom + 26 + legend_h + 6 + foot_h(&fl)) as u32;
    let cx = bar_x0 + bar_w / 2;
    let half = f64::from(bar_w) / 2.0;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw_title(&root, &tl);
        for (i, t) in ["100%", "50%", "0", "50%", "100%"].iter().enumerate() {
            let x = bar_x0 + bar_w * i as i32 / 4;
            let c = if i == 2 { GREY } else { GRID };
            root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom + 2)], c))
                .ok();
            root.draw(&Text::new(
                t.to_string(),
                (x, bottom + 4),
                font(MIN_TEXT, GREY, HPos::Center, VPos::Top),
            ))
            .ok();
        }
        let mut y = top;
        for ((r, l), rh) in rows.iter().zip(&labels).zip(&heights) {
            let yc = y + rh / 2;
            let (y_a, y_b) = (yc - 8, yc + 8);
            let lh = line_h(LABEL_PX);
            lines_at(
                &root,
                l,
                lw,
                yc - lh * l.len() as i32 / 2,
                &font(LABEL_PX, BLACK, HPos::Right, VPos::Top),
                LABEL_PX,
            );
            let neg_n = k / 2;
            let mid = if k % 2 == 1 {
                r.shares.get(neg_n).copied().flatten().unwrap_or(0.0)
            } else {
                0.0
            };
            let seg = |x0: f64, x1: f64, c: &RGBColor| {
                root.draw(&Rectangle::new(
                    [(x0.round() as i32, y_a), (x1.round() as i32, y_b)],
                    c.filled(),
                ))
                .ok();
            };
            if k % 2 == 1
                && let Some(m) = r.shares.get(neg_n).copied().flatten()
            {
                seg(
                    f64::from(cx) - m / 2.0 * half,
                    f64::from(cx) + m / 2.0 * half,
                    &colors[neg_n],
                );
            }
            // left side: from the centre outwards, the levels nearest the middle first
            let mut x = f64::from(cx) - mid / 2.0 * half;
            for lvl in (0..neg_n).rev() {
                if let Some(s) = r.shares.get(lvl).copied().flatten() {
                    seg(x - s * half, x, &colors[lvl]);
                    x -= s * half;
                }
            }
            let mut x = f64::from(cx) + mid / 2.0 * half;
            for (lvl, color) in colors.iter().enumerate().take(k).skip(k - neg_n) {
                if let Some(s) = r.shares.get(lvl).copied().flatten() {
                    seg(x, x + s * half, color);
                    x += s * half;
                }
            }
            root.draw(&Text::new(
                r.note.clone(),
                (bar_x0 + bar_w + 8, yc),
                font(MIN_TEXT, GREY, HPos::Left, VPos::Center),
            ))
            .ok();
            y += rh;
        }
        legend(Some(&root), levels, &colors, bottom + 26);
        draw_foot(&root, &fl, bottom + 26 + legend_h + 6);
        root.present().ok();
    }
    let desc: Vec<String> = rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = levels
                .iter()
                .zip(&r.shares)
                .filter_map(|(l, s)| s.map(|s| format!("{l} {}", pct_label(s))))
                .collect();
            format!("{} ({}): {}", r.label, r.note, parts.join(", "))
        })
        .collect();
    finish(buf, WIDTH, height, title, &desc.join("; "))
}

/// One series of a grouped bar chart (a group of respondents): a share per category, `None` when
/// suppressed (marked "hidden" by the chart's `hidden_mark`).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// Grouped horizontal bars: for each category one thin bar per series, with a legend. A
/// suppressed value is marked with `hidden_mark` (e.g. "ukryto"); categories that are zero in
/// every series are left out.
pub fn grouped_svg(
    title: &str,
    categories: &[String],
    series: &[Series],
    hidden_mark: &str,
    foot: &str,
) -> String {
    let keep: Vec<usize> = (0..categories.len())
        .filter(|&ci| {
            series
                .iter()
                .any(|s| s.values.get(ci).copied().flatten().is_none_or(|v| v > 0.0))
        })
        .collect();
    let (tl, top) = title_lines(title);
    let bar_h = 15;
    let lw = label_w(keep.iter().map(|&ci| categories[ci].as_str()));
    let bar_x0 = lw + 10;
    let labels: Vec<Vec<String>> = keep
        .iter()
        .map(|&ci| wrap(&categories[ci], LABEL_PX, false, f64::from(lw - MARGIN)))
        .collect();
    let blocks: Vec<i32> = labels
        .iter()
        .map(|l| (bar_h * series.len().max(1) as i32 + 12).max(row_h(l.len()) + 4))
        .collect();
    let bottom = top + blocks.iter().sum::<i32>().max(ROW);
    let colors: Vec<RGBColor> = (0..series.len())
        .map(|i| PALETTE[i % PALETTE.len()])
        .collect();
    let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
    let legend_h = legend(None, &names, &colors, 0);
    let data_max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .copied()
        .fold(0.0, f64::max);
    let (max, step) = nice_max(data_max);
    let note_w = text_width("100%", MIN_TEXT, false)
        .max(text_width(hidden_mark, MIN_TEXT, false))
        .ceil() as i32;
    let bar_w = WIDTH as i32 - bar_x0 - MARGIN - note_w - 8;
    let x_of = |v: f64| bar_x0 + (f64::from(bar_w) * (v / max).clamp(0.0, 1.0)).round() as i32;
    let fl = foot_lines(foot);
    let height = (bottom + 26 + legend_h + 6 + foot_h(&fl)) as u32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw_title(&root, &tl);
        pct_axis(&root, top, bottom, bar_x0, bar_w, max, step);
        let mut y = top;
        for ((&ci, l), bh) in keep.iter().zip(&labels).zip(&blocks) {
            let lh = line_h(LABEL_PX);
            lines_at(
                &root,
                l,
                lw,
                y + bh / 2 - lh * l.len() as i32 / 2,
                &font(LABEL_PX, BLACK, HPos::Right, VPos::Top),
                LABEL_PX,
            );
            let y0 = y + (bh - bar_h * series.len() as i32) / 2;
            for (si, s) in series.iter().enumerate() {
                let yb = y0 + bar_h * si as i32;
                let label = match s.values.get(ci).copied().flatten() {
                    Some(v) => {
                        let x1 = x_of(v);
                        root.draw(&Rectangle::new(
                            [(bar_x0, yb), (x1.max(bar_x0 + 1), yb + bar_h - 2)],
                            colors[si].filled(),
                        ))
                        .ok();
                        root.draw(&Text::new(
                            format!("{:.0}%", v * 100.0),
                            (x1 + 4, yb + bar_h / 2 - 1),
                            font(MIN_TEXT, GREY, HPos::Left, VPos::Center),
                        ))
                        .ok();
                        continue;
                    }
                    None => hidden_mark,
                };
                root.draw(&Text::new(
                    label.to_string(),
                    (bar_x0 + 4, yb + bar_h / 2 - 1),
                    font(MIN_TEXT, GREY, HPos::Left, VPos::Center),
                ))
                .ok();
            }
            y += bh;
        }
        legend(Some(&root), &names, &colors, bottom + 26);
        draw_foot(&root, &fl, bottom + 26 + legend_h + 6);
        root.present().ok();
    }
    let desc: Vec<String> = keep
        .iter()
        .map(|&ci| {
            let parts: Vec<String> = series
                .iter()
                .map(|s| {
                    let v = s.values.get(ci).copied().flatten();
                    format!(
                        "{} {}",
                        s.name,
                        v.map_or(hidden_mark.to_string(), pct_label)
                    )
                })
                .collect();
            format!("{}: {}", categories[ci], parts.join(", "))
        })
        .collect();
    finish(buf, WIDTH, height, title, &desc.join("; "))
}

/// A point of the need-vs-availability chart: need share (0–1) and availability (0–1).
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub need: f64,
    pub availability: f64,
}

type Rect = (i32, i32, i32, i32);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    !(a.2 <= b.0 || a.0 >= b.2 || a.3 <= b.1 || a.1 >= b.3)
}

/// Place labels next to their points, greedily (points in order, first free candidate wins):
/// right, left, above, below, then the diagonals and further out. A candidate must stay inside
/// `bounds` and overlap no dot, no placed label and none of `blocked`. Returns one rectangle
/// per label (left, top, right, bottom).
pub fn place_labels(
    points: &[(i32, i32)],
    sizes: &[(i32, i32)],
    bounds: Rect,
    blocked: &[Rect],
) -> Vec<Rect> {
    let r = 5;
    let mut taken: Vec<Rect> = blocked.to_vec();
    taken.extend(points.iter().map(|&(x, y)| (x - r, y - r, x + r, y + r)));
    let mut out = Vec::new();
    let inside =
        |c: &Rect| c.0 >= bounds.0 && c.1 >= bounds.1 && c.2 <= bounds.2 && c.3 <= bounds.3;
    let area = |a: &Rect, b: &Rect| -> i64 {
        let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
        let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
        i64::from(w) * i64::from(h)
    };
    for (&(x, y), &(w, h)) in points.iter().zip(sizes) {
        // candidates ring by ring: beside (right, left), above, below, then the diagonals
        let mut cands: Vec<Rect> = Vec::new();
        for ring in 0..12 {
            let g = 8 + ring * 10;
            let d = g * 7 / 10;
            for (lx, ly) in [
                (x + g, y - h / 2),
                (x - g - w, y - h / 2),
                (x - w / 2, y - g - h),
                (x - w / 2, y + g),
                (x + d, y - d - h),
                (x + d, y + d),
                (x - d - w, y - d - h),
                (x - d - w, y + d),
            ] {
                cands.push((lx, ly, lx + w, ly + h));
            }
        }
        let free = cands
            .iter()
            .find(|c| inside(c) && taken.iter().all(|t| !overlaps(c, t)));
        let best = match free {
            Some(c) => *c,
            // no free place: the one overlapping the least
            None => cands
                .iter()
                .filter(|c| inside(c))
                .min_by_key(|c| taken.iter().map(|t| area(c, t)).sum::<i64>())
                .copied()
                .unwrap_or((x + 8, y - h / 2, x + 8 + w, y + h / 2)),
        };
        taken.push(best);
        out.push(best);
    }
    out
}

/// Need (x) against availability (y) per area, split at `x_split` and `y_split` into four
/// quadrants; `corner` names the quadrants: [high need & low availability, high & high,
/// low & low, low & high].
#[allow(clippy::too_many_arguments)]
pub fn quadrant_svg(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[Point],
    x_split: f64,
    y_split: f64,
    corner: [&str; 4],
    foot: &str,
) -> String {
    let (tl, top) = title_lines(title);
    let ylab = wrap(
        y_label,
        LABEL_PX,
        false,
        f64::from(WIDTH) - 2.0 * MARGIN as f64,
    );
    let y0 = top + line_h(LABEL_PX) * ylab.len() as i32 + 8;
    let (x0, x1) = (56i32, WIDTH as i32 - MARGIN - 16);
    let y1 = y0 + 430;
    let fl = foot_lines(foot);
    let h = (y1 + 48 + foot_h(&fl)) as u32;
    let w = WIDTH;
    let (x_max, x_step) = nice_max(points.iter().map(|p| p.need).fold(x_split, f64::max) * 1.08);
    let px = |v: f64| x0 + ((x1 - x0) as f64 * (v / x_max).clamp(0.0, 1.0)).round() as i32;
    let py = |v: f64| y1 - ((y1 - y0) as f64 * v.clamp(0.0, 1.0)).round() as i32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        draw_title(&root, &tl);
        let (sx, sy) = (px(x_split), py(y_split));
        root.draw(&Rectangle::new(
            [(sx, y0), (x1, sy)],
            RGBColor(0xe8, 0xf0, 0xf8).filled(),
        ))
        .ok();
        root.draw(&Rectangle::new(
            [(sx, sy), (x1, y1)],
            RGBColor(0xfb, 0xe3, 0xd6).filled(),
        ))
        .ok();
        root.draw(&Rectangle::new([(x0, y0), (x1, y1)], GREY)).ok();
        root.draw(&PathElement::new(vec![(sx, y0), (sx, y1)], GREY))
            .ok();
        root.draw(&PathElement::new(vec![(x0, sy), (x1, sy)], GREY))
            .ok();
        // quadrant names in the corners (their boxes are kept free of point labels)
        let lh = line_h(MIN_TEXT);
        let cw = |s: &str| text_width(s, MIN_TEXT, false).ceil() as i32;
        let mut blocked = Vec::new();
        let cgrey = RGBColor(0x66, 0x66, 0x66);
        for (i, (ax, ay)) in [
            (x1 - 4, y1 - 4 - lh),
            (x1 - 4, y0 + 4),
            (x0 + 4, y1 - 4 - lh),
            (x0 + 4, y0 + 4),
        ]
        .into_iter()
        .enumerate()
        {
            let right = i < 2;
            let h = if right { HPos::Right } else { HPos::Left };
            root.draw(&Text::new(
                corner[i].to_string(),
                (ax, ay),
                font(MIN_TEXT, cgrey, h, VPos::Top),
            ))
            .ok();
            let tw = cw(corner[i]);
            blocked.push(if right {
                (ax - tw, ay, ax, ay + lh)
            } else {
                (ax, ay, ax + tw, ay + lh)
            });
        }
        let n = (x_max / x_step).round() as i32;
        for i in 0..=n {
            let v = x_step * f64::from(i);
            root.draw(&Text::new(
                pct_label(v),
                (px(v), y1 + 4),
                font(MIN_TEXT, GREY, HPos::Center, VPos::Top),
            ))
            .ok();
        }
        for i in 0..=4 {
            let v = f64::from(i) / 4.0;
            root.draw(&Text::new(
                format!("{}%", i * 25),
                (x0 - 4, py(v)),
                font(MIN_TEXT, GREY, HPos::Right, VPos::Center),
            ))
            .ok();
        }
        root.draw(&Text::new(
            x_label.to_string(),
            ((x0 + x1) / 2, y1 + 24),
            font(LABEL_PX, BLACK, HPos::Center, VPos::Top),
        ))
        .ok();
        lines_at(
            &root,
            &ylab,
            MARGIN,
            top,
            &font(LABEL_PX, BLACK, HPos::Left, VPos::Top),
            LABEL_PX,
        );
        let xy: Vec<(i32, i32)> = points
            .iter()
            .map(|p| (px(p.need), py(p.availability)))
            .collect();
        let sizes: Vec<(i32, i32)> = points.iter().map(|p| (cw(&p.label) + 2, lh)).collect();
        let rects = place_labels(&xy, &sizes, (x0 + 2, y0 + 2, x1 - 2, y1 - 2), &blocked);
        // leader lines first, then each label on a white ground, then the dots on top
        for (&(x, y), r) in xy.iter().zip(&rects) {
            let nx = x.clamp(r.0, r.2);
            let ny = y.clamp(r.1, r.3);
            if (nx - x).pow(2) + (ny - y).pow(2) > 14 * 14 {
                root.draw(&PathElement::new(vec![(x, y), (nx, ny)], GREY))
                    .ok();
            }
        }
        for (p, r) in points.iter().zip(&rects) {
            root.draw(&Rectangle::new(
                [(r.0, r.1), (r.2, r.3)],
                WHITE.mix(0.75).filled(),
            ))
            .ok();
            root.draw(&Text::new(
                p.label.clone(),
                (r.0 + 1, r.1),
                font(MIN_TEXT, BLACK, HPos::Left, VPos::Top),
            ))
            .ok();
        }
        for &(x, y) in &xy {
            root.draw(&Circle::new((x, y), 5, PALETTE[0].filled())).ok();
        }
        draw_foot(&root, &fl, y1 + 42);
        root.present().ok();
    }
    let desc: Vec<String> = points
        .iter()
        .map(|p| {
            format!(
                "{}: {x_label} {}, {y_label} {}",
                p.label,
                pct_label(p.need),
                pct_label(p.availability)
            )
        })
        .collect();
    finish(buf, w, h, title, &desc.join("; "))
}

/// A population pyramid: one row per age band (youngest at the bottom), men left, women right.
pub fn pyramid_svg(
    title: &str,
    bands: &[String],
    left: &[f64],
    right: &[f64],
    left_name: &str,
    right_name: &str,
) -> String {
    let (tl, t0) = title_lines(title);
    let top = t0 + 22;
    let row = 20;
    let bottom = top + row * bands.len().max(1) as i32;
    let height = (bottom + 16) as u32;
    let cx = WIDTH as i32 / 2;
    let label_w = 70;
    let num_w = text_width("00000", MIN_TEXT, false).ceil() as i32;
    let half = f64::from(cx - label_w / 2 - MARGIN - num_w - 4);
    let max = left
        .iter()
        .chain(right)
        .copied()
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        draw_title(&root, &tl);
        root.draw(&Text::new(
            left_name.to_string(),
            (cx - label_w / 2 - 10, top - 6),
            font(LABEL_PX, PALETTE[0], HPos::Right, VPos::Bottom),
        ))
        .ok();
        root.draw(&Text::new(
            right_name.to_string(),
            (cx + label_w / 2 + 10, top - 6),
            font(LABEL_PX, PALETTE[5], HPos::Left, VPos::Bottom),
        ))
        .ok();
        let n = bands.len();
        for (i, b) in bands.iter().enumerate() {
            let y = top + row * (n - 1 - i) as i32;
            let yc = y + row / 2;
            root.draw(&Text::new(
                b.replace('-', "–"),
                (cx, yc),
                font(MIN_TEXT, BLACK, HPos::Center, VPos::Center),
            ))
            .ok();
            let l = left.get(i).copied().unwrap_or(0.0);
            let r = right.get(i).copied().unwrap_or(0.0);
            let lw = (l / max * half).round() as i32;
            let rw = (r / max * half).round() as i32;
            let (lx, rx) = (cx - label_w / 2, cx + label_w / 2);
            root.draw(&Rectangle::new(
                [(lx - lw, y + 2), (lx, y + row - 2)],
                PALETTE[0].filled(),
            ))
            .ok();
            root.draw(&Rectangle::new(
                [(rx, y + 2), (rx + rw, y + row - 2)],
                PALETTE[5].filled(),
            ))
            .ok();
            root.draw(&Text::new(
                format!("{l}"),
                (lx - lw - 4, yc),
                font(MIN_TEXT, GREY, HPos::Right, VPos::Center),
            ))
            .ok();
            root.draw(&Text::new(
                format!("{r}"),
                (rx + rw + 4, yc),
                font(MIN_TEXT, GREY, HPos::Left, VPos::Center),
            ))
            .ok();
        }
        root.present().ok();
    }
    let desc: Vec<String> = bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!(
                "{}: {left_name} {}, {right_name} {}",
                b.replace('-', "–"),
                left.get(i).copied().unwrap_or(0.0),
                right.get(i).copied().unwrap_or(0.0)
            )
        })
        .collect();
    finish(buf, WIDTH, height, title, &desc.join("; "))
}
/// Rasterise an SVG chart to PNG at `scale` × its size (2.0 gives ≥ 150 dpi at the width a
/// Word page prints it), with the embedded DejaVu Sans as every generic and named sans family.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut opt = usvg::Options::default();
    {
        let db = opt.fontdb_mut();
        db.load_font_data(dejavu::sans::regular().to_vec());
        db.load_font_data(dejavu::sans::bold().to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
    }
    opt.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &opt).context("the chart's SVG does not parse")?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .context("chart size")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).context("chart size is zero")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("encoding the chart as PNG")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64, note: &str) -> Bar {
        Bar {
            label: label.into(),
            value,
            note: note.into(),
            ..Bar::default()
        }
    }

    /// The drawn part of an SVG (after the title and text alternative).
    fn drawn(svg: &str) -> &str {
        &svg[svg.find("</desc>").expect("a text alternative")..]
    }

    /// Whether a `<text>` element of the SVG holds exactly `t`.
    fn has_text(svg: &str, t: &str) -> bool {
        svg.contains(&format!(">\n{t}\n</text>"))
    }

    /// Every `font-size` in the SVG, in px.
    fn font_sizes(svg: &str) -> Vec<f64> {
        svg.split("font-size=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn svg_has_bars_labels_and_escaped_text() {
        let svg = hbar_svg(
            "Usługi <najbardziej> potrzebne",
            &[
                Bar {
                    ci: Some((0.40, 0.50)),
                    ..bar("Usługi opiekuńcze", 0.452, "45,2% (n=123)")
                },
                bar("Transport", 0.1, "10,0% (n=27)"),
            ],
            "N = 272",
        );
        assert!(svg.starts_with("<svg role=\"img\"") && svg.matches("viewBox").count() == 1);
        // a text alternative: the title and every bar in words
        assert!(svg.contains("<title>Usługi &lt;najbardziej&gt; potrzebne</title>"));
        assert!(svg.contains(
            "<desc>Usługi opiekuńcze: 45,2% (n=123); Transport: 10,0% (n=27); N = 272</desc>"
        ));
        assert!(svg.contains("Usługi opiekuńcze"));
        assert!(svg.contains("45,2% (n=123)"));
        assert!(svg.contains("N = 272"));
        assert!(!svg.contains("<najbardziej>"), "text must be escaped");
        assert_eq!(svg.matches("<rect").count(), 3); // background + 2 bars
    }

    #[test]
    fn axis_ends_at_a_rounded_maximum_just_above_the_data() {
        assert_eq!(nice_max(0.25), (0.25, 0.05));
        assert_eq!(nice_max(0.27), (0.3, 0.1));
        assert_eq!(nice_max(0.452), (0.5, 0.1));
        assert_eq!(nice_max(0.83), (1.0, 0.2));
        assert_eq!(nice_max(0.04), (0.04, 0.01));
        assert_eq!(nice_max(1.0), (1.0, 0.2));
        let svg = hbar_svg("T", &[bar("A", 0.21, "21%"), bar("B", 0.12, "12%")], "");
        assert!(has_text(&svg, "25%") && !has_text(&svg, "100%") && !has_text(&svg, "50%"));
    }

    #[test]
    fn long_labels_titles_and_legends_wrap_and_are_never_cut() {
        let long = "Pomoc w formie usług opiekuńczych świadczonych w miejscu zamieszkania \
                    osoby starszej lub z niepełnosprawnością";
        let lines = wrap(long, LABEL_PX, false, 200.0);
        assert!(lines.len() > 2);
        assert_eq!(lines.join(" "), long);
        assert!(
            lines
                .iter()
                .all(|l| text_width(l, LABEL_PX, false) <= 200.0)
        );
        let title = format!("{long} — {long}");
        let svg = hbar_svg(&title, &[bar(long, 0.3, "30%")], "");
        let g = grouped_svg(
            &title,
            &[long.to_string()],
            &[Series {
                name: format!("{long} (n = 123)"),
                values: vec![Some(0.3)],
            }],
            "ukryto",
            "",
        );
        for svg in [svg, g] {
            // what is drawn, without the text alternative
            let svg = drawn(&svg);
            assert!(!svg.contains('…'));
            for w in long.split_whitespace() {
                assert!(svg.contains(w), "{w} lost");
            }
        }
        let w = wrap("Supercalifragilisticexpialidocious", LABEL_PX, false, 60.0);
        assert!(w.len() > 1 && w.iter().all(|l| text_width(l, LABEL_PX, false) <= 60.0));
        assert_eq!(
            w.concat().replace('-', ""),
            "Supercalifragilisticexpialidocious"
        );
    }

    #[test]
    fn hidden_bars_are_marked_and_zero_bars_left_out() {
        let svg = hbar_svg(
            "T",
            &[
                bar("Shown", 0.4, "40%"),
                Bar {
                    hidden: true,
                    ..bar("Small group", 0.0, "ukryto")
                },
                bar("Nobody", 0.0, "0%"),
            ],
            "ukryto: fewer than 5 answers",
        );
        assert!(has_text(&svg, "Small group") && has_text(&svg, "ukryto"));
        assert!(!svg.contains("Nobody"));
        assert_eq!(svg.matches("<rect").count(), 2); // background + 1 bar
        let g = grouped_svg(
            "T",
            &["A".into(), "Zero".into()],
            &[Series {
                name: "G (n = 9)".into(),
                values: vec![None, Some(0.0)],
            }],
            "ukryto",
            "",
        );
        assert!(has_text(&g, "ukryto") && !has_text(&g, "Zero"));
    }

    #[test]
    fn text_is_at_least_nine_points_when_printed_17_cm_wide() {
        let levels: Vec<String> = ["Źle", "Średnio", "Dobrze"].map(String::from).into();
        let rows = vec![LikertRow {
            label: "Zdrowie".into(),
            shares: vec![Some(0.2), Some(0.3), Some(0.5)],
            note: "n=100".into(),
        }];
        let pts = [Point {
            label: "Transport".into(),
            need: 0.3,
            availability: 0.4,
        }];
        let svgs = [
            hbar_svg("T", &[bar("A", 0.2, "20%")], "N = 10"),
            likert_svg("T", &levels, &rows, "N = 100"),
            grouped_svg(
                "T",
                &["A".into()],
                &[Series {
                    name: "G".into(),
                    values: vec![Some(0.2)],
                }],
                "-",
                "N",
            ),
            quadrant_svg("T", "x", "y", &pts, 0.2, 0.5, ["a", "b", "c", "d"], "N"),
            pyramid_svg("T", &["0-4".into()], &[10.0], &[12.0], "M", "K"),
        ];
        let pt_per_px = 17.0 / 2.54 * 72.0 / f64::from(WIDTH);
        for svg in &svgs {
            let sizes = font_sizes(svg);
            assert!(!sizes.is_empty());
            for s in sizes {
                assert!(s * pt_per_px >= 8.99, "{s} px is {} pt", s * pt_per_px);
            }
        }
        assert!(svgs[4].contains("0–4"), "en dash in ranges");
    }

    #[test]
    fn likert_skips_suppressed_levels_and_sorts_by_net_rating() {
        let levels: Vec<String> = [
            "Bardzo źle",
            "Raczej źle",
            "Przeciętnie",
            "Raczej dobrze",
            "Bardzo dobrze",
        ]
        .map(String::from)
        .into();
        let rows = vec![
            LikertRow {
                label: "Zdrowie".into(),
                shares: vec![Some(0.2), Some(0.3), Some(0.2), None, Some(0.3)],
                note: "n=100".into(),
            },
            LikertRow {
                label: "Transport".into(),
                shares: vec![Some(0.0), Some(0.1), Some(0.2), Some(0.3), Some(0.4)],
                note: "n=90".into(),
            },
        ];
        assert!((rows[1].net(5) - 0.6).abs() < 1e-9);
        assert!((rows[0].net(5) - -0.2).abs() < 1e-9);
        let svg = likert_svg("Ocena", &levels, &rows, "");
        // background + 4 + 5 drawn segments (one suppressed, one zero-wide) + 5 legend boxes
        assert_eq!(svg.matches("<rect").count(), 1 + 4 + 5 + 5);
        assert!(svg.contains("Bardzo źle"));
        let (t, z) = (
            svg.find(">\nTransport\n<").unwrap(),
            svg.find(">\nZdrowie\n<").unwrap(),
        );
        assert!(t < z, "the better-rated item comes first");
    }

    #[test]
    fn quadrant_labels_do_not_overlap_each_other_or_the_dots() {
        // a tight cluster: eight points within a few pixels
        let pts: Vec<(i32, i32)> = (0..8).map(|i| (300 + i * 3, 200 + (i % 3) * 4)).collect();
        let sizes = vec![(90, 15); 8];
        let rects = place_labels(&pts, &sizes, (0, 0, 640, 480), &[]);
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} overlaps {b:?}");
            }
            for &(x, y) in &pts {
                assert!(!overlaps(a, &(x - 5, y - 5, x + 5, y + 5)));
            }
        }
        // an isolated point gets its label right beside it
        let r = place_labels(&[(100, 100)], &[(50, 15)], (0, 0, 640, 480), &[])[0];
        assert_eq!((r.0, r.1), (108, 93));
    }

    #[test]
    fn png_renders_polish_text_at_double_size() {
        let svg = hbar_svg("Zażółć gęślą jaźń", &[bar("Łódź", 0.5, "50%")], "");
        let png = png(&svg, 2.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // IHDR width at bytes 16..20
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(w, 2 * WIDTH);
    }
}

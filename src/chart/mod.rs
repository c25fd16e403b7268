//! Charts drawn with plotters as SVG strings: horizontal bars of shares (with n and confidence
//! whiskers), stacked diverging bars for rating scales, grouped bars for needs by group, a
//! need-vs-availability quadrant and a population pyramid; and [`png`], which rasterises an SVG
//! with resvg using the embedded DejaVu Sans (Polish letters render with no fonts installed).
//! Callers pass only what may be shown: suppressed cells never reach a chart. No file I/O here.

use anyhow::{Context, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar: a share 0–1 with its label and annotation.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub ci: Option<(f64, f64)>,
    /// Printed at the end of the bar, e.g. "45,2% (n=123)".
    pub note: String,
}

const WIDTH: u32 = 760;
const ROW: u32 = 26;
const LABEL_W: i32 = 300;
const BAR_X0: i32 = LABEL_W + 10;
const BAR_W: i32 = 330;
const COLOR: RGBColor = RGBColor(0x2b, 0x6c, 0xb0);
const GRID: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);
const GREY: RGBColor = RGBColor(0x55, 0x55, 0x55);
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

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn font(size: u32, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    ("sans-serif", size)
        .into_font()
        .color(&color)
        .pos(Pos::new(h, v))
}

/// Mark the chart as an image for screen readers (plotters already writes the viewBox that
/// lets it scale in HTML).
fn finish(buf: String, w: u32, h: u32) -> String {
    let vb = format!("viewBox=\"0 0 {w} {h}\"");
    if buf.contains(&vb) {
        buf.replacen("<svg ", "<svg role=\"img\" ", 1)
    } else {
        buf.replacen("<svg ", &format!("<svg {vb} role=\"img\" "), 1)
    }
}

fn x_of(v: f64) -> i32 {
    BAR_X0 + (v.clamp(0.0, 1.0) * BAR_W as f64).round() as i32
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn whisker(root: &Area, lo: f64, hi: f64, yc: i32) -> i32 {
    let (xl, xh) = (x_of(lo), x_of(hi));
    let c = RGBColor(0x22, 0x22, 0x22);
    root.draw(&PathElement::new(vec![(xl, yc), (xh, yc)], c))
        .ok();
    root.draw(&PathElement::new(vec![(xl, yc - 4), (xl, yc + 4)], c))
        .ok();
    root.draw(&PathElement::new(vec![(xh, yc - 4), (xh, yc + 4)], c))
        .ok();
    xh
}

/// A white canvas with the chart's title at the top left (every chart starts so).
fn blank_with_title(root: &Area, title: &str) {
    root.fill(&WHITE).ok();
    root.draw(&Text::new(
        truncate(title, 90),
        (6, 8),
        ("sans-serif", 15).into_font().color(&BLACK),
    ))
    .ok();
}

fn pct_axis(root: &Area, top: i32, bottom: i32) {
    for (i, t) in ["0%", "25%", "50%", "75%", "100%"].iter().enumerate() {
        let x = BAR_X0 + BAR_W * i as i32 / 4;
        root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom)], GRID))
            .ok();
        root.draw(&Text::new(
            t.to_string(),
            (x, bottom + 3),
            font(11, GREY, HPos::Center, VPos::Top),
        ))
        .ok();
    }
}

/// A horizontal bar chart as an SVG document (no XML declaration, ready to inline in HTML).
pub fn hbar_svg(title: &str, bars: &[Bar]) -> String {
    let top = 36;
    let height = top as u32 + ROW * bars.len().max(1) as u32 + 24;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        blank_with_title(&root, title);
        pct_axis(&root, top, height as i32 - 20);
        for (i, b) in bars.iter().enumerate() {
            let y = top + (ROW as i32) * i as i32;
            let yc = y + ROW as i32 / 2;
            root.draw(&Text::new(
                truncate(&b.label, 44),
                (LABEL_W, yc),
                font(13, BLACK, HPos::Right, VPos::Center),
            ))
            .ok();
            let x1 = x_of(b.value);
            root.draw(&Rectangle::new(
                [(BAR_X0, y + 5), (x1.max(BAR_X0 + 1), y + ROW as i32 - 5)],
                COLOR.filled(),
            ))
            .ok();
            let mut note_x = x1 + 6;
            if let Some((lo, hi)) = b.ci {
                note_x = note_x.max(whisker(&root, lo, hi, yc) + 6);
            }
            root.draw(&Text::new(
                b.note.clone(),
                (note_x, yc),
                font(12, RGBColor(0x33, 0x33, 0x33), HPos::Left, VPos::Center),
            ))
            .ok();
        }
        root.present().ok();
    }
    finish(buf, WIDTH, height)
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

/// Stacked diverging bars for a set of rating questions: negative levels to the left of the
/// centre line, positive to the right, the middle level (odd scales) split across it.
pub fn likert_svg(title: &str, levels: &[String], rows: &[LikertRow]) -> String {
    let top = 36;
    let legend_h = 24 * levels.len().div_ceil(3) as i32 + 8;
    let height = (top + ROW as i32 * rows.len().max(1) as i32 + 24 + legend_h) as u32;
    let cx = BAR_X0 + BAR_W / 2;
    let half = BAR_W as f64 / 2.0;
    let colors = likert_colors(levels.len());
    let k = levels.len();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        blank_with_title(&root, title);
        let bottom = top + ROW as i32 * rows.len() as i32;
        for (i, t) in ["100%", "50%", "0", "50%", "100%"].iter().enumerate() {
            let x = BAR_X0 + BAR_W * i as i32 / 4;
            let c = if i == 2 { GREY } else { GRID };
            root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom + 2)], c))
                .ok();
            root.draw(&Text::new(
                t.to_string(),
                (x, bottom + 4),
                font(11, GREY, HPos::Center, VPos::Top),
            ))
            .ok();
        }
        for (i, r) in rows.iter().enumerate() {
            let y = top + ROW as i32 * i as i32;
            let yc = y + ROW as i32 / 2;
            root.draw(&Text::new(
                truncate(&r.label, 44),
                (LABEL_W, yc),
                font(13, BLACK, HPos::Right, VPos::Center),
            ))
            .ok();
            let neg_n = k / 2;
            let mid = if k % 2 == 1 {
                r.shares.get(neg_n).copied().flatten().unwrap_or(0.0)
            } else {
                0.0
            };
            // left side: from the centre outwards, the levels nearest the middle first
            let mut x = cx as f64 - mid / 2.0 * half;
            if k % 2 == 1
                && let Some(m) = r.shares.get(neg_n).copied().flatten()
            {
                let x0 = cx as f64 - m / 2.0 * half;
                let x1 = cx as f64 + m / 2.0 * half;
                root.draw(&Rectangle::new(
                    [
                        (x0.round() as i32, y + 5),
                        (x1.round() as i32, y + ROW as i32 - 5),
                    ],
                    colors[neg_n].filled(),
                ))
                .ok();
            }
            for lvl in (0..neg_n).rev() {
                let w = r.shares.get(lvl).copied().flatten();
                if let Some(s) = w {
                    let x0 = x - s * half;
                    root.draw(&Rectangle::new(
                        [
                            (x0.round() as i32, y + 5),
                            (x.round() as i32, y + ROW as i32 - 5),
                        ],
                        colors[lvl].filled(),
                    ))
                    .ok();
                    x = x0;
                }
            }
            let mut x = cx as f64 + mid / 2.0 * half;
            let first_pos = k - neg_n;
            for (lvl, color) in colors.iter().enumerate().take(k).skip(first_pos) {
                if let Some(s) = r.shares.get(lvl).copied().flatten() {
                    let x1 = x + s * half;
                    root.draw(&Rectangle::new(
                        [
                            (x.round() as i32, y + 5),
                            (x1.round() as i32, y + ROW as i32 - 5),
                        ],
                        color.filled(),
                    ))
                    .ok();
                    x = x1;
                }
            }
            root.draw(&Text::new(
                r.note.clone(),
                (BAR_X0 + BAR_W + 8, yc),
                font(12, GREY, HPos::Left, VPos::Center),
            ))
            .ok();
        }
        legend(&root, levels, &colors, bottom + 26);
        root.present().ok();
    }
    finish(buf, WIDTH, height)
}

fn legend(root: &Area, names: &[String], colors: &[RGBColor], y0: i32) {
    for (i, (name, c)) in names.iter().zip(colors).enumerate() {
        let x = 20 + 245 * (i % 3) as i32;
        let y = y0 + 24 * (i / 3) as i32;
        root.draw(&Rectangle::new([(x, y + 2), (x + 14, y + 16)], c.filled()))
            .ok();
        root.draw(&Text::new(
            truncate(name, 30),
            (x + 20, y + 9),
            font(12, BLACK, HPos::Left, VPos::Center),
        ))
        .ok();
    }
}

/// One series of a grouped bar chart (a group of respondents): a share per category, `None` when
/// suppressed (left undrawn).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// Grouped horizontal bars: for each category one thin bar per series, with a legend.
pub fn grouped_svg(title: &str, categories: &[String], series: &[Series]) -> String {
    let top = 36;
    let bar_h = 11;
    let block = bar_h * series.len().max(1) as i32 + 12;
    let legend_h = 24 * series.len().div_ceil(3) as i32 + 8;
    let bottom = top + block * categories.len().max(1) as i32;
    let height = (bottom + 24 + legend_h) as u32;
    let colors: Vec<RGBColor> = (0..series.len())
        .map(|i| PALETTE[i % PALETTE.len()])
        .collect();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        blank_with_title(&root, title);
        pct_axis(&root, top, bottom);
        for (ci, cat) in categories.iter().enumerate() {
            let y = top + block * ci as i32;
            root.draw(&Text::new(
                truncate(cat, 44),
                (LABEL_W, y + block / 2),
                font(13, BLACK, HPos::Right, VPos::Center),
            ))
            .ok();
            for (si, s) in series.iter().enumerate() {
                if let Some(v) = s.values.get(ci).copied().flatten() {
                    let yb = y + 6 + bar_h * si as i32;
                    let x1 = x_of(v);
                    root.draw(&Rectangle::new(
                        [(BAR_X0, yb), (x1.max(BAR_X0 + 1), yb + bar_h - 1)],
                        colors[si].filled(),
                    ))
                    .ok();
                    let label = format!("{:.0}%", v * 100.0);
                    root.draw(&Text::new(
                        label,
                        (x1 + 4, yb + bar_h / 2),
                        font(10, GREY, HPos::Left, VPos::Center),
                    ))
                    .ok();
                }
            }
        }
        let names: Vec<String> = series.iter().map(|s| s.name.clone()).collect();
        legend(&root, &names, &colors, bottom + 26);
        root.present().ok();
    }
    finish(buf, WIDTH, height)
}

/// A point of the need-vs-availability chart: need share (0–1) and availability (0–1).
#[derive(Debug, Clone)]
pub struct Point {
    pub label: String,
    pub need: f64,
    pub availability: f64,
}

/// Need (x) against availability (y) per area, split at `x_split` and `y_split` into four
/// quadrants; `corner` names the quadrants: [high need & low availability, high & high,
/// low & low, low & high].
pub fn quadrant_svg(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[Point],
    x_split: f64,
    y_split: f64,
    corner: [&str; 4],
) -> String {
    let (w, h) = (WIDTH, 560u32);
    let (x0, x1, y0, y1) = (70i32, 730i32, 40i32, 500i32);
    // zoom the need axis to the data: the largest share plus a margin, in whole tens
    let x_max = ((points.iter().map(|p| p.need).fold(x_split, f64::max) * 1.15 * 10.0).ceil()
        / 10.0)
        .clamp(0.2, 1.0);
    let px = |v: f64| x0 + ((x1 - x0) as f64 * (v / x_max).clamp(0.0, 1.0)).round() as i32;
    let py = |v: f64| y1 - ((y1 - y0) as f64 * v.clamp(0.0, 1.0)).round() as i32;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        blank_with_title(&root, title);
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
        let c = font(12, RGBColor(0x66, 0x66, 0x66), HPos::Right, VPos::Bottom);
        root.draw(&Text::new(
            corner[0].to_string(),
            (x1 - 4, y1 - 4),
            c.clone(),
        ))
        .ok();
        root.draw(&Text::new(corner[1].to_string(), (x1 - 4, y0 + 18), c))
            .ok();
        let c = font(12, RGBColor(0x66, 0x66, 0x66), HPos::Left, VPos::Bottom);
        root.draw(&Text::new(
            corner[2].to_string(),
            (x0 + 4, y1 - 4),
            c.clone(),
        ))
        .ok();
        root.draw(&Text::new(corner[3].to_string(), (x0 + 4, y0 + 18), c))
            .ok();
        let ticks = (x_max * 10.0).round() as i32;
        let step = if ticks > 5 { 2 } else { 1 };
        for i in (0..=ticks).step_by(step as usize) {
            let v = f64::from(i) / 10.0;
            root.draw(&Text::new(
                format!("{}%", i * 10),
                (px(v), y1 + 4),
                font(11, GREY, HPos::Center, VPos::Top),
            ))
            .ok();
        }
        for i in 0..=4 {
            let v = f64::from(i) / 4.0;
            root.draw(&Text::new(
                format!("{}%", i * 25),
                (x0 - 4, py(v)),
                font(11, GREY, HPos::Right, VPos::Center),
            ))
            .ok();
        }
        root.draw(&Text::new(
            x_label.to_string(),
            ((x0 + x1) / 2, y1 + 22),
            font(13, BLACK, HPos::Center, VPos::Top),
        ))
        .ok();
        root.draw(&Text::new(
            truncate(y_label, 80),
            (x0, y0 - 6),
            font(13, BLACK, HPos::Left, VPos::Bottom),
        ))
        .ok();
        // labels: try positions around the point until one does not overlap a placed label
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for p in points {
            let (x, y) = (px(p.need), py(p.availability));
            root.draw(&Circle::new((x, y), 5, PALETTE[0].filled())).ok();
            placed.push((x - 5, y - 5, x + 5, y + 5));
        }
        for p in points {
            let (x, y) = (px(p.need), py(p.availability));
            let label = truncate(&p.label, 34);
            let tw = (label.chars().count() as f64 * 7.2) as i32;
            let mut best = None;
            'search: for dy in [0, -12, 12, -24, 24, -36, 36] {
                for right in [true, false] {
                    let lx = if right { x + 9 } else { x - 9 - tw };
                    let r = (lx, y + dy - 7, lx + tw, y + dy + 7);
                    if r.0 < x0 || r.2 > x1 || r.1 < y0 || r.3 > y1 {
                        continue;
                    }
                    if placed
                        .iter()
                        .all(|q| r.2 <= q.0 || r.0 >= q.2 || r.3 <= q.1 || r.1 >= q.3)
                    {
                        best = Some(r);
                        break 'search;
                    }
                }
            }
            let r = best.unwrap_or((x + 9, y - 7, x + 9 + tw, y + 7));
            placed.push(r);
            if (r.1 + 7 - y).abs() > 8 {
                let ax = if r.0 > x { r.0 } else { r.2 };
                root.draw(&PathElement::new(vec![(x, y), (ax, r.1 + 7)], GRID))
                    .ok();
            }
            root.draw(&Text::new(
                label,
                (r.0, r.1 + 7),
                font(11, BLACK, HPos::Left, VPos::Center),
            ))
            .ok();
        }
        root.present().ok();
    }
    finish(buf, w, h)
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
    let top = 56;
    let row = 20;
    let bottom = top + row * bands.len().max(1) as i32;
    let height = (bottom + 30) as u32;
    let cx = 380;
    let label_w = 90;
    let half = 250.0;
    let max = left
        .iter()
        .chain(right)
        .copied()
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        blank_with_title(&root, title);
        root.draw(&Text::new(
            left_name.to_string(),
            (cx - label_w / 2 - 10, top - 8),
            font(13, PALETTE[0], HPos::Right, VPos::Bottom),
        ))
        .ok();
        root.draw(&Text::new(
            right_name.to_string(),
            (cx + label_w / 2 + 10, top - 8),
            font(13, PALETTE[5], HPos::Left, VPos::Bottom),
        ))
        .ok();
        let n = bands.len();
        for (i, b) in bands.iter().enumerate() {
            let y = top + row * (n - 1 - i) as i32;
            let yc = y + row / 2;
            root.draw(&Text::new(
                b.clone(),
                (cx, yc),
                font(12, BLACK, HPos::Center, VPos::Center),
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
                font(10, GREY, HPos::Right, VPos::Center),
            ))
            .ok();
            root.draw(&Text::new(
                format!("{r}"),
                (rx + rw + 4, yc),
                font(10, GREY, HPos::Left, VPos::Center),
            ))
            .ok();
        }
        root.present().ok();
    }
    finish(buf, WIDTH, height)
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

    #[test]
    fn svg_has_bars_labels_and_escaped_text() {
        let svg = hbar_svg(
            "Usługi <najbardziej> potrzebne",
            &[
                Bar {
                    label: "Usługi opiekuńcze".into(),
                    value: 0.452,
                    ci: Some((0.40, 0.50)),
                    note: "45,2% (n=123)".into(),
                },
                Bar {
                    label: "Transport".into(),
                    value: 0.1,
                    ci: None,
                    note: "10,0% (n=27)".into(),
                },
            ],
        );
        assert!(svg.starts_with("<svg role=\"img\"") && svg.matches("viewBox").count() == 1);
        assert!(svg.contains("Usługi opiekuńcze"));
        assert!(svg.contains("45,2% (n=123)"));
        assert!(!svg.contains("<najbardziej>"), "text must be escaped");
        assert_eq!(svg.matches("<rect").count(), 3); // background + 2 bars
    }

    #[test]
    fn likert_skips_suppressed_levels_and_diverges_from_the_centre() {
        let levels: Vec<String> = [
            "Bardzo źle",
            "Raczej źle",
            "Przeciętnie",
            "Raczej dobrze",
            "Bardzo dobrze",
        ]
        .map(String::from)
        .into();
        let rows = vec![LikertRow {
            label: "Zdrowie".into(),
            shares: vec![Some(0.2), Some(0.3), Some(0.2), None, Some(0.3)],
            note: "n=100".into(),
        }];
        let svg = likert_svg("Ocena", &levels, &rows);
        // background + 4 drawn segments (one suppressed) + 5 legend boxes
        assert_eq!(svg.matches("<rect").count(), 1 + 4 + 5);
        assert!(svg.contains("Bardzo źle"));
    }

    #[test]
    fn png_renders_polish_text_at_double_size() {
        let svg = hbar_svg(
            "Zażółć gęślą jaźń",
            &[Bar {
                label: "Łódź".into(),
                value: 0.5,
                ci: None,
                note: "50%".into(),
            }],
        );
        let png = png(&svg, 2.0).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        // IHDR width at bytes 16..20
        let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(w, 2 * WIDTH);
    }
}

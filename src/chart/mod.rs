//! Charts drawn with plotters: horizontal bar charts of shares (with n and confidence-interval
//! whiskers) as SVG strings for the HTML report. Callers pass only what may be shown: suppressed
//! cells never reach a chart. No file I/O here.

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

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// A horizontal bar chart as an SVG document (no XML declaration, ready to inline in HTML).
pub fn hbar_svg(title: &str, bars: &[Bar]) -> String {
    let top = 34;
    let height = top as u32 + ROW * bars.len().max(1) as u32 + 24;
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok();
        let title_style = ("sans-serif", 15).into_font().color(&BLACK);
        root.draw(&Text::new(truncate(title, 95), (6, 8), title_style)).ok();
        let label_style = ("sans-serif", 12)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        let note_style = ("sans-serif", 11)
            .into_font()
            .color(&RGBColor(0x33, 0x33, 0x33))
            .pos(Pos::new(HPos::Left, VPos::Center));
        // axis at 0, 50%, 100%
        for (i, t) in ["0%", "50%", "100%"].iter().enumerate() {
            let x = BAR_X0 + BAR_W * i as i32 / 2;
            let bottom = height as i32 - 20;
            root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom)], RGBColor(0xcc, 0xcc, 0xcc)))
                .ok();
            let s = ("sans-serif", 10).into_font().color(&RGBColor(0x66, 0x66, 0x66)).pos(Pos::new(
                HPos::Center,
                VPos::Top,
            ));
            root.draw(&Text::new(t.to_string(), (x, bottom + 3), s)).ok();
        }
        for (i, b) in bars.iter().enumerate() {
            let y = top + (ROW as i32) * i as i32;
            let yc = y + ROW as i32 / 2;
            root.draw(&Text::new(truncate(&b.label, 48), (LABEL_W, yc), label_style.clone())).ok();
            let v = b.value.clamp(0.0, 1.0);
            let x1 = BAR_X0 + (v * BAR_W as f64).round() as i32;
            root.draw(&Rectangle::new([(BAR_X0, y + 5), (x1.max(BAR_X0 + 1), y + ROW as i32 - 5)], COLOR.filled()))
                .ok();
            let mut note_x = x1 + 6;
            if let Some((lo, hi)) = b.ci {
                let xl = BAR_X0 + (lo.clamp(0.0, 1.0) * BAR_W as f64).round() as i32;
                let xh = BAR_X0 + (hi.clamp(0.0, 1.0) * BAR_W as f64).round() as i32;
                let c = RGBColor(0x22, 0x22, 0x22);
                root.draw(&PathElement::new(vec![(xl, yc), (xh, yc)], c)).ok();
                root.draw(&PathElement::new(vec![(xl, yc - 4), (xl, yc + 4)], c)).ok();
                root.draw(&PathElement::new(vec![(xh, yc - 4), (xh, yc + 4)], c)).ok();
                note_x = note_x.max(xh + 6);
            }
            root.draw(&Text::new(b.note.clone(), (note_x, yc), note_style.clone())).ok();
        }
        root.present().ok();
    }
    // plotters writes an XML declaration-free <svg>; make it scale in HTML.
    buf.replacen("<svg ", &format!("<svg viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" "), 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_bars_labels_and_escaped_text() {
        let svg = hbar_svg(
            "Usługi <najbardziej> potrzebne",
            &[
                Bar { label: "Usługi opiekuńcze".into(), value: 0.452, ci: Some((0.40, 0.50)), note: "45,2% (n=123)".into() },
                Bar { label: "Transport".into(), value: 0.1, ci: None, note: "10,0% (n=27)".into() },
            ],
        );
        assert!(svg.starts_with("<svg viewBox"));
        assert!(svg.contains("Usługi opiekuńcze"));
        assert!(svg.contains("45,2% (n=123)"));
        assert!(!svg.contains("<najbardziej>"), "text must be escaped");
        assert_eq!(svg.matches("<rect").count(), 3); // background + 2 bars
    }
}

//! Statistics on counts, written out so they can be checked against published values: Wilson
//! score intervals for proportions. Pure functions, no data frames.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval (no continuity correction) for `x` successes out of `n`, at `z`.
/// `n` may be fractional (an effective sample size). Returns None when n is 0.
pub fn wilson(x: f64, n: f64, z: f64) -> Option<(f64, f64)> {
    if n <= 0.0 || !n.is_finite() || !x.is_finite() {
        return None;
    }
    let p = (x / n).clamp(0.0, 1.0);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    // At x = 0 and x = n the bounds are exactly 0 and 1; rounding must not move them.
    let lo = if x <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if x >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-6
    }

    #[test]
    fn wilson_matches_published_values() {
        // anchors.md / the issue: 340/400 → 0.81169–0.88166; 3/7 → 0.15822–0.74954; 0/25 → 0–0.13319
        let (l, h) = wilson(340.0, 400.0, Z95).unwrap();
        assert!(close(l, 0.8116864) && close(h, 0.8816550), "{l} {h}");
        let (l, h) = wilson(3.0, 7.0, Z95).unwrap();
        assert!(close(l, 0.1582199) && close(h, 0.7495416), "{l} {h}");
        let (l, h) = wilson(0.0, 25.0, Z95).unwrap();
        assert!(l == 0.0 && (h - 0.13319).abs() < 5e-6, "{l} {h}");
        let (l, h) = wilson(10.0, 10.0, Z95).unwrap();
        assert!(close(l, 0.7224672) && h == 1.0);
        assert!(wilson(0.0, 0.0, Z95).is_none());
    }
}

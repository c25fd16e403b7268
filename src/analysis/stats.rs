//! Statistics on counts, written out so they can be checked against published values: Wilson
//! score intervals for proportions, the regularized incomplete gamma function, the chi-square test
//! of independence with Cramér's V and the expected-count check, and Fisher's exact test for 2×2
//! tables. Pure functions, no data frames, no survey knowledge.

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
    // At x = 0 and x = n the bounds are exactly 0 and 1; rounding would leave 1e-17 behind.
    let lo = if p == 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if p == 1.0 {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Some((lo, hi))
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-15 on this range).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a), for a > 0, x ≥ 0.
/// The series for P when x < a + 1, Lentz's continued fraction for Q otherwise (Numerical
/// Recipes §6.2); each converges fast on its side.
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if a.is_nan() || a <= 0.0 || x.is_nan() || x < 0.0 || !a.is_finite() {
        return f64::NAN;
    }
    if x == 0.0 {
        return 1.0;
    }
    if x.is_infinite() {
        return 0.0;
    }
    let ln_pre = a * x.ln() - x - ln_gamma(a);
    if x < a + 1.0 {
        // P(a, x) = e^{-x} x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n))
        let mut ap = a;
        let mut term = 1.0 / a;
        let mut sum = term;
        for _ in 0..10_000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        let p = sum * ln_pre.exp();
        (1.0 - p).clamp(0.0, 1.0)
    } else {
        const TINY: f64 = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / TINY;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..10_000 {
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < TINY {
                d = TINY;
            }
            c = b + an / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            let del = d * c;
            h *= del;
            if (del - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (ln_pre.exp() * h).clamp(0.0, 1.0)
    }
}

/// Upper tail of the chi-square distribution: P(X ≥ x) with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    gamma_q(df / 2.0, x / 2.0)
}

/// Pearson's chi-square test of independence on a contingency table of counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    pub statistic: f64,
    pub df: u32,
    pub p: f64,
    /// Cramér's V = √(χ² / (n · (min(r, c) − 1))).
    pub cramers_v: f64,
    pub n: f64,
    /// Rows and columns left after dropping empty ones.
    pub rows: usize,
    pub cols: usize,
    pub min_expected: f64,
    /// Share of cells with an expected count below 5.
    pub share_expected_below_5: f64,
    /// False when any expected count is below 1 or more than 20% are below 5 (Cochran's rule):
    /// the chi-square approximation cannot be trusted.
    pub reliable: bool,
}

/// Chi-square test of independence (no continuity correction, as `scipy.stats.chi2_contingency(
/// correction=False)` and SPSS's "Pearson Chi-Square"). Rows and columns whose total is zero are
/// dropped first; None when fewer than 2 rows or 2 columns remain (nothing to test).
pub fn chi_square(table: &[Vec<f64>]) -> Option<ChiSquare> {
    let ncols = table.iter().map(Vec::len).max().unwrap_or(0);
    let col_tot: Vec<f64> = (0..ncols)
        .map(|j| table.iter().map(|r| r.get(j).copied().unwrap_or(0.0)).sum())
        .collect();
    let keep_cols: Vec<usize> = (0..ncols).filter(|&j| col_tot[j] > 0.0).collect();
    let rows: Vec<Vec<f64>> = table
        .iter()
        .map(|r| {
            keep_cols
                .iter()
                .map(|&j| r.get(j).copied().unwrap_or(0.0))
                .collect::<Vec<f64>>()
        })
        .filter(|r| r.iter().sum::<f64>() > 0.0)
        .collect();
    let (nr, nc) = (rows.len(), keep_cols.len());
    if nr < 2 || nc < 2 {
        return None;
    }
    let row_tot: Vec<f64> = rows.iter().map(|r| r.iter().sum()).collect();
    let col_tot: Vec<f64> = (0..nc).map(|j| rows.iter().map(|r| r[j]).sum()).collect();
    let n: f64 = row_tot.iter().sum();
    let mut stat = 0.0;
    let mut min_e = f64::INFINITY;
    let mut below5 = 0usize;
    for (i, r) in rows.iter().enumerate() {
        for (j, &o) in r.iter().enumerate() {
            let e = row_tot[i] * col_tot[j] / n;
            stat += (o - e) * (o - e) / e;
            min_e = min_e.min(e);
            if e < 5.0 {
                below5 += 1;
            }
        }
    }
    let df = ((nr - 1) * (nc - 1)) as u32;
    let share = below5 as f64 / (nr * nc) as f64;
    let k = (nr.min(nc) - 1) as f64;
    Some(ChiSquare {
        statistic: stat,
        df,
        p: chi2_sf(stat, f64::from(df)),
        cramers_v: (stat / (n * k)).sqrt().min(1.0),
        n,
        rows: nr,
        cols: nc,
        min_expected: min_e,
        share_expected_below_5: share,
        reliable: min_e >= 1.0 && share <= 0.2,
    })
}

fn ln_choose(n: u64, k: u64) -> f64 {
    ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
}

/// Fisher's exact test, two-sided, for the 2×2 table [[a, b], [c, d]]: the sum of the
/// hypergeometric probabilities of all tables with the same margins that are no more likely than
/// the observed one (with a relative tolerance of 1e-7, as R's `fisher.test` and SciPy). None for
/// an empty table.
pub fn fisher_exact(a: u64, b: u64, c: u64, d: u64) -> Option<f64> {
    let n = a + b + c + d;
    if n == 0 {
        return None;
    }
    let (r1, c1) = (a + b, a + c);
    let r2 = c + d;
    let lo = c1.saturating_sub(r2);
    let hi = r1.min(c1);
    let denom = ln_choose(n, c1);
    let lp = |x: u64| ln_choose(r1, x) + ln_choose(r2, c1 - x) - denom;
    let p_obs = lp(a);
    let mut p = 0.0;
    for x in lo..=hi {
        let l = lp(x);
        if l <= p_obs + 1e-7_f64.ln_1p() {
            p += l.exp();
        }
    }
    Some(p.min(1.0))
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

    // Reference values below were computed with SciPy 1.17.1 (scipy.special.gammaincc,
    // scipy.stats.chi2.sf, scipy.stats.chi2_contingency(correction=False),
    // scipy.stats.fisher_exact) on 2026-11-23; they are independent of this code.

    fn rel(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300)
    }

    #[test]
    fn incomplete_gamma_matches_scipy() {
        let cases = [
            (0.5, 0.1, 0.6547208460185768),
            (1.0, 1.0, 0.36787944117144245),
            (3.0, 2.5, 0.5438131158833297),
            (10.0, 15.0, 0.06985366069940986),
            (0.5, 30.0, 9.485737571073857e-15),
            (50.0, 40.0, 0.9296649333406051),
            (1.5, 1e-3, 0.999976225946348),
            (100.0, 120.0, 0.027863739890520652),
        ];
        for (a, x, q) in cases {
            let got = gamma_q(a, x);
            assert!(rel(got, q, 1e-9), "Q({a}, {x}) = {got}, SciPy {q}");
        }
        assert!(rel(chi2_sf(3.84145882, 1.0), 0.0500000000206984, 1e-8));
        assert!(rel(chi2_sf(100.0, 50.0), 3.454931382984871e-05, 1e-8));
        assert!(rel(chi2_sf(0.5, 4.0), 0.9735009788392561, 1e-10));
        assert_eq!(chi2_sf(0.0, 3.0), 1.0);
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-13);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
    }

    fn t(rows: &[&[f64]]) -> Vec<Vec<f64>> {
        rows.iter().map(|r| r.to_vec()).collect()
    }

    #[test]
    #[allow(clippy::type_complexity)]
    fn chi_square_matches_scipy() {
        // (table, statistic, df, p, Cramér's V)
        let cases: [(Vec<Vec<f64>>, f64, u32, f64, f64); 5] = [
            (
                t(&[&[10., 20., 30.], &[25., 15., 5.]]),
                23.333333333333336,
                2,
                8.57493910267228e-06,
                0.4714045207910317,
            ),
            (t(&[&[3., 1.], &[1., 3.]]), 2.0, 1, 0.15729920705028105, 0.5),
            (
                t(&[&[12., 5.], &[7., 9.]]),
                2.4305755196815575,
                1,
                0.118989205532145,
                0.27139234260883977,
            ),
            (
                t(&[&[50., 30., 20.], &[40., 45., 15.], &[10., 25., 35.]]),
                39.24642857142857,
                4,
                6.195875362947307e-08,
                0.26958963523950885,
            ),
            (
                t(&[&[200., 180.], &[150., 210.]]),
                8.9165220744168,
                1,
                0.002826021804813504,
                0.10976955021597427,
            ),
        ];
        for (tab, stat, df, p, v) in cases {
            let c = chi_square(&tab).unwrap();
            assert!(rel(c.statistic, stat, 1e-12), "{tab:?}: {}", c.statistic);
            assert_eq!(c.df, df);
            assert!(rel(c.p, p, 1e-8), "{tab:?}: p {} vs {p}", c.p);
            assert!(rel(c.cramers_v, v, 1e-12), "{tab:?}: V {}", c.cramers_v);
        }
        // [[1,2],[3,0],[4,8]]: χ² 4.5, df 2, p 0.10539922456186433; min expected 1.3333;
        // 3 of 6 expected counts below 5 → unreliable.
        let c = chi_square(&t(&[&[1., 2.], &[3., 0.], &[4., 8.]])).unwrap();
        assert!(rel(c.p, 0.10539922456186433, 1e-9));
        assert!((c.min_expected - 4.0 / 3.0).abs() < 1e-12);
        assert!(!c.reliable);
        // The 2×3 example: min expected 15 → reliable.
        assert!(
            chi_square(&t(&[&[10., 20., 30.], &[25., 15., 5.]]))
                .unwrap()
                .reliable
        );
        // Empty rows and columns are dropped; a table that collapses to one column has no test.
        let c = chi_square(&t(&[&[3., 0., 1.], &[0., 0., 0.], &[1., 0., 3.]])).unwrap();
        assert_eq!((c.rows, c.cols, c.df), (2, 2, 1));
        assert!(rel(c.p, 0.15729920705028105, 1e-9));
        assert!(chi_square(&t(&[&[3., 0.], &[5., 0.]])).is_none());
        assert!(chi_square(&t(&[&[0., 0.], &[0., 0.]])).is_none());
        assert!(chi_square(&[]).is_none());
    }

    #[test]
    fn fisher_matches_scipy() {
        let cases = [
            ([3, 1, 1, 3], 0.48571428571428565),
            ([12, 5, 7, 9], 0.16632006577356484),
            ([0, 5, 6, 1], 0.01515151515151515),
            ([8, 2, 1, 5], 0.034965034965034975),
            ([1, 9, 11, 3], 0.0027594561852200836),
            ([10, 10, 10, 10], 1.0),
        ];
        for ([a, b, c, d], p) in cases {
            let got = fisher_exact(a, b, c, d).unwrap();
            assert!(rel(got, p, 1e-9), "[[{a},{b}],[{c},{d}]]: {got} vs {p}");
        }
        // Hand-worked: [[3,1],[1,3]] — margins 4,4 / 4,4; P(a=x) = C(4,x)C(4,4−x)/C(8,4) =
        // 1,16,36,16,1 over 70; tables no more likely than 16/70: x = 0,1,3,4 → 34/70.
        assert!((fisher_exact(3, 1, 1, 3).unwrap() - 34.0 / 70.0).abs() < 1e-12);
        assert!(fisher_exact(0, 0, 0, 0).is_none());
    }
}

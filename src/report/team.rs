//! The team's own texts in the report (`[texts]` and `[[qualitative]]` of diagnoza.toml): local
//! conditions and qualitative inputs in stage III; SWOT, conclusions, specific objectives and the
//! consultation in stage IV. Where a text is missing the report prints a to-do for the team
//! (paragraph class `todo`, drawn as a dashed box), never body text. The SWOT's proposed
//! strengths and weaknesses come from the data; opportunities and threats are left to the team.
//! Does not write the team's conclusions itself.

use crate::analysis::{LOW_AVAILABILITY, Priority, Results};
use crate::lang::fill;
use crate::lang::report::{R, tr};
use crate::workspace::Config;

use super::interpret::rating_rows;
use super::{Builder, Cell, Extras, pct};
use crate::template::{Questionnaire, Role};

fn todo(b: &mut Builder, what: R) {
    let text = fill(
        tr(b.lang, R::TodoWhat),
        &[("todo", tr(b.lang, R::Todo)), ("what", tr(b.lang, what))],
    );
    b.p(text, "todo");
}

/// Stage III: the local conditions and the qualitative inputs.
pub(super) fn stage3(b: &mut Builder, config: &Config) {
    let lang = b.lang;
    b.h(3, tr(lang, R::LocalConditions), "local_conditions");
    if config.texts.local_conditions.trim().is_empty() {
        todo(b, R::LocalConditionsWhat);
    } else {
        b.p(config.texts.local_conditions.clone(), "");
    }
    b.h(3, tr(lang, R::Qualitative), "qualitative");
    if config.qualitative.is_empty() {
        todo(b, R::QualitativeWhat);
    }
    for q in &config.qualitative {
        let head = if q.date.trim().is_empty() {
            q.method.clone()
        } else {
            format!("{} ({})", q.method, q.date)
        };
        b.h(4, head, "");
        if !q.participants.trim().is_empty() {
            b.p(
                format!("{}: {}", tr(lang, R::Participants), q.participants),
                "note",
            );
        }
        b.p(q.summary.clone(), "");
    }
}

/// The SWOT draft from the data: strengths (areas rated well, readiness, institutions ready to
/// do more) and weaknesses (low availability, high-priority areas, service gaps).
pub fn swot_draft(
    form: &Questionnaire,
    results: &Results,
    extras: &Extras,
    lang: &str,
) -> (Vec<String>, Vec<String>) {
    let stats: Vec<_> = results
        .overall
        .iter()
        .filter(|st| {
            form.question(&st.question)
                .is_some_and(|q| q.role == Some(Role::Availability))
        })
        .collect();
    let rows = rating_rows(form, &stats, lang);
    let mut strengths = Vec::new();
    let mut weaknesses = Vec::new();
    for r in &rows {
        let Some((_, top2, _)) = r.shown else {
            continue;
        };
        if top2 >= 0.5 {
            strengths.push(fill(
                tr(lang, R::SwotGoodRating),
                &[("area", &r.label), ("share", &pct(top2, lang))],
            ));
        }
    }
    for a in &results.areas {
        let low = a
            .availability
            .as_ref()
            .and_then(|x| x.mean01)
            .is_some_and(|m| m < LOW_AVAILABILITY);
        if a.priority == Priority::High || (low && a.priority == Priority::Medium) {
            weaknesses.push(fill(tr(lang, R::SwotUnmet), &[("area", a.area.name(lang))]));
        }
    }
    for p in &results.potential {
        if let Some(r) = p.ready.as_ref().filter(|r| !r.suppressed && r.pct >= 0.3)
            && let Some(q) = form.question(&p.question)
        {
            strengths.push(fill(
                tr(lang, R::SwotReady),
                &[
                    (
                        "question",
                        form.text(&q.label, lang).trim_end_matches(['?', ':', '.']),
                    ),
                    ("share", &pct(r.pct, lang)),
                ],
            ));
        }
    }
    if let Some(inv) = extras.inventory {
        if !inv.ready.is_empty() {
            strengths.push(fill(
                tr(lang, R::SwotInstitutions),
                &[("n", &inv.ready.len().to_string())],
            ));
        }
        for g in inv.service_gaps.iter().take(5) {
            weaknesses.push(fill(tr(lang, R::SwotGap), &[("service", &g.label)]));
        }
    }
    (strengths, weaknesses)
}

/// Stage IV: SWOT, conclusions, specific objectives, consultation.
pub(super) fn stage4(
    b: &mut Builder,
    form: &Questionnaire,
    results: &Results,
    config: &Config,
    extras: &Extras,
) {
    let lang = b.lang;
    let tx = &config.texts;
    b.h(3, tr(lang, R::Swot), "swot");
    let (strengths, weaknesses) = swot_draft(form, results, extras, lang);
    let join = |v: &[String]| v.join("; ");
    let team_cell = |v: &[String]| {
        if v.is_empty() {
            Cell::text("—").muted()
        } else {
            Cell::text(join(v))
        }
    };
    let left = tr(lang, R::SwotLeft);
    let rows = vec![
        vec![
            Cell::text(tr(lang, R::Strengths)),
            team_cell(&tx.swot.strengths),
            Cell::text(join(&strengths)),
        ],
        vec![
            Cell::text(tr(lang, R::Weaknesses)),
            team_cell(&tx.swot.weaknesses),
            Cell::text(join(&weaknesses)),
        ],
        vec![
            Cell::text(tr(lang, R::Opportunities)),
            team_cell(&tx.swot.opportunities),
            Cell::text(left).muted(),
        ],
        vec![
            Cell::text(tr(lang, R::Threats)),
            team_cell(&tx.swot.threats),
            Cell::text(left).muted(),
        ],
    ];
    b.table(
        tr(lang, R::Swot),
        vec![
            String::new(),
            tr(lang, R::SwotTeam).into(),
            tr(lang, R::SwotData).into(),
        ],
        rows,
        tr(lang, R::SwotNote),
    );
    if tx.swot.is_empty() {
        todo(b, R::SwotWhat);
    }
    for (head, id, items, what) in [
        (
            R::Conclusions,
            "conclusions",
            &tx.conclusions,
            R::ConclusionsWhat,
        ),
        (
            R::Objectives,
            "objectives",
            &tx.objectives,
            R::ObjectivesWhat,
        ),
    ] {
        b.h(3, tr(lang, head), id);
        if items.is_empty() {
            todo(b, what);
        } else {
            b.list(items.clone(), true, "");
        }
    }
    b.h(3, tr(lang, R::Consultation), "consultation");
    if tx.consultation.trim().is_empty() {
        todo(b, R::ConsultationWhat);
    } else {
        b.p(tx.consultation.clone(), "");
    }
}

/// The qualitative methods, for the list of methods of stage II.
pub fn methods(config: &Config) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for q in &config.qualitative {
        let m = if q.participants.trim().is_empty() {
            q.method.clone()
        } else {
            format!("{} — {}", q.method, q.participants)
        };
        if !v.contains(&m) {
            v.push(m);
        }
    }
    v
}

//! One diagnosis of a workspace, computed once: [`Diagnosis`] opens a workspace with settled
//! [`Settings`] (language, weights, threshold) and yields, lazily and each at most once, the
//! coded answers, the analysis [`Results`], the resource inventory, the draft programme, the
//! quotes and the desk data. Every command that shows figures reads them from here, so the
//! report, its inventory and its programme see the same weighted analysis.
//!
//! It does not render (that is `report`, `programme`, `cmd`) and does not import (that is
//! `ingest` and `cmd::import`).

use std::cell::OnceCell;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Result, anyhow, bail};

use crate::analysis::coded::Coded;
use crate::analysis::{self, Results, weights};
use crate::inventory::{self, Inventory};
use crate::lang::Lang;
use crate::programme::{self, Catalogue, Programme, Rules};
use crate::report::desk::{self, DeskTable};
use crate::report::quotes::{self, Quote};
use crate::response::Response;
use crate::store::Store;
use crate::template::{Questionnaire, Role};
use crate::workspace::Workspace;

/// Quotes per open question in the report.
pub const QUOTES_PER_QUESTION: usize = 6;

/// Times the store's answers were decoded into analysis columns in this process.
static DECODES: AtomicUsize = AtomicUsize::new(0);

/// How often this process decoded the store into analysis columns (for tests and
/// `DIAGNOZA_DEBUG_COUNTS`).
pub fn decodes_run() -> usize {
    DECODES.load(Ordering::Relaxed)
}

/// The settings every figure of one diagnosis shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub lang: Lang,
    /// Post-stratification weights on (when diagnoza.toml has a population table).
    pub weights: bool,
    /// Cells with fewer respondents than this are hidden.
    pub threshold: u32,
}

impl Settings {
    /// diagnoza.toml's settings, with a command line's `--lang` and `--no-weights` on top.
    pub fn of(w: &Workspace, lang: Option<Lang>, no_weights: bool) -> Result<Settings> {
        let lang = match lang {
            Some(l) => l,
            None => Lang::from_code(&w.config.diagnosis.language).ok_or_else(|| {
                anyhow!(
                    "{}: language '{}': expected pl or en",
                    w.dir.join(crate::workspace::CONFIG_FILE).display(),
                    w.config.diagnosis.language
                )
            })?,
        };
        Ok(Settings {
            lang,
            weights: !no_weights,
            threshold: w.config.diagnosis.suppression_threshold,
        })
    }
}

/// A workspace's diagnosis: everything computed from it, each piece once and on first use.
pub struct Diagnosis {
    pub workspace: Workspace,
    pub settings: Settings,
    form: Questionnaire,
    /// The grouping variables the results show (diagnoza.toml's, or a command's `--by`).
    grouping: Vec<String>,
    /// Whether the analysis also groups by what the programme's catalogue needs.
    with_programme: bool,
    catalogue: OnceCell<std::result::Result<(Catalogue, Rules), String>>,
    coded: OnceCell<Coded>,
    /// The one analysis: None when the store holds no responses of the questionnaire.
    analysis: OnceCell<Option<Results>>,
    /// The analysis restricted to `grouping` (what the report and `analyze` show).
    results: OnceCell<Results>,
    inventory: OnceCell<Option<Inventory>>,
    programme: OnceCell<Programme>,
    quotes: OnceCell<Vec<Quote>>,
    desk: OnceCell<Vec<DeskTable>>,
}

impl Diagnosis {
    /// The diagnosis of a workspace's residents' questionnaire, grouped as diagnoza.toml says
    /// (plus what the programme's target groups need).
    pub fn open(workspace: Workspace, settings: Settings) -> Result<Diagnosis> {
        let form = workspace.questionnaire()?.form;
        let grouping = workspace.grouping(&form)?;
        Ok(Diagnosis::new(workspace, settings, form, grouping, true))
    }

    /// The diagnosis of any questionnaire of the workspace with the given grouping (for
    /// `analyze --form --by`); no programme groups are added.
    pub fn of_form(
        workspace: Workspace,
        settings: Settings,
        form: Questionnaire,
        grouping: Vec<String>,
    ) -> Diagnosis {
        Diagnosis::new(workspace, settings, form, grouping, false)
    }

    fn new(
        workspace: Workspace,
        settings: Settings,
        form: Questionnaire,
        grouping: Vec<String>,
        with_programme: bool,
    ) -> Diagnosis {
        Diagnosis {
            workspace,
            settings,
            form,
            grouping,
            with_programme,
            catalogue: OnceCell::new(),
            coded: OnceCell::new(),
            analysis: OnceCell::new(),
            results: OnceCell::new(),
            inventory: OnceCell::new(),
            programme: OnceCell::new(),
            quotes: OnceCell::new(),
            desk: OnceCell::new(),
        }
    }

    /// The analysed questionnaire.
    pub fn form(&self) -> &Questionnaire {
        &self.form
    }

    /// The language code of the settings (for APIs that still take `&str`).
    pub fn lang(&self) -> &'static str {
        self.settings.lang.code()
    }

    /// The grouping variables the results show.
    pub fn grouping(&self) -> &[String] {
        &self.grouping
    }

    /// The programme's catalogue and rules (the workspace's `survey-templates/`, else the
    /// bundled ones), checked against the questionnaire.
    pub fn catalogue(&self) -> Result<&(Catalogue, Rules)> {
        let c = self.catalogue.get_or_init(|| {
            programme::load(
                Some(&self.workspace.dir.join("survey-templates")),
                &self.form,
            )
            .map_err(|e| format!("{e:#}"))
        });
        c.as_ref().map_err(|e| anyhow!("{e}"))
    }

    /// The stored responses decoded into analysis columns (by several threads); may hold no
    /// respondent.
    pub fn coded(&self) -> Result<&Coded> {
        if let Some(c) = self.coded.get() {
            return Ok(c);
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let c = Coded::from_store(&self.form, &self.workspace.store_path(), threads)?;
        DECODES.fetch_add(1, Ordering::Relaxed);
        Ok(self.coded.get_or_init(|| c))
    }

    /// Free the coded answers once the analysis is done (they are the largest piece).
    pub fn release_coded(&mut self) {
        self.coded.take();
    }

    /// The one analysis, grouped by the results' grouping and the programme's target groups;
    /// None when the store holds no responses of the questionnaire.
    pub fn analysis(&self) -> Result<Option<&Results>> {
        if let Some(a) = self.analysis.get() {
            return Ok(a.as_ref());
        }
        let coded = self.coded()?;
        let a = if coded.n == 0 {
            None
        } else {
            let mut grouping = self.grouping.clone();
            if self.with_programme
                && let Ok((cat, _)) = self.catalogue()
            {
                for g in programme::grouping_needed(cat) {
                    if !grouping.contains(&g) {
                        grouping.push(g);
                    }
                }
            }
            let weighting = self.weighting(coded)?;
            Some(analysis::analyse_coded(
                &self.form,
                coded,
                &grouping,
                self.settings.threshold,
                self.lang(),
                weighting,
            )?)
        };
        Ok(self.analysis.get_or_init(|| a).as_ref())
    }

    /// Post-stratification weights when the settings want them and diagnoza.toml has a
    /// population table for this questionnaire.
    fn weighting(&self, coded: &Coded) -> Result<Option<weights::Weighting>> {
        if !self.settings.weights {
            return Ok(None);
        }
        match weights::load_population(&self.workspace, &self.form)? {
            Some(t) => Ok(Some(weights::weights(&self.form, coded, &t)?)),
            None => Ok(None),
        }
    }

    /// The analysis results with the breakdowns of [`Diagnosis::grouping`] (what the report,
    /// its spreadsheet and `analyze` show); an error when there are no responses yet.
    pub fn results(&self) -> Result<&Results> {
        if let Some(r) = self.results.get() {
            return Ok(r);
        }
        let Some(all) = self.analysis()? else {
            bail!(
                "the store holds no responses for questionnaire '{}': import some first",
                self.form.id
            );
        };
        let mut r = all.clone();
        r.breakdowns.retain(|b| self.grouping.contains(&b.var));
        Ok(self.results.get_or_init(|| r))
    }

    /// The institutions' resource inventory with the residents' needs beside it; None when the
    /// workspace has no institutions' questionnaire or no institutions' answers.
    pub fn inventory(&self) -> Result<Option<&Inventory>> {
        if let Some(i) = self.inventory.get() {
            return Ok(i.as_ref());
        }
        let i = self.build_inventory()?;
        Ok(self.inventory.get_or_init(|| i).as_ref())
    }

    fn build_inventory(&self) -> Result<Option<Inventory>> {
        let w = &self.workspace;
        let Some(inst) = w.institutions()? else {
            return Ok(None);
        };
        let store = Store::open(&w.store_path())?;
        let responses: Vec<_> = store
            .answers(&inst.form.id)?
            .into_iter()
            .map(|s| s.response)
            .collect();
        if responses.is_empty() {
            return Ok(None);
        }
        let mut inv = inventory::build(
            &inst.form,
            &responses,
            Some(&self.form),
            self.analysis()?,
            self.lang(),
        );
        inv.suppress_small(self.settings.threshold, self.lang());
        Ok(Some(inv))
    }

    /// The draft programme from the same analysis and inventory; an error when the catalogue
    /// or the rules do not load or there are no responses.
    pub fn programme(&self) -> Result<&Programme> {
        if let Some(p) = self.programme.get() {
            return Ok(p);
        }
        let (cat, rules) = self.catalogue()?;
        let results = self.analysis()?.ok_or_else(|| {
            anyhow!(
                "the store holds no responses for questionnaire '{}': import some first",
                self.form.id
            )
        })?;
        // the baselines from `resources` desk tables; a desk problem is the report's to name
        let mut desk = Vec::new();
        if let Ok(tables) = self.desk() {
            let specs = &self.workspace.config.desk_data;
            for (spec, tbl) in specs.iter().zip(tables) {
                if spec.kind != "resources" {
                    continue;
                }
                for row in &tbl.rows {
                    let Some((first, rest)) = row.split_first() else {
                        continue;
                    };
                    let text: Vec<String> = tbl
                        .headers
                        .iter()
                        .skip(1)
                        .zip(rest)
                        .filter(|(_, c)| !matches!(c.text.trim(), "" | "—" | "-"))
                        .map(|(h, c)| format!("{h}: {}", c.text))
                        .collect();
                    desk.push(programme::DeskRow {
                        label: first.text.clone(),
                        text: text.join("; "),
                        source: [tbl.title.as_str(), tbl.source.as_str(), tbl.year.as_str()]
                            .iter()
                            .filter(|s| !s.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(", "),
                    });
                }
            }
        }
        let plan = programme::plan(&self.workspace.dir, &self.workspace.config.programme)?;
        let p = programme::draft(
            &self.form,
            results,
            cat,
            rules,
            &programme::Inputs {
                inventory: self.inventory()?,
                desk: &desk,
                plan: &plan,
                rules_name: programme::RULES_FILE,
            },
            self.lang(),
        )?;
        Ok(self.programme.get_or_init(|| p))
    }

    /// Redacted quotes from the open questions, streamed from the store.
    pub fn quotes(&self) -> Result<&[Quote]> {
        if let Some(q) = self.quotes.get() {
            return Ok(q);
        }
        let open: Vec<&str> = self
            .form
            .questions
            .iter()
            .filter(|q| q.role == Some(Role::Open))
            .map(|q| q.name.as_str())
            .collect();
        let texts = answers_to(&self.workspace, &self.form, &open)?;
        let q = quotes::select(&self.form, &texts, QUOTES_PER_QUESTION);
        Ok(self.quotes.get_or_init(|| q))
    }

    /// The desk-data tables listed under `[[desk_data]]` in diagnoza.toml.
    pub fn desk(&self) -> Result<&[DeskTable]> {
        if let Some(d) = self.desk.get() {
            return Ok(d);
        }
        let w = &self.workspace;
        let mut out = Vec::new();
        for d in &w.config.desk_data {
            let path = w.dir.join(&d.file);
            if !path.is_file() {
                bail!(
                    "{}: desk-data file '{}' ([[desk_data]]) not found at {}",
                    w.dir.join(crate::workspace::CONFIG_FILE).display(),
                    d.file,
                    path.display()
                );
            }
            let table = crate::ingest::read_file(&path)?;
            out.push(desk::parse(d, &table, self.lang())?);
        }
        Ok(self.desk.get_or_init(|| out))
    }
}

/// The stored responses of a questionnaire holding only their answers to `questions`, streamed
/// from the store so that the other answers are never held (the report's quotes need the open
/// questions only).
pub fn answers_to(
    w: &Workspace,
    form: &Questionnaire,
    questions: &[&str],
) -> Result<Vec<Response>> {
    if questions.is_empty() {
        return Ok(Vec::new());
    }
    let store = Store::open(&w.store_path())?;
    // Only those questions' columns are read.
    let mut out = store.answers_of(&form.id, questions)?;
    for r in &mut out {
        r.provenance.file.clear();
        r.provenance.row = 0;
        r.provenance.external_id = None;
    }
    Ok(out)
}

//! The four-stage diagnosis report. [`build`] turns [`Results`] (aggregates, suppression already
//! applied), the questionnaire, the workspace plan and the [`Extras`] (desk data, redacted
//! quotes) into a [`Doc`]: a flat list of blocks (headings, paragraphs, lists, tables, charts)
//! that every format renders — HTML and Markdown through tera templates (embedded; a workspace's
//! `templates/` folder overrides them file by file), Word (`docx`) and Excel (`xlsx`) in Rust.
//! Returns strings and bytes; writing is `output`'s job. Never sees a respondent's answers.

pub mod desk;
pub mod docx;
pub mod interpret;
pub mod pdf;
pub mod quotes;
mod team;
mod xlsx;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow};
use serde::Serialize;

use crate::analysis::{
    BaseKind, Breakdown, GroupTest, Index, QuestionStat, Results, Scale, TidyRow,
};
use crate::chart::{self, Bar};
use crate::lang::fill;
use crate::lang::report::{R, tr};
use crate::response::Channel;
use crate::template::{Area, Kind, Questionnaire, Role};
use crate::workspace::Config;

pub use docx::render as docx;
pub use interpret::Sentences;
pub use xlsx::render as xlsx;

/// The embedded templates, by file name (the same names override them in `templates/`).
pub const TEMPLATES: [(&str, &str); 2] = [
    ("report.html", include_str!("templates/report.html")),
    ("report.md", include_str!("templates/report.md")),
];

fn strings(lang: &str) -> BTreeMap<&'static str, &'static str> {
    let pl = lang == "pl";
    let pairs: &[(&str, &str, &str)] = &[
        (
            "title",
            "Diagnoza potrzeb i potencjału wspólnoty samorządowej w zakresie usług społecznych",
            "Diagnosis of the needs and potential of the local community regarding social services",
        ),
        ("gmina", "Gmina", "Municipality (gmina)"),
        ("contents", "Spis treści", "Contents"),
        ("summary", "Najważniejsze wnioski", "Key findings"),
        (
            "stage1",
            "Etap I. Planowanie diagnozy i ocena wykonalności",
            "Stage I. Planning and feasibility",
        ),
        (
            "stage2",
            "Etap II. Problemy badawcze, metody i techniki, harmonogram",
            "Stage II. Research problems, methods and techniques, schedule",
        ),
        (
            "stage3",
            "Etap III. Dane, badanie i analiza",
            "Stage III. Data, fieldwork and analysis",
        ),
        (
            "stage4",
            "Etap IV. Wnioski i rekomendacje",
            "Stage IV. Conclusions and recommendations",
        ),
        (
            "legal",
            "Podstawa prawna: ustawa z dnia 19 lipca 2019 r. o realizowaniu usług społecznych przez centrum usług społecznych (Dz.U. 2019 poz. 1818).",
            "Legal basis: the Act of 19 July 2019 on the provision of social services by a social services centre (Dz.U. 2019 item 1818).",
        ),
        ("purpose", "Cel diagnozy", "Purpose of the diagnosis"),
        ("scope", "Zakres", "Scope"),
        ("team", "Zespół", "Team"),
        ("resources", "Zasoby", "Resources"),
        ("constraints", "Ograniczenia", "Constraints"),
        (
            "principles",
            "Zasady realizacji usług społecznych",
            "Principles of providing social services",
        ),
        ("role", "Rola", "Role"),
        ("name", "Imię i nazwisko", "Name"),
        ("institution", "Instytucja", "Institution"),
        ("questions", "Problemy badawcze", "Research questions"),
        (
            "methods",
            "Metody i techniki badawcze",
            "Methods and techniques",
        ),
        ("sample", "Zrealizowana próba", "Sample achieved"),
        ("channel", "Sposób zebrania ankiet", "Collection channel"),
        ("respondents", "Liczba ankiet", "Questionnaires"),
        ("total", "Razem", "Total"),
        (
            "response_rate",
            "Odsetek dorosłych mieszkańców, którzy wypełnili ankietę",
            "Share of adult residents who answered",
        ),
        ("schedule", "Harmonogram", "Schedule"),
        ("stage", "Etap", "Stage"),
        ("task", "Zadanie", "Task"),
        ("from", "Od", "From"),
        ("to", "Do", "To"),
        ("who", "Odpowiedzialni", "Responsible"),
        ("group", "Grupa", "Group"),
        (
            "method_note",
            "Wyniki przedstawiono wyłącznie w postaci zbiorczych zestawień statystycznych. Odsetki liczono od podanej podstawy (n): przy pytaniach jednokrotnego wyboru — od osób, którym zadano pytanie (z pominięciem osób, które zgodnie z logiką ankiety je pominęły), przy pytaniach wielokrotnego wyboru — od osób, które udzieliły odpowiedzi (odsetki nie sumują się do 100%). Przedziały ufności 95% wyznaczono metodą Wilsona. Komórek liczących mniej niż {k} osób nie pokazano, aby chronić anonimowość respondentów.",
            "Results are shown only as aggregate statistics. Percentages use the stated base (n): for single-choice questions, the respondents who were asked (those routed past the question by skip logic excluded); for multiple-choice questions, those who answered (percentages do not sum to 100%). 95% confidence intervals are Wilson score intervals. Cells of fewer than {k} respondents are not shown, to protect respondents' anonymity.",
        ),
        ("option", "Odpowiedź", "Answer"),
        ("question", "Pytanie", "Question"),
        ("ci", "95% przedział ufności", "95% CI"),
        ("base", "Podstawa", "Base"),
        (
            "base_asked",
            "osoby, którym zadano pytanie",
            "respondents asked",
        ),
        (
            "base_answered",
            "osoby, które odpowiedziały",
            "respondents who answered",
        ),
        ("mean", "Średnia ocena (1–5)", "Mean rating (1–5)"),
        (
            "unscored",
            "trudno powiedzieć / nie korzystam",
            "hard to say / not used",
        ),
        (
            "numeric",
            "Średnia; mediana; kwartyle",
            "Mean; median; quartiles",
        ),
        (
            "suppressed",
            "ukryto (mniej niż {k} osób)",
            "hidden (fewer than {k} respondents)",
        ),
        (
            "needs_by_group",
            "Potrzeby według grup mieszkańców",
            "Needs by group of residents",
        ),
        (
            "need_index_note",
            "Odsetek respondentów, którzy wskazali co najmniej jedną usługę z danego obszaru jako potrzebną (w gminie lub w swoim gospodarstwie domowym).",
            "Share of respondents who named at least one service of the area as needed (in the gmina or in their household).",
        ),
        (
            "area",
            "Obszar usług społecznych",
            "Area of social services",
        ),
        (
            "needs_ranked",
            "Potrzeby mieszkańców — ranking obszarów",
            "Residents' needs — areas ranked",
        ),
        ("need", "Potrzeba", "Need"),
        ("availability", "Ocena dostępności", "Availability rating"),
        (
            "unmet",
            "Potrzeby niezaspokojone (wysoka potrzeba, niska dostępność)",
            "Unmet needs (high need, low availability)",
        ),
        (
            "needs_per_group",
            "Najczęściej wskazywane obszary w grupach",
            "Areas named most often, by group",
        ),
        (
            "top_areas",
            "Trzy najczęściej wskazywane obszary",
            "Three areas named most often",
        ),
        ("no_data", "brak danych", "no data"),
        (
            "results_area",
            "Wyniki badania ankietowego",
            "Survey results",
        ),
        (
            "annex_q",
            "Aneks: kwestionariusz",
            "Annex: the questionnaire",
        ),
        (
            "section_metric",
            "Charakterystyka respondentów",
            "Respondents' profile",
        ),
        (
            "section_availability",
            "Dostępność usług",
            "Availability of services",
        ),
        ("section_quality", "Jakość usług", "Quality of services"),
        ("section_need", "Potrzebne usługi", "Services needed"),
        (
            "section_barrier",
            "Bariery w korzystaniu z usług",
            "Barriers to using services",
        ),
        (
            "section_potential",
            "Potencjał społeczności lokalnej",
            "Local community potential",
        ),
        (
            "readiness",
            "Gotowość mieszkańców do działania na rzecz społeczności",
            "Residents' readiness to act for the community",
        ),
        (
            "readiness_note",
            "Odsetek odpowiadających „tak” lub „może” wśród osób, które odpowiedziały na pytanie.",
            "Share answering \"yes\" or \"maybe\" among those who answered the question.",
        ),
        (
            "ready_share",
            "Gotowych (tak + może)",
            "Ready (yes + maybe)",
        ),
        (
            "institutions",
            "Potencjał instytucji i organizacji — inwentaryzacja zasobów",
            "Potential of institutions and organisations — resource inventory",
        ),
        (
            "inst_summary",
            "Ankietę dla instytucji i organizacji wypełniło {n} podmiotów; zatrudniają one {staff} osób przy realizacji usług i współpracują z {vol} wolontariuszami.",
            "{n} institutions and organisations answered their questionnaire; they employ {staff} people on services and work with {vol} volunteers.",
        ),
        ("entity_type", "Rodzaj podmiotu", "Type of entity"),
        ("entities", "Liczba podmiotów", "Entities"),
        ("providers", "Realizatorzy", "Providers"),
        (
            "services_now",
            "Usługi świadczone obecnie (liczba osób miesięcznie)",
            "Services provided now (people per month)",
        ),
        (
            "residents_need",
            "Potrzeba wśród mieszkańców",
            "Residents' need",
        ),
        ("gap", "Luka", "Gap"),
        ("gap_mark", "LUKA: brak realizatora", "GAP: no provider"),
        (
            "inventory_table",
            "Usługi i ich realizatorzy według obszarów",
            "Services and their providers by area",
        ),
        (
            "inventory_note",
            "Luka: co najmniej 15% mieszkańców wskazało potrzebę usług z obszaru, a żaden podmiot nie świadczy usług z tego obszaru.",
            "Gap: at least 15% of residents named a need for the area's services and no entity provides any of them.",
        ),
        (
            "service_gaps",
            "Usługi potrzebne mieszkańcom, których nikt nie świadczy",
            "Services residents need that nobody provides",
        ),
        ("service", "Usługa", "Service"),
        (
            "ready_entities",
            "Gotowi podjąć realizację",
            "Ready to take it on",
        ),
        ("nobody", "brak", "nobody"),
        (
            "ready_table",
            "Podmioty gotowe do współpracy z CUS lub realizacji usług zleconych",
            "Entities ready to cooperate with a CUS or take on commissioned services",
        ),
        ("entity", "Podmiot", "Entity"),
        ("cooperation", "Współpraca z CUS", "Cooperation with a CUS"),
        (
            "commissioned",
            "Realizacja usług zleconych",
            "Commissioned services",
        ),
        (
            "could_add",
            "Usługi, które mogą podjąć",
            "Services they could take on",
        ),
        (
            "shared",
            "Zasoby, które podmioty mogą udostępnić",
            "Resources entities could share",
        ),
        ("resource", "Zasób", "Resource"),
        (
            "inventory_chart",
            "Potrzeba mieszkańców a liczba realizatorów w obszarach usług",
            "Residents' need and the number of providers by area",
        ),
        (
            "section_channel",
            "Źródła informacji",
            "Information channels",
        ),
        ("section_other", "Pozostałe pytania", "Other questions"),
        (
            "unknown_group",
            "bez odpowiedzi na pytanie grupujące",
            "no answer to the grouping question",
        ),
        (
            "groups_hidden",
            "Grupy liczące mniej niż {k} osób pominięto.",
            "Groups of fewer than {k} respondents are left out.",
        ),
        ("priority", "Priorytet", "Priority"),
        ("high", "wysoki", "high"),
        ("medium", "średni", "medium"),
        (
            "generated",
            "Raport przygotowano programem diagnoza na podstawie danych z ankiet i planu diagnozy.",
            "Report prepared with diagnoza from the survey data and the diagnosis plan.",
        ),
        ("desk", "Dane zastane", "Desk data (existing statistics)"),
        (
            "desk_none",
            "W pliku diagnoza.toml nie wskazano plików z danymi zastanymi ([[desk_data]]).",
            "diagnoza.toml names no desk-data files ([[desk_data]]).",
        ),
        ("source", "Źródło", "Source"),
        ("year", "rok", "year"),
        ("men", "Mężczyźni", "Men"),
        ("women", "Kobiety", "Women"),
        (
            "pyramid",
            "Struktura ludności według wieku i płci",
            "Population by age and sex",
        ),
        ("age", "Wiek", "Age"),
        (
            "quotes",
            "Wypowiedzi mieszkańców (wybrane)",
            "Residents' comments (selection)",
        ),
        (
            "quotes_note",
            "Wypowiedzi przytoczono w brzmieniu oryginalnym; usunięto z nich dane osobowe (numery PESEL i telefonów, adresy e-mail, imiona i nazwiska).",
            "Comments are quoted as written; personal data (PESEL and phone numbers, e-mail addresses, names) were removed.",
        ),
        ("table", "Tabela", "Table"),
        ("chart", "Wykres", "Chart"),
        (
            "likert_chart",
            "Rozkład ocen (bez odpowiedzi „trudno powiedzieć”)",
            "Distribution of ratings (without \"hard to say\")",
        ),
        (
            "quadrant",
            "Potrzeba a dostępność usług według obszarów",
            "Need against availability of services by area",
        ),
        ("q_unmet", "potrzeby niezaspokojone", "unmet needs"),
        (
            "q_strong",
            "duża potrzeba, dobra dostępność",
            "high need, good availability",
        ),
        (
            "q_weak",
            "mała potrzeba, słaba dostępność",
            "low need, poor availability",
        ),
        (
            "q_ok",
            "mała potrzeba, dobra dostępność",
            "low need, good availability",
        ),
        (
            "need_axis",
            "Odsetek wskazujących potrzebę",
            "Share naming a need",
        ),
        (
            "avail_axis",
            "Ocena dostępności (0% = bardzo źle, 100% = bardzo dobrze)",
            "Availability rating (0% = very poor, 100% = very good)",
        ),
        ("methodology", "Nota metodologiczna", "Methodology note"),
        (
            "weighting_note",
            "Wyniki nie są ważone: opisują osoby, które wypełniły ankietę. Porównanie struktury próby ze strukturą ludności (płeć, wiek, miejscowość) pokazuje, na ile można je odnosić do wszystkich mieszkańców.",
            "Results are unweighted: they describe the people who answered. Comparing the sample with the population (sex, age, locality) shows how far they can be generalised to all residents.",
        ),
        (
            "recommendations",
            "Rekomendacje do programu usług społecznych",
            "Recommendations for the programme of social services",
        ),
        (
            "rec_note",
            "Poniższe obszary wymagają uwzględnienia w programie usług społecznych w pierwszej kolejności (duża potrzeba przy słabej ocenie dostępności). Szczegółowe rekomendacje (usługi, grupy docelowe, realizatorzy, finansowanie) zespół formułuje na podstawie tych danych.",
            "These areas should come first in the programme of social services (high need, poor availability). The team formulates detailed recommendations (services, target groups, providers, funding) from these data.",
        ),
        (
            "no_unmet",
            "Żaden obszar nie łączy dużej potrzeby ze słabą oceną dostępności.",
            "No area combines a high need with poor availability.",
        ),
        (
            "lowest_avail",
            "Najsłabiej oceniana dostępność usług",
            "Lowest-rated availability of services",
        ),
        ("participants", "Uczestnicy badania", "Participants"),
        ("rating", "Ocena", "Rating"),
        (
            "programme",
            "Usługi rekomendowane do programu usług społecznych",
            "Services recommended for the programme of social services",
        ),
        (
            "programme_note",
            "Rekomendacje wynikają z katalogu usług i reguł rekomendacji (diagnoza programme) zastosowanych do wyników badania; pełny projekt programu z polami do uzupełnienia przez zespół zapisuje polecenie `diagnoza programme`.",
            "Recommendations come from the service catalogue and the recommendation rules (diagnoza programme) applied to the survey results; `diagnoza programme` writes the full draft programme with the fields for the team to complete.",
        ),
        ("service", "Usługa", "Service"),
        (
            "programme_none",
            "Reguły rekomendacji nie wskazały przy obecnych danych żadnej usługi (najczęściej: zbyt mało ankiet w grupach docelowych); rekomendacje zespół formułuje na podstawie potrzeb niezaspokojonych opisanych wyżej.",
            "The recommendation rules select no service with the present data (most often: too few questionnaires in the target groups); the team formulates recommendations from the unmet needs above.",
        ),
        ("target_group", "Grupa docelowa", "Target group"),
        ("providers", "Realizatorzy", "Providers"),
        (
            "weighted_note",
            "Odsetki w tabelach raportu są nieważone (opisują osoby, które wypełniły ankietę). Obliczono też wagi poststratyfikacyjne według: {vars} (źródło: {source}); efekt schematu doboru deff = {deff}, efektywna liczebność próby {neff}. Odsetki ważone podaje arkusz z tabelą długą (kolumna weighted_pct).",
            "Percentages in the report's tables are unweighted (they describe the people who answered). Post-stratification weights were also computed by: {vars} (source: {source}); design effect deff = {deff}, effective sample size {neff}. Weighted percentages are in the long-table sheet (column weighted_pct).",
        ),
        (
            "difference",
            "Różnica między grupami",
            "Difference between groups",
        ),
        ("diff_yes", "tak", "yes"),
        ("diff_no", "niepotwierdzona", "not supported"),
        (
            "diff_note",
            "Różnicę między grupami uznano za potwierdzoną, gdy test niezależności (chi-kwadrat lub dokładny test Fishera) dał p < 0,05 przy wiarygodnych licznościach oczekiwanych; V — siła związku (V Craméra, 0–1). Testy mają charakter eksploracyjny (bez korekty na wielokrotne porównania).",
            "A difference between groups is called supported when a test of independence (chi-square or Fisher's exact test) gives p < 0.05 with reliable expected counts; V — strength of association (Cramér's V, 0–1). The tests are exploratory (no correction for multiple comparisons).",
        ),
        (
            "differences",
            "Różnice między grupami potwierdzone testem",
            "Differences between groups supported by a test",
        ),
        (
            "no_differences",
            "Żadna różnica potrzeb między grupami nie została potwierdzona testem.",
            "No difference in needs between groups is supported by a test.",
        ),
    ];
    pairs
        .iter()
        .map(|(k, p, e)| (*k, if pl { *p } else { *e }))
        .collect()
}

pub use crate::lang::{num, pct};

fn ci_text(ci: Option<(f64, f64)>, lang: &str) -> String {
    match ci {
        Some((l, h)) => format!("{}–{}", pct(l, lang), pct(h, lang)),
        None => String::new(),
    }
}

/// What is not in [`Results`] but goes into the report: desk data and redacted quotes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extras<'a> {
    pub desk: &'a [desk::DeskTable],
    pub quotes: &'a [quotes::Quote],
    /// The draft programme (recommendations), when its catalogue and rules load.
    pub programme: Option<&'a crate::programme::Programme>,
    /// The institutions' resource inventory, when the workspace has institutions' answers.
    pub inventory: Option<&'a crate::inventory::Inventory>,
    /// The sentence templates (None: the embedded ones).
    pub sentences: Option<&'a Sentences>,
}

/// How a cell's value is formatted in a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fmt {
    Text,
    Int,
    Pct,
    Num,
}

/// One table cell: the text every format prints, and the number behind it for spreadsheets.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub text: String,
    pub value: Option<f64>,
    pub fmt: Fmt,
    /// Shown greyed (no answer, suppressed).
    pub muted: bool,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            value: None,
            fmt: Fmt::Text,
            muted: false,
        }
    }
    fn int(n: u64) -> Cell {
        Cell {
            text: n.to_string(),
            value: Some(n as f64),
            fmt: Fmt::Int,
            muted: false,
        }
    }
    fn pct(x: f64, lang: &str) -> Cell {
        Cell {
            text: pct(x, lang),
            value: Some(x),
            fmt: Fmt::Pct,
            muted: false,
        }
    }
    fn muted(mut self) -> Cell {
        self.muted = true;
        self
    }
}

/// A numbered table with its caption and a note printed under it (base, source, year).
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub number: usize,
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub note: String,
}

/// A numbered chart: the SVG, and the file name the Markdown links to.
#[derive(Debug, Clone, Serialize)]
pub struct ChartBlock {
    pub number: usize,
    pub caption: String,
    pub svg: String,
    pub file: String,
}

/// One block of the report, in reading order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
        id: String,
    },
    Para {
        text: String,
        class: String,
    },
    List {
        items: Vec<String>,
        ordered: bool,
        class: String,
    },
    Table(Table),
    Chart(ChartBlock),
}

/// The report, ready for any format.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    pub lang: String,
    pub t: BTreeMap<String, String>,
    pub title: String,
    /// "Gmina Wydminy, powiat giżycki, woj. warmińsko-mazurskie".
    pub place: String,
    pub period: String,
    pub institution: String,
    /// Printed on the cover: the data are fictional (empty otherwise).
    pub notice: String,
    /// Level-2 headings: (id, text), for the table of contents.
    pub toc: Vec<(String, String)>,
    pub blocks: Vec<Block>,
}

impl Doc {
    /// Every table of the report.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| {
            if let Block::Table(t) = b {
                Some(t)
            } else {
                None
            }
        })
    }
    /// Every chart of the report.
    pub fn charts(&self) -> impl Iterator<Item = &ChartBlock> {
        self.blocks.iter().filter_map(|b| {
            if let Block::Chart(c) = b {
                Some(c)
            } else {
                None
            }
        })
    }
    /// Apply `f` to every user-visible string except chart SVG (Markdown escaping).
    fn map_text(&mut self, f: &dyn Fn(&str) -> String) {
        for s in [
            &mut self.title,
            &mut self.place,
            &mut self.period,
            &mut self.institution,
            &mut self.notice,
        ] {
            *s = f(s);
        }
        for (_, s) in &mut self.toc {
            *s = f(s);
        }
        for b in &mut self.blocks {
            match b {
                Block::Heading { text, .. } | Block::Para { text, .. } => *text = f(text),
                Block::List { items, .. } => items.iter_mut().for_each(|i| *i = f(i)),
                Block::Table(t) => {
                    t.caption = f(&t.caption);
                    t.note = f(&t.note);
                    t.headers.iter_mut().for_each(|h| *h = f(h));
                    t.rows
                        .iter_mut()
                        .flatten()
                        .for_each(|c| c.text = f(&c.text));
                }
                Block::Chart(c) => c.caption = f(&c.caption),
            }
        }
    }
}

/// Accumulates blocks with running table and chart numbers.
struct Builder<'a> {
    lang: &'a str,
    /// Respondents of the survey (the N of the source note).
    n: u64,
    t: BTreeMap<&'static str, &'static str>,
    blocks: Vec<Block>,
    tables: usize,
    charts: usize,
}

impl Builder<'_> {
    /// "Źródło: opracowanie własne na podstawie badania ankietowego (N = …)."
    fn source(&self) -> String {
        crate::lang::fill(
            tr(self.lang, R::SurveySource),
            &[("n", &self.n.to_string())],
        )
    }
    fn h(&mut self, level: u8, text: impl Into<String>, id: impl Into<String>) {
        self.blocks.push(Block::Heading {
            level,
            text: text.into(),
            id: id.into(),
        });
    }
    fn p(&mut self, text: impl Into<String>, class: &str) {
        let text = text.into();
        if !text.trim().is_empty() {
            self.blocks.push(Block::Para {
                text,
                class: class.into(),
            });
        }
    }
    fn list(&mut self, items: Vec<String>, ordered: bool, class: &str) {
        if !items.is_empty() {
            self.blocks.push(Block::List {
                items,
                ordered,
                class: class.into(),
            });
        }
    }
    fn table(
        &mut self,
        caption: impl Into<String>,
        headers: Vec<String>,
        rows: Vec<Vec<Cell>>,
        note: impl Into<String>,
    ) {
        if rows.is_empty() {
            return;
        }
        self.tables += 1;
        self.blocks.push(Block::Table(Table {
            number: self.tables,
            caption: format!("{} {}. {}", self.t["table"], self.tables, caption.into()),
            headers,
            rows,
            note: note.into(),
        }));
    }
    fn chart(&mut self, caption: impl Into<String>, svg: String) {
        if svg.is_empty() {
            return;
        }
        self.charts += 1;
        let file = format!("wykres-{:02}.svg", self.charts);
        self.blocks.push(Block::Chart(ChartBlock {
            number: self.charts,
            caption: format!("{} {}. {}", self.t["chart"], self.charts, caption.into()),
            svg,
            file,
        }));
    }
}

fn hidden(t: &BTreeMap<&str, &str>, k: u32) -> String {
    t["suppressed"].replace("{k}", &k.to_string())
}

/// How many group differences stage IV states in the body (the rest are in the annex).
const BODY_DIFFERENCES: usize = 8;

/// Whether a question is drawn as a bar chart (an unscored closed question with shown answers).
fn charted(st: &QuestionStat) -> bool {
    st.scale.is_none()
        && !st.suppressed
        && st
            .options
            .iter()
            .any(|o| !o.suppressed && o.code != "_not_answered")
}

/// Which blocks of a question to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Table,
    Chart,
    Both,
}

/// The frequency table and/or the bar chart (unscored questions) of one question.
fn question_blocks(b: &mut Builder, form: &Questionnaire, st: &QuestionStat, k: u32, show: Show) {
    let Some(q) = form.question(&st.question) else {
        return;
    };
    let lang = b.lang;
    let label = form.text(&q.label, lang).to_string();
    let base_kind = if st.base_kind == BaseKind::Asked {
        b.t["base_asked"]
    } else {
        b.t["base_answered"]
    };
    let base = format!("{}: n = {} ({base_kind})", b.t["base"], st.base);
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for o in &st.options {
        // a zero "no answer" line says nothing
        if o.code == "_not_answered" && o.n == 0 && !o.suppressed {
            continue;
        }
        if o.suppressed || st.suppressed {
            bars.push(Bar {
                label: o.label.clone(),
                note: hidden(&b.t, k),
                hidden: true,
                ..Bar::default()
            });
            rows.push(vec![
                Cell::text(o.label.clone()).muted(),
                Cell::text("—").muted(),
                Cell::text(hidden(&b.t, k)).muted(),
                Cell::text("").muted(),
            ]);
            continue;
        }
        let muted = o.code == "_not_answered";
        let mut row = vec![
            Cell::text(o.label.clone()),
            Cell::int(o.n),
            Cell::pct(o.pct, lang),
            Cell::text(ci_text(o.ci, lang)),
        ];
        if muted {
            row = row.into_iter().map(Cell::muted).collect();
        } else {
            bars.push(Bar {
                label: o.label.clone(),
                value: o.pct,
                ci: o.ci,
                note: format!("{} (n={})", pct(o.pct, lang), o.n),
                ..Bar::default()
            });
        }
        rows.push(row);
    }
    if q.kind == Kind::SelectMultiple {
        bars.sort_by(|a, b| b.value.total_cmp(&a.value));
    }
    let headers = vec![
        b.t["option"].to_string(),
        "n".into(),
        "%".into(),
        b.t["ci"].to_string(),
    ];
    let mut notes = vec![base.clone()];
    if let Some(s) = &st.scale {
        notes.push(format!(
            "{}: {} (n = {}); {}: {}",
            b.t["mean"],
            format!("{:.2}", s.mean).replace('.', if lang == "pl" { "," } else { "." }),
            s.n_scored,
            b.t["unscored"],
            s.n_unscored
        ));
    }
    if let Some(nu) = &st.numeric {
        notes.push(format!(
            "{}: {}; {}; {}–{} (n = {})",
            b.t["numeric"],
            num(nu.mean, lang),
            num(nu.median, lang),
            num(nu.q1, lang),
            num(nu.q3, lang),
            nu.n
        ));
    }
    if rows.is_empty() {
        // a numeric question: its summary, under its own label
        b.p(format!("{label}: {}", notes.join(". ")), "base");
        return;
    }
    notes.push(b.source());
    if show != Show::Chart {
        b.table(label.clone(), headers, rows, notes.join(". "));
    }
    // Rating scales are drawn together as one diverging chart per section.
    if show != Show::Table && st.scale.is_none() && !st.suppressed && !bars.is_empty() {
        b.chart(
            format!("{label} ({})", b.source()),
            chart::hbar_svg(&label, &bars, &base),
        );
    }
}

/// One diverging chart for the rating questions of a section that share a scale.
fn likert_blocks(b: &mut Builder, form: &Questionnaire, stats: &[&QuestionStat], title: &str) {
    let mut by_list: BTreeMap<String, Vec<&QuestionStat>> = BTreeMap::new();
    for st in stats {
        if let Some(q) = form.question(&st.question)
            && st.scale.is_some()
            && !st.suppressed
            && let Some(l) = &q.list
        {
            by_list.entry(l.clone()).or_default().push(st);
        }
    }
    for (list, sts) in by_list {
        let Some(l) = form.lists.get(&list) else {
            continue;
        };
        let mut scored: Vec<_> = l.choices.iter().filter(|c| c.score.is_some()).collect();
        scored.sort_by(|a, b| a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)));
        let levels: Vec<String> = scored
            .iter()
            .map(|c| form.text(&c.label, b.lang).to_string())
            .collect();
        let rows: Vec<chart::LikertRow> = sts
            .iter()
            .filter_map(|st| {
                let q = form.question(&st.question)?;
                let n = st.scale.as_ref()?.n_scored;
                let shares = scored
                    .iter()
                    .map(|c| {
                        let o = st.options.iter().find(|o| o.code == c.name)?;
                        (!o.suppressed && n > 0).then(|| o.n as f64 / n as f64)
                    })
                    .collect();
                let label = q
                    .area
                    .map(|a| a.name(b.lang).to_string())
                    .unwrap_or_else(|| form.text(&q.label, b.lang).to_string());
                Some(chart::LikertRow {
                    label,
                    shares,
                    note: format!("n={n}"),
                })
            })
            .collect();
        if !rows.is_empty() {
            let caption = format!("{title}: {}", b.t["likert_chart"]);
            let foot = if b.lang == "pl" {
                "Uporządkowano według oceny netto (odsetek ocen pozytywnych minus negatywnych)."
            } else {
                "Sorted by net rating (share of positive minus negative ratings)."
            };
            b.chart(
                caption.clone(),
                chart::likert_svg(&caption, &levels, &rows, foot),
            );
        }
    }
}

/// Stage IV: the recommended services of the draft programme, with the figures behind them.
fn programme_blocks(b: &mut Builder, p: &crate::programme::Programme, k: u32) {
    let lang = b.lang;
    let t = b.t.clone();
    // one row per service: its strongest group (the programme lists the others)
    let rows: Vec<Vec<Cell>> = p
        .items
        .iter()
        .filter_map(|it| Some((it, it.groups.first()?)))
        // the programme's rules already require a base; never print a count below the threshold
        .filter(|(_, r)| r.need.n >= u64::from(k) && r.need.base >= u64::from(k))
        .map(|(it, r)| {
            vec![
                Cell::text(it.priority.name(lang)),
                Cell::text(it.service_name.clone()),
                Cell::text(
                    it.groups
                        .iter()
                        .map(|g| g.target_group_name.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Cell::pct(r.need.pct, lang),
                Cell::text(format!(
                    "{} ({} / {})",
                    ci_text(Some(r.need.ci), lang),
                    r.need.n,
                    r.need.base
                )),
                r.availability
                    .map(|a| Cell::pct(a, lang))
                    .unwrap_or(Cell::text("")),
                Cell::text(it.providers.clone()),
            ]
        })
        .collect();
    b.h(3, t["programme"], "programme");
    b.p(t["programme_note"], "note");
    let headers = vec![
        t["priority"].to_string(),
        t["service"].to_string(),
        t["target_group"].to_string(),
        t["need"].to_string(),
        format!("{} (n / {})", t["ci"], t["base"].to_lowercase()),
        t["availability"].to_string(),
        t["providers"].to_string(),
    ];
    // The programme's own notes are not printed: they are English-only and may name group sizes
    // below the suppression threshold.
    if rows.is_empty() {
        b.p(t["programme_none"], "");
    } else {
        b.table(t["programme"], headers, rows, "");
    }
}

/// The supported test of the need index of `area` between the groups of `br`, if any.
/// Residents' readiness (tak + może) for every potential question, one table.
fn readiness_blocks(b: &mut Builder, form: &Questionnaire, results: &Results) {
    let lang = b.lang;
    let rows: Vec<Vec<Cell>> = results
        .potential
        .iter()
        .filter_map(|p| {
            let r = p.ready.as_ref()?;
            let q = form.question(&p.question)?;
            let label = form.text(&q.label, lang).to_string();
            Some(if r.suppressed {
                vec![
                    Cell::text(label),
                    Cell::text("—").muted(),
                    Cell::text("").muted(),
                    Cell::text("").muted(),
                ]
            } else {
                vec![
                    Cell::text(label),
                    Cell::pct(r.pct, lang),
                    Cell::text(ci_text(r.ci, lang)),
                    Cell::int(r.base),
                ]
            })
        })
        .collect();
    let t = b.t.clone();
    b.table(
        t["readiness"],
        vec![
            t["question"].to_string(),
            t["ready_share"].to_string(),
            t["ci"].to_string(),
            "n".to_string(),
        ],
        rows,
        t["readiness_note"],
    );
}

/// The institutions' inventory: who provides what, the gaps, who is ready to do more.
fn inventory_blocks(b: &mut Builder, inv: &crate::inventory::Inventory) {
    let lang = b.lang;
    let t = b.t.clone();
    b.h(3, t["institutions"], "institutions");
    b.p(
        t["inst_summary"]
            .replace("{n}", &inv.entities.to_string())
            .replace("{staff}", &inv.staff.to_string())
            .replace("{vol}", &inv.volunteers.to_string()),
        "",
    );
    b.table(
        t["entity_type"],
        vec![t["entity_type"].to_string(), t["entities"].to_string()],
        inv.by_type
            .iter()
            .map(|(k, n)| vec![Cell::text(k.clone()), Cell::int(*n as u64)])
            .collect(),
        "",
    );
    let rows: Vec<Vec<Cell>> = inv
        .areas
        .iter()
        .map(|a| {
            let services = a
                .services
                .iter()
                .map(|s| match s.capacity {
                    Some(c) => format!("{} ({c})", s.label),
                    None => s.label.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let need = match &a.need {
                Some(n) if !n.suppressed => Cell::pct(n.pct, lang),
                _ => Cell::text("—").muted(),
            };
            vec![
                Cell::text(a.area.name(lang)),
                Cell::int(a.providers.len() as u64),
                Cell::text(services),
                need,
                Cell::text(if a.gap { t["gap_mark"] } else { "" }),
            ]
        })
        .collect();
    b.table(
        t["inventory_table"],
        vec![
            t["area"].to_string(),
            t["providers"].to_string(),
            t["services_now"].to_string(),
            t["residents_need"].to_string(),
            t["gap"].to_string(),
        ],
        rows,
        t["inventory_note"],
    );
    let bars: Vec<chart::Bar> = inv
        .areas
        .iter()
        .filter_map(|a| {
            let n = a.need.as_ref().filter(|n| !n.suppressed)?;
            Some(chart::Bar {
                label: a.area.name(lang).to_string(),
                value: n.pct,
                ci: n.ci,
                note: format!(
                    "{} · {}: {}{}",
                    pct(n.pct, lang),
                    t["providers"],
                    a.providers.len(),
                    if a.gap {
                        format!(" · {}", t["gap_mark"])
                    } else {
                        String::new()
                    }
                ),
                ..chart::Bar::default()
            })
        })
        .collect();
    if !bars.is_empty() {
        b.chart(
            t["inventory_chart"],
            chart::hbar_svg(t["inventory_chart"], &bars, ""),
        );
    }
    b.table(
        t["service_gaps"],
        vec![
            t["service"].to_string(),
            t["residents_need"].to_string(),
            "n".to_string(),
            t["ready_entities"].to_string(),
        ],
        inv.service_gaps
            .iter()
            .map(|g| {
                vec![
                    Cell::text(g.label.clone()),
                    Cell::pct(g.pct, lang),
                    Cell::text(format!("{} / {}", g.n, g.base)),
                    Cell::text(if g.ready.is_empty() {
                        t["nobody"].to_string()
                    } else {
                        g.ready.join(", ")
                    }),
                ]
            })
            .collect(),
        "",
    );
    b.table(
        t["ready_table"],
        vec![
            t["entity"].to_string(),
            t["entity_type"].to_string(),
            t["cooperation"].to_string(),
            t["commissioned"].to_string(),
            t["could_add"].to_string(),
        ],
        inv.ready
            .iter()
            .map(|r| {
                vec![
                    Cell::text(r.name.clone()),
                    Cell::text(r.kind.clone()),
                    Cell::text(r.cooperate.clone()),
                    Cell::text(r.commissioned.clone()),
                    Cell::text(r.services.join(", ")),
                ]
            })
            .collect(),
        "",
    );
    b.table(
        t["shared"],
        vec![t["resource"].to_string(), t["entities"].to_string()],
        inv.shared
            .iter()
            .map(|(k, n)| vec![Cell::text(k.clone()), Cell::int(*n as u64)])
            .collect(),
        "",
    );
}

fn need_test(br: &Breakdown, area: Area) -> Option<&GroupTest> {
    br.tests
        .get(&format!("need#{}", area.code()))
        .and_then(|v| v.first())
}

/// "tak (p = 0,003; V = 0,21)" when a test supports a difference, "niepotwierdzona" when one was
/// run and does not, empty when none could be run.
fn difference_text(br: &Breakdown, area: Area, lang: &str, t: &BTreeMap<&str, &str>) -> String {
    match need_test(br, area) {
        Some(g) if g.supported => format!(
            "{} ({}; V = {})",
            t["diff_yes"],
            p_text(g.p, lang),
            dec2(g.cramers_v, lang)
        ),
        Some(_) => t["diff_no"].to_string(),
        None => String::new(),
    }
}

fn dec2(x: f64, lang: &str) -> String {
    let s = format!("{x:.2}");
    if lang == "pl" { s.replace('.', ",") } else { s }
}

fn p_text(p: f64, lang: &str) -> String {
    if p < 0.001 {
        if lang == "pl" {
            "p < 0,001".into()
        } else {
            "p < 0.001".into()
        }
    } else {
        let s = format!("p = {p:.3}");
        if lang == "pl" { s.replace('.', ",") } else { s }
    }
}

fn index_cell(i: &Index, lang: &str) -> Cell {
    if i.suppressed {
        Cell::text("—").muted()
    } else {
        Cell::pct(i.pct, lang)
    }
}

fn place(config: &Config, t: &BTreeMap<&str, &str>) -> String {
    let d = &config.diagnosis;
    let mut s = format!("{} {}", t["gmina"], d.gmina);
    if !d.powiat.is_empty() {
        s.push_str(&format!(", powiat {}", d.powiat));
    }
    if !d.wojewodztwo.is_empty() {
        s.push_str(&format!(", woj. {}", d.wojewodztwo));
    }
    s
}

/// Build the report's content.
pub fn build(
    form: &Questionnaire,
    results: &Results,
    config: &Config,
    extras: &Extras<'_>,
    lang: &str,
) -> Doc {
    let t = strings(lang);
    let k = results.threshold;
    let sx = extras.sentences.unwrap_or(Sentences::embedded());
    let mut b = Builder {
        lang,
        n: results.total,
        t: t.clone(),
        blocks: Vec::new(),
        tables: 0,
        charts: 0,
    };

    // --- figures used by the summary and stage IV
    let mut ranked: Vec<(Area, &Index)> = results
        .needs
        .iter()
        .map(|(a, i)| (*a, i))
        .filter(|(_, i)| !i.suppressed)
        .collect();
    ranked.sort_by(|a, b| b.1.pct.total_cmp(&a.1.pct).then(a.0.cmp(&b.0)));
    // Stage IV shows the analysis' priority classes; it does not classify areas itself.
    let class = |a: Area| {
        results
            .areas
            .iter()
            .find(|x| x.area == a)
            .map(|x| x.priority)
    };
    let unmet: Vec<(Area, &Index, &Scale)> = ranked
        .iter()
        .filter(|(a, _)| class(*a) == Some(crate::analysis::Priority::High))
        .filter_map(|(a, i)| results.availability.get(a).map(|s| (*a, *i, s)))
        .collect();
    let mut lowest: Vec<(Area, &Scale)> =
        results.availability.iter().map(|(a, s)| (*a, s)).collect();
    lowest.sort_by(|x, y| x.1.mean01.total_cmp(&y.1.mean01).then(x.0.cmp(&y.0)));

    // --- summary of key findings
    b.h(2, t["summary"], "summary");
    let mut summary = Vec::new();
    if config.diagnosis.fictional {
        summary.push(tr(lang, R::FictionalNote).to_string());
    }
    let small = results.total < config.diagnosis.small_sample;
    if small {
        b.p(
            fill(
                tr(lang, R::SmallSample),
                &[
                    ("n", &results.total.to_string()),
                    ("min", &config.diagnosis.small_sample.to_string()),
                ],
            ),
            "notice",
        );
    }
    summary.push(fill(
        tr(lang, R::TookPart),
        &[
            ("n", &results.total.to_string()),
            ("gmina", &config.diagnosis.gmina),
        ],
    ));
    // key findings from shares only where the sample supports them, never a near-zero share
    let findings: Vec<&(Area, &Index)> = if small {
        Vec::new()
    } else {
        ranked
            .iter()
            .filter(|(_, i)| i.pct >= interpret::MIN_SHARE && i.n >= u64::from(k))
            .take(3)
            .collect()
    };
    for (a, i) in findings {
        summary.push(fill(
            tr(lang, R::NeedFinding),
            &[
                ("area", a.name(lang)),
                ("share", &pct(i.pct, lang)),
                ("ci", &ci_text(i.ci, lang)),
            ],
        ));
    }
    if !unmet.is_empty() && !small {
        let names: Vec<String> = unmet
            .iter()
            .map(|(a, i, s)| {
                format!(
                    "{} ({}; {})",
                    a.name(lang),
                    pct(i.pct, lang),
                    num(s.mean, lang)
                )
            })
            .collect();
        summary.push(format!("{}: {}.", t["unmet"], names.join(", ")));
    }
    if !lowest.is_empty() && !small {
        let names: Vec<String> = lowest
            .iter()
            .take(3)
            .map(|(a, s)| format!("{} ({})", a.name(lang), num(s.mean, lang)))
            .collect();
        summary.push(format!(
            "{} ({}): {}.",
            t["lowest_avail"],
            t["mean"],
            names.join(", ")
        ));
    }
    let summary = summary
        .into_iter()
        .map(|s| {
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    b.list(summary, false, "summary");
    b.h(3, t["methodology"], "methodology");
    b.p(t["method_note"].replace("{k}", &k.to_string()), "note");
    match &results.weighting {
        None => b.p(t["weighting_note"], "note"),
        Some(w) => b.p(
            t["weighted_note"]
                .replace("{vars}", &w.vars.join(", "))
                .replace("{source}", &w.source)
                .replace("{deff}", &dec2(w.deff, lang))
                .replace("{neff}", &format!("{:.0}", w.n_eff)),
            "note",
        ),
    }

    // --- Stage I
    b.h(2, t["stage1"], "stage1");
    b.p(t["legal"], "");
    let pl = &config.planning;
    for (key, text) in [
        ("purpose", &pl.purpose),
        ("scope", &pl.scope),
        ("resources", &pl.resources),
        ("constraints", &pl.constraints),
        ("principles", &pl.principles),
    ] {
        if !text.trim().is_empty() {
            b.h(3, t[key], key);
            b.p(text.clone(), "");
        }
        if key == "scope" && !config.team.is_empty() {
            b.h(3, t["team"], "team");
            let rows = config
                .team
                .iter()
                .map(|m| {
                    vec![
                        Cell::text(m.role.clone()),
                        Cell::text(m.name.clone()),
                        Cell::text(m.institution.clone()),
                    ]
                })
                .collect();
            b.table(
                t["team"],
                vec![t["role"].into(), t["name"].into(), t["institution"].into()],
                rows,
                "",
            );
        }
    }

    // --- Stage II
    b.h(2, t["stage2"], "stage2");
    if !config.research.questions.is_empty() {
        b.h(3, t["questions"], "questions");
        b.list(
            config
                .research
                .questions
                .iter()
                .map(|q| q.text().to_string())
                .collect(),
            true,
            "",
        );
    }
    b.h(3, t["methods"], "methods");
    let mut methods = config.research.methods.clone();
    methods.push(form.text(&form.title, lang).to_string());
    methods.extend(team::methods(config));
    if let Some(inv) = extras.inventory.filter(|i| i.entities > 0) {
        methods.push(fill(
            tr(lang, R::MethodInstitutions),
            &[("n", &inv.entities.to_string())],
        ));
    }
    b.list(methods, false, "");
    b.h(3, t["sample"], "sample");
    let mut rows: Vec<Vec<Cell>> = results
        .per_channel
        .iter()
        .map(|(c, n)| {
            vec![
                Cell::text(
                    Channel::parse(c)
                        .map(|c| c.name(lang).to_string())
                        .unwrap_or_else(|| c.clone()),
                ),
                Cell::int(*n),
            ]
        })
        .collect();
    rows.push(vec![Cell::text(t["total"]), Cell::int(results.total)]);
    let rate = config
        .population
        .as_ref()
        .filter(|p| p.adults > 0)
        .map(|p| {
            format!(
                "{}: {} ({} / {}{})",
                t["response_rate"],
                pct(results.total as f64 / p.adults as f64, lang),
                results.total,
                p.adults,
                if p.source.is_empty() {
                    String::new()
                } else {
                    format!("; {} {}", p.source, p.year)
                }
            )
        });
    b.table(
        t["sample"],
        vec![t["channel"].into(), t["respondents"].into()],
        rows,
        rate.unwrap_or_default(),
    );
    // the sample by every grouping variable, one table
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for br in &results.breakdowns {
        let pct_of = |n: u64| {
            if results.total > 0 {
                Cell::pct(n as f64 / results.total as f64, lang)
            } else {
                Cell::text("")
            }
        };
        for (i, g) in br.groups.iter().enumerate() {
            let var = Cell::text(if i == 0 {
                interpret::var_name(&br.var, &br.label, lang)
            } else {
                String::new()
            });
            rows.push(if g.suppressed && g.n > 0 {
                vec![
                    var,
                    Cell::text(g.label.clone()),
                    Cell::text(format!("< {k}")).muted(),
                    Cell::text("").muted(),
                ]
            } else {
                vec![
                    var,
                    Cell::text(g.label.clone()),
                    Cell::int(g.n),
                    pct_of(g.n),
                ]
            });
        }
        if br.unknown > 0 {
            let hidden = br.unknown < u64::from(k);
            rows.push(vec![
                Cell::text(""),
                Cell::text(t["unknown_group"]).muted(),
                if hidden {
                    Cell::text(format!("< {k}")).muted()
                } else {
                    Cell::int(br.unknown)
                },
                if hidden {
                    Cell::text("").muted()
                } else {
                    pct_of(br.unknown)
                },
            ]);
        }
    }
    let source = b.source();
    b.table(
        tr(lang, R::SampleByGroup),
        vec![
            tr(lang, R::Variable).into(),
            t["group"].into(),
            t["respondents"].into(),
            "%".into(),
        ],
        rows,
        source,
    );
    if !config.schedule.is_empty() {
        b.h(3, t["schedule"], "schedule");
        let rows = config
            .schedule
            .iter()
            .map(|s| {
                [&s.stage, &s.task, &s.from, &s.to, &s.who]
                    .iter()
                    .map(|x| Cell::text(x.to_string()))
                    .collect()
            })
            .collect();
        let headers = ["stage", "task", "from", "to", "who"]
            .iter()
            .map(|h| t[h].to_string())
            .collect();
        b.table(t["schedule"], headers, rows, "");
    }

    // --- Stage III
    b.h(2, t["stage3"], "stage3");
    b.h(3, t["desk"], "desk");
    if extras.desk.is_empty() {
        b.p(t["desk_none"], "note");
    }
    for d in extras.desk {
        desk::blocks(&mut b, d);
    }
    team::stage3(&mut b, config);
    b.h(3, t["results_area"], "survey");
    let mut annex: Vec<(&QuestionStat, Show)> = Vec::new();
    let sections_order: [(Option<Role>, &str); 8] = [
        (Some(Role::Metric), "section_metric"),
        (Some(Role::Availability), "section_availability"),
        (Some(Role::Quality), "section_quality"),
        (Some(Role::Need), "section_need"),
        (Some(Role::Barrier), "section_barrier"),
        (Some(Role::Potential), "section_potential"),
        (Some(Role::Channel), "section_channel"),
        (None, "section_other"),
    ];
    for (role, key) in sections_order {
        let stats: Vec<&QuestionStat> = results
            .overall
            .iter()
            .filter(|st| {
                form.question(&st.question).is_some_and(|q| match role {
                    Some(r) => q.role == Some(r),
                    None => q.role.is_none() || q.role == Some(Role::Open),
                })
            })
            .collect();
        if stats.is_empty() {
            continue;
        }
        b.h(3, t[key], key);
        interpret::section_intro(
            &mut b, form, results, extras, role, &stats, t[key], &mut annex,
        );
        if !matches!(role, Some(Role::Availability | Role::Quality)) {
            likert_blocks(&mut b, form, &stats, t[key]);
        }
        for st in stats {
            // the rating questions are summarised in one table; their distributions go to the annex
            if matches!(role, Some(Role::Availability | Role::Quality)) && st.scale.is_some() {
                continue;
            }
            // respondents' characteristics: the sentences above and the sample of stage II in
            // the body, every distribution in the annex
            if role == Some(Role::Metric) {
                annex.push((st, Show::Both));
            } else if charted(st) {
                // a question gets a chart in the body, its full table in the annex
                question_blocks(&mut b, form, st, k, Show::Chart);
                annex.push((st, Show::Table));
            } else {
                question_blocks(&mut b, form, st, k, Show::Table);
            }
        }
        if role == Some(Role::Potential) {
            readiness_blocks(&mut b, form, results);
            if let Some(inv) = &extras.inventory {
                inventory_blocks(&mut b, inv);
            }
        }
    }
    // needs by group
    let mut annex_charts: Vec<(String, String)> = Vec::new();
    let areas: Vec<Area> = results.needs.keys().copied().collect();
    if !results.breakdowns.is_empty() && !areas.is_empty() {
        b.h(3, t["needs_by_group"], "needs_by_group");
        for x in interpret::difference_sentences(sx, lang, results) {
            b.p(x, "interpretation");
        }
        b.p(t["need_index_note"], "note");
    }
    for br in &results.breakdowns {
        let shown: Vec<usize> = (0..br.groups.len())
            .filter(|&i| !br.groups[i].suppressed)
            .collect();
        let mut headers = vec![t["area"].to_string()];
        headers.extend(
            shown
                .iter()
                .map(|&i| format!("{} (n = {})", br.groups[i].label, br.groups[i].n)),
        );
        headers.push(t["difference"].to_string());
        let rows: Vec<Vec<Cell>> = areas
            .iter()
            .map(|a| {
                let mut row = vec![Cell::text(a.name(lang))];
                row.extend(shown.iter().map(|&i| {
                    br.needs
                        .get(a)
                        .and_then(|v| v.get(i))
                        .map(|x| index_cell(x, lang))
                        .unwrap_or(Cell::text(""))
                }));
                row.push(Cell::text(difference_text(br, *a, lang, &t)));
                row
            })
            .collect();
        let hidden_groups: Vec<String> = br
            .groups
            .iter()
            .filter(|g| g.suppressed)
            .map(|g| g.label.clone())
            .collect();
        let note = if hidden_groups.is_empty() {
            t["diff_note"].to_string()
        } else {
            format!(
                "{} ({}). {}",
                t["groups_hidden"].replace("{k}", &k.to_string()),
                hidden_groups.join(", "),
                t["diff_note"]
            )
        };
        b.table(
            format!(
                "{} — {}",
                t["needs_by_group"],
                interpret::var_name(&br.var, &br.label, lang)
            ),
            headers,
            rows,
            note,
        );
        // grouped bars: the six areas named most often overall
        let top: Vec<Area> = ranked.iter().take(6).map(|(a, _)| *a).collect();
        let series: Vec<chart::Series> = shown
            .iter()
            .map(|&i| chart::Series {
                name: format!("{} (n = {})", br.groups[i].label, br.groups[i].n),
                values: top
                    .iter()
                    .map(|a| {
                        br.needs
                            .get(a)
                            .and_then(|v| v.get(i))
                            .filter(|x| !x.suppressed)
                            .map(|x| x.pct)
                    })
                    .collect(),
            })
            .collect();
        // the table is in the body; the chart of the same figures goes to the annex
        if !series.is_empty() && !top.is_empty() {
            let cats: Vec<String> = top.iter().map(|a| a.name(lang).to_string()).collect();
            let caption = format!(
                "{} — {}",
                t["needs_by_group"],
                interpret::var_name(&br.var, &br.label, lang)
            );
            let svg = chart::grouped_svg(
                &caption,
                &cats,
                &series,
                if lang == "pl" { "ukryto" } else { "hidden" },
                &if series.iter().any(|s| s.values.contains(&None)) {
                    hidden(&t, k)
                } else {
                    String::new()
                },
            );
            annex_charts.push((caption, svg));
        }
    }
    if !extras.quotes.is_empty() {
        b.h(3, t["quotes"], "quotes");
        b.p(t["quotes_note"], "note");
        let mut by_q: BTreeMap<(usize, String), Vec<String>> = BTreeMap::new();
        for qt in extras.quotes {
            let pos = form
                .questions
                .iter()
                .position(|q| q.name == qt.question)
                .unwrap_or(usize::MAX);
            let label = form
                .question(&qt.question)
                .map(|q| form.text(&q.label, lang).to_string())
                .unwrap_or_else(|| qt.question.clone());
            by_q.entry((pos, label))
                .or_default()
                .push(format!("„{}”", qt.text));
        }
        for ((_, label), items) in by_q {
            b.h(4, label, "");
            b.list(items, false, "quote");
        }
    }

    // --- Stage IV
    b.h(2, t["stage4"], "stage4");
    if !config.research.questions.is_empty() {
        b.h(3, tr(lang, R::Answers), "answers");
        b.p(tr(lang, R::AnswersNote), "note");
        for q in &config.research.questions {
            b.h(4, q.text(), "");
            let answer = interpret::answer(sx, lang, form, results, extras, q.key());
            if answer.is_empty() {
                b.p(sx.say(lang, "no_answer", &[]), "todo");
            }
            for x in answer {
                b.p(x, "answer");
            }
        }
    }
    b.h(3, t["needs_ranked"], "needs_ranked");
    let priority_of = |a: Area| match class(a) {
        Some(crate::analysis::Priority::High) => t["high"],
        Some(crate::analysis::Priority::Medium) => t["medium"],
        Some(crate::analysis::Priority::Low) => tr(lang, R::Low),
        _ => tr(lang, R::Insufficient),
    };
    let mut rows: Vec<Vec<Cell>> = ranked
        .iter()
        .map(|(a, i)| {
            let av = results.availability.get(a);
            let priority = match class(*a) {
                Some(crate::analysis::Priority::High) => t["high"],
                Some(crate::analysis::Priority::Medium) => t["medium"],
                Some(crate::analysis::Priority::Low) => tr(lang, R::Low),
                _ => tr(lang, R::Insufficient),
            };
            vec![
                Cell::text(a.name(lang)),
                Cell::pct(i.pct, lang),
                Cell::text(ci_text(i.ci, lang)),
                Cell::text(format!("{} / {}", i.n, i.base)),
                av.map(|s| Cell {
                    text: format!("{} ({})", num(s.mean, lang), pct(s.mean01, lang)),
                    value: Some(s.mean),
                    fmt: Fmt::Num,
                    muted: false,
                })
                .unwrap_or(Cell::text("")),
                Cell::text(priority),
            ]
        })
        .collect();
    // a hidden area stays in the ranking, at its end, marked as hidden
    for (a, _) in results.needs.iter().filter(|(_, i)| i.suppressed) {
        rows.push(vec![
            Cell::text(a.name(lang)).muted(),
            Cell::text(hidden(&t, k)).muted(),
            Cell::text("").muted(),
            Cell::text("").muted(),
            Cell::text("").muted(),
            Cell::text(priority_of(*a)),
        ]);
    }
    let headers = vec![
        t["area"].into(),
        t["need"].into(),
        t["ci"].into(),
        "n".into(),
        t["availability"].into(),
        t["priority"].into(),
    ];
    b.table(t["needs_ranked"], headers, rows, t["need_index_note"]);
    let bars: Vec<Bar> = ranked
        .iter()
        .map(|(a, i)| Bar {
            label: a.name(lang).to_string(),
            value: i.pct,
            ci: i.ci,
            note: format!("{} (n={})", pct(i.pct, lang), i.base),
            ..Bar::default()
        })
        .collect();
    if !bars.is_empty() {
        b.chart(
            t["needs_ranked"],
            chart::hbar_svg(t["needs_ranked"], &bars, ""),
        );
    }
    let points: Vec<chart::Point> = ranked
        .iter()
        .filter_map(|(a, i)| {
            results.availability.get(a).map(|s| chart::Point {
                label: a.name(lang).to_string(),
                need: i.pct,
                availability: s.mean01,
            })
        })
        .collect();
    if !points.is_empty() {
        b.h(3, t["unmet"], "unmet");
        b.chart(
            t["quadrant"],
            chart::quadrant_svg(
                t["quadrant"],
                t["need_axis"],
                t["avail_axis"],
                &points,
                crate::analysis::NEED_THRESHOLD,
                crate::analysis::LOW_AVAILABILITY,
                [t["q_unmet"], t["q_strong"], t["q_weak"], t["q_ok"]],
                "",
            ),
        );
    }
    b.h(3, t["recommendations"], "recommendations");
    if unmet.is_empty() {
        b.p(t["no_unmet"], "");
    } else {
        b.p(t["rec_note"], "");
        b.list(
            unmet
                .iter()
                .map(|(a, i, s)| {
                    format!(
                        "{}: {} {} ({}), {} {}",
                        a.name(lang),
                        t["need"].to_lowercase(),
                        pct(i.pct, lang),
                        ci_text(i.ci, lang),
                        t["availability"].to_lowercase(),
                        num(s.mean, lang)
                    )
                })
                .collect(),
            true,
            "",
        );
    }
    if let Some(p) = &extras.programme {
        programme_blocks(&mut b, p, k);
    }
    b.h(3, t["differences"], "differences");
    // the strongest supported differences in the body, the rest in the annex
    let diffs: Vec<String> = interpret::differences(results)
        .iter()
        .map(|d| interpret::difference_item(sx, lang, d))
        .collect();
    let mut more_diffs: Vec<String> = Vec::new();
    if diffs.is_empty() {
        b.p(t["no_differences"], "");
    } else {
        let (body, rest) = diffs.split_at(diffs.len().min(BODY_DIFFERENCES));
        b.list(body.to_vec(), false, "");
        more_diffs = rest.to_vec();
        if !more_diffs.is_empty() {
            b.p(
                fill(
                    tr(lang, R::MoreDifferences),
                    &[("n", &more_diffs.len().to_string())],
                ),
                "note",
            );
        }
        b.p(t["diff_note"], "note");
    }
    b.h(3, t["needs_per_group"], "needs_per_group");
    let mut rows = Vec::new();
    for br in &results.breakdowns {
        for (i, g) in br.groups.iter().enumerate() {
            if g.suppressed {
                continue;
            }
            let mut v: Vec<(Area, &Index)> = areas
                .iter()
                .filter_map(|a| br.needs.get(a).and_then(|x| x.get(i)).map(|x| (*a, x)))
                .filter(|(_, x)| !x.suppressed)
                .collect();
            v.sort_by(|x, y| y.1.pct.total_cmp(&x.1.pct).then(x.0.cmp(&y.0)));
            let top: Vec<String> = v
                .iter()
                .filter(|(_, x)| x.pct >= interpret::MIN_SHARE && x.n >= u64::from(k))
                .take(3)
                .map(|(a, x)| format!("{} ({})", a.name(lang), pct(x.pct, lang)))
                .collect();
            rows.push(vec![
                Cell::text(format!("{}: {} (n = {})", br.label, g.label, g.n)),
                Cell::text(top.join("; ")),
            ]);
        }
    }
    b.table(
        t["needs_per_group"],
        vec![t["group"].into(), t["top_areas"].into()],
        rows,
        "",
    );

    team::stage4(&mut b, form, results, config, extras);

    // --- Annex
    if !annex.is_empty() || !annex_charts.is_empty() || !more_diffs.is_empty() {
        b.h(2, tr(lang, R::AnnexTables), "annex_tables");
        b.p(tr(lang, R::AnnexTablesNote), "note");
        for (st, show) in annex {
            question_blocks(&mut b, form, st, k, show);
        }
        if !more_diffs.is_empty() {
            b.h(3, t["differences"], "differences_annex");
            b.list(more_diffs, false, "");
        }
        for (caption, svg) in annex_charts {
            b.chart(caption, svg);
        }
    }
    b.h(2, t["annex_q"], "annex");
    let items: Vec<String> = form
        .questions
        .iter()
        .filter(|q| q.kind != Kind::Note)
        .map(|q| {
            let label = form.text(&q.label, lang).to_string();
            match form.list_of(q) {
                Some(l) => format!(
                    "{label} — {}",
                    l.choices
                        .iter()
                        .map(|c| format!("☐ {}", form.text(&c.label, lang)))
                        .collect::<Vec<_>>()
                        .join("  ")
                ),
                None => label,
            }
        })
        .collect();
    b.list(items, true, "annex");
    b.p(t["generated"], "note");

    let toc = b
        .blocks
        .iter()
        .filter_map(|x| match x {
            Block::Heading { level: 2, text, id } => Some((id.clone(), text.clone())),
            _ => None,
        })
        .collect();
    Doc {
        lang: lang.to_string(),
        t: t.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        title: t["title"].to_string(),
        place: place(config, &t),
        period: config.diagnosis.period.clone(),
        institution: config.diagnosis.institution.clone(),
        notice: if config.diagnosis.fictional {
            tr(lang, R::FictionalNote).to_string()
        } else {
            String::new()
        },
        toc,
        blocks: b.blocks,
    }
}

/// The template `name`: the workspace's override in `dir` when present, else the embedded one.
fn template(name: &str, dir: Option<&Path>) -> Result<(String, String)> {
    if let Some(d) = dir {
        let p = d.join(name);
        if p.is_file() {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| anyhow!("cannot read the template override {}: {e}", p.display()))?;
            return Ok((p.display().to_string(), text));
        }
    }
    let (_, text) = TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or_else(|| anyhow!("no template {name}"))?;
    Ok((format!("the built-in template {name}"), text.to_string()))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let m = s.to_string();
        if !parts.contains(&m) {
            parts.push(m);
        }
        cur = s.source();
    }
    parts.join(": ")
}

fn render(name: &str, dir: Option<&Path>, doc: &Doc) -> Result<String> {
    let (origin, text) = template(name, dir)?;
    let mut tera = tera::Tera::new();
    tera.add_raw_template(name, &text)
        .map_err(|e| anyhow!("{origin}: {}", error_chain(&e)))?;
    let ctx =
        tera::Context::from_serialize(doc).map_err(|e| anyhow!("{origin}: {}", error_chain(&e)))?;
    tera.render(name, &ctx)
        .map_err(|e| anyhow!("{origin}: {}", error_chain(&e)))
}

/// Render the HTML report (one self-contained file: inline CSS and SVG). `templates` is the
/// workspace's override folder.
pub fn html(doc: &Doc, templates: Option<&Path>) -> Result<String> {
    render("report.html", templates, doc)
}

/// Escape text for Markdown: no raw HTML, no table breaks, no emphasis by accident.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' | '*' | '_' | '`' | '#' | '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // "[text](url)" would become a link: break the pair, keep "[osoba]" readable
            ']' if matches!(chars.peek(), Some('(') | Some('[')) => out.push_str("\\]"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Render the Markdown report; charts are linked as `<charts_dir>/wykres-NN.svg`, files the
/// caller writes from [`Doc::charts`].
pub fn markdown(doc: &Doc, templates: Option<&Path>, charts_dir: &str) -> Result<String> {
    let mut d = doc.clone();
    d.map_text(&md_escape);
    for b in &mut d.blocks {
        if let Block::Chart(c) = b {
            c.file = format!("{charts_dir}/{}", c.file);
            c.svg.clear();
        }
    }
    render("report.md", templates, &d)
}

/// Every chart of `doc` as PNG (twice the SVG size: about 230 dpi at the printed width), in
/// chart-number order, for Word and Excel. Rendered once per report (both formats share them),
/// on all cores: each thread takes every n-th chart.
pub fn chart_pngs(doc: &Doc) -> Result<Vec<Vec<u8>>> {
    let charts: Vec<&ChartBlock> = doc.charts().collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(charts.len())
        .max(1);
    let render = |c: &ChartBlock| {
        chart::png(&c.svg, 2.0).map_err(|e| anyhow!("drawing chart {}: {e:#}", c.number))
    };
    if threads == 1 {
        return charts.into_iter().map(render).collect();
    }
    let mut out: Vec<Option<Result<Vec<u8>>>> = (0..charts.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let charts = &charts;
                s.spawn(move || {
                    (t..charts.len())
                        .step_by(threads)
                        .map(|i| (i, render(charts[i])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, r) in h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)) {
                out[i] = Some(r);
            }
        }
    });
    out.into_iter()
        .map(|r| r.expect("every chart rendered"))
        .collect()
}

/// The tidy results table rows (re-exported for the XLSX sheet).
pub type Tidy = TidyRow;

#[cfg(test)]
mod tests {
    #[test]
    fn polish_number_format() {
        assert_eq!(super::pct(0.4523, "pl"), "45,2%");
        assert_eq!(super::pct(0.4523, "en"), "45.2%");
        assert_eq!(super::num(3.26, "pl"), "3,3");
    }

    #[test]
    fn markdown_escaping_neutralises_html_and_tables() {
        assert_eq!(
            super::md_escape("<script>a|b</script>"),
            "&lt;script&gt;a\\|b&lt;/script&gt;"
        );
        assert_eq!(
            super::md_escape("[osoba] [x](javascript:y)"),
            "[osoba] [x\\](javascript:y)"
        );
    }
}

//! The report's texts added with the interpretation, the research-question answers and the
//! annex (issue #12): the [`R`] enum and its exhaustive [`t`], so a missing translation does not
//! compile. The older report strings still live in `report::strings` (moving them here is the
//! remaining part of #18). Sentences built from the data are templates in
//! `report/templates/sentences.toml`, not here: a workspace can override those.

use super::Lang;

/// A report text. `{name}` marks a value [`super::fill`] puts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum R {
    /// Caption of a section's rating summary. `{section}`.
    RatingSummary,
    Area,
    Mean,
    Positive,
    Unscored,
    /// A row whose figures are hidden (the base is below the threshold). `{k}`.
    HiddenRow,
    /// Under every survey table: `{n}` respondents.
    SurveySource,
    /// The note under a rating summary.
    RatingNote,
    /// Annex heading for the detailed tables moved out of the body.
    AnnexTables,
    AnnexTablesNote,
    /// Stage IV: answers to the research questions.
    Answers,
    AnswersNote,
    /// The visible to-do marker for the team.
    Todo,
    Low,
    Insufficient,
    /// On the cover and in the summary of a workspace marked `fictional = true`.
    FictionalNote,
    /// Stage II methods: the institutions' survey. `{n}` entities.
    MethodInstitutions,
    /// Stage II: the sample by every grouping variable, one table.
    SampleByGroup,
    /// Key findings: `{n}` respondents in gmina `{gmina}`.
    TookPart,
    /// Key findings: `{area}`, `{share}`, `{ci}`.
    NeedFinding,
    /// Desk data: `{n}` persons aged 80+, `{share}` of the population.
    Desk80,
    /// Desk data: `{ratio}` persons 65+ per 100 aged 15–64.
    DeskDependency,
    /// Desk data: population `{from}` in `{y0}`, `{to}` in `{y1}`, `{change}` per cent.
    DeskChange,
    /// The small-sample warning at the top: `{n}` respondents, `{min}` the size set.
    SmallSample,
    /// `{n}` further differences are listed in the annex.
    MoreDifferences,
    Variable,
    /// A to-do box: `{todo}` (the marker) and `{what}` (what to add).
    TodoWhat,
    LocalConditions,
    LocalConditionsWhat,
    Qualitative,
    QualitativeWhat,
    Participants,
    Swot,
    SwotWhat,
    SwotTeam,
    SwotData,
    SwotNote,
    SwotLeft,
    Strengths,
    Weaknesses,
    Opportunities,
    Threats,
    /// `{area}`, `{share}`.
    SwotGoodRating,
    /// `{area}`.
    SwotUnmet,
    /// `{question}`, `{share}`.
    SwotReady,
    /// `{n}`.
    SwotInstitutions,
    /// `{service}`.
    SwotGap,
    Conclusions,
    ConclusionsWhat,
    Objectives,
    ObjectivesWhat,
    Consultation,
    ConsultationWhat,
}

/// The text of a report message in a language.
pub fn t(lang: Lang, m: R) -> &'static str {
    use Lang::{En, Pl};
    match (m, lang) {
        (R::RatingSummary, Pl) => "{section} — zestawienie ocen w obszarach usług",
        (R::RatingSummary, En) => "{section} — summary of ratings by area of services",
        (R::Area, Pl) => "Obszar",
        (R::Area, En) => "Area",
        (R::Mean, Pl) => "Średnia ocena",
        (R::Mean, En) => "Mean rating",
        (R::Positive, Pl) => "Oceny pozytywne",
        (R::Positive, En) => "Positive ratings",
        (R::Unscored, Pl) => "Trudno powiedzieć / nie korzystam",
        (R::Unscored, En) => "Hard to say / do not use",
        (R::HiddenRow, Pl) => "ukryto (mniej niż {k} odpowiedzi)",
        (R::HiddenRow, En) => "hidden (fewer than {k} answers)",
        (R::SurveySource, Pl) => {
            "Źródło: opracowanie własne na podstawie badania ankietowego (N = {n})."
        }
        (R::SurveySource, En) => "Source: own analysis of the survey (N = {n}).",
        (R::RatingNote, Pl) => {
            "Średnia na skali ocen pytania; oceny pozytywne: odsetek dwóch najwyższych ocen wśród \
             odpowiedzi z oceną; n: odpowiedzi z oceną. Pełne rozkłady odpowiedzi: aneks."
        }
        (R::RatingNote, En) => {
            "Mean on the question's rating scale; positive ratings: share of the two highest \
             ratings among rated answers; n: rated answers. Full distributions: annex."
        }
        (R::AnnexTables, Pl) => "Aneks: tabele szczegółowe",
        (R::AnnexTables, En) => "Annex: detailed tables",
        (R::AnnexTablesNote, Pl) => {
            "Pełne rozkłady odpowiedzi na pytania, których wyniki w treści raportu podano \
             w zestawieniach zbiorczych."
        }
        (R::AnnexTablesNote, En) => {
            "Full distributions of the questions summarised in the body of the report."
        }
        (R::Answers, Pl) => "Odpowiedzi na pytania badawcze",
        (R::Answers, En) => "Answers to the research questions",
        (R::AnswersNote, Pl) => {
            "Odpowiedzi sformułowano automatycznie z wyników badania; każda liczba pochodzi \
             z tabel raportu. Zespół może je uzupełnić o wnioski z badań jakościowych."
        }
        (R::AnswersNote, En) => {
            "The answers are written from the survey results; every figure comes from the \
             report's tables. The team may add conclusions from the qualitative research."
        }
        (R::Todo, Pl) => "Do uzupełnienia przez zespół",
        (R::Todo, En) => "For the team to complete",
        (R::Low, Pl) => "niski",
        (R::Low, En) => "low",
        (R::Insufficient, Pl) => "brak danych",
        (R::Insufficient, En) => "insufficient data",
        (R::FictionalNote, Pl) => {
            "Uwaga: dane w tym raporcie są fikcyjne (wygenerowane na potrzeby przykładu); \
             nie opisują rzeczywistej gminy."
        }
        (R::MethodInstitutions, Pl) => {
            "Ankieta dla instytucji i organizacji świadczących usługi (odpowiedzi: {n} podmiotów)"
        }
        (R::MethodInstitutions, En) => {
            "Survey of the institutions and organisations providing services ({n} entities answered)"
        }
        (R::SampleByGroup, Pl) => "Zrealizowana próba według cech respondentów",
        (R::SampleByGroup, En) => "The sample by respondents' characteristics",
        (R::MoreDifferences, Pl) => {
            "Podano najsilniejsze różnice; pozostałe ({n}) wymieniono w aneksie."
        }
        (R::MoreDifferences, En) => {
            "The strongest differences; the other {n} are listed in the annex."
        }
        (R::SmallSample, Pl) => {
            "Mała próba: w badaniu wzięło udział {n} osób (mniej niż {min}). Odsetki są obarczone dużym błędem; raport nie formułuje na ich podstawie najważniejszych wniosków, a wyniki należy traktować jako orientacyjne."
        }
        (R::SmallSample, En) => {
            "Small sample: {n} people took part (fewer than {min}). The shares carry a large error; the report draws no key findings from them, and the results are indicative only."
        }
        (R::Desk80, Pl) => "Osoby w wieku 80 lat i więcej: {n} ({share} ludności).",
        (R::Desk80, En) => "People aged 80 and over: {n} ({share} of the population).",
        (R::DeskDependency, Pl) => {
            "Współczynnik obciążenia demograficznego osobami starszymi: {ratio} osób w wieku 65+ na 100 osób w wieku 15–64 lata."
        }
        (R::DeskDependency, En) => {
            "Old-age dependency ratio: {ratio} people aged 65+ per 100 aged 15–64."
        }
        (R::DeskChange, Pl) => {
            "Liczba ludności: {from} w {y0} r., {to} w {y1} r. (zmiana o {change}%)."
        }
        (R::DeskChange, En) => "Population: {from} in {y0}, {to} in {y1} (a change of {change}%).",
        (R::TookPart, Pl) => {
            "W badaniu ankietowym wzięło udział {n} dorosłych mieszkańców gminy {gmina}."
        }
        (R::TookPart, En) => "{n} adult residents of the gmina of {gmina} took part in the survey.",
        (R::NeedFinding, Pl) => {
            "{area}: potrzebę usług z tego obszaru zgłosiło {share} respondentów (95% PU: {ci})."
        }
        (R::NeedFinding, En) => {
            "{area}: {share} of respondents named a need for services of this area (95% CI: {ci})."
        }
        (R::Variable, Pl) => "Cecha",
        (R::Variable, En) => "Characteristic",
        (R::TodoWhat, _) => "{todo}: {what}",
        (R::LocalConditions, Pl) => "Uwarunkowania lokalne",
        (R::LocalConditions, En) => "Local conditions",
        (R::LocalConditionsWhat, Pl) => {
            "opis uwarunkowań lokalnych (położenie, demografia, rynek pracy, instytucje) — w diagnoza.toml: [texts] local_conditions."
        }
        (R::LocalConditionsWhat, En) => {
            "a description of local conditions (location, demography, labour market, institutions) — in diagnoza.toml: [texts] local_conditions."
        }
        (R::Qualitative, Pl) => "Badania jakościowe i konsultacje",
        (R::Qualitative, En) => "Qualitative research and consultations",
        (R::QualitativeWhat, Pl) => {
            "podsumowania wywiadów, grup fokusowych i spotkań konsultacyjnych (metoda, data, uczestnicy, wnioski) — w diagnoza.toml: [[qualitative]]."
        }
        (R::QualitativeWhat, En) => {
            "summaries of interviews, focus groups and consultation meetings (method, date, participants, findings) — in diagnoza.toml: [[qualitative]]."
        }
        (R::Participants, Pl) => "Uczestnicy",
        (R::Participants, En) => "Participants",
        (R::Swot, Pl) => "Analiza SWOT",
        (R::Swot, En) => "SWOT analysis",
        (R::SwotWhat, Pl) => {
            "analiza SWOT zespołu (szanse i zagrożenia zewnętrzne oraz ocena propozycji z danych) — w diagnoza.toml: [texts.swot]."
        }
        (R::SwotWhat, En) => {
            "the team's SWOT (external opportunities and threats, and a review of the proposal from the data) — in diagnoza.toml: [texts.swot]."
        }
        (R::SwotTeam, Pl) => "Wpisane przez zespół",
        (R::SwotTeam, En) => "Written by the team",
        (R::SwotData, Pl) => "Propozycja z danych badania",
        (R::SwotData, En) => "Proposed from the data",
        (R::SwotNote, Pl) => {
            "Propozycja z danych: mocne strony — obszary, których dostępność co najmniej połowa oceniających ocenia pozytywnie, gotowość mieszkańców (co najmniej 30%) i instytucji; słabe strony — obszary o wysokim priorytecie lub niskiej dostępności oraz luki w ofercie usług."
        }
        (R::SwotNote, En) => {
            "Proposed from the data: strengths — areas whose availability at least half of the raters rate positively, residents' (at least 30%) and institutions' readiness; weaknesses — high-priority or low-availability areas and gaps in the services offered."
        }
        (R::SwotLeft, Pl) => "(określa zespół)",
        (R::SwotLeft, En) => "(for the team)",
        (R::Strengths, Pl) => "Mocne strony",
        (R::Strengths, En) => "Strengths",
        (R::Weaknesses, Pl) => "Słabe strony",
        (R::Weaknesses, En) => "Weaknesses",
        (R::Opportunities, Pl) => "Szanse",
        (R::Opportunities, En) => "Opportunities",
        (R::Threats, Pl) => "Zagrożenia",
        (R::Threats, En) => "Threats",
        (R::SwotGoodRating, Pl) => "dobrze oceniana dostępność: {area} ({share} ocen pozytywnych)",
        (R::SwotGoodRating, En) => "availability rated well: {area} ({share} positive)",
        (R::SwotUnmet, Pl) => "niezaspokojona potrzeba przy niskiej dostępności: {area}",
        (R::SwotUnmet, En) => "unmet need with low availability: {area}",
        (R::SwotReady, Pl) => "gotowość mieszkańców — {question}: {share}",
        (R::SwotReady, En) => "residents' readiness — {question}: {share}",
        (R::SwotInstitutions, Pl) => "{n} instytucji gotowych rozszerzyć lub podjąć usługi",
        (R::SwotInstitutions, En) => "{n} institutions ready to extend or take on services",
        (R::SwotGap, Pl) => "luka w ofercie: {service}",
        (R::SwotGap, En) => "gap in the services offered: {service}",
        (R::Conclusions, Pl) => "Wnioski zespołu",
        (R::Conclusions, En) => "The team's conclusions",
        (R::ConclusionsWhat, Pl) => {
            "wnioski z diagnozy sformułowane przez zespół — w diagnoza.toml: [texts] conclusions."
        }
        (R::ConclusionsWhat, En) => {
            "the team's conclusions from the diagnosis — in diagnoza.toml: [texts] conclusions."
        }
        (R::Objectives, Pl) => "Cele szczegółowe",
        (R::Objectives, En) => "Specific objectives",
        (R::ObjectivesWhat, Pl) => {
            "cele szczegółowe programu usług społecznych — w diagnoza.toml: [texts] objectives."
        }
        (R::ObjectivesWhat, En) => {
            "the specific objectives of the programme of social services — in diagnoza.toml: [texts] objectives."
        }
        (R::Consultation, Pl) => "Konsultacje diagnozy",
        (R::Consultation, En) => "Consultation of the diagnosis",
        (R::ConsultationWhat, Pl) => {
            "przebieg konsultacji społecznych diagnozy (z kim, kiedy, co zmieniono) — w diagnoza.toml: [texts] consultation."
        }
        (R::ConsultationWhat, En) => {
            "how the diagnosis was consulted (with whom, when, what changed) — in diagnoza.toml: [texts] consultation."
        }
        (R::FictionalNote, En) => {
            "Note: the data in this report are fictional (generated for the example); they do \
             not describe a real municipality."
        }
    }
}

/// `t` for a report language code (`pl`, `en`; anything else: Polish).
pub fn tr(lang: &str, m: R) -> &'static str {
    t(Lang::from_code(lang).unwrap_or_default(), m)
}

/// A short name of a bundled grouping variable (by its question name), for captions, tables
/// and sentences; None for a variable diagnoza does not know (its label is used).
pub fn short_var(var: &str, lang: &str) -> Option<&'static str> {
    let pl = lang != "en";
    Some(match var {
        "wiek" => {
            if pl {
                "wiek"
            } else {
                "age"
            }
        }
        "plec" => {
            if pl {
                "płeć"
            } else {
                "sex"
            }
        }
        "miejsce" => {
            if pl {
                "miejsce zamieszkania"
            } else {
                "place of residence"
            }
        }
        "gospodarstwo" => {
            if pl {
                "skład gospodarstwa domowego"
            } else {
                "household composition"
            }
        }
        "dzieci" => {
            if pl {
                "gospodarstwa z dziećmi poniżej 18 lat"
            } else {
                "households with children under 18"
            }
        }
        "senior" => {
            if pl {
                "gospodarstwa z seniorem 60+"
            } else {
                "households with a person aged 60+"
            }
        }
        "niepelnosprawnosc" => {
            if pl {
                "gospodarstwa z osobą z niepełnosprawnością"
            } else {
                "households with a person with a disability"
            }
        }
        _ => return None,
    })
}

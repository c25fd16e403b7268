//! The texts of the draft programme of social services (its Markdown template's strings, its
//! notes, its priority rule), Polish and English. Each text is one [`P`] with both languages in
//! one exhaustive match: a missing translation does not compile. It does not hold the
//! catalogue's names (those are in `katalog-uslug.toml`, per language).

use super::Lang;

/// A text of the programme. `{name}` marks a value [`super::fill`] puts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum P {
    Title,
    Intro,
    Elements,
    Period,
    Strategy,
    GeneralGoal,
    SpecificGoals,
    Monitoring,
    Evaluation,
    Budget,
    BudgetTotal,
    BudgetMissing,
    Todo,
    NoBaseline,
    Priorities,
    PriorityRule,
    Summary,
    Rank,
    Service,
    Package,
    Priority,
    Groups,
    Evidence,
    Packages,
    NoPackage,
    Area,
    NeedsOfGroups,
    NeedLine,
    Availability,
    Class,
    NeedOverall,
    Form,
    Providers,
    ProvideNow,
    ReadyToTake,
    Potential,
    MostIn,
    Funding,
    Access,
    Indicator,
    Baseline,
    Target,
    CostPerYear,
    Ipus,
    IpusText,
    IpusNone,
    Support,
    SupportIntro,
    Offer,
    Offering,
    Need,
    Needing,
    Group,
    SupportNone,
    Organiser,
    Barrier,
    BarrierLine,
    Channels,
    Notes,
    NoneMeets,
    Hidden,
    OfferFigure,
    NeedFigure,
    RecInformation,
    RecDistance,
    RecCost,
    RecWaiting,
    RecStigma,
    RecHours,
    RecNoServices,
    RecOther,
    RulesIgnored,
    SourceInventory,
    Capacity,
    Money,
}

impl P {
    /// Every text, in the order the template's table lists them.
    pub const ALL: [P; 75] = [
        P::Title,
        P::Intro,
        P::Elements,
        P::Period,
        P::Strategy,
        P::GeneralGoal,
        P::SpecificGoals,
        P::Monitoring,
        P::Evaluation,
        P::Budget,
        P::BudgetTotal,
        P::BudgetMissing,
        P::Todo,
        P::NoBaseline,
        P::Priorities,
        P::PriorityRule,
        P::Summary,
        P::Rank,
        P::Service,
        P::Package,
        P::Priority,
        P::Groups,
        P::Evidence,
        P::Packages,
        P::NoPackage,
        P::Area,
        P::NeedsOfGroups,
        P::NeedLine,
        P::Availability,
        P::Class,
        P::NeedOverall,
        P::Form,
        P::Providers,
        P::ProvideNow,
        P::ReadyToTake,
        P::Potential,
        P::MostIn,
        P::Funding,
        P::Access,
        P::Indicator,
        P::Baseline,
        P::Target,
        P::CostPerYear,
        P::Ipus,
        P::IpusText,
        P::IpusNone,
        P::Support,
        P::SupportIntro,
        P::Offer,
        P::Offering,
        P::Need,
        P::Needing,
        P::Group,
        P::SupportNone,
        P::Organiser,
        P::Barrier,
        P::BarrierLine,
        P::Channels,
        P::Notes,
        P::NoneMeets,
        P::Hidden,
        P::OfferFigure,
        P::NeedFigure,
        P::RecInformation,
        P::RecDistance,
        P::RecCost,
        P::RecWaiting,
        P::RecStigma,
        P::RecHours,
        P::RecNoServices,
        P::RecOther,
        P::RulesIgnored,
        P::SourceInventory,
        P::Capacity,
        P::Money,
    ];
}

/// The key of a text in the template's `t` table, and its Polish and English text.
pub fn entry(m: P) -> (&'static str, &'static str, &'static str) {
    match m {
        P::Title => (
            "title",
            "Projekt programu usług społecznych",
            "Draft programme of social services",
        ),
        P::Intro => (
            "intro",
            "Projekt przygotowany automatycznie na podstawie diagnozy potrzeb i potencjału (art. 4–5 ustawy o realizowaniu usług społecznych przez centrum usług społecznych). Każda usługa występuje raz, z grupami docelowymi, które jej potrzebują, i z liczbami, na których opiera się rekomendacja; zespół decyduje, czy ją przyjąć, zmienić czy odrzucić. Elementy, których dane nie rozstrzygają, są oznaczone do uzupełnienia.",
            "Drafted automatically from the diagnosis of needs and potential (art. 4–5 of the act on providing social services by a social services centre). Each service appears once, with the target groups that need it and the figures the recommendation rests on; the team decides to accept, change or drop it. Elements that data cannot settle are marked for completion.",
        ),
        P::Elements => ("elements", "Elementy programu", "Programme elements"),
        P::Period => ("period", "Okres realizacji programu", "Programme period"),
        P::Strategy => (
            "strategy",
            "Związek ze strategią rozwiązywania problemów społecznych (SRPS)",
            "Link to the strategy for solving social problems (SRPS)",
        ),
        P::GeneralGoal => ("general_goal", "Cel główny", "General goal"),
        P::SpecificGoals => ("specific_goals", "Cele szczegółowe", "Specific goals"),
        P::Monitoring => ("monitoring", "Monitorowanie", "Monitoring"),
        P::Evaluation => ("evaluation", "Ewaluacja", "Evaluation"),
        P::Budget => ("budget", "Budżet", "Budget"),
        P::BudgetTotal => (
            "budget_total",
            "Szacowany koszt roczny usług (suma szacunków podanych dla usług): {total}",
            "Estimated yearly cost of the services (sum of the per-service estimates): {total}",
        ),
        P::BudgetMissing => (
            "budget_missing",
            "Bez szacunku kosztu (do uzupełnienia przez zespół): {services}",
            "Without a cost estimate (for the team to complete): {services}",
        ),
        P::Todo => (
            "todo",
            "**[do uzupełnienia przez zespół]**",
            "**[for the team to complete]**",
        ),
        P::NoBaseline => (
            "no_baseline",
            "brak danych bazowych — do uzupełnienia przez zespół",
            "no baseline data — for the team to complete",
        ),
        P::Priorities => ("priorities", "Priorytety", "Priorities"),
        P::PriorityRule => (
            "priority_rule",
            "Usługa wchodzi do projektu, gdy w co najmniej jednej grupie docelowej (co najmniej {min_base} odpowiedzi) dolna granica 95% przedziału ufności (Wilsona) odsetka wskazujących jej potrzebę wynosi co najmniej {min_need}. Priorytet wynika z klasy priorytetu analizy (ta sama reguła co w `diagnoza analyze --indices` i w etapie IV raportu): klasa wysoka, gdy dolna granica potrzeby w grupie wynosi co najmniej {need}, a ocena dostępności obszaru jest niższa niż {avail}; średnia, gdy potrzeba jest pewna przy dobrej dostępności albo jej odsetek (bez przedziału) osiąga {need} przy słabej dostępności; w pozostałych przypadkach niska. Usługa dostaje najlepszą klasę swoich grup; w klasie pozycje porządkuje siła dowodu (dolna granica przedziału). Priorytet wysoki jest zarezerwowany dla najwyżej jednej trzeciej pozycji ({high_max} z {total}) — tych z klasy wysokiej o najwyższej dolnej granicy; pozostałe pozycje klasy wysokiej mają priorytet średni.",
            "A service enters the draft when in at least one target group (at least {min_base} answers) the lower bound of the 95% (Wilson) interval of the share naming it as needed is at least {min_need}. The priority follows the analysis' priority class (the same rule as `diagnoza analyze --indices` and the report's stage IV): high when the group's need lower bound is at least {need} and the area's availability rating is below {avail}; medium when the need is confident with good availability, or its share (without the interval) reaches {need} with poor availability; low otherwise. A service takes the best class of its groups; within a class the items are ranked by the strength of evidence (the interval's lower bound). High priority is reserved for at most a third of the items ({high_max} of {total}) — those of the high class with the highest lower bound; the other items of the high class are medium.",
        ),
        P::Summary => (
            "summary",
            "Zestawienie usług według priorytetu",
            "Services by priority",
        ),
        P::Rank => ("rank", "Lp.", "No."),
        P::Service => ("service", "Usługa", "Service"),
        P::Package => ("package", "Pakiet", "Package"),
        P::Priority => ("priority", "Priorytet", "Priority"),
        P::Groups => ("groups", "Grupy docelowe", "Target groups"),
        P::Evidence => (
            "evidence",
            "Dowód (dolna granica 95% PU)",
            "Evidence (95% CI lower bound)",
        ),
        P::Packages => ("packages", "Pakiety usług", "Packages of services"),
        P::NoPackage => (
            "no_package",
            "Usługi poza pakietami",
            "Services outside packages",
        ),
        P::Area => ("area", "Obszar", "Area"),
        P::NeedsOfGroups => (
            "needs_of_groups",
            "Grupy docelowe i ich potrzeby",
            "Target groups and their needs",
        ),
        P::NeedLine => (
            "need_line",
            "{pct} respondentów z grupy wskazało potrzebę tej usługi w gospodarstwie (95% PU {lo}–{hi}; n = {n} / {base})",
            "{pct} of the group's respondents named this service as needed in their household (95% CI {lo}–{hi}; n = {n} / {base})",
        ),
        P::Availability => (
            "availability",
            "ocena dostępności obszaru",
            "availability of the area",
        ),
        P::Class => ("class", "klasa analizy", "analysis class"),
        P::NeedOverall => (
            "need_overall",
            "Wśród wszystkich respondentów",
            "Among all respondents",
        ),
        P::Form => ("form", "Forma", "Form"),
        P::Providers => ("providers", "Realizatorzy", "Providers"),
        P::ProvideNow => ("provide_now", "obecnie świadczą", "provide it now"),
        P::ReadyToTake => ("ready_to_take", "gotowi podjąć", "ready to take it on"),
        P::Potential => ("potential", "Potencjał lokalny", "Local potential"),
        P::MostIn => ("most_in", "najwięcej", "most in"),
        P::Funding => ("funding", "Źródła finansowania", "Funding"),
        P::Access => (
            "access",
            "Zasady dostępu i odpłatność",
            "Access rules and fees",
        ),
        P::Indicator => (
            "indicator",
            "Wskaźnik monitorowania",
            "Monitoring indicator",
        ),
        P::Baseline => ("baseline", "Wartość bazowa", "Baseline"),
        P::Target => ("target", "Wartość docelowa", "Target"),
        P::CostPerYear => (
            "cost_per_year",
            "Szacowany koszt roczny",
            "Estimated yearly cost",
        ),
        P::Ipus => (
            "ipus",
            "Indywidualne plany usług społecznych (IPUS)",
            "Individual plans of social services (IPUS)",
        ),
        P::IpusText => (
            "ipus_text",
            "Grupom, którym projekt rekomenduje co najmniej dwie usługi, CUS może proponować indywidualny plan usług społecznych: gdy osoba potrzebuje kilku usług koordynowanych przez co najmniej 3 miesiące, plan sporządza się w ciągu 30 dni od wniosku, na okres najwyżej roku, a zatwierdza go dyrektor CUS. Plan łączy usługi poniżej w jedną ścieżkę wsparcia; jego monitorowanie należy do koordynatora IPUS.",
            "For the groups to whom the draft recommends at least two services, the CUS can offer an individual plan of social services: when a person needs several services coordinated for at least 3 months, the plan is drawn up within 30 days of the request, for at most a year, and approved by the CUS director. It joins the services below into one path of support; the IPUS coordinator monitors it.",
        ),
        P::IpusNone => (
            "ipus_none",
            "Żadnej grupie projekt nie rekomenduje dwóch lub więcej usług.",
            "The draft recommends two or more services to no group.",
        ),
        P::Support => (
            "support",
            "Działania wspierające z potencjału społeczności lokalnej",
            "Supporting activities from the local potential",
        ),
        P::SupportIntro => (
            "support_intro",
            "Działania wspierające (samopomoc, wolontariat, pomoc sąsiedzka) uzupełniają usługi. Tabela zestawia pomoc, którą mieszkańcy deklarują, z potrzebami, które zgłaszają.",
            "Supporting activities (self-help, volunteering, neighbour help) complement the services. The table sets the help residents offer against the needs they report.",
        ),
        P::Offer => ("offer", "Oferowana pomoc", "Help offered"),
        P::Offering => ("offering", "Oferujący", "Offering it"),
        P::Need => ("need", "Potrzeba", "Need"),
        P::Needing => ("needing", "Zgłaszający potrzebę", "Reporting the need"),
        P::Group => ("group", "Grupa", "Group"),
        P::SupportNone => (
            "support_none",
            "Brak danych o formach pomocy oferowanej przez mieszkańców.",
            "No data on the forms of help residents offer.",
        ),
        P::Organiser => (
            "organiser",
            "Dopasowanie ofert do potrzeb jest zadaniem organizatora społeczności lokalnej (art. 32 ustawy): prowadzi on bieżące rozeznanie potrzeb i potencjału, przygotowuje plan organizowania społeczności lokalnej, aktywizuje mieszkańców i organizuje działania wspierające — np. sieć sąsiedzkich podwózek przy potrzebie transportu, odwiedziny wolontariuszy u seniorów mieszkających samotnie, korepetycje dla dzieci przy potrzebie zajęć pozalekcyjnych.",
            "Matching offers to needs is the task of the community organiser (art. 32 of the act): they keep an ongoing view of the needs and the potential, draw up the plan of organising the local community, activate residents and organise supporting activities — e.g. a network of neighbour lifts where transport is needed, volunteers visiting seniors who live alone, tutoring where after-school classes are needed.",
        ),
        P::Barrier => (
            "barrier",
            "Najczęstsza bariera i kanały informacji",
            "The top barrier and information channels",
        ),
        P::BarrierLine => (
            "barrier_line",
            "Najczęściej wskazywana bariera w korzystaniu z usług: „{barrier}” — {pct} odpowiadających (n = {n} / {base}).",
            "The barrier to using services named most often: \"{barrier}\" — {pct} of those answering (n = {n} / {base}).",
        ),
        P::Channels => (
            "channels",
            "Kanały informacji preferowane przez mieszkańców: {channels}.",
            "Information channels residents prefer: {channels}.",
        ),
        P::Notes => ("notes", "Uwagi", "Notes"),
        P::NoneMeets => (
            "none_meets",
            "Żadna usługa nie spełnia reguł.",
            "No service meets the rules.",
        ),
        P::Hidden => (
            "hidden",
            "liczba ukryta (mniej osób niż próg ukrywania małych grup)",
            "count hidden (fewer people than the suppression threshold)",
        ),
        P::OfferFigure => (
            "offer_figure",
            "n = {n} ({pct} odpowiadających na pytanie o formy pomocy)",
            "n = {n} ({pct} of those answering the question on forms of help)",
        ),
        P::NeedFigure => (
            "need_figure",
            "{pct} (n = {n} / {base})",
            "{pct} (n = {n} / {base})",
        ),
        P::RecInformation => (
            "rec_information",
            "Rekomendacja: kampania informacyjna o usługach CUS (informator, spotkania w sołectwach) prowadzona przede wszystkim kanałami, które mieszkańcy wskazali najczęściej; o zmianach informuje też każdy pracownik pierwszego kontaktu.",
            "Recommendation: an information campaign on the CUS's services (a guide, meetings in the villages) run first through the channels residents named most often; every front-line worker also passes on news of changes.",
        ),
        P::RecDistance => (
            "rec_distance",
            "Rekomendacja: usługi świadczone w miejscu zamieszkania i w sołectwach (dyżury, usługi mobilne) oraz transport do usług; informacja o nich kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: services provided at home and in the villages (duty hours, mobile services) and transport to services; information about them through the channels residents named most often.",
        ),
        P::RecCost => (
            "rec_cost",
            "Rekomendacja: zasady odpłatności z progami dochodowymi i zwolnieniami ustalone uchwałą, ogłoszone kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: fee rules with income thresholds and exemptions set by resolution, announced through the channels residents named most often.",
        ),
        P::RecWaiting => (
            "rec_waiting",
            "Rekomendacja: standard czasu oczekiwania na usługę i jego monitorowanie; informacja o kolejności i terminach kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: a standard waiting time for services and its monitoring; information on the order and dates through the channels residents named most often.",
        ),
        P::RecStigma => (
            "rec_stigma",
            "Rekomendacja: usługi powszechne, dostępne bez kryterium dochodowego, i komunikacja, która nie piętnuje korzystających, prowadzona kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: universal services without an income criterion, and communication that does not stigmatise users, through the channels residents named most often.",
        ),
        P::RecHours => (
            "rec_hours",
            "Rekomendacja: godziny przyjęć popołudniowe i w soboty; informacja o nich kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: afternoon and Saturday opening hours; information about them through the channels residents named most often.",
        ),
        P::RecNoServices => (
            "rec_no_services",
            "Rekomendacja: uruchomienie usług wskazanych w projekcie i informacja o nich kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: starting the services of this draft and informing about them through the channels residents named most often.",
        ),
        P::RecOther => (
            "rec_other",
            "Rekomendacja: zespół planuje działania usuwające tę barierę i informuje o nich kanałami, które mieszkańcy wskazali najczęściej.",
            "Recommendation: the team plans actions removing this barrier and informs about them through the channels residents named most often.",
        ),
        P::RulesIgnored => (
            "rules_ignored",
            "{file}: high_need i availability.low nie są już stosowane — priorytet to klasa priorytetu analizy (reguła priorytetów powyżej); można je usunąć z pliku",
            "{file}: high_need and availability.low are no longer applied — the priority is the analysis' priority class (the priority rule above); they can be removed from the file",
        ),
        P::SourceInventory => (
            "source_inventory",
            "ankieta instytucji — podmioty świadczące usługę: {n}{cap}",
            "institutions' survey — entities providing the service: {n}{cap}",
        ),
        P::Capacity => (
            "capacity",
            "; miejsca / uczestnicy: {n}",
            "; places / participants: {n}",
        ),
        P::Money => ("money", "{amount} zł", "PLN {amount}"),
    }
}

/// The text of a programme message in a language.
pub fn t(lang: Lang, m: P) -> &'static str {
    let (_, pl, en) = entry(m);
    match lang {
        Lang::Pl => pl,
        Lang::En => en,
    }
}

/// Every text of a language by its key: the template's `t` table.
pub fn table(lang: Lang) -> std::collections::BTreeMap<&'static str, &'static str> {
    P::ALL.iter().map(|&m| (entry(m).0, t(lang, m))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_a_unique_key_and_two_languages() {
        let keys: std::collections::BTreeSet<&str> = P::ALL.iter().map(|&m| entry(m).0).collect();
        // P::ALL lists every variant once (plus nothing else): the key count equals the variants
        assert_eq!(keys.len(), 75);
        for m in P::ALL {
            let (k, pl, en) = entry(m);
            assert!(!pl.is_empty() && !en.is_empty(), "{k}");
        }
    }
}

//! The CLI's own texts: the messages, summaries and table words that `diagnoza` prints to the
//! terminal (enum [`M`], exhaustive [`t`]: a missing translation does not compile), and the
//! Polish help of every command and argument ([`help_pl`]; the English help is the clap doc
//! comment in `src/cmd/*`, a test checks every one has its Polish text). It does not choose the
//! language (that is `cmd::locale`) nor hold the report's or the questionnaires' texts.

use super::Lang;

/// A message the CLI prints. `{name}` marks a value `lang::fill` puts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum M {
    /// Prefix of a fatal error line.
    Error,
    /// status: `{dir}`, `{gmina}`.
    StatusWorkspace,
    /// status / analyze: `{id}`, `{title}`.
    Questionnaire,
    /// status: `{n}`.
    Imports,
    /// status: `{n}`.
    Stored,
    /// status: `{n}`.
    Duplicates,
    /// status: `{n}`.
    SameContent,
    /// status: `{open}`, `{resolved}`.
    RejectsOpen,
    /// rejects: nothing open.
    NoRejects,
    /// rejects: `{id}`, `{n}`.
    RejectsOf,
    /// rejects: `{file}`, `{row}`, `{excel}`, `{channel}`, `{key}`.
    RejectLine,
    /// rejects, e-mail: `{file}`, `{row}` (message number), `{channel}`, `{key}`.
    RejectLineMail,
    /// rejects: `{n}`, `{file}`.
    RejectsWritten,
    /// A reason: `{column}`, `{value}`, `{expected}`.
    Issue,
    /// init: `{cfg}`.
    InitExists,
    /// init: `{name}`, `{list}`.
    InitNoTemplate,
    /// init: `{dir}`, `{gmina}`.
    InitCreated,
    /// init: `{cfg}`, `{dir}`.
    InitNext,
    /// analyze header: `{n}`, `{k}`.
    AnalyzeHead,
    /// analyze: `{vars}`, `{source}`, `{neff}`, `{deff}`, `{un}`.
    AnalyzeWeighted,
    /// analyze: `{kind}`, `{k}`.
    BaseHidden,
    /// analyze.
    NobodyAnswered,
    /// analyze: `{n}`, `{kind}`.
    Base,
    /// analyze column / cell words.
    Weighted,
    Hidden,
    /// analyze rating line: `{mean}`, `{m01}`, `{n}`, `{top2}`, `{dk}`.
    RatingLine,
    /// analyze number line: `{n}`, `{mean}`, `{median}`, `{q1}`, `{q3}`.
    NumberLine,
    /// analyze indices heading: `{w}` (", weighted" or "").
    IndicesHead,
    /// ", weighted" suffix.
    WeightedSuffix,
    /// The indices table header words.
    ColArea,
    ColNeed,
    ColAvail,
    ColQual,
    ColUnmet,
    ColPriority,
    /// analyze potential heading.
    PotentialHead,
    /// `{pct}`, `{ci}`, `{n}`.
    Ready,
    ReadyHidden,
    /// `{var}`, `{label}`.
    BreakdownBy,
    /// `{list}`.
    Groups,
    NoneLargeEnough,
    /// `{k}`, `{list}`.
    LeftOut,
    /// `{var}`, `{n}`.
    WithoutAnswer,
    /// `{area}`.
    NeedOf,
    /// `{q}`.
    ReadyOf,
    /// `{sig}`, `{all}`, `{bad}`.
    TestsSummary,
    /// `{n}`.
    TestsMore,
    /// `{file}`.
    WroteTidy,
    WroteIndices,
    WroteTests,
    /// Base kinds (analysis::BaseKind).
    BaseAsked,
    BaseAnswered,
    BaseAll,
    /// Priority classes (analysis::Priority).
    PrioHigh,
    PrioMedium,
    PrioLow,
    PrioInsufficient,
    /// Column heading of a confidence interval.
    Ci95,
    /// Test line: `{what}`, `{p}`, `{method}`, `{v}`, `{n}`.
    TestLine,
    /// run without `[[imports]]`: `{n}` files found in `{dir}`.
    RunFolder,
    /// run without `[[imports]]` and an empty imports/: `{cfg}`, `{dir}`.
    RunNoImports,
    /// import: `{file}`, `{n}`, `{detected}`, `{how}`, `{id}`.
    ImportFile,
    /// `{format}` recognised from the columns.
    ImportRecognised,
    /// `{accepted}`, `{rejected}`, `{duplicates}`, `{warnings}`, `{resolved}`.
    ImportOutcome,
    /// `{n}` earlier rejects corrected (a suffix).
    ImportResolved,
    /// The closing note when some records were rejected.
    ImportRejected,
    /// A duplicate record: `{file}`, `{excel}`, `{first}`, `{key}`.
    Duplicate,
    /// Questions without a column: `{file}`, `{n}`, `{list}`.
    NoColumn,
    /// A record key that is a questionnaire number: `{nr}`.
    QuestionnaireNo,
    /// Prefix of a warning line.
    Warning,
    /// A problem's place in a table: `{file}`, `{excel}`, `{row}`.
    PlaceRow,
    /// A problem's place in a mailbox: `{file}`, `{row}`.
    PlaceMessage,
    /// `, column {column}`.
    PlaceColumn,
    /// `'{value}': expected {expected}`.
    ValueExpected,
    /// `expected: {expected}` (summary).
    ExpectedWord,
    /// Expectations: `{choices}`.
    ExpOneOf,
    ExpSingle,
    /// `{choices}`, `{unknown}`.
    ExpCodes,
    ExpWhole,
    ExpNumber,
    ExpDate,
    ExpRequired,
    /// `{n}`.
    ExpAtMostAnswers,
    /// `{lo}`, `{hi}`.
    ExpRange,
    ExpAtLeast,
    ExpAtMost,
    ExpCondition,
    /// Hints: `{n}`.
    HintDigits,
    /// `{code}`.
    HintOtherLanguage,
    HintAbbreviation,
    /// Import summary heading: `{n}`.
    SummaryHead,
    /// completions / man written: `{file}`.
    Wrote,
}

/// The text of a CLI message in a language.
pub fn t(lang: Lang, m: M) -> &'static str {
    use Lang::{En, Pl};
    match (m, lang) {
        (M::Error, Pl) => "błąd",
        (M::Error, En) => "error",
        (M::StatusWorkspace, Pl) => "Katalog roboczy {dir} — gmina {gmina}",
        (M::StatusWorkspace, En) => "Workspace {dir} — gmina {gmina}",
        (M::Questionnaire, Pl) => "Ankieta „{id}” — {title}",
        (M::Questionnaire, En) => "Questionnaire '{id}' — {title}",
        (M::Imports, Pl) => "Importy: {n}",
        (M::Imports, En) => "Imports: {n}",
        (M::Stored, Pl) => "Zapisane odpowiedzi: {n}",
        (M::Stored, En) => "Responses stored: {n}",
        (M::Duplicates, Pl) => "Powtórzenia (zapisane raz): {n}",
        (M::Duplicates, En) => "Duplicates seen (stored once): {n}",
        (M::SameContent, Pl) => "Odpowiedzi identyczne z inną (możliwe podwójne wprowadzenie): {n}",
        (M::SameContent, En) => "Responses identical to another one (possible double entry): {n}",
        (M::RejectsOpen, Pl) => "Odrzucone do poprawy: {open} (poprawione później: {resolved})",
        (M::RejectsOpen, En) => "Rejects open: {open} (corrected later: {resolved})",
        (M::NoRejects, Pl) => "Brak odrzuconych ankiet do poprawy.",
        (M::NoRejects, En) => "No open rejects.",
        (M::RejectsOf, Pl) => "Ankieta „{id}”: odrzucone do poprawy: {n}",
        (M::RejectsOf, En) => "Questionnaire '{id}': {n} open rejects",
        (M::RejectLine, Pl) => {
            "{file}: wiersz {excel} w Excelu (wiersz danych {row}) ({channel}), {key}"
        }
        (M::RejectLine, En) => "{file}: Excel row {excel} (data row {row}) ({channel}), {key}",
        (M::RejectLineMail, Pl) => "{file}: wiadomość {row} ({channel}), {key}",
        (M::RejectLineMail, En) => "{file}: message {row} ({channel}), {key}",
        (M::RejectsWritten, Pl) => {
            "Zapisano {n} odrzuconych do {file}: popraw komórki i zaimportuj plik ponownie."
        }
        (M::RejectsWritten, En) => {
            "Wrote {n} rejects to {file}: fix the cells, then import the file again."
        }
        (M::Issue, Pl) => "kolumna {column}: „{value}” — oczekiwano: {expected}",
        (M::Issue, En) => "column {column}: '{value}' — expected: {expected}",
        (M::InitExists, Pl) => "{cfg} już istnieje: ten katalog jest już katalogiem roboczym",
        (M::InitExists, En) => "{cfg} already exists: this folder is a workspace already",
        (M::InitNoTemplate, Pl) => {
            "ankieta „{name}” nie jest ani plikiem, ani wbudowanym szablonem ({list})"
        }
        (M::InitNoTemplate, En) => {
            "template '{name}' is neither a file nor a bundled template ({list})"
        }
        (M::InitCreated, Pl) => "Utworzono katalog roboczy {dir} dla gminy {gmina}.",
        (M::InitCreated, En) => "Created the workspace {dir} for gmina {gmina}.",
        (M::InitNext, Pl) => {
            "Dalej: uzupełnij {cfg} (etapy I–II raportu), wydrukuj ankietę: `diagnoza -w {dir} ankieta`, a wpisane odpowiedzi zaimportuj: `diagnoza -w {dir} import PLIK.xlsx`."
        }
        (M::InitNext, En) => {
            "Next: edit {cfg} (stages I–II of the report), print the questionnaire: `diagnoza -w {dir} form`, then import the typed answers: `diagnoza -w {dir} import FILE.xlsx`."
        }
        (M::AnalyzeHead, Pl) => {
            "Odpowiedzi: {n}; komórki poniżej {k} osób są ukryte; przedziały Wilsona 95%."
        }
        (M::AnalyzeHead, En) => "{n} responses; cells under {k} are hidden; 95% Wilson intervals.",
        (M::AnalyzeWeighted, Pl) => {
            "Ważone do populacji według {vars} ({source}): efektywna liczebność próby {neff} (efekt schematu {deff}); osoby bez odpowiedzi ważącej ({un}) mają wagę 1."
        }
        (M::AnalyzeWeighted, En) => {
            "Weighted to the population by {vars} ({source}): effective sample size {neff} (design effect {deff}); {un} respondent(s) without a weighting answer keep weight 1."
        }
        (M::BaseHidden, Pl) => "  podstawa ({kind}): poniżej {k}, tabela ukryta\n",
        (M::BaseHidden, En) => "  base ({kind}): below {k}, table hidden\n",
        (M::NobodyAnswered, Pl) => "  nikt nie odpowiedział\n",
        (M::NobodyAnswered, En) => "  nobody answered\n",
        (M::Base, Pl) => "  podstawa: n = {n} ({kind})",
        (M::Base, En) => "  base: n = {n} ({kind})",
        (M::Weighted, Pl) => "ważone",
        (M::Weighted, En) => "weighted",
        (M::Hidden, Pl) => "ukryte",
        (M::Hidden, En) => "hidden",
        (M::RatingLine, Pl) => {
            "  średnia {mean} (0–1: {m01}; n = {n}), 2 najwyższe {top2}, trudno powiedzieć / nie korzystam: {dk}"
        }
        (M::RatingLine, En) => {
            "  mean {mean} (0–1: {m01}; n = {n}), top-2 {top2}, hard to say / not used: {dk}"
        }
        (M::NumberLine, Pl) => "  n {n} średnia {mean} mediana {median} kwartyle {q1}–{q3}",
        (M::NumberLine, En) => "  n {n} mean {mean} median {median} quartiles {q1}–{q3}",
        (M::IndicesHead, Pl) => {
            "Potrzeby, dostępność i niezaspokojona potrzeba według obszarów (ogółem{w})"
        }
        (M::IndicesHead, En) => "Needs, availability and unmet need per area (overall{w})",
        (M::WeightedSuffix, Pl) => ", ważone",
        (M::WeightedSuffix, En) => ", weighted",
        (M::ColArea, Pl) => "obszar",
        (M::ColArea, En) => "area",
        (M::ColNeed, Pl) => "potrzeba",
        (M::ColNeed, En) => "need",
        (M::ColAvail, Pl) => "dostęp",
        (M::ColAvail, En) => "avail",
        (M::ColQual, Pl) => "jakość",
        (M::ColQual, En) => "qual",
        (M::ColUnmet, Pl) => "niezasp",
        (M::ColUnmet, En) => "unmet",
        (M::ColPriority, Pl) => "priorytet",
        (M::ColPriority, En) => "priority",
        (M::PotentialHead, Pl) => "Potencjał lokalny (odsetek odpowiadających)",
        (M::PotentialHead, En) => "Local potential (share of those who answered)",
        (M::Ready, Pl) => "gotowi {pct} ({ci}; n = {n})",
        (M::Ready, En) => "ready {pct} ({ci}; n = {n})",
        (M::ReadyHidden, Pl) => "gotowi: ukryte",
        (M::ReadyHidden, En) => "ready: hidden",
        (M::BreakdownBy, Pl) => "Podział według {var} — {label}",
        (M::BreakdownBy, En) => "Breakdown by {var} — {label}",
        (M::Groups, Pl) => "  grupy: {list}",
        (M::Groups, En) => "  groups: {list}",
        (M::NoneLargeEnough, Pl) => "żadna nie jest dość liczna",
        (M::NoneLargeEnough, En) => "none large enough",
        (M::LeftOut, Pl) => "  pominięte (mniej niż {k} osób): {list}",
        (M::LeftOut, En) => "  left out (fewer than {k} respondents): {list}",
        (M::WithoutAnswer, Pl) => "  bez odpowiedzi na {var}: {n}",
        (M::WithoutAnswer, En) => "  without an answer to {var}: {n}",
        (M::NeedOf, Pl) => "potrzeba: {area}",
        (M::NeedOf, En) => "need: {area}",
        (M::ReadyOf, Pl) => "gotowi: {q}",
        (M::ReadyOf, En) => "ready: {q}",
        (M::TestsSummary, Pl) => {
            "  różnice między grupami (p < 0,05, wiarygodne; eksploracyjnie): {sig} z {all} testów; {bad} test(y) niewiarygodne (małe liczebności oczekiwane)"
        }
        (M::TestsSummary, En) => {
            "  differences between groups (p < 0.05, reliable; exploratory): {sig} of {all} tests; {bad} test(s) unreliable (small expected counts)"
        }
        (M::TestsMore, Pl) => "    … jeszcze {n} w --tests / arkuszu testów xlsx",
        (M::TestsMore, En) => "    … {n} more in --tests / the xlsx tests sheet",
        (M::WroteTidy, Pl) => "Zapisano tabelę wyników do {file}",
        (M::WroteTidy, En) => "Wrote the tidy results table to {file}",
        (M::WroteIndices, Pl) => "Zapisano tabelę wskaźników do {file}",
        (M::WroteIndices, En) => "Wrote the indices table to {file}",
        (M::WroteTests, Pl) => "Zapisano testy różnic między grupami do {file}",
        (M::WroteTests, En) => "Wrote the group tests to {file}",
        (M::BaseAsked, Pl) => "zadane",
        (M::BaseAsked, En) => "asked",
        (M::BaseAnswered, Pl) => "odpowiadający",
        (M::BaseAnswered, En) => "answered",
        (M::BaseAll, Pl) => "wszyscy",
        (M::BaseAll, En) => "all",
        (M::PrioHigh, Pl) => "wysoki",
        (M::PrioHigh, En) => "high",
        (M::PrioMedium, Pl) => "średni",
        (M::PrioMedium, En) => "medium",
        (M::PrioLow, Pl) => "niski",
        (M::PrioLow, En) => "low",
        (M::PrioInsufficient, Pl) => "za mało danych",
        (M::PrioInsufficient, En) => "insufficient data",
        (M::Ci95, Pl) => "PU 95%",
        (M::Ci95, En) => "95% CI",
        (M::TestLine, Pl) => "    {what} p {p} ({method}), V Craméra = {v}, n = {n}",
        (M::TestLine, En) => "    {what} p {p} ({method}), Cramér's V = {v}, n = {n}",
        (M::RunFolder, Pl) => {
            "diagnoza.toml nie wymienia plików [[imports]]: importuję wszystkie pliki z {dir} ({n})"
        }
        (M::RunFolder, En) => {
            "diagnoza.toml lists no [[imports]]: importing every file in {dir} ({n})"
        }
        (M::RunNoImports, Pl) => {
            "{cfg} nie wymienia plików [[imports]], a katalog {dir} jest pusty: włóż tam pliki z odpowiedziami albo użyj `diagnoza import PLIK`"
        }
        (M::RunNoImports, En) => {
            "{cfg} lists no [[imports]] and {dir} is empty: put the answer files there, or use `diagnoza import FILE`"
        }
        (M::ImportFile, Pl) => "{file}: wierszy danych: {n} ({detected}; {how}), ankieta „{id}”",
        (M::ImportFile, En) => "{file}: {n} data rows ({detected}; {how}), questionnaire '{id}'",
        (M::ImportRecognised, Pl) => "{format}, rozpoznany",
        (M::ImportRecognised, En) => "{format}, recognised",
        (M::ImportOutcome, Pl) => {
            "  przyjęte {accepted}, odrzucone {rejected}, powtórzenia {duplicates} (już w bazie), ostrzeżenia {warnings}{resolved}"
        }
        (M::ImportOutcome, En) => {
            "  accepted {accepted}, rejected {rejected}, duplicates {duplicates} (already in the store), warnings {warnings}{resolved}"
        }
        (M::ImportResolved, Pl) => ", poprawione wcześniej odrzucone: {n}",
        (M::ImportResolved, En) => ", {n} earlier rejects corrected",
        (M::ImportRejected, Pl) => {
            "Część ankiet odrzucono: zobacz `diagnoza odrzucone` (są zachowane w bazie, nic nie ginie)."
        }
        (M::ImportRejected, En) => {
            "Some records were rejected: see `diagnoza rejects` (they are kept in the store, nothing is lost)."
        }
        (M::Duplicate, Pl) => {
            "{file}, wiersz {excel} w Excelu: powtórzenie {first} (klucz {key}): zapisane raz"
        }
        (M::Duplicate, En) => {
            "{file}, Excel row {excel}: duplicate of {first} (key {key}): stored once"
        }
        (M::NoColumn, Pl) => {
            "{file}: ostrzeżenie: pytania bez kolumny w pliku ({n}) liczą się jako bez odpowiedzi: {list}"
        }
        (M::NoColumn, En) => {
            "{file}: warning: {n} question(s) have no column and count as not answered: {list}"
        }
        (M::QuestionnaireNo, Pl) => "ankieta nr {nr}",
        (M::QuestionnaireNo, En) => "questionnaire no. {nr}",
        (M::Warning, Pl) => "ostrzeżenie",
        (M::Warning, En) => "warning",
        (M::PlaceRow, Pl) => "{file}, wiersz {excel} w Excelu (wiersz danych {row})",
        (M::PlaceRow, En) => "{file}, Excel row {excel} (data row {row})",
        (M::PlaceMessage, Pl) => "{file}, wiadomość {row}",
        (M::PlaceMessage, En) => "{file}, message {row}",
        (M::PlaceColumn, Pl) => ", kolumna {column}",
        (M::PlaceColumn, En) => ", column {column}",
        (M::ValueExpected, Pl) => "„{value}” — oczekiwano: {expected}",
        (M::ValueExpected, En) => "'{value}' — expected: {expected}",
        (M::ExpectedWord, Pl) => "oczekiwano: {expected}",
        (M::ExpectedWord, En) => "expected: {expected}",
        (M::ExpOneOf, Pl) => "jedna z odpowiedzi {choices}",
        (M::ExpOneOf, En) => "one of {choices}",
        (M::ExpSingle, Pl) => "jedna odpowiedź, nie kilka: {choices}",
        (M::ExpSingle, En) => "a single answer, not several: {choices}",
        (M::ExpCodes, Pl) => {
            "kody oddzielone spacjami lub przecinkami, każdy z {choices} (nieznane: {unknown})"
        }
        (M::ExpCodes, En) => {
            "codes separated by spaces or commas, each one of {choices} (not known: {unknown})"
        }
        (M::ExpWhole, Pl) => "liczba całkowita zapisana cyframi",
        (M::ExpWhole, En) => "a whole number written in digits",
        (M::ExpNumber, Pl) => "liczba zapisana cyframi (z przecinkiem lub kropką)",
        (M::ExpNumber, En) => "a number written in digits (decimal comma or point)",
        (M::ExpDate, Pl) => "data, np. 2026-10-05 albo 05.10.2026",
        (M::ExpDate, En) => "a date such as 2026-10-05 or 05.10.2026",
        (M::ExpRequired, Pl) => "odpowiedź (pytanie jest obowiązkowe)",
        (M::ExpRequired, En) => "an answer (the question is required)",
        (M::ExpAtMostAnswers, Pl) => "można zaznaczyć najwyżej {n} odpowiedzi",
        (M::ExpAtMostAnswers, En) => "at most {n} answers can be ticked",
        (M::ExpRange, Pl) => "wartość od {lo} do {hi}",
        (M::ExpRange, En) => "a value from {lo} to {hi}",
        (M::ExpAtLeast, Pl) => "wartość co najmniej {lo}",
        (M::ExpAtLeast, En) => "a value of at least {lo}",
        (M::ExpAtMost, Pl) => "wartość najwyżej {hi}",
        (M::ExpAtMost, En) => "a value of at most {hi}",
        (M::ExpCondition, Pl) => "wartość spełniająca warunek pytania z ankiety",
        (M::ExpCondition, En) => "a value meeting the question's condition in the questionnaire",
        (M::HintDigits, Pl) => "wskazówka: liczbę wpisuje się cyframi ({n})",
        (M::HintDigits, En) => "hint: numbers are typed in digits ({n})",
        (M::HintOtherLanguage, Pl) => "wskazówka: to etykieta w innym języku; wpisz kod „{code}”",
        (M::HintOtherLanguage, En) => {
            "hint: that is the label in the other language; type the code '{code}'"
        }
        (M::HintAbbreviation, Pl) => "wskazówka: skrót? wpisz całą odpowiedź „{code}”",
        (M::HintAbbreviation, En) => "hint: an abbreviation? type the whole answer '{code}'",
        (M::SummaryHead, Pl) => "Powtarzające się problemy ({n}):",
        (M::SummaryHead, En) => "Repeated problems ({n}):",
        (M::Wrote, Pl) => "Zapisano {file}",
        (M::Wrote, En) => "Wrote {file}",
    }
}

/// The words of clap's own help layout, per language: usage, the section headings, the
/// placeholders and the notes after an argument's help.
pub struct Layout {
    pub usage: &'static str,
    pub commands: &'static str,
    pub arguments: &'static str,
    pub options: &'static str,
    pub options_ph: &'static str,
    pub command_ph: &'static str,
    pub default: &'static str,
    pub values: &'static str,
    pub examples: &'static str,
    pub alias: &'static str,
    pub aliases: &'static str,
}

/// clap's layout words in a language.
pub fn layout(lang: Lang) -> Layout {
    match lang {
        Lang::Pl => Layout {
            usage: "Użycie:",
            commands: "Polecenia",
            arguments: "Argumenty",
            options: "Opcje",
            options_ph: "[OPCJE]",
            command_ph: "<POLECENIE>",
            default: "domyślnie",
            values: "możliwe wartości",
            examples: "Przykłady:",
            alias: "inna nazwa",
            aliases: "inne nazwy",
        },
        Lang::En => Layout {
            usage: "Usage:",
            commands: "Commands",
            arguments: "Arguments",
            options: "Options",
            options_ph: "[OPTIONS]",
            command_ph: "<COMMAND>",
            default: "default",
            values: "possible values",
            examples: "Examples:",
            alias: "alias",
            aliases: "aliases",
        },
    }
}

/// A value name (`<FILES>`) in Polish; None keeps it (it is no English word).
pub fn value_name_pl(name: &str) -> Option<&'static str> {
    Some(match name {
        "WORKSPACE" => "KATALOG",
        "DIR" => "KATALOG",
        "GMINA" => "GMINA",
        "TEMPLATE" => "ANKIETA",
        "FORMAT" => "FORMAT",
        "LANG" => "JĘZYK",
        "OUT" => "WYNIK",
        "FORM" => "ANKIETA",
        "FILES" => "PLIKI",
        "CHANNEL" => "KANAŁ",
        "MAPPING" => "MAPOWANIE",
        "ENCODING" => "KODOWANIE",
        "FIRST" => "PIERWSZY",
        "SECOND" => "DRUGI",
        "CSV" => "PLIK_CSV",
        "BY" => "ZMIENNE",
        "INDICES" => "PLIK_CSV",
        "TESTS" => "PLIK_CSV",
        "NEED" => "PYTANIE",
        "PAPER" => "LICZBA",
        "ONLINE" => "LICZBA",
        "YOUTH" => "LICZBA",
        "SEED" => "ZIARNO",
        "NAME" => "NAZWA",
        "DATA" => "DANE",
        "ID" => "ID",
        "XLSFORM" => "PLIK_XLSX",
        "TOML" => "PLIK_TOML",
        "SHELL" => "POWŁOKA",
        "INSTITUTION" => "INSTYTUCJA",
        "ADDRESS" => "ADRES",
        "EMAIL" => "EMAIL",
        _ => return None,
    })
}

/// Examples shown after a command's help, per language (`""`: none).
pub fn examples(lang: Lang, command: &str) -> &'static str {
    use Lang::{En, Pl};
    match (command, lang) {
        ("", Pl) => {
            "  diagnoza init wydminy --gmina Wydminy\n  diagnoza -w wydminy ankieta --format xlsx\n  diagnoza -w wydminy import imports/partia1.xlsx\n  diagnoza -w wydminy stan\n  diagnoza -w wydminy raport"
        }
        ("", En) => {
            "  diagnoza init wydminy --gmina Wydminy\n  diagnoza -w wydminy form --format xlsx\n  diagnoza -w wydminy import imports/batch1.xlsx\n  diagnoza -w wydminy status\n  diagnoza -w wydminy report"
        }
        ("init", Pl) => {
            "  diagnoza init wydminy --gmina Wydminy --instytucja \"GOPS w Wydminach\" --adres \"ul. Grunwaldzka 6\" --email gops@wydminy.pl"
        }
        ("init", En) => {
            "  diagnoza init wydminy --gmina Wydminy --institution \"GOPS w Wydminach\" --address \"ul. Grunwaldzka 6\" --email gops@wydminy.pl"
        }
        ("import", Pl) => {
            "  diagnoza import imports/partia1.xlsx\n  diagnoza import --dry-run imports/kobo.csv\n  diagnoza import poczta.mbox --channel email"
        }
        ("import", En) => {
            "  diagnoza import imports/batch1.xlsx\n  diagnoza import --dry-run imports/kobo.csv\n  diagnoza import mail.mbox --channel email"
        }
        ("form", Pl) => "  diagnoza ankieta\n  diagnoza ankieta --format xlsx",
        ("form", En) => "  diagnoza form\n  diagnoza form --format xlsx",
        ("report", Pl) => "  diagnoza raport\n  diagnoza raport --format html,docx,xlsx",
        ("report", En) => "  diagnoza report\n  diagnoza report --format html,docx,xlsx",
        ("rejects", Pl) => "  diagnoza odrzucone\n  diagnoza odrzucone --csv do-poprawy.csv",
        ("rejects", En) => "  diagnoza rejects\n  diagnoza rejects --csv to-fix.csv",
        ("completions", Pl) => {
            "  diagnoza completions bash > ~/.local/share/bash-completion/completions/diagnoza"
        }
        ("completions", En) => {
            "  diagnoza completions bash > ~/.local/share/bash-completion/completions/diagnoza"
        }
        ("man", Pl) => "  diagnoza man --out man/\n  man man/diagnoza.1",
        ("man", En) => "  diagnoza man --out man/\n  man man/diagnoza.1",
        _ => "",
    }
}

/// The Polish help of a command (`import`, `template.show`; `""` is the program) or of an
/// argument (`import.files`; `*.workspace` for an argument every command shares).
pub fn help_pl(key: &str) -> Option<&'static str> {
    Some(match key {
        "" => {
            "Diagnoza potrzeb i potencjału społeczności lokalnej w zakresie usług społecznych (CUS): ankiety, import, analiza, raport w czterech etapach"
        }
        "*.workspace" => "Katalog roboczy (z plikiem diagnoza.toml)",
        "*.ui_lang" => {
            "Język komunikatów: pl lub en (domyślnie: language z diagnoza.toml, potem LANG, potem polski)"
        }
        "*.help" => "Wyświetl pomoc",
        "*.version" => "Wyświetl wersję",
        "*.no_weights" => "Pomiń tabelę ludności z diagnoza.toml (bez wyników ważonych)",
        "init" => "Utwórz katalog roboczy: diagnoza.toml, bazę odpowiedzi, imports/ i reports/",
        "init.dir" => "Katalog do utworzenia (albo istniejący pusty)",
        "init.gmina" => "Nazwa gminy, np. \"Wydminy\"",
        "init.template" => "Ankieta: nazwa wbudowanego szablonu albo plik TOML",
        "init.institution" => {
            "Instytucja prowadząca diagnozę, np. \"Gminny Ośrodek Pomocy Społecznej w Wydminach\""
        }
        "init.return_address" => "Adres, pod który oddaje się papierowe ankiety",
        "init.return_email" => "Adres e-mail, na który odsyła się ankiety",
        "template" => "Lista, podgląd i sprawdzanie szablonów ankiet",
        "template.list" => "Wbudowane ankiety",
        "template.show" => {
            "Wyświetl ankietę: pytania, typy, przejścia (logika pomijania) i odpowiedzi"
        }
        "template.show.name" => "Nazwa wbudowanej ankiety albo plik TOML",
        "template.show.lang" => "Język etykiet (pl, en)",
        "template.check" => {
            "Sprawdź ankietę i wypisz każdy błąd z jego miejscem (kod wyjścia 2, gdy ankieta jest błędna)"
        }
        "template.check.name" => "Nazwa wbudowanej ankiety albo plik TOML",
        "template.import" => {
            "Wczytaj XLSForm (.xlsx, .xls, .ods albo kopie CSV) i zapisz jako ankietę diagnoza w TOML; każdy błąd i ostrzeżenie podaje wiersz arkusza"
        }
        "template.import.form" => {
            "XLSForm: skoroszyt, `form.survey.csv` (z `form.choices.csv`, `form.settings.csv` obok), katalog z survey.csv … albo jeden CSV z sekcjami"
        }
        "template.import.out" => "Zapisz TOML tutaj (domyślnie: wypisz go)",
        "template.import.encoding" | "import.encoding" => {
            "Kodowanie plików CSV (utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le …): wymusza je zamiast wykrywania"
        }
        "template.export" => {
            "Zapisz ankietę jako skoroszyt XLSForm dla KoboToolbox / ODK (albo jako TOML)"
        }
        "template.export.name" => "Nazwa wbudowanej ankiety albo plik TOML",
        "template.export.xlsform" => "Skoroszyt XLSForm do zapisania (.xlsx)",
        "template.export.toml" => "Zapisz zamiast tego tekst TOML (znormalizowany)",
        "template.infer" => {
            "Zaproponuj ankietę na podstawie pliku danych bez ankiety (np. eksportu Google Forms): wypisana jako TOML do przejrzenia, potem do użycia z `import`"
        }
        "template.infer.data" => "Dane: CSV albo arkusz kalkulacyjny",
        "template.infer.out" => "Zapisz TOML tutaj (domyślnie: wypisz go)",
        "template.infer.id" => "form_id proponowanej ankiety (domyślnie: z nazwy pliku)",
        "form" => {
            "Zapisz ankietę do druku (html), skoroszyt do wpisywania ankiet papierowych (xlsx), formularz e-mail (txt) albo skoroszyt dla jednej osoby (xlsx-email)"
        }
        "form.format" => {
            "html: ankieta papierowa do druku (A4); xlsx: skoroszyt do wpisywania ankiet papierowych; txt: formularz e-mail, który mieszkańcy wypełniają w odpowiedzi; xlsx-email: to samo jako skoroszyt dla jednej osoby do załączenia do e-maila"
        }
        "form.lang" => "Język ankiety: pl lub en (domyślnie: język katalogu roboczego)",
        "form.out" => {
            "Plik wynikowy (domyślnie: formularze/ankieta.html, formularze/wprowadzanie.xlsx albo formularze/ankieta-email.txt w katalogu roboczym)"
        }
        "form.template" => {
            "Ankieta (nazwa wbudowanej albo plik TOML) zamiast ankiety katalogu roboczego; wtedy katalog roboczy nie jest potrzebny"
        }
        "form.form" => {
            "Która z ankiet katalogu roboczego (jej form_id, np. `instytucje`; domyślnie: ankieta mieszkańców z diagnoza.toml)"
        }
        "import" => {
            "Importuj odpowiedzi (CSV, arkusze, e-mail: .eml, mbox, maildir) do bazy, sprawdzone według ankiety"
        }
        "import.files" => {
            "Pliki CSV (UTF-8/16 z BOM lub bez, windows-1250/1252, ISO-8859-2 wykrywane, albo --encoding; `,` `;` lub tabulator), arkusze (.xlsx, .xls; arkusz `dane` skoroszytu do wpisywania), pobrania ZIP z ODK Central albo e-mail: pliki .eml, mbox, katalogi maildir (rozpoznawane po zawartości)"
        }
        "import.channel" => {
            "Jak zebrano odpowiedzi: `auto` rozpoznaje eksporty kobo, odk, google, limesurvey i msforms po kolumnach (inne liczą się jako paper — papier); albo podaj jeden z nich, albo paper, email, online, other"
        }
        "import.dry_run" => {
            "Tylko sprawdź i wypisz; nic nie zapisuj. Pokazuje, która kolumna pasuje do którego pytania i dlaczego"
        }
        "import.form" => {
            "Ankieta, na którą odpowiadają pliki (form_id katalogu roboczego; domyślnie: rozpoznana po kolumnach)"
        }
        "import.mapping" => {
            "Plik mapowania (TOML): `[columns]` \"nagłówek\" = \"pytanie\" (\"\" pomija kolumnę) i `[values.PYTANIE]` \"tekst odpowiedzi\" = \"kod\", dla kolumn, które nie pasują same"
        }
        "import.include_rejected" => {
            "Zachowaj zgłoszenia odrzucone w przeglądzie (Kobo „Not approved”, ODK „rejected”)"
        }
        "verify" => {
            "Podwójne wprowadzanie: porównaj dwa przepisania tych samych ankiet papierowych i wypisz różniące się komórki (kod wyjścia 1, gdy cokolwiek się różni)"
        }
        "verify.first" => {
            "Pierwsze przepisanie (CSV albo XLSX; arkusz `dane` skoroszytu do wpisywania)"
        }
        "verify.second" => "Drugie przepisanie tych samych ankiet",
        "verify.csv" => {
            "Zapisz też niezgodności jako CSV (UTF-8 z BOM, `;`: otwiera się w polskim Excelu)"
        }
        "status" => "Liczba zapisanych odpowiedzi według kanału, powtórzenia i odrzucone",
        "rejects" => {
            "Wypisz odrzucone ankiety z powodami (albo zapisz je jako CSV do poprawienia i ponownego importu)"
        }
        "rejects.csv" => {
            "Zapisz odrzucone jako CSV (UTF-8 z BOM, rozdzielany `;`: otwiera się w polskim Excelu)"
        }
        "analyze" => "Tabele częstości w terminalu; z --out tabela wyników jako CSV",
        "analyze.by" => "Zmienne grupujące (domyślnie: te z diagnoza.toml, inaczej z ankiety)",
        "analyze.out" => {
            "Zapisz tabelę wyników: PLIK.csv albo PLIK.xlsx z arkuszami wyników, wskaźników i testów"
        }
        "analyze.indices" => {
            "Zapisz tabelę wskaźników (potrzeba, dostępność, jakość, niezaspokojona potrzeba, potencjał) jako CSV"
        }
        "analyze.tests" => "Zapisz testy różnic między grupami jako CSV",
        "analyze.lang" | "inventory.lang" => "Język etykiet (domyślnie: z diagnoza.toml)",
        "analyze.form" => {
            "Ankieta do analizy (form_id katalogu roboczego, np. `instytucje`; domyślnie: ankieta mieszkańców)"
        }
        "inventory" => "Zasoby instytucji i organizacji oraz mapa luk",
        "inventory.out" => "Zapisz zasoby jako CSV (wiersz na obszar i usługę)",
        "programme" => {
            "Projekt programu usług społecznych: rekomendacje z liczbami, które za nimi stoją"
        }
        "programme.lang" | "report.lang" | "run.lang" => {
            "Język wyników (domyślnie: z diagnoza.toml)"
        }
        "programme.out" | "report.out" | "run.out" => {
            "Katalog wynikowy (domyślnie: reports/ katalogu roboczego)"
        }
        "catalogue" => {
            "Zapisz szkielet katalogu usług i reguł dla własnej ankiety katalogu roboczego"
        }
        "catalogue.need" => {
            "Pytanie o potrzeby, którego odpowiedzi są usługami (pytanie wielokrotnego wyboru; domyślnie: pytanie o potrzeby bez limitu „najwyżej N odpowiedzi”, inaczej najdłuższe wielokrotnego wyboru)"
        }
        "catalogue.force" => "Nadpisz katalog i reguły katalogu roboczego, jeśli istnieją",
        "report" => "Zapisz raport z diagnozy w czterech etapach",
        "report.format" => "Formaty wyników, rozdzielone przecinkami",
        "run" => {
            "Całość: zaimportuj pliki wymienione w diagnoza.toml (bez listy: wszystkie z imports/), potem zapisz raport"
        }
        "run.format" => "Formaty raportu, rozdzielone przecinkami",
        "example-data" => {
            "Zapisz syntetyczne odpowiedzi przykładu (z ziarnem losowania, powtarzalne)"
        }
        "example-data.out" => "Katalog, do którego zapisać pliki CSV",
        "example-data.paper" => {
            "Ankiety papierowe (windows-1250, rozdzielane `;`, jak zapisuje polski Excel)"
        }
        "example-data.online" => "Odpowiedzi internetowe (UTF-8 z BOM, rozdzielane `,`)",
        "example-data.youth" => "Odpowiedzi ankiety młodzieży (uczniowie, UTF-8, rozdzielane `,`)",
        "example-data.seed" => "Ziarno losowania",
        "completions" => {
            "Wypisz uzupełnianie poleceń dla powłoki (bash, zsh, fish, powershell, elvish)"
        }
        "completions.shell" => "Powłoka",
        "man" => "Zapisz strony podręcznika man (diagnoza.1 i po jednej na polecenie)",
        "man.out" => "Katalog na strony man",
        _ => return None,
    })
}

/// The comments of the `diagnoza.toml` that `init` writes: (English as in
/// `workspace::initial_config`, Polish). A test checks a Polish file keeps no English comment.
pub const CONFIG_COMMENTS: &[(&str, &str)] = &[
    (
        "# diagnoza workspace: the plan of the diagnosis of needs and potential of the local community\n# in the field of social services (ustawa",
        "# Katalog roboczy diagnoza: plan diagnozy potrzeb i potencjału społeczności lokalnej\n# w zakresie usług społecznych (ustawa",
    ),
    (
        "Stages I and II of the report are written from this file.",
        "Z tego pliku powstają etapy I i II raportu.",
    ),
    (
        "# e.g. \"wrzesień–grudzień 2026\"",
        "# np. \"wrzesień–grudzień 2026\"",
    ),
    (
        "# bundled name or a file in survey-templates/",
        "# nazwa wbudowanej ankiety albo plik w survey-templates/",
    ),
    (
        "# optional: the institutions' questionnaire, e.g. \"instytucje\"",
        "# opcjonalnie: ankieta instytucji, np. \"instytucje\"",
    ),
    (
        "# optional further perspectives, e.g. [\"mlodziez\"]",
        "# opcjonalnie dalsze perspektywy, np. [\"mlodziez\"]",
    ),
    (
        "# report language: \"pl\" or \"en\"",
        "# język raportu i komunikatów: \"pl\" albo \"en\"",
    ),
    (
        "# cells with fewer respondents are never shown",
        "# komórki z mniejszą liczbą osób nigdy nie są pokazywane",
    ),
    (
        "# empty: every disaggregation question of the template",
        "# puste: wszystkie pytania metryczkowe ankiety",
    ),
    (
        "# e.g. \"Gminny Ośrodek Pomocy Społecznej w …\"",
        "# np. \"Gminny Ośrodek Pomocy Społecznej w …\"",
    ),
    (
        "# where paper questionnaires are handed in",
        "# gdzie oddaje się papierowe ankiety",
    ),
    (
        "# where e-mailed questionnaires are sent",
        "# dokąd odsyła się ankiety e-mailem",
    ),
    (
        "# optional: a PNG of the gmina's coat of arms for the report cover",
        "# opcjonalnie: herb gminy (PNG) na okładkę raportu",
    ),
    (
        "# The team (roles and institutions; names are optional and appear in the report).",
        "# Zespół (role i instytucje; nazwiska są opcjonalne i trafiają do raportu).",
    ),
    (
        "# Stage I: planning and feasibility.",
        "# Etap I: planowanie i ocena wykonalności.",
    ),
    (
        "# The seven principles of providing social services named by the CUS materials (Biblioteczka CUS,\n# Kancelaria Prezydenta RP 2020); edit to the gmina's wording.",
        "# Siedem zasad realizacji usług społecznych według materiałów CUS (Biblioteczka CUS,\n# Kancelaria Prezydenta RP 2020); dostosuj do sformułowań gminy.",
    ),
    (
        "# Stage II: research problems, methods and schedule. The five research questions of a CUS\n# diagnosis (Biblioteczka CUS no. 2,",
        "# Etap II: problemy badawcze, metody i harmonogram. Pięć pytań badawczych diagnozy CUS\n# (Biblioteczka CUS nr 2,",
    ),
    (
        "# `key` names the answer the report writes from the results (state, needs, potential,\n# solutions, packages); a plain string is matched by its wording, else the team answers it.",
        "# `key` wskazuje odpowiedź, którą raport pisze z wyników (stan, potrzeby, potencjał,\n# rozwiązania, pakiety); zwykły tekst jest dopasowywany po brzmieniu, inaczej odpowiada zespół.",
    ),
    (
        "# Files that `diagnoza run` imports before writing the report (paths relative to this folder).",
        "# Pliki, które `diagnoza run` importuje przed zapisaniem raportu (ścieżki względem tego katalogu;\n# bez listy: wszystkie pliki z imports/).",
    ),
    (
        "# paper, email, kobo, odk, google, limesurvey, msforms, online, other",
        "# paper (papier), email, kobo, odk, google, limesurvey, msforms, online, other (inne)",
    ),
    (
        "# Adult population of the gmina, for the response rate (GUS BDL).",
        "# Dorośli mieszkańcy gminy, do wskaźnika zwrotu ankiet (GUS BDL).",
    ),
    (
        "# Optional post-stratification weights by age band × sex (see the README, \"Weighting\"): either a GUS BDL\n# CSV export of the population by single years of age and sex …",
        "# Opcjonalne wagi poststratyfikacyjne według grupy wieku × płci (zob. dokumentację, „Ważenie”): albo\n# eksport CSV z GUS BDL ludności według pojedynczych lat wieku i płci …",
    ),
    (
        "# … or the cells themselves (one per age band × sex):",
        "# … albo same komórki (po jednej na grupę wieku × płeć):",
    ),
];

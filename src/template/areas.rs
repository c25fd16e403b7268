//! The statutory areas of social services (art. 2 ust. 1 of the CUS act): codes, Polish and
//! English names. Does not know which questions belong to which area (that is the template's job).

use serde::{Deserialize, Serialize};

/// One statutory area of social services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    PolitykaProrodzinna,
    WspieranieRodziny,
    PieczaZastepcza,
    PomocSpoleczna,
    Zdrowie,
    Niepelnosprawnosc,
    Edukacja,
    Bezrobocie,
    Kultura,
    KulturaFizyczna,
    AktywnoscObywatelska,
    Mieszkalnictwo,
    Srodowisko,
    Reintegracja,
}

/// (area, code, Polish name as in the act, English name)
const TABLE: [(Area, &str, &str, &str); 14] = [
    (Area::PolitykaProrodzinna, "polityka_prorodzinna", "polityka prorodzinna", "pro-family policy"),
    (Area::WspieranieRodziny, "wspieranie_rodziny", "wspieranie rodziny", "family support"),
    (Area::PieczaZastepcza, "piecza_zastepcza", "system pieczy zastępczej", "foster care"),
    (Area::PomocSpoleczna, "pomoc_spoleczna", "pomoc społeczna", "social assistance"),
    (Area::Zdrowie, "zdrowie", "promocja i ochrona zdrowia", "health promotion and protection"),
    (
        Area::Niepelnosprawnosc,
        "niepelnosprawnosc",
        "wspieranie osób niepełnosprawnych",
        "support for people with disabilities",
    ),
    (Area::Edukacja, "edukacja", "edukacja publiczna", "public education"),
    (Area::Bezrobocie, "bezrobocie", "przeciwdziałanie bezrobociu", "counteracting unemployment"),
    (Area::Kultura, "kultura", "kultura", "culture"),
    (Area::KulturaFizyczna, "kultura_fizyczna", "kultura fizyczna i turystyka", "sport and tourism"),
    (
        Area::AktywnoscObywatelska,
        "aktywnosc_obywatelska",
        "pobudzanie aktywności obywatelskiej",
        "civic activity",
    ),
    (Area::Mieszkalnictwo, "mieszkalnictwo", "mieszkalnictwo", "housing"),
    (Area::Srodowisko, "srodowisko", "ochrona środowiska", "environmental protection"),
    (
        Area::Reintegracja,
        "reintegracja",
        "reintegracja zawodowa i społeczna",
        "vocational and social reintegration",
    ),
];

impl Area {
    /// All areas in the order of the act.
    pub fn all() -> impl Iterator<Item = Area> {
        TABLE.iter().map(|t| t.0)
    }

    fn row(self) -> &'static (Area, &'static str, &'static str, &'static str) {
        TABLE.iter().find(|t| t.0 == self).expect("every area is in the table")
    }

    /// The snake_case code used in templates and outputs.
    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// The name in the given language (`pl` or anything else for English).
    pub fn name(self, lang: &str) -> &'static str {
        if lang == "pl" { self.row().2 } else { self.row().3 }
    }

    /// Parse a code (`zdrowie`) or the Polish name (`promocja i ochrona zdrowia`), case-insensitive.
    pub fn parse(s: &str) -> Option<Area> {
        let t = s.trim().to_lowercase();
        TABLE.iter().find(|r| r.1 == t || r.2 == t).map(|r| r.0)
    }

    /// Every accepted spelling, for error messages.
    pub fn codes() -> Vec<&'static str> {
        TABLE.iter().map(|t| t.1).collect()
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_code_and_polish_name() {
        assert_eq!(Area::parse("zdrowie"), Some(Area::Zdrowie));
        assert_eq!(Area::parse("System pieczy zastępczej"), Some(Area::PieczaZastepcza));
        assert_eq!(Area::parse(" pomoc społeczna "), Some(Area::PomocSpoleczna));
        assert_eq!(Area::parse("opieka"), None);
        assert_eq!(Area::all().count(), 14);
        for a in Area::all() {
            assert_eq!(Area::parse(a.code()), Some(a));
            assert_eq!(Area::parse(a.name("pl")), Some(a));
        }
    }
}

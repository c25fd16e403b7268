//! Synthetic answers to the bundled resident questionnaire, for the example workspace and the
//! benchmarks. Seeded and reproducible (the same seed gives byte-identical files). The needs are
//! planted so that they differ by group: seniors need care and transport, families with children
//! need family support and activities for children, households with a disabled person need
//! specialist care and respite care, carers need respite care. THE DATA ARE SYNTHETIC: no real person answered them.

use std::collections::BTreeMap;

use crate::template::{Kind, Questionnaire};

/// SplitMix64: small, fast, good enough for synthetic data, and stable across platforms.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn f(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }
    /// Index drawn with the given weights.
    pub fn pick(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut x = self.f() * total;
        for (i, wi) in w.iter().enumerate() {
            if x < *wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
}

fn choose<'a>(r: &mut Rng, opts: &[(&'a str, f64)]) -> &'a str {
    let w: Vec<f64> = opts.iter().map(|o| o.1).collect();
    opts[r.pick(&w)].0
}

/// Mean availability rating per area (1–5) in the synthetic gmina.
fn area_mean(area: &str) -> f64 {
    match area {
        "zdrowie" => 2.4,
        "niepelnosprawnosc" => 2.2,
        "pomoc_spoleczna" => 3.0,
        "wspieranie_rodziny" => 3.1,
        "piecza_zastepcza" => 2.9,
        "polityka_prorodzinna" => 3.2,
        "edukacja" => 3.8,
        "kultura" => 3.5,
        "kultura_fizyczna" => 3.6,
        "aktywnosc_obywatelska" => 3.0,
        "mieszkalnictwo" => 2.6,
        "bezrobocie" => 2.8,
        "reintegracja" => 2.7,
        "srodowisko" => 3.3,
        _ => 3.0,
    }
}

const RATING: [&str; 5] = [
    "bardzo_zle",
    "raczej_zle",
    "przecietnie",
    "raczej_dobrze",
    "bardzo_dobrze",
];

/// Probability that a respondent of this profile needs a service.
fn need_p(service: &str, p: &Profile) -> f64 {
    let mut x: f64 = 0.04;
    let senior = p.age_i >= 4;
    let old = p.age_i == 5;
    match service {
        "uslugi_opiekuncze" if senior => x = if old { 0.55 } else { 0.30 },
        "transport" if senior => x = if old { 0.55 } else { 0.42 },
        "transport" => x = 0.12,
        "rehabilitacja" if senior => x = 0.35,
        "rehabilitacja" => x = 0.10,
        "klub_seniora" if senior => x = 0.28,
        "dzienny_dom" if old => x = 0.25,
        "profilaktyka" => x = if senior { 0.22 } else { 0.14 },
        "asystent_rodziny" if p.children => x = 0.30,
        "zajecia_dzieci" if p.children => x = 0.48,
        "opieka_zlobek" if p.children && p.age_i <= 2 => x = 0.30,
        "poradnictwo_psychologiczne" if p.children => x = 0.26,
        "poradnictwo_psychologiczne" => x = 0.08,
        "specjalistyczne_opiekuncze" if p.disability => x = 0.38,
        "opieka_wytchnieniowa" if p.disability => x = 0.33,
        "asystent_osobisty" if p.disability => x = 0.30,
        "aktywizacja_zawodowa" if p.age_i <= 2 => x = 0.22,
        "aktywizacja_zawodowa" if p.unemployed => x = 0.45,
        "zajecia_sportowe" if p.age_i <= 2 => x = 0.28,
        "zajecia_kulturalne" => x = 0.15,
        "mieszkania_wspomagane" => x = 0.04,
        "opieka_wytchnieniowa" if p.carer => x = 0.36,
        "uslugi_opiekuncze" if p.carer => x = 0.30,
        "praca_socjalna" if p.unemployed || old => x = 0.14,
        "poradnictwo_prawne" if p.unemployed => x = 0.16,
        "poradnictwo_prawne" => x = 0.06,
        "interwencja_kryzysowa" => x = 0.03,
        "przeciwdzialanie_przemocy" => x = 0.02,
        "sds" if p.disability => x = 0.12,
        "wtz" if p.disability && p.age_i <= 3 => x = 0.16,
        _ => {}
    }
    x
}

#[derive(Debug, Clone)]
struct Profile {
    age_i: usize,
    children: bool,
    disability: bool,
    unemployed: bool,
    carer: bool,
}

const COMMENTS: &[&str] = &[
    "Brakuje transportu do przychodni w Giżycku, autobus jeździ dwa razy dziennie.",
    "Przydałby się klub seniora w każdej większej wsi.",
    "Więcej zajęć dla dzieci w wakacje.",
    "Opiekuję się mamą po udarze i nie mam chwili wytchnienia. Tel. 501 234 567",
    "Proszę o kontakt w sprawie asystenta rodziny: anna.nowak@example.com",
    "Pan Jan Kowalski z GOPS bardzo nam pomógł.",
    "Dobrze, że gmina pyta mieszkańców o zdanie.",
    "Za mało lekarzy specjalistów, długie kolejki.",
];

/// One synthetic response as question name → cell text (the data-entry CSV's cells).
fn respondent(r: &mut Rng, form: &Questionnaire) -> BTreeMap<String, String> {
    let mut a: BTreeMap<String, String> = BTreeMap::new();
    let age_i = r.pick(&[0.09, 0.15, 0.17, 0.25, 0.22, 0.12]);
    let ages = ["18_24", "25_34", "35_44", "45_59", "60_74", "75_plus"];
    a.insert("wiek".into(), ages[age_i].into());
    a.insert(
        "plec".into(),
        choose(r, &[("kobieta", 0.55), ("mezczyzna", 0.45)]).into(),
    );
    a.insert(
        "miejsce".into(),
        choose(
            r,
            &[("siedziba_gminy", 0.38), ("wies", 0.5), ("osada", 0.12)],
        )
        .into(),
    );
    let senior = age_i >= 4;
    a.insert(
        "wyksztalcenie".into(),
        choose(
            r,
            if senior {
                &[
                    ("podstawowe", 0.3),
                    ("zawodowe", 0.35),
                    ("srednie", 0.25),
                    ("wyzsze", 0.1),
                ]
            } else {
                &[
                    ("podstawowe", 0.08),
                    ("zawodowe", 0.27),
                    ("srednie", 0.38),
                    ("wyzsze", 0.27),
                ]
            },
        )
        .into(),
    );
    let status = if senior {
        choose(
            r,
            &[
                ("emeryt_rencista", 0.85),
                ("pracujacy", 0.08),
                ("rolnik", 0.07),
            ],
        )
    } else if age_i == 0 {
        choose(
            r,
            &[
                ("uczacy_sie", 0.45),
                ("pracujacy", 0.35),
                ("bezrobotny", 0.15),
                ("inny", 0.05),
            ],
        )
    } else {
        choose(
            r,
            &[
                ("pracujacy", 0.55),
                ("wlasna_dzialalnosc", 0.1),
                ("rolnik", 0.1),
                ("bezrobotny", 0.1),
                ("zajmuje_sie_domem", 0.08),
                ("emeryt_rencista", 0.07),
            ],
        )
    };
    a.insert("status".into(), status.into());
    let hh = match age_i {
        0 => choose(
            r,
            &[
                ("wielopokoleniowe", 0.5),
                ("rodzina_z_dziecmi", 0.2),
                ("jednoosobowe", 0.15),
                ("para_bez_dzieci", 0.15),
            ],
        ),
        1 | 2 => choose(
            r,
            &[
                ("rodzina_z_dziecmi", 0.62),
                ("samotny_rodzic", 0.08),
                ("para_bez_dzieci", 0.12),
                ("jednoosobowe", 0.1),
                ("wielopokoleniowe", 0.08),
            ],
        ),
        3 => choose(
            r,
            &[
                ("rodzina_z_dziecmi", 0.35),
                ("para_bez_dzieci", 0.3),
                ("jednoosobowe", 0.15),
                ("wielopokoleniowe", 0.15),
                ("samotny_rodzic", 0.05),
            ],
        ),
        _ => choose(
            r,
            &[
                ("jednoosobowe", 0.38),
                ("para_bez_dzieci", 0.42),
                ("wielopokoleniowe", 0.17),
                ("inne", 0.03),
            ],
        ),
    };
    a.insert("gospodarstwo".into(), hh.into());
    let children = match hh {
        "rodzina_z_dziecmi" | "samotny_rodzic" => true,
        "wielopokoleniowe" => r.chance(0.5),
        _ => false,
    };
    a.insert("dzieci".into(), if children { "tak" } else { "nie" }.into());
    let kids = if children { r.range(1, 4) } else { 0 };
    if children {
        a.insert("liczba_dzieci".into(), kids.to_string());
    }
    let persons = match hh {
        "jednoosobowe" => 1,
        "para_bez_dzieci" => 2,
        "samotny_rodzic" => 1 + kids,
        "rodzina_z_dziecmi" => 2 + kids,
        "wielopokoleniowe" => 3 + kids + r.range(0, 2),
        _ => r.range(2, 4),
    };
    a.insert("liczba_osob".into(), persons.to_string());
    let senior_hh = senior || hh == "wielopokoleniowe" || r.chance(0.05);
    a.insert(
        "senior".into(),
        if senior_hh { "tak" } else { "nie" }.into(),
    );
    let disability = r.chance(match age_i {
        5 => 0.35,
        4 => 0.2,
        _ => 0.1,
    });
    a.insert(
        "niepelnosprawnosc".into(),
        if disability { "tak" } else { "nie" }.into(),
    );
    // carers: mostly in households with a person with a disability or a senior
    let carer = r.chance(if disability {
        0.55
    } else if senior_hh {
        0.15
    } else {
        0.04
    });
    a.insert("opiekun".into(), if carer { "tak" } else { "nie" }.into());
    let p = Profile {
        age_i,
        children,
        disability,
        unemployed: status == "bezrobotny",
        carer,
    };
    // ratings
    for q in form.questions.iter() {
        let (Some(area), true) = (
            q.area,
            q.name.starts_with("dost_") || q.name.starts_with("jak_"),
        ) else {
            continue;
        };
        if r.chance(0.04) {
            continue; // left blank
        }
        if r.chance(if senior { 0.12 } else { 0.2 }) {
            a.insert(q.name.clone(), "trudno".into());
            continue;
        }
        let mut m = area_mean(area.code()) + if q.name.starts_with("jak_") { 0.3 } else { 0.0 };
        if senior
            && matches!(
                area.code(),
                "zdrowie" | "pomoc_spoleczna" | "niepelnosprawnosc"
            )
        {
            m -= 0.4;
        }
        let x = (m + (r.f() + r.f() + r.f() - 1.5) * 1.6)
            .round()
            .clamp(1.0, 5.0) as usize;
        a.insert(q.name.clone(), RATING[x - 1].into());
    }
    // needs
    let services: Vec<String> = form
        .question("uslugi_dom")
        .and_then(|q| form.list_of(q))
        .map(|l| {
            l.choices
                .iter()
                .map(|c| c.name.clone())
                .filter(|c| c != "brak")
                .collect()
        })
        .unwrap_or_default();
    let mut dom: Vec<&str> = services
        .iter()
        .filter(|s| r.chance(need_p(s, &p)))
        .map(String::as_str)
        .collect();
    if r.chance(0.05) {
        // left blank
    } else if dom.is_empty() {
        a.insert("uslugi_dom".into(), "brak".into());
    } else {
        a.insert("uslugi_dom".into(), dom.join(" "));
    }
    // the gmina's top 3: own needs first, then others weighted the same way
    let mut scored: Vec<(f64, &str)> = services
        .iter()
        .map(|s| (need_p(s, &p) * (0.5 + r.f()), s.as_str()))
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
    dom.truncate(3);
    let mut gm: Vec<&str> = dom.clone();
    for (_, s) in scored {
        if gm.len() >= 3 {
            break;
        }
        if !gm.contains(&s) {
            gm.push(s);
        }
    }
    let take = r.range(1, 3) as usize;
    gm.truncate(take);
    if !r.chance(0.06) {
        a.insert("uslugi_gmina".into(), gm.join(" "));
    }
    let mut bar: Vec<&str> = Vec::new();
    for (b, pr) in [
        ("brak_informacji", 0.38),
        (
            "odleglosc",
            if a["miejsce"] == "siedziba_gminy" {
                0.12
            } else {
                0.42
            },
        ),
        ("koszt", 0.2),
        ("czas_oczekiwania", 0.3),
        ("wstyd", 0.1),
        ("godziny", 0.12),
        ("brak_uslug", 0.25),
    ] {
        if r.chance(pr) {
            bar.push(b);
        }
    }
    a.insert(
        "bariery".into(),
        if bar.is_empty() {
            "brak_barier".into()
        } else {
            bar.join(" ")
        },
    );
    a.insert(
        "korzystanie".into(),
        if r.chance(if senior { 0.33 } else { 0.16 }) {
            "tak"
        } else {
            "nie"
        }
        .into(),
    );
    let vol = if age_i == 4 {
        choose(r, &[("tak", 0.27), ("moze", 0.38), ("nie", 0.35)])
    } else if age_i == 5 {
        choose(r, &[("tak", 0.06), ("moze", 0.14), ("nie", 0.8)])
    } else {
        choose(r, &[("tak", 0.14), ("moze", 0.36), ("nie", 0.5)])
    };
    a.insert("wolontariat".into(), vol.into());
    let neigh = choose(r, &[("tak", 0.36), ("moze", 0.36), ("nie", 0.28)]);
    a.insert("pomoc_sasiedzka".into(), neigh.into());
    if vol != "nie" || neigh != "nie" {
        let formy = [
            "zakupy",
            "transport_sasiedzki",
            "towarzyszenie",
            "korepetycje",
            "prace_domowe",
            "opieka_nad_dziecmi",
            "organizacja_wydarzen",
            "wiedza_zawodowa",
        ];
        let mut f: Vec<&str> = formy.iter().copied().filter(|_| r.chance(0.22)).collect();
        if f.is_empty() {
            f.push(formy[r.range(0, formy.len() as u64 - 1) as usize]);
        }
        a.insert("forma_pomocy".into(), f.join(" "));
    }
    a.insert(
        "organizacja".into(),
        if r.chance(0.21) { "tak" } else { "nie" }.into(),
    );
    a.insert(
        "udzial".into(),
        choose(r, &[("tak", 0.2), ("moze", 0.42), ("nie", 0.38)]).into(),
    );
    let kan = [
        "strona_gminy",
        "tablica",
        "media_spolecznosciowe",
        "parafia",
        "szkola",
        "pracownik_gops",
        "soltys",
        "prasa_lokalna",
        "sms",
    ];
    let kp = if senior {
        [0.15, 0.45, 0.1, 0.45, 0.05, 0.3, 0.4, 0.2, 0.15]
    } else {
        [0.45, 0.25, 0.55, 0.15, 0.25, 0.1, 0.2, 0.1, 0.2]
    };
    let k: Vec<&str> = kan
        .iter()
        .zip(kp)
        .filter(|(_, pr)| r.chance(*pr))
        .map(|(c, _)| *c)
        .collect();
    if !k.is_empty() {
        a.insert("kanaly".into(), k.join(" "));
    }
    if r.chance(0.07) {
        a.insert(
            "uwagi".into(),
            COMMENTS[r.range(0, COMMENTS.len() as u64 - 1) as usize].into(),
        );
    }
    // Keep only questions the questionnaire has.
    a.retain(|k, _| form.question(k).is_some_and(|q| q.kind != Kind::Note));
    a
}

/// Synthetic data-entry CSV: `nr_ankiety` then one column per data question, codes in cells,
/// multiple choice as space-separated codes. `delimiter` `;` mimics Polish Excel.
pub fn csv(
    form: &Questionnaire,
    n: usize,
    seed: u64,
    first_number: usize,
    delimiter: u8,
) -> String {
    let mut r = Rng::new(seed);
    let cols: Vec<&str> = form.data_questions().map(|q| q.name.as_str()).collect();
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    let mut header = vec!["nr_ankiety"];
    header.extend(&cols);
    w.write_record(&header).expect("in-memory write");
    for i in 0..n {
        let a = respondent(&mut r, form);
        let mut row = vec![format!("{:04}", first_number + i)];
        row.extend(cols.iter().map(|c| a.get(*c).cloned().unwrap_or_default()));
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory write")).expect("utf-8")
}

/// One synthetic institution: name, type, areas, services now with capacity, staff,
/// volunteers, shared resources, cooperation, commissioned services, services it could add,
/// barriers.
type Entity = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, u32)],
    u32,
    u32,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// The example's institutions and organisations (fictional, modelled on a rural gmina).
/// Planted: nobody provides transport, respite care, a personal assistant, specialist care or a
/// day-care home, although residents need them; the volunteer fire brigade (OSP) could take on
/// transport.
const ENTITIES: &[Entity] = &[
    (
        "Gminny Ośrodek Pomocy Społecznej",
        "ops",
        &["pomoc_spoleczna", "wspieranie_rodziny", "piecza_zastepcza"],
        &[
            ("uslugi_opiekuncze", 24),
            ("asystent_rodziny", 14),
            ("poradnictwo_prawne", 0),
            ("posilki", 0),
        ],
        9,
        0,
        &["sala"],
        "tak",
        "nie",
        &[],
        &["brak_kadry", "brak_transportu"],
    ),
    (
        "Szkoła Podstawowa w Wydminach",
        "szkola",
        &["edukacja", "kultura_fizyczna"],
        &[("zajecia_dzieci", 120), ("zajecia_sportowe", 80)],
        38,
        6,
        &["sala", "boisko", "pracownia_komputerowa"],
        "tak",
        "moze",
        &["zajecia_kulturalne"],
        &["brak_srodkow"],
    ),
    (
        "Szkoła Podstawowa w Siedliskach",
        "szkola",
        &["edukacja"],
        &[("zajecia_dzieci", 45)],
        16,
        2,
        &["sala", "boisko"],
        "tak",
        "nie",
        &[],
        &["brak_srodkow", "brak_transportu"],
    ),
    (
        "Szkoła Podstawowa w Talkach",
        "szkola",
        &["edukacja"],
        &[("zajecia_dzieci", 40)],
        14,
        0,
        &["sala"],
        "moze",
        "nie",
        &[],
        &["brak_srodkow"],
    ),
    (
        "Przedszkole Samorządowe",
        "przedszkole",
        &["edukacja", "polityka_prorodzinna"],
        &[("opieka_zlobek", 0)],
        11,
        0,
        &["sala", "kuchnia"],
        "tak",
        "nie",
        &[],
        &["brak_lokalu"],
    ),
    (
        "Gminny Ośrodek Kultury",
        "gok",
        &["kultura", "aktywnosc_obywatelska"],
        &[("zajecia_kulturalne", 150), ("zajecia_dzieci", 60)],
        7,
        12,
        &["sala", "kuchnia"],
        "tak",
        "tak",
        &["klub_seniora"],
        &["brak_srodkow"],
    ),
    (
        "Gminna Biblioteka Publiczna",
        "biblioteka",
        &["kultura", "edukacja"],
        &[("zajecia_kulturalne", 70)],
        3,
        4,
        &["sala", "pracownia_komputerowa"],
        "tak",
        "moze",
        &["klub_seniora"],
        &["brak_lokalu"],
    ),
    (
        "Filia biblioteki w Orłowie",
        "biblioteka",
        &["kultura"],
        &[("zajecia_kulturalne", 15)],
        1,
        0,
        &["sala"],
        "moze",
        "nie",
        &[],
        &["brak_kadry"],
    ),
    (
        "Ośrodek Zdrowia w Wydminach",
        "zdrowie",
        &["zdrowie"],
        &[("profilaktyka", 200)],
        12,
        0,
        &[],
        "moze",
        "nie",
        &[],
        &["brak_kadry", "formalnosci"],
    ),
    (
        "Prywatna praktyka fizjoterapii",
        "zdrowie",
        &["zdrowie", "niepelnosprawnosc"],
        &[("rehabilitacja", 30)],
        2,
        0,
        &["sprzet_rehabilitacyjny"],
        "tak",
        "tak",
        &["rehabilitacja"],
        &["brak_lokalu"],
    ),
    (
        "Stowarzyszenie Przyjaciół Ziemi Wydmińskiej",
        "ngo",
        &["kultura", "aktywnosc_obywatelska", "srodowisko"],
        &[("zajecia_kulturalne", 40), ("ochrona_srodowiska", 0)],
        0,
        18,
        &[],
        "tak",
        "tak",
        &["klub_seniora", "zajecia_kulturalne"],
        &["brak_srodkow", "formalnosci"],
    ),
    (
        "Fundacja Pomocy Rodzinie",
        "ngo",
        &["wspieranie_rodziny", "zdrowie"],
        &[("poradnictwo_psychologiczne", 20)],
        2,
        5,
        &["sala"],
        "tak",
        "tak",
        &["poradnictwo_psychologiczne", "asystent_rodziny"],
        &["brak_srodkow"],
    ),
    (
        "Stowarzyszenie Aktywni Razem",
        "ngo",
        &["aktywnosc_obywatelska", "bezrobocie", "reintegracja"],
        &[("aktywizacja_zawodowa", 15)],
        1,
        9,
        &[],
        "tak",
        "moze",
        &["reintegracja", "aktywizacja_zawodowa"],
        &["brak_lokalu"],
    ),
    (
        "Uczniowski Klub Sportowy",
        "klub_sportowy",
        &["kultura_fizyczna"],
        &[("zajecia_sportowe", 90)],
        0,
        7,
        &["boisko"],
        "moze",
        "nie",
        &[],
        &["brak_srodkow"],
    ),
    (
        "Klub Sportowy Mazur",
        "klub_sportowy",
        &["kultura_fizyczna"],
        &[("zajecia_sportowe", 60)],
        1,
        10,
        &["boisko"],
        "nie",
        "nie",
        &[],
        &["brak_srodkow"],
    ),
    (
        "Klub Seniora „Pogodna Jesień”",
        "klub_seniora",
        &["aktywnosc_obywatelska", "kultura"],
        &[("klub_seniora", 35)],
        0,
        6,
        &["sala", "kuchnia"],
        "tak",
        "moze",
        &["klub_seniora"],
        &["brak_lokalu", "brak_transportu"],
    ),
    (
        "Koło Gospodyń Wiejskich w Siedliskach",
        "kgw",
        &["kultura", "aktywnosc_obywatelska"],
        &[("zajecia_kulturalne", 25)],
        0,
        14,
        &["kuchnia"],
        "tak",
        "tak",
        &["posilki"],
        &["formalnosci"],
    ),
    (
        "Koło Gospodyń Wiejskich w Talkach",
        "kgw",
        &["kultura"],
        &[],
        0,
        11,
        &["kuchnia", "sala"],
        "moze",
        "moze",
        &["posilki"],
        &["brak_srodkow"],
    ),
    (
        "Koło Gospodyń Wiejskich w Orłowie",
        "kgw",
        &["kultura"],
        &[],
        0,
        8,
        &["kuchnia"],
        "moze",
        "nie",
        &[],
        &["brak_zainteresowania"],
    ),
    (
        "Koło Gospodyń Wiejskich w Pamrach",
        "kgw",
        &["kultura", "aktywnosc_obywatelska"],
        &[("klub_seniora", 12)],
        0,
        9,
        &["sala"],
        "tak",
        "moze",
        &["klub_seniora"],
        &["brak_srodkow"],
    ),
    (
        "Ochotnicza Straż Pożarna w Wydminach",
        "osp",
        &["aktywnosc_obywatelska", "srodowisko"],
        &[],
        0,
        32,
        &["pojazd", "sala"],
        "tak",
        "tak",
        &["transport"],
        &["formalnosci"],
    ),
    (
        "Ochotnicza Straż Pożarna w Siedliskach",
        "osp",
        &["aktywnosc_obywatelska"],
        &[],
        0,
        18,
        &["pojazd"],
        "tak",
        "moze",
        &["transport"],
        &["brak_srodkow"],
    ),
    (
        "Ochotnicza Straż Pożarna w Orłowie",
        "osp",
        &["aktywnosc_obywatelska"],
        &[],
        0,
        15,
        &["pojazd"],
        "moze",
        "nie",
        &[],
        &["brak_srodkow"],
    ),
    (
        "Parafia rzymskokatolicka w Wydminach",
        "parafia",
        &["pomoc_spoleczna", "kultura"],
        &[("posilki", 20)],
        0,
        20,
        &["sala", "kuchnia"],
        "tak",
        "moze",
        &["posilki"],
        &["formalnosci"],
    ),
    (
        "Parafia w Orłowie",
        "parafia",
        &["pomoc_spoleczna"],
        &[],
        0,
        6,
        &["sala"],
        "moze",
        "nie",
        &[],
        &["brak_kadry"],
    ),
    (
        "Zakład usług transportowych",
        "firma",
        &["pomoc_spoleczna"],
        &[],
        3,
        0,
        &["pojazd"],
        "moze",
        "tak",
        &["transport"],
        &["formalnosci"],
    ),
    (
        "Gospodarstwo agroturystyczne",
        "firma",
        &["kultura_fizyczna", "srodowisko"],
        &[],
        2,
        0,
        &["sala", "kuchnia"],
        "moze",
        "moze",
        &["zajecia_kulturalne"],
        &["brak_zainteresowania"],
    ),
    (
        "Warsztaty Terapii Zajęciowej (powiat)",
        "sds_wtz",
        &["niepelnosprawnosc", "reintegracja"],
        &[("reintegracja", 25)],
        6,
        0,
        &["sala"],
        "tak",
        "moze",
        &["wtz"],
        &["brak_transportu"],
    ),
];

/// The residents' needs an institution of this type sees in its work, and whether it has an
/// agreement with the powiat (planted: the OPS, schools and the WTZ work with powiat units).
fn observed(typ: &str) -> (&'static [&'static str], &'static str) {
    match typ {
        "ops" => (
            &[
                "samotnosc_seniorow",
                "ubostwo",
                "uzaleznienia",
                "przemoc_domowa",
                "niepelnosprawnosc",
            ],
            "tak",
        ),
        "szkola" | "przedszkole" => (
            &["wychowanie", "kryzys_psychiczny", "czas_wolny_dzieci"],
            "tak",
        ),
        "zdrowie" => (
            &[
                "samotnosc_seniorow",
                "niepelnosprawnosc",
                "kryzys_psychiczny",
            ],
            "nie",
        ),
        "sds_wtz" => (&["niepelnosprawnosc"], "tak"),
        "klub_seniora" | "kgw" => (&["samotnosc_seniorow", "aktywnosc_spoleczna"], "nie"),
        "ngo" => (
            &["wychowanie", "ubostwo", "aktywnosc_spoleczna"],
            "w_przygotowaniu",
        ),
        "gok" | "biblioteka" | "klub_sportowy" => {
            (&["czas_wolny_dzieci", "aktywnosc_spoleczna"], "nie")
        }
        _ => (&["aktywnosc_spoleczna"], "nie"),
    }
}

/// Synthetic answers of the institutions' questionnaire (CSV, `,`-separated, UTF-8).
/// Capacities vary a little with the seed; everything else is fixed.
pub fn institutions_csv(form: &Questionnaire, seed: u64) -> String {
    let mut r = Rng::new(seed);
    let cols: Vec<&str> = form.data_questions().map(|q| q.name.as_str()).collect();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["nr_ankiety"];
    header.extend(&cols);
    w.write_record(&header).expect("in-memory write");
    for (i, e) in ENTITIES.iter().enumerate() {
        let (nazwa, typ, obszary, uslugi, personel, wolont, zasoby, coop, zlec, nowe, bariery) = *e;
        let mut a: BTreeMap<String, String> = BTreeMap::new();
        a.insert("nazwa".into(), nazwa.into());
        a.insert("typ".into(), typ.into());
        a.insert("obszary".into(), obszary.join(" "));
        a.insert(
            "uslugi_obecne".into(),
            if uslugi.is_empty() {
                "brak".into()
            } else {
                uslugi.iter().map(|u| u.0).collect::<Vec<_>>().join(" ")
            },
        );
        for (code, cap) in uslugi {
            if *cap > 0 {
                let varied = (*cap as f64 * (0.9 + 0.2 * r.f())).round() as u64;
                a.insert(format!("miejsca_{code}"), varied.max(1).to_string());
            }
        }
        a.insert("personel".into(), personel.to_string());
        a.insert("wolontariusze".into(), wolont.to_string());
        a.insert(
            "zasoby".into(),
            if zasoby.is_empty() {
                "brak".into()
            } else {
                zasoby.join(" ")
            },
        );
        a.insert("wspolpraca_cus".into(), coop.into());
        a.insert("zlecenie_uslug".into(), zlec.into());
        if zlec != "nie" && !nowe.is_empty() {
            a.insert("uslugi_nowe".into(), nowe.join(" "));
        }
        a.insert("bariery_inst".into(), bariery.join(" "));
        let (seen, powiat) = observed(typ);
        a.insert("potrzeby_obserwowane".into(), seen.join(" "));
        a.insert("porozumienie_powiat".into(), powiat.into());
        a.insert("kontakt".into(), "dyrektor / prezes zarządu".into());
        let mut row = vec![format!("I{:03}", i + 1)];
        row.extend(cols.iter().map(|c| a.get(*c).cloned().unwrap_or_default()));
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory write")).expect("utf-8")
}

/// Synthetic answers of the youth questionnaire (`mlodziez`): pupils of the gmina's schools
/// (CSV, `,`-separated, UTF-8). Planted: the younger (13–15) lack a place to meet and help with
/// learning, the older (16–17) career guidance and events, village pupils transport and sport;
/// about one in twenty declines consent and answers nothing else.
pub fn youth_csv(form: &Questionnaire, n: usize, seed: u64) -> String {
    let mut r = Rng::new(seed);
    let cols: Vec<&str> = form.data_questions().map(|q| q.name.as_str()).collect();
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header = vec!["nr_ankiety"];
    header.extend(&cols);
    w.write_record(&header).expect("in-memory write");
    for i in 0..n {
        let mut a: BTreeMap<String, String> = BTreeMap::new();
        if r.chance(0.05) {
            a.insert("zgoda".into(), "nie".into());
        } else {
            a.insert("zgoda".into(), "tak".into());
            let young = r.chance(0.55);
            a.insert("wiek".into(), if young { "13_15" } else { "16_17" }.into());
            a.insert(
                "plec".into(),
                choose(
                    &mut r,
                    &[
                        ("dziewczyna", 0.49),
                        ("chlopak", 0.47),
                        ("nie_podaje", 0.04),
                    ],
                )
                .into(),
            );
            let village = r.chance(0.6);
            a.insert(
                "miejsce".into(),
                if village { "wies" } else { "siedziba_gminy" }.into(),
            );
            a.insert(
                "szkola".into(),
                if young {
                    "podstawowa"
                } else {
                    choose(
                        &mut r,
                        &[("liceum", 0.45), ("technikum", 0.35), ("branzowa", 0.2)],
                    )
                }
                .into(),
            );
            let free: Vec<&str> = [
                ("sport", 0.45),
                ("znajomi", 0.6),
                ("internet", 0.7),
                ("kultura", 0.25),
                ("organizacje", 0.12),
                ("dom", if village { 0.35 } else { 0.15 }),
                ("praca", if young { 0.03 } else { 0.2 }),
            ]
            .iter()
            .filter(|(_, p)| r.chance(*p))
            .map(|(c, _)| *c)
            .collect();
            if !free.is_empty() {
                a.insert("czas_wolny".into(), free.join(" "));
            }
            let rate = |r: &mut Rng, mean: f64| {
                let x = (mean + (r.f() + r.f() + r.f() - 1.5) * 1.6)
                    .round()
                    .clamp(1.0, 5.0) as usize;
                RATING[x - 1].to_string()
            };
            a.insert(
                "oferta_kultura".into(),
                rate(&mut r, if village { 2.5 } else { 3.2 }),
            );
            a.insert(
                "oferta_sport".into(),
                rate(&mut r, if village { 2.4 } else { 3.4 }),
            );
            a.insert(
                "miejsce_spotkan".into(),
                if r.chance(if village { 0.35 } else { 0.7 }) {
                    "tak"
                } else {
                    "nie"
                }
                .into(),
            );
            let agree = [
                "zdecydowanie_nie",
                "raczej_nie",
                "czasem",
                "raczej_tak",
                "zdecydowanie_tak",
            ];
            let pick5 = |r: &mut Rng, w: &[f64]| agree[r.pick(w)].to_string();
            a.insert(
                "wsparcie_szkola".into(),
                pick5(&mut r, &[0.08, 0.15, 0.27, 0.32, 0.18]),
            );
            a.insert(
                "pomoc_nauka".into(),
                if r.chance(if young { 0.35 } else { 0.22 }) {
                    "tak"
                } else {
                    "nie"
                }
                .into(),
            );
            a.insert(
                "bezpiecznie_okolica".into(),
                pick5(&mut r, &[0.03, 0.07, 0.2, 0.4, 0.3]),
            );
            a.insert(
                "bezpiecznie_szkola".into(),
                pick5(&mut r, &[0.05, 0.1, 0.25, 0.35, 0.25]),
            );
            let probs: Vec<&str> = [
                ("alkohol", 0.2),
                ("nikotyna", 0.45),
                ("narkotyki", 0.08),
                ("przemoc_rowiesnicza", 0.15),
                ("hejt", 0.3),
                ("samotnosc", 0.2),
                ("stres", 0.4),
                ("nuda", if village { 0.45 } else { 0.25 }),
            ]
            .iter()
            .filter(|(_, p)| r.chance(*p))
            .map(|(c, _)| *c)
            .collect();
            a.insert(
                "problemy".into(),
                if probs.is_empty() {
                    "brak".into()
                } else {
                    probs.join(" ")
                },
            );
            let mood = [
                "bardzo_zle",
                "raczej_zle",
                "rozmaicie",
                "raczej_dobrze",
                "bardzo_dobrze",
            ];
            a.insert(
                "samopoczucie".into(),
                if r.chance(0.05) {
                    "nie_odpowiem".into()
                } else {
                    mood[r.pick(&[0.04, 0.1, 0.3, 0.36, 0.2])].into()
                },
            );
            let who: Vec<&str> = [
                ("rodzice", 0.7),
                ("rodzenstwo", 0.3),
                ("przyjaciele", 0.65),
                ("nauczyciel", 0.15),
                ("pedagog", 0.12),
                ("trener", 0.08),
            ]
            .iter()
            .filter(|(_, p)| r.chance(*p))
            .map(|(c, _)| *c)
            .collect();
            a.insert(
                "do_kogo".into(),
                if who.is_empty() {
                    "nikt".into()
                } else {
                    who.join(" ")
                },
            );
            // needs, at most 3, strongest first
            let mut needs: Vec<(f64, &str)> = [
                ("zajecia_sportowe", if village { 0.35 } else { 0.2 }),
                ("zajecia_kulturalne", 0.15),
                ("zajecia_dzieci", if young { 0.3 } else { 0.12 }),
                ("miejsce_spotkan", if young { 0.45 } else { 0.25 }),
                ("poradnictwo_psychologiczne", 0.12),
                ("doradztwo_zawodowe", if young { 0.08 } else { 0.4 }),
                ("dojazd", if village { 0.4 } else { 0.08 }),
                ("wolontariat_okazje", 0.08),
                ("wydarzenia", if young { 0.15 } else { 0.35 }),
            ]
            .iter()
            .filter(|(_, p)| r.chance(*p))
            .map(|(c, p)| (*p, *c))
            .collect();
            needs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(y.1)));
            needs.truncate(3);
            a.insert(
                "potrzeby".into(),
                if needs.is_empty() {
                    "brak".into()
                } else {
                    needs.iter().map(|n| n.1).collect::<Vec<_>>().join(" ")
                },
            );
            a.insert(
                "czas_online".into(),
                ["do_1h", "1_3h", "3_5h", "ponad_5h"][r.pick(&[0.1, 0.4, 0.32, 0.18])].into(),
            );
            let net: Vec<&str> = [("hejt", 0.18), ("nieznajomi", 0.1), ("za_duzo", 0.35)]
                .iter()
                .filter(|(_, p)| r.chance(*p))
                .map(|(c, _)| *c)
                .collect();
            a.insert(
                "internet".into(),
                if net.is_empty() {
                    "nic".into()
                } else {
                    net.join(" ")
                },
            );
            let vol = choose(&mut r, &[("tak", 0.22), ("moze", 0.4), ("nie", 0.38)]);
            a.insert("wolontariat".into(), vol.into());
            if vol != "nie" {
                let formy: Vec<&str> = [
                    ("seniorzy", 0.3),
                    ("mlodsze_dzieci", 0.3),
                    ("sport", 0.35),
                    ("wydarzenia", 0.3),
                    ("srodowisko", 0.25),
                ]
                .iter()
                .filter(|(_, p)| r.chance(*p))
                .map(|(c, _)| *c)
                .collect();
                if !formy.is_empty() {
                    a.insert("formy".into(), formy.join(" "));
                }
            }
            a.insert(
                "rada_mlodziezy".into(),
                choose(&mut r, &[("tak", 0.15), ("moze", 0.35), ("nie", 0.5)]).into(),
            );
            let kan: Vec<&str> = [
                ("media_spolecznosciowe", 0.75),
                ("szkola", 0.55),
                ("strona_gminy", 0.1),
                ("plakaty", 0.15),
                ("znajomi", 0.4),
            ]
            .iter()
            .filter(|(_, p)| r.chance(*p))
            .map(|(c, _)| *c)
            .collect();
            if !kan.is_empty() {
                a.insert("kanaly".into(), kan.join(" "));
            }
        }
        a.retain(|k, _| form.question(k).is_some_and(|q| q.kind != Kind::Note));
        let mut row = vec![format!("M{:03}", i + 1)];
        row.extend(cols.iter().map(|c| a.get(*c).cloned().unwrap_or_default()));
        w.write_record(&row).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory write")).expect("utf-8")
}

//! The data-entry workbook (.xlsx) for clerks typing in paper questionnaires: sheet `dane` with
//! one row per questionnaire (`nr_ankiety`, `wprowadzil`, one column per question, one 0/1
//! column `q/choice` per choice of a multiple-choice question), a frozen header, dropdowns with
//! the choice labels, number ranges from the constraints, the question text as the input
//! message of each column; sheet `kody` with every question, code and label; sheet `instrukcja`
//! with how to fill it in. `diagnoza import` reads the `dane` sheet back. It returns bytes and
//! writes no file.

use anyhow::{Context as _, Result};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Formula,
    Workbook, Worksheet,
};

use super::{Context, answer_hint, numbering};
use crate::template::{Kind, Question, Questionnaire};

/// Rows (questionnaires) that get validation and formatting.
pub const ENTRY_ROWS: u32 = 2000;
/// The data sheet's name: `diagnoza import` prefers it.
pub const DATA_SHEET: &str = crate::ingest::xlsx::DATA_SHEET;
pub const CODES_SHEET: &str = "kody";

/// One column of the `dane` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub question: Option<String>,
    /// The choice of a split 0/1 column.
    pub choice: Option<String>,
}

/// The columns of the `dane` sheet, in order.
pub fn columns(form: &Questionnaire) -> Vec<Column> {
    let mut cols = vec![
        Column {
            header: "nr_ankiety".into(),
            question: None,
            choice: None,
        },
        Column {
            header: "wprowadzil".into(),
            question: None,
            choice: None,
        },
    ];
    for q in form.data_questions() {
        if q.kind == Kind::SelectMultiple {
            for c in form.list_of(q).map(|l| l.choices.as_slice()).unwrap_or(&[]) {
                cols.push(Column {
                    header: format!("{}/{}", q.name, c.name),
                    question: Some(q.name.clone()),
                    choice: Some(c.name.clone()),
                });
            }
        } else {
            cols.push(Column {
                header: q.name.clone(),
                question: Some(q.name.clone()),
                choice: None,
            });
        }
    }
    cols
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut o: String = s.chars().take(n.saturating_sub(1)).collect();
    o.push('…');
    o
}

fn col_letter(mut c: u16) -> String {
    let mut s = Vec::new();
    c += 1;
    while c > 0 {
        let r = ((c - 1) % 26) as u8;
        s.push((b'A' + r) as char);
        c = (c - 1) / 26;
    }
    s.iter().rev().collect()
}

/// Build the workbook.
pub fn render(form: &Questionnaire, ctx: &Context) -> Result<Vec<u8>> {
    build(form, ctx).context("building the data-entry workbook")
}

fn build(form: &Questionnaire, ctx: &Context) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let lang = ctx.lang.as_str();
    let numbers = numbering(form);
    let mut wb = Workbook::new();
    wb.set_properties(&crate::output::xlsx_properties());
    let head = Format::new()
        .set_bold()
        .set_background_color("D9E1F2")
        .set_border_bottom(FormatBorder::Medium);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();

    // Sheet `kody` first (its rows are the dropdown sources), then added in display order.
    let (codes, ranges) = codes_sheet(form, ctx, &head)?;

    // Sheet `dane`.
    let mut data = Worksheet::new();
    data.set_name(DATA_SHEET)?;
    let cols = columns(form);
    let last = ENTRY_ROWS;
    for (ci, c) in cols.iter().enumerate() {
        let ci = ci as u16;
        data.write_string_with_format(0, ci, &c.header, &head)?;
        let q: Option<&Question> = c.question.as_deref().and_then(|n| form.question(n));
        let width = match (q.map(|q| q.kind), &c.choice) {
            (_, Some(_)) => (c.header.chars().count() as f64 * 1.1).clamp(8.0, 30.0),
            (Some(Kind::Text), _) => 40.0,
            (Some(Kind::SelectOne), _) => 24.0,
            _ => (c.header.chars().count() as f64 * 1.2).clamp(10.0, 30.0),
        };
        data.set_column_width(ci, width)?;
        let n = q.and_then(|q| numbers.get(&q.name)).copied().unwrap_or(0);
        let (title, message, dv) = match (q, &c.choice) {
            (None, _) if c.header == "nr_ankiety" => (
                ctx.t("Nr ankiety", "Questionnaire no.").to_string(),
                ctx.t(
                    "Numer z kratki „Nr ankiety” na pierwszej stronie. Każdy numer tylko raz.",
                    "The number from the “Questionnaire no.” box on page 1. Each number once only.",
                )
                .to_string(),
                DataValidation::new()
                    .allow_custom(Formula::new(format!("=COUNTIF($A$2:$A${},A2)=1", last + 1)))
                    .set_error_style(DataValidationErrorStyle::Warning)
                    .set_error_title(ctx.t("Powtórzony numer", "Repeated number"))?
                    .set_error_message(ctx.t(
                        "Ten numer ankiety już jest w arkuszu.",
                        "This questionnaire number is already in the sheet.",
                    ))?,
            ),
            (None, _) => (
                ctx.t("Inicjały", "Initials").to_string(),
                ctx.t(
                    "Inicjały osoby wprowadzającej dane.",
                    "Initials of the person typing in the data.",
                )
                .to_string(),
                DataValidation::new().allow_text_length(DataValidationRule::LessThanOrEqualTo(10)),
            ),
            (Some(q), Some(choice)) => {
                let label = form.choice_label(q, choice, lang);
                (
                    format!("{n}. {}", q.name),
                    format!(
                        "{} — {label}: {}",
                        form.text(&q.label, lang),
                        ctx.t("1 = zaznaczone, puste = nie", "1 = ticked, blank = not")
                    ),
                    DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 1)),
                )
            }
            (Some(q), None) => {
                let text = form.text(&q.label, lang).to_string();
                let hint = answer_hint(form, q, ctx);
                let message = if hint.is_empty() {
                    text
                } else {
                    format!("{text} ({hint})")
                };
                let dv = answer_validation(q, ctx, &ranges)?;
                (format!("{n}. {}", q.name), message, dv)
            }
        };
        let dv = dv
            .set_input_title(clip(&title, 32))?
            .set_input_message(clip(&message, 255))?;
        data.add_data_validation(1, ci, last, ci, &dv)?;
    }
    data.set_freeze_panes(1, 2)?;
    data.set_row_height(0, 18)?;

    // Sheet `instrukcja`.
    let mut how = Worksheet::new();
    how.set_name(ctx.t("instrukcja", "instructions"))?;
    how.set_column_width(0, 110)?;
    let title = form.text(&form.title, lang);
    let lines: Vec<String> = instructions(form, ctx);
    how.write_string_with_format(0, 0, title, &bold)?;
    for (i, l) in lines.iter().enumerate() {
        how.write_string_with_format(i as u32 + 2, 0, l, &wrap)?;
    }

    wb.push_worksheet(data);
    wb.push_worksheet(codes);
    wb.push_worksheet(how);
    wb.save_to_buffer()
}

type Ranges = std::collections::BTreeMap<String, (u32, u32)>;

/// Sheet `kody`: every question with its number, column, codes and labels; returns the rows
/// (0-based, first and last) of each select question's choices, the sources of the dropdowns.
fn codes_sheet(
    form: &Questionnaire,
    ctx: &Context,
    head: &Format,
) -> Result<(Worksheet, Ranges), rust_xlsxwriter::XlsxError> {
    let lang = ctx.lang.as_str();
    let numbers = numbering(form);
    let mut codes = Worksheet::new();
    codes.set_name(CODES_SHEET)?;
    codes.write_string_with_format(0, 0, "nr", head)?;
    codes.write_string_with_format(0, 1, ctx.t("pytanie", "question"), head)?;
    codes.write_string_with_format(0, 2, ctx.t("kolumna", "column"), head)?;
    codes.write_string_with_format(0, 3, ctx.t("kod", "code"), head)?;
    codes.write_string_with_format(0, 4, ctx.t("etykieta", "label"), head)?;
    codes.write_string_with_format(0, 5, ctx.t("treść pytania", "question text"), head)?;
    codes.set_column_width(1, 22)?;
    codes.set_column_width(2, 30)?;
    codes.set_column_width(3, 20)?;
    codes.set_column_width(4, 50)?;
    codes.set_column_width(5, 80)?;
    codes.set_freeze_panes(1, 0)?;
    // Question → (first row, last row) of its choices in `kody` (0-based).
    let mut ranges: Ranges = Default::default();
    let mut r: u32 = 1;
    for q in form.data_questions() {
        let n = numbers.get(&q.name).copied().unwrap_or(0) as f64;
        let qlabel = form.text(&q.label, lang);
        match form.list_of(q) {
            Some(list) if q.kind.is_select() => {
                let first = r;
                for c in &list.choices {
                    codes.write_number(r, 0, n)?;
                    codes.write_string(r, 1, &q.name)?;
                    let colname = if q.kind == Kind::SelectMultiple {
                        format!("{}/{}", q.name, c.name)
                    } else {
                        q.name.clone()
                    };
                    codes.write_string(r, 2, &colname)?;
                    codes.write_string(r, 3, &c.name)?;
                    codes.write_string(r, 4, form.text(&c.label, lang))?;
                    codes.write_string(r, 5, qlabel)?;
                    r += 1;
                }
                ranges.insert(q.name.clone(), (first, r - 1));
            }
            _ => {
                codes.write_number(r, 0, n)?;
                codes.write_string(r, 1, &q.name)?;
                codes.write_string(r, 2, &q.name)?;
                codes.write_string(r, 3, "")?;
                codes.write_string(r, 4, answer_hint(form, q, ctx))?;
                codes.write_string(r, 5, qlabel)?;
                r += 1;
            }
        }
    }

    Ok((codes, ranges))
}

/// The validation of a question's answer cell: the choice labels as a dropdown, whole or
/// decimal numbers within the constraint's bounds, anything for texts and dates.
fn answer_validation(
    q: &Question,
    ctx: &Context,
    ranges: &Ranges,
) -> Result<DataValidation, rust_xlsxwriter::XlsxError> {
    let b = q
        .constraint
        .as_ref()
        .map(|c| c.expr.bounds())
        .unwrap_or_default();
    Ok(match q.kind {
        Kind::SelectOne => {
            let (a, z) = ranges.get(&q.name).copied().unwrap_or((1, 1));
            DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "={CODES_SHEET}!$E${}:$E${}",
                    a + 1,
                    z + 1
                )))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title(ctx.t("Spoza listy", "Not in the list"))?
                .set_error_message(ctx.t(
                    "Proszę wybrać odpowiedź z listy (albo wpisać kod z arkusza „kody”).",
                    "Please choose from the list (or type the code from the sheet “kody”).",
                ))?
        }
        Kind::Integer => {
            let lo = b.min.map(|x| x.ceil() as i32).unwrap_or(i32::MIN / 2);
            let hi = b.max.map(|x| x.floor() as i32).unwrap_or(i32::MAX / 2);
            DataValidation::new().allow_whole_number(DataValidationRule::Between(lo, hi))
        }
        Kind::Decimal => {
            let lo = b.min.unwrap_or(-1e12);
            let hi = b.max.unwrap_or(1e12);
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(lo, hi))
        }
        _ => DataValidation::new().allow_any_value(),
    })
}

/// The first sheet of the one-respondent workbook (`--format xlsx-email`).
pub const FORM_SHEET: &str = "ankieta";
/// Its header row; `ingest::xlsx` recognises it and reads the answers column as one record.
pub const FORM_HEADERS: [&str; 4] = crate::ingest::xlsx::FORM_HEADERS;

/// The questionnaire as a workbook one resident fills in and sends back as an e-mail
/// attachment: sheet `ankieta` with one row per question (one per choice of a multiple-choice
/// question, answered with X) and the answer in column D, with dropdowns and number ranges;
/// sheet `kody` as in the data-entry workbook.
pub fn render_single(form: &Questionnaire, ctx: &Context) -> Result<Vec<u8>> {
    build_single(form, ctx).context("building the one-respondent workbook")
}

fn build_single(
    form: &Questionnaire,
    ctx: &Context,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let lang = ctx.lang.as_str();
    let numbers = numbering(form);
    let mut wb = Workbook::new();
    wb.set_properties(&crate::output::xlsx_properties());
    let head = Format::new()
        .set_bold()
        .set_background_color("D9E1F2")
        .set_border_bottom(FormatBorder::Medium);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let grey = Format::new()
        .set_font_color("808080")
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let answer = Format::new()
        .set_background_color("FFF2CC")
        .set_border(FormatBorder::Thin)
        .set_align(rust_xlsxwriter::FormatAlign::Top)
        .set_unlocked();
    let (codes, ranges) = codes_sheet(form, ctx, &head)?;
    let mut sh = Worksheet::new();
    sh.set_name(FORM_SHEET)?;
    for (i, h) in FORM_HEADERS.iter().enumerate() {
        sh.write_string_with_format(0, i as u16, *h, &head)?;
    }
    sh.set_column_width(0, 18)?;
    sh.set_column_width(1, 5)?;
    sh.set_column_width(2, 70)?;
    sh.set_column_width(3, 30)?;
    let tick = DataValidation::new()
        .allow_list_strings(&["X"])?
        .set_input_message(ctx.t("X = zaznaczone, puste = nie", "X = ticked, blank = not"))?;
    let mut r: u32 = 1;
    for q in form.data_questions() {
        let n = numbers.get(&q.name).copied().unwrap_or(0) as f64;
        let mut text = form.text(&q.label, lang).to_string();
        let how = answer_hint(form, q, ctx);
        if !how.is_empty() {
            text = format!("{text} ({how})");
        }
        if let Some(s) = super::skip_instruction(form, q, ctx, &numbers) {
            text = format!("{text}\n→ {s}");
        }
        if q.kind == Kind::SelectMultiple {
            for c in form.list_of(q).map(|l| l.choices.as_slice()).unwrap_or(&[]) {
                sh.write_string_with_format(r, 0, format!("{}/{}", q.name, c.name), &grey)?;
                sh.write_number_with_format(r, 1, n, &grey)?;
                sh.write_string_with_format(
                    r,
                    2,
                    format!("{text} — {}", form.text(&c.label, lang)),
                    &wrap,
                )?;
                sh.write_blank(r, 3, &answer)?;
                sh.add_data_validation(r, 3, r, 3, &tick)?;
                r += 1;
            }
        } else {
            sh.write_string_with_format(r, 0, &q.name, &grey)?;
            sh.write_number_with_format(r, 1, n, &grey)?;
            sh.write_string_with_format(r, 2, &text, &wrap)?;
            sh.write_blank(r, 3, &answer)?;
            sh.add_data_validation(r, 3, r, 3, &answer_validation(q, ctx, &ranges)?)?;
            r += 1;
        }
    }
    sh.set_freeze_panes(1, 0)?;
    let mut how = Worksheet::new();
    how.set_name(ctx.t("instrukcja", "instructions"))?;
    how.set_column_width(0, 110)?;
    how.write_string_with_format(
        0,
        0,
        form.text(&form.title, lang),
        &Format::new().set_bold(),
    )?;
    let mut lines: Vec<String> = vec![ctx
        .t(
            "Proszę wpisać odpowiedzi w żółtej kolumnie D arkusza „ankieta”: wybrać odpowiedź z listy, wpisać X przy każdej zaznaczonej odpowiedzi w pytaniach wielokrotnego wyboru, liczby cyframi. Nie zmieniaj kolumny A. Zapisz plik i odeślij go jako załącznik.",
            "Please write your answers in the yellow column D of the sheet “ankieta”: choose an answer from the list, type X next to each chosen answer of a multiple-choice question, numbers in digits. Do not change column A. Save the file and send it back as an attachment.",
        )
        .to_string()];
    for n in super::intro_notes(form) {
        lines.push(form.text(&n.label, lang).to_string());
    }
    let r = super::return_sentence(ctx);
    if !r.is_empty() {
        lines.push(r);
    }
    for (i, l) in lines.iter().enumerate() {
        how.write_string_with_format(i as u32 + 2, 0, l, &Format::new().set_text_wrap())?;
    }
    wb.push_worksheet(sh);
    wb.push_worksheet(codes);
    wb.push_worksheet(how);
    wb.save_to_buffer()
}

fn instructions(form: &Questionnaire, ctx: &Context) -> Vec<String> {
    let multi = form
        .data_questions()
        .find(|q| q.kind == Kind::SelectMultiple)
        .map(|q| q.name.clone())
        .unwrap_or_else(|| "pytanie".into());
    if ctx.pl() {
        vec![
            "Jak wprowadzać ankiety papierowe".into(),
            "1. Arkusz „dane”: jeden wiersz = jedna ankieta papierowa. Nie zmieniaj pierwszego wiersza (nazw kolumn) ani kolejności kolumn.".into(),
            "2. Kolumna nr_ankiety: numer z kratki „Nr ankiety” na pierwszej stronie. Przed wprowadzaniem ponumeruj ankiety; każdy numer tylko raz.".into(),
            "3. Kolumna wprowadzil: Twoje inicjały.".into(),
            "4. Pytania jednokrotnego wyboru: wybierz odpowiedź z listy rozwijanej (albo wpisz kod z arkusza „kody”). Brak odpowiedzi: zostaw pustą komórkę.".into(),
            format!("5. Pytania wielokrotnego wyboru mają po jednej kolumnie na każdą odpowiedź (np. {multi}/…): wpisz 1, jeśli kratka jest zaznaczona; pozostałe zostaw puste."),
            "6. Liczby wpisuj cyframi (dozwolony zakres pokazuje się po kliknięciu komórki). Teksty przepisuj dosłownie, ale bez imion, nazwisk, adresów i telefonów.".into(),
            "7. Jeśli mieszkaniec zaznaczył dwie odpowiedzi w pytaniu jednokrotnego wyboru albo odpowiedź jest nieczytelna, zostaw komórkę pustą i zapisz numer ankiety na kartce dla koordynatora.".into(),
            "8. Podwójne wprowadzanie: dwie osoby wprowadzają tę samą paczkę ankiet do dwóch kopii tego pliku; `diagnoza verify kopia1.xlsx kopia2.xlsx` pokazuje komórki, które się różnią — sprawdź je na papierze i popraw.".into(),
            "9. Zapisz plik (xlsx albo CSV) i zaimportuj: `diagnoza import plik.xlsx`. Odrzucone wiersze pokaże `diagnoza rejects`.".into(),
            "Arkusz „kody”: wszystkie pytania z numerami z ankiety papierowej, kody i etykiety odpowiedzi.".into(),
        ]
    } else {
        vec![
            "How to type in paper questionnaires".into(),
            "1. Sheet “dane”: one row = one paper questionnaire. Do not change the first row (the column names) or the order of the columns.".into(),
            "2. Column nr_ankiety: the number from the “Questionnaire no.” box on page 1. Number the questionnaires before typing; each number once only.".into(),
            "3. Column wprowadzil: your initials.".into(),
            "4. Single-choice questions: choose the answer from the dropdown (or type the code from sheet “kody”). No answer: leave the cell empty.".into(),
            format!("5. Multiple-choice questions have one column per answer (e.g. {multi}/…): type 1 if the box is ticked; leave the others empty."),
            "6. Type numbers in digits (the allowed range shows when you click the cell). Copy texts word for word, but without names, addresses or phone numbers.".into(),
            "7. If a resident ticked two answers in a single-choice question or the answer cannot be read, leave the cell empty and note the questionnaire number for the coordinator.".into(),
            "8. Double entry: two people type the same batch into two copies of this file; `diagnoza verify copy1.xlsx copy2.xlsx` lists the cells that differ — check them on paper and correct them.".into(),
            "9. Save the file (xlsx or CSV) and import it: `diagnoza import file.xlsx`. `diagnoza rejects` shows rejected rows.".into(),
            "Sheet “kody”: every question with its number on the paper form, the answer codes and labels.".into(),
        ]
    }
}

/// Column letter (A, B, …, AA) of a 0-based column index, for messages.
pub fn column_name(c: usize) -> String {
    col_letter(c as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::tests::form;

    #[test]
    fn workbook_has_the_sheets_and_columns() {
        let f = form();
        let ctx = Context {
            lang: "pl".into(),
            ..Context::default()
        };
        let bytes = render(&f, &ctx).unwrap();
        let sheets = crate::ingest::xlsx::read_sheets(&bytes, "w.xlsx").unwrap();
        let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, vec!["dane", "kody", "instrukcja"]);
        assert_eq!(
            sheets[0].1[0],
            vec![
                "nr_ankiety",
                "wprowadzil",
                "dzieci",
                "ile",
                "uslugi/opieka",
                "uslugi/klub",
                "uslugi/brak",
                "inne/opieka",
                "inne/klub",
                "inne/brak",
                "uwagi"
            ]
        );
        let kody = &sheets[1].1;
        assert_eq!(
            kody[1],
            vec![
                "1",
                "dzieci",
                "dzieci",
                "tak",
                "Tak",
                "Dzieci w gospodarstwie"
            ]
        );
        assert!(
            kody.iter()
                .any(|r| r[2] == "uslugi/klub" && r[4] == "Klub seniora")
        );
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(27), "AB");
    }
}

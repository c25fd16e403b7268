//! XLSForm files in and out: reads a workbook (.xlsx, .xls, .ods) or its CSV copies (sibling
//! `form.survey.csv`/`form.choices.csv`/`form.settings.csv`, a folder of `survey.csv` …, or one
//! CSV with pyxform's sheet sections) into sheets of rows for `validate::build`, adding warnings
//! for what the model cannot use (cascading `choice_filter`, other sheets); and writes a model as
//! a workbook that pyxform/KoboToolbox accept. It does not validate questions itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::totoml::{Cell, RowCells, choice_rows, columns, settings_row, survey_rows};
use super::validate::{Sheet, SheetRow, build};
use super::{Loaded, Problem, Questionnaire, TemplateError};
use crate::ingest;

/// The rows of one sheet as text, row 0 = first row of the file.
type Grid = Vec<Vec<String>>;

fn fail(file: &str, message: String) -> TemplateError {
    TemplateError {
        file: file.to_string(),
        errors: vec![Problem {
            place: "file".into(),
            message,
        }],
    }
}

/// An encoding to force on CSV files (`--encoding`), or None to detect it.
pub type Forced = Option<&'static encoding_rs::Encoding>;

/// Rows of a CSV file (any encoding, `,` `;` or tab, BOM or not), header included, and a
/// warning saying how it was decoded when that was not plain UTF-8.
fn csv_grid(path: &Path, enc: Forced) -> Result<(Grid, Option<Problem>), TemplateError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| fail(&file, format!("cannot read: {e}")))?;
    let t =
        ingest::read_csv_bytes_as(&bytes, &file, enc).map_err(|e| fail(&file, format!("{e:#}")))?;
    let note = (!t.detected.starts_with("UTF-8,") && !t.detected.starts_with("UTF-8 with BOM,"))
        .then(|| Problem {
            place: format!(
                "file {}",
                path.file_name()
                    .map_or(file.clone(), |n| n.to_string_lossy().to_string())
            ),
            message: format!(
                "read as {}; if letters look wrong, name the encoding with --encoding",
                t.detected
            ),
        });
    let mut g = vec![t.headers];
    g.extend(t.rows);
    Ok((g, note))
}

/// The choices (or settings) CSV that goes with a survey CSV, by the names people use:
/// `form.survey.csv` → `form.choices.csv`, `questions.csv`/`survey.csv` → `choices.csv`,
/// `x_survey-sheet.csv` → `x_choices-sheet.csv`, `x-questions.csv` → `x-choices.csv`, or else
/// the one CSV beside it whose name holds `choice` (`setting`).
fn companion(path: &Path, kind: &str) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_lowercase();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tries: Vec<PathBuf> = Vec::new();
    for token in ["survey", "questions", "question"] {
        if let Some(at) = lower.rfind(token) {
            tries.push(path.with_file_name(format!(
                "{}{kind}{}",
                &name[..at],
                &name[at + token.len()..]
            )));
        }
    }
    tries.push(dir.join(format!("{kind}.csv")));
    if let Some(p) = tries.into_iter().find(|p| p.is_file() && p != path) {
        return Some(p);
    }
    let stem = kind.trim_end_matches('s');
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p != path
                && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.to_lowercase().contains(stem))
        })
        .collect();
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// A grid with a header row as a sheet: cells keyed by header, 1-based row numbers as in the
/// file. Data after 20 blank rows is ignored, as pyxform does.
fn to_sheet(grid: &Grid, first_row: usize) -> Sheet {
    let mut it = grid
        .iter()
        .enumerate()
        .skip_while(|(_, r)| r.iter().all(|c| c.trim().is_empty()));
    let Some((_, header)) = it.next() else {
        return Sheet::default();
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    let mut blanks = 0;
    for (i, r) in it {
        if r.iter().all(|c| c.trim().is_empty()) {
            blanks += 1;
            if blanks >= 20 {
                break;
            }
            continue;
        }
        blanks = 0;
        let mut cells = BTreeMap::new();
        for (ci, v) in r.iter().enumerate() {
            let Some(h) = header.get(ci).filter(|h| !h.is_empty()) else {
                continue;
            };
            let v = v.trim();
            if !v.is_empty() {
                cells.entry(h.clone()).or_insert_with(|| v.to_string());
            }
        }
        rows.push(SheetRow {
            row: i + first_row,
            cells,
        });
    }
    Sheet { rows }
}

/// The sheets found, by lower-case name, with the place each came from.
struct Sheets {
    survey: Option<Sheet>,
    choices: Option<Sheet>,
    settings: Option<Sheet>,
    warnings: Vec<Problem>,
    /// Said once when a CSV survey has no choices file beside it and uses selects.
    no_choices: Option<Problem>,
}

fn from_named(named: Vec<(String, Grid)>, file: &str) -> Sheets {
    let mut s = Sheets {
        survey: None,
        choices: None,
        settings: None,
        warnings: Vec::new(),
        no_choices: None,
    };
    for (name, grid) in named {
        let lower = name.trim().to_lowercase();
        let slot = match lower.as_str() {
            "survey" => &mut s.survey,
            "choices" => &mut s.choices,
            "settings" => &mut s.settings,
            _ => {
                if !grid.iter().all(|r| r.iter().all(|c| c.is_empty())) {
                    s.warnings.push(Problem {
                        place: format!("sheet '{name}'"),
                        message: "not a sheet of XLSForm (survey, choices, settings): ignored"
                            .into(),
                    });
                }
                continue;
            }
        };
        if name != lower {
            s.warnings.push(Problem {
                place: format!("sheet '{name}'"),
                message: format!(
                    "read as '{lower}', but pyxform and Kobo need the exact name '{lower}'"
                ),
            });
        }
        if slot.is_none() {
            *slot = Some(to_sheet(&grid, 1));
        }
    }
    let _ = file;
    s
}

/// pyxform's single-CSV layout: a row whose first cell names a sheet starts it; the next row
/// (first cell empty) is its header; data rows have an empty first cell.
fn sectioned(grid: &Grid) -> Option<Vec<(String, Grid, usize)>> {
    let is_section = |r: &Vec<String>| {
        r.first().is_some_and(|c| {
            matches!(
                c.trim().to_lowercase().as_str(),
                "survey" | "choices" | "settings"
            )
        }) && r.iter().skip(1).all(|c| c.trim().is_empty())
    };
    if !grid.iter().any(is_section) {
        return None;
    }
    let mut out: Vec<(String, Grid, usize)> = Vec::new();
    for (i, r) in grid.iter().enumerate() {
        if is_section(r) {
            out.push((r[0].trim().to_lowercase(), Vec::new(), i + 2));
        } else if let Some(last) = out.last_mut() {
            last.1.push(r.iter().skip(1).cloned().collect());
        }
    }
    Some(out)
}

fn sibling(path: &Path, from: &str, to: &str) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let lower = name.to_lowercase();
    let cut = lower.rfind(from)?;
    if cut + from.len() != lower.len() {
        return None;
    }
    Some(path.with_file_name(format!("{}{to}", &name[..cut])))
}

fn read_sheets(path: &Path, enc: Forced) -> Result<Sheets, TemplateError> {
    let mut notes = Vec::new();
    let mut grid = |p: &Path| -> Result<Grid, TemplateError> {
        let (g, note) = csv_grid(p, enc)?;
        notes.extend(note);
        Ok(g)
    };
    let mut s = read_sheets_with(path, &mut grid)?;
    notes.append(&mut s.warnings);
    s.warnings = notes;
    Ok(s)
}

fn read_sheets_with(
    path: &Path,
    csv_grid: &mut dyn FnMut(&Path) -> Result<Grid, TemplateError>,
) -> Result<Sheets, TemplateError> {
    let file = path.display().to_string();
    if path.is_dir() {
        let mut named = Vec::new();
        for n in ["survey", "choices", "settings"] {
            let p = path.join(format!("{n}.csv"));
            let p = if n == "survey" && !p.is_file() {
                path.join("questions.csv")
            } else {
                p
            };
            if p.is_file() {
                named.push((n.to_string(), csv_grid(&p)?));
            }
        }
        if named.is_empty() {
            return Err(fail(
                &file,
                "a folder of XLSForm CSV files needs survey.csv (and choices.csv, settings.csv)"
                    .into(),
            ));
        }
        return Ok(from_named(named, &file));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let bytes =
                std::fs::read(path).map_err(|e| fail(&file, format!("cannot read: {e}")))?;
            let sheets = ingest::xlsx::read_sheets(&bytes, &file)
                .map_err(|e| fail(&file, format!("{e:#}")))?;
            Ok(from_named(sheets, &file))
        }
        "csv" | "txt" | "tsv" => {
            let grid = csv_grid(path)?;
            if let Some(sections) = sectioned(&grid) {
                let mut s = Sheets {
                    survey: None,
                    choices: None,
                    settings: None,
                    warnings: Vec::new(),
                    no_choices: None,
                };
                for (name, g, first) in sections {
                    let sheet = to_sheet(&g, first);
                    match name.as_str() {
                        "survey" => s.survey = Some(sheet),
                        "choices" => s.choices = Some(sheet),
                        _ => s.settings = Some(sheet),
                    }
                }
                return Ok(s);
            }
            // form.survey.csv + form.choices.csv + form.settings.csv, survey.csv + choices.csv,
            // and the other names of `companion`.
            let mut named = vec![("survey".to_string(), grid)];
            let mut missing = None;
            for n in ["choices", "settings"] {
                let p = sibling(path, "survey.csv", &format!("{n}.csv"))
                    .filter(|p| p.is_file())
                    .or_else(|| companion(path, n));
                match p {
                    Some(p) => named.push((n.to_string(), csv_grid(&p)?)),
                    None if n == "choices" => missing = Some(()),
                    None => {}
                }
            }
            let mut s = from_named(named, &file);
            if missing.is_some() {
                s.no_choices = Some(Problem {
                    place: "sheet 'choices'".into(),
                    message: format!(
                        "no choices file found beside {} (looked for NAME.choices.csv, \
                         choices.csv, *_choices-sheet.csv, *-choices.csv, a CSV named *choice*): \
                         select questions have no choice lists",
                        path.file_name()
                            .map_or(file.clone(), |n| n.to_string_lossy().to_string())
                    ),
                });
            }
            Ok(s)
        }
        _ => Err(fail(
            &file,
            format!("'{ext}' is not an XLSForm file type (expected .xlsx, .xls, .ods or .csv)"),
        )),
    }
}

/// (sheet, row) of a place such as `survey row 12 (plec)`, for sorting messages.
fn place_key(place: &str) -> (u8, usize) {
    let sheet = if place.starts_with("sheet") {
        0
    } else if place.starts_with("settings") {
        1
    } else if place.starts_with("survey") {
        2
    } else {
        3
    };
    let row = place
        .split_whitespace()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX);
    (sheet, row)
}

/// Read an XLSForm into the questionnaire model, with every error and warning and its place.
pub fn read(path: &Path) -> Result<Loaded, TemplateError> {
    read_as(path, None)
}

/// [`read`] with the encoding of CSV files forced (None: detect it).
pub fn read_as(path: &Path, enc: Forced) -> Result<Loaded, TemplateError> {
    let file = path.display().to_string();
    let s = read_sheets(path, enc)?;
    let Some(survey) = s.survey else {
        return Err(fail(
            &file,
            "no 'survey' sheet (an XLSForm needs survey, and choices for selects)".into(),
        ));
    };
    let has_type = survey.rows.iter().any(|r| {
        r.cells
            .keys()
            .any(|k| k.trim().eq_ignore_ascii_case("type"))
    });
    if survey.rows.is_empty() {
        return Err(fail(
            &file,
            "the survey sheet has no rows below its header: no questions".into(),
        ));
    }
    if !has_type {
        let cols: BTreeMap<&str, ()> = survey
            .rows
            .iter()
            .flat_map(|r| r.cells.keys().map(|k| (k.as_str(), ())))
            .collect();
        return Err(fail(
            &file,
            format!(
                "the survey sheet has no 'type' column (columns: {}): this is not an XLSForm — \
                 answers are imported with `diagnoza import`, and `diagnoza template infer` proposes \
                 a questionnaire from them",
                cols.keys().take(8).copied().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let choices_missing = s.choices.is_none();
    let no_choices = s.no_choices;
    let choices = s.choices.unwrap_or_default();
    let settings: BTreeMap<String, String> = s
        .settings
        .and_then(|sh| sh.rows.into_iter().next())
        .map(|r| r.cells)
        .unwrap_or_default();
    let mut settings = settings;
    if !settings
        .keys()
        .any(|k| k.trim().eq_ignore_ascii_case("form_id"))
    {
        // pyxform names the form after the file when settings has no form_id.
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("form");
        let stem = stem.strip_suffix(".survey").unwrap_or(stem);
        let id: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let id = if id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            id
        } else {
            format!("f_{id}")
        };
        settings.insert("form_id".into(), id);
    }
    let mut warnings = s.warnings;
    let uses_lists = survey.rows.iter().any(|r| {
        r.cells.iter().any(|(k, t)| {
            let t = t.trim().to_lowercase();
            k.trim().eq_ignore_ascii_case("type")
                && (t.starts_with("select") || t.starts_with("rank") || t.starts_with("begin loop"))
                && !t.contains("from_file")
        })
    });
    let no_choices = no_choices.filter(|_| uses_lists && choices_missing);
    warnings.extend(no_choices.clone());
    for r in &survey.rows {
        let is_group = r.cells.iter().any(|(k, t)| {
            k.trim().eq_ignore_ascii_case("type")
                && matches!(
                    t.trim().to_lowercase().as_str(),
                    "begin_group" | "begin group"
                )
        });
        for (k, v) in &r.cells {
            let k = k.trim().to_lowercase();
            let name = r
                .cells
                .get("name")
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let place = format!("survey row {}{name}", r.row);
            match k.as_str() {
                "choice_filter" => warnings.push(Problem {
                    place,
                    message: format!(
                        "choice_filter '{v}' (a cascading select) is not used: every choice of the list is accepted"
                    ),
                }),
                "calculation" if r.cells.get("type").is_none_or(|t| t.trim() != "calculate") => {
                    warnings.push(Problem { place, message: format!("calculation '{v}' is not computed by diagnoza") })
                }
                "default" => warnings.push(Problem { place, message: format!("default '{v}' is kept but not applied") }),
                _ if is_group
                    && !(k == "type"
                        || k == "name"
                        || k.starts_with("label")
                        || k == "relevant"
                        || k == "bind:relevant") =>
                {
                    warnings.push(Problem {
                        place,
                        message: format!(
                            "group column '{k}' = '{v}' is not kept (a group keeps its name, label and relevant)"
                        ),
                    })
                }
                _ => {}
            }
        }
    }
    match build(&survey, &choices, &settings) {
        Ok(l)
            if l.form.data_questions().next().is_none()
                && l.form.repeats.iter().all(|r| r.questions.is_empty()) =>
        {
            Err(fail(
                &file,
                "the survey sheet holds no question (only groups, notes or skipped rows)".into(),
            ))
        }
        Ok(mut l) => {
            warnings.append(&mut l.warnings);
            // In sheet order, then row order.
            warnings.sort_by_key(|p| place_key(&p.place));
            l.warnings = warnings;
            Ok(l)
        }
        Err(mut errors) => {
            // The hint explains the "unknown choice list" errors that follow.
            if let Some(p) = no_choices {
                errors.insert(0, p);
            }
            Err(TemplateError { file, errors })
        }
    }
}

/// The XLSForm language suffix of a code: `pl` → `Polski (pl)`.
pub fn language_column(code: &str) -> String {
    match code {
        "pl" => "Polski (pl)".into(),
        "en" => "English (en)".into(),
        "uk" => "Українська (uk)".into(),
        "de" => "Deutsch (de)".into(),
        "ru" => "Русский (ru)".into(),
        other => format!("{other} ({other})"),
    }
}

fn header_name(base: &str, lang: &Option<String>) -> String {
    match lang {
        Some(l) => format!("{base}::{}", language_column(l)),
        None => base.to_string(),
    }
}

fn write_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    name: &str,
    rows: &[RowCells],
    languages: &[String],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    let cols = columns(rows, languages);
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (ci, (base, lang)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, ci as u16, header_name(base, lang), &bold)?;
    }
    for (ri, r) in rows.iter().enumerate() {
        let row = (ri + 1) as u32;
        for (k, v) in r {
            match v {
                Cell::Labels(l) => {
                    for (lang, text) in l {
                        if let Some(ci) = cols
                            .iter()
                            .position(|c| c.0 == *k && c.1.as_deref() == Some(lang))
                        {
                            ws.write_string(row, ci as u16, text)?;
                        }
                    }
                }
                other => {
                    let Some(ci) = cols.iter().position(|c| c.0 == *k && c.1.is_none()) else {
                        continue;
                    };
                    let ci = ci as u16;
                    match other {
                        Cell::Text(t) => ws.write_string(row, ci, t)?,
                        Cell::Bool(b) => ws.write_string(row, ci, if *b { "yes" } else { "no" })?,
                        Cell::Number(x) => ws.write_number(row, ci, *x)?,
                        Cell::Labels(_) => ws,
                    };
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The questionnaire as an XLSForm workbook (bytes of an .xlsx file).
pub fn to_xlsx(f: &Questionnaire) -> anyhow::Result<Vec<u8>> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let survey = survey_rows(f);
    let choices = choice_rows(f);
    // settings: the title is one text in pyxform: the default language's; default_language
    // names the label columns' language.
    let mut settings: RowCells = Vec::new();
    for (k, v) in settings_row(f) {
        match (k.as_str(), v) {
            ("form_title", Cell::Labels(l)) => {
                let t = f.text(&l, &f.default_language).to_string();
                settings.push(("form_title".into(), Cell::Text(t)));
            }
            ("default_language", _) => settings.push((
                "default_language".into(),
                Cell::Text(language_column(&f.default_language)),
            )),
            (_, v) => settings.push((k, v)),
        }
    }
    write_sheet(&mut wb, "survey", &survey, &f.languages)?;
    write_sheet(&mut wb, "choices", &choices, &f.languages)?;
    write_sheet(&mut wb, "settings", &[settings], &f.languages)?;
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::totoml::comparable;
    use crate::template::{builtin, load_str};

    #[test]
    fn export_then_import_is_the_same_questionnaire() {
        let a = load_str(builtin("mieszkancy").unwrap(), "m").unwrap().form;
        let bytes = to_xlsx(&a).unwrap();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("m.xlsx");
        std::fs::write(&p, bytes).unwrap();
        let b = read(&p).unwrap_or_else(|e| panic!("{e}")).form;
        let mut ca = comparable(&a);
        let mut cb = comparable(&b);
        // pyxform's form_title holds one language: the default one.
        ca["title"] = serde_json::json!({"pl": a.title["pl"]});
        cb["title"] = serde_json::json!({"pl": b.title["pl"]});
        assert_eq!(ca, cb);
    }

    #[test]
    fn group_columns_that_are_not_kept_are_named() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("g.survey.csv");
        std::fs::write(&f, "type,name,label,appearance\nbegin_group,g,G,field-list\ntext,t,T,multiline\nend_group,,,\n").unwrap();
        let l = read(&f).unwrap_or_else(|e| panic!("{e}"));
        let w: Vec<String> = l.warnings.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            w,
            [
                "survey row 2 (g): group column 'appearance' = 'field-list' is not kept (a group keeps its name, label and relevant)"
            ]
        );
        assert_eq!(
            l.form.question("t").unwrap().appearance.as_deref(),
            Some("multiline")
        );
    }

    #[test]
    fn sectioned_csv_and_siblings() {
        let d = tempfile::tempdir().unwrap();
        let one = d.path().join("one.csv");
        std::fs::write(
            &one,
            "survey,,,\n,type,name,label\n,select_one tn,q,Pytanie\nchoices,,,\n,list_name,name,label\n,tn,tak,Tak\n,tn,nie,Nie\nsettings,,,\n,form_id,,\n,f1,,\n",
        )
        .unwrap();
        let l = read(&one).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.form.id, "f1");
        assert_eq!(l.form.lists["tn"].choices.len(), 2);
        let s = d.path().join("ankieta.survey.csv");
        std::fs::write(&s, "\u{feff}type;name;label\nselect_one tn;q;Pytanie\n").unwrap();
        std::fs::write(
            d.path().join("ankieta.choices.csv"),
            "list_name;name;label\ntn;tak;Tak\n",
        )
        .unwrap();
        let l = read(&s).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.form.id, "ankieta");
        assert_eq!(l.form.question("q").unwrap().list.as_deref(), Some("tn"));
    }
}

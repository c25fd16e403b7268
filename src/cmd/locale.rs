//! The CLI's language and its localized command line. [`language`] decides the language of
//! everything the CLI prints: `--lang` anywhere on the command line, else `language` in the
//! workspace's diagnoza.toml, else the environment (LC_ALL, LC_MESSAGES, LANG: `pl_*` is Polish,
//! another language English; `C`/`POSIX` name none), else Polish. [`command`] builds the clap
//! command in that language (help, headings, usage, defaults, examples, aliases) from the texts
//! of `lang::cli`; [`parse`] parses with it and words clap's usage errors in that language.
//! `completions` and `man` generate shell completions and man pages from the same command.
//! It holds no texts itself and does not run the commands.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::error::{ContextKind, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

use super::{Cli, Outcome};
use crate::lang::cli::{self as texts, M};
use crate::lang::{Lang, fill};

/// `--lang` and `-w/--workspace` as written on the command line (before clap parses it).
pub fn prescan(args: &[OsString]) -> (Option<Lang>, PathBuf) {
    let (mut lang, mut ws) = (None, PathBuf::from("."));
    let args: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let next = args.get(i + 1).cloned();
        if a == "--" {
            break;
        } else if a == "--lang" {
            lang = next.as_deref().and_then(Lang::from_code).or(lang);
            i += 1;
        } else if let Some(v) = a.strip_prefix("--lang=") {
            lang = Lang::from_code(v).or(lang);
        } else if a == "-w" || a == "--workspace" {
            if let Some(n) = next {
                ws = PathBuf::from(n);
            }
            i += 1;
        } else if let Some(v) = a.strip_prefix("--workspace=") {
            ws = PathBuf::from(v);
        } else if let Some(v) = a.strip_prefix("-w").filter(|v| !v.is_empty()) {
            ws = PathBuf::from(v.trim_start_matches('='));
        }
        i += 1;
    }
    (lang, ws)
}

/// The language of the environment: the first non-empty of LC_ALL, LC_MESSAGES, LANG
/// (POSIX order); `C`/`POSIX` (no preference) and unset give None.
pub fn env_language(get: impl Fn(&str) -> Option<String>) -> Option<Lang> {
    let v = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| get(k))
        .find(|v| !v.trim().is_empty())?;
    let code = v
        .split(['_', '.', '@'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match code.as_str() {
        "c" | "posix" | "" => None,
        "pl" => Some(Lang::Pl),
        _ => Some(Lang::En),
    }
}

/// The workspace's `language`, read leniently (a broken diagnoza.toml is reported later by
/// the command itself).
pub fn workspace_language(ws: &Path) -> Option<Lang> {
    let text = std::fs::read_to_string(ws.join(crate::workspace::CONFIG_FILE)).ok()?;
    let v: toml::Value = toml::from_str(&text).ok()?;
    Lang::from_code(v.get("diagnosis")?.get("language")?.as_str()?)
}

/// The CLI's language for this command line (see the module doc for the order).
pub fn language(args: &[OsString]) -> Lang {
    let (flag, ws) = prescan(args);
    flag.or_else(|| workspace_language(&ws))
        .or_else(|| env_language(|k| std::env::var(k).ok()))
        .unwrap_or_default()
}

/// The whole command line in a language.
pub fn command(lang: Lang) -> clap::Command {
    let l = texts::layout(lang);
    let mut cmd = localize(Cli::command(), lang, "")
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help_heading(texts::layout(lang).options)
                .help(help(lang, "", "version", "Print version")),
        );
    if lang == Lang::Pl {
        cmd = cmd.disable_help_subcommand(true);
    }
    cmd.build();
    set_usage(&mut cmd, &l);
    cmd
}

/// The help text of an argument or command in a language (`english`: the doc comment).
fn help(lang: Lang, path: &str, id: &str, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    let key = match (path, id) {
        (p, "") => p.to_string(),
        ("", i) => format!("*.{i}"),
        (p, i) => format!("{p}.{i}"),
    };
    texts::help_pl(&key)
        .or_else(|| texts::help_pl(&format!("*.{id}")))
        .unwrap_or(english)
        .to_string()
}

fn localize(mut cmd: clap::Command, lang: Lang, path: &str) -> clap::Command {
    let l = texts::layout(lang);
    let about = cmd.get_about().map(|s| s.to_string()).unwrap_or_default();
    let mut about = help(lang, path, "", &about);
    let aliases: Vec<&str> = cmd.get_all_aliases().collect();
    if !aliases.is_empty() {
        let word = if aliases.len() == 1 {
            l.alias
        } else {
            l.aliases
        };
        about.push_str(&format!(" [{word}: {}]", aliases.join(", ")));
    }
    cmd = cmd
        .about(about)
        .long_about(None::<&str>)
        .subcommand_help_heading(l.commands)
        .subcommand_value_name(l.command_ph.trim_matches(['<', '>']))
        .help_template(format!(
            "{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            l.usage
        ))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading(l.options)
                .help(help(lang, "", "help", "Print help")),
        );
    let ex = texts::examples(lang, path);
    if !ex.is_empty() {
        cmd = cmd.after_help(format!("{}\n{ex}", l.examples));
    }
    if !cmd.get_arguments().any(|a| a.get_long() == Some("lang")) {
        cmd = cmd.arg(
            Arg::new("ui_lang")
                .long("lang")
                .value_name("LANG")
                .value_parser(clap::value_parser!(Lang))
                .help(help(
                    lang,
                    "",
                    "ui_lang",
                    "Language of the messages: pl or en (default: diagnoza.toml's language, then LANG, then Polish)",
                )),
        );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .filter(|id| id != "help")
        .collect();
    for id in ids {
        cmd = cmd.mut_arg(&id, |a| localize_arg(a, lang, path, &l));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, lang, &sub_path));
    }
    cmd
}

fn localize_arg(mut a: Arg, lang: Lang, path: &str, l: &texts::Layout) -> Arg {
    let id = a.get_id().to_string();
    let english = a.get_help().map(|s| s.to_string()).unwrap_or_default();
    let mut text = help(lang, path, &id, &english);
    let takes_value = a.get_action().takes_values();
    if takes_value {
        let defaults: Vec<String> = a
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        let values: Vec<String> = a
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        if !values.is_empty() && !a.is_hide_possible_values_set() {
            text.push_str(&format!(" [{}: {}]", l.values, values.join(", ")));
            a = a.hide_possible_values(true);
        }
        if !defaults.is_empty() && !a.is_hide_default_value_set() {
            text.push_str(&format!(" [{}: {}]", l.default, defaults.join(",")));
            a = a.hide_default_value(true);
        }
        if lang == Lang::Pl {
            let names: Vec<String> = a
                .get_value_names()
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .unwrap_or_else(|| vec![id.to_uppercase()]);
            let pl: Vec<&'static str> = names
                .iter()
                .map(|n| texts::value_name_pl(n).unwrap_or("WARTOŚĆ"))
                .collect();
            a = a.value_names(pl);
        }
    }
    let heading = if a.is_positional() {
        l.arguments
    } else {
        l.options
    };
    a.help(text)
        .long_help(None::<&str>)
        .help_heading(Some(heading))
}

/// Usage lines with the language's placeholders (`[OPCJE]`), after the command is built.
fn set_usage(cmd: &mut clap::Command, l: &texts::Layout) {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", l.options_ph);
    *cmd = std::mem::take(cmd).override_usage(usage);
    for sub in cmd.get_subcommands_mut() {
        set_usage(sub, l);
    }
}

/// Parse a command line in a language. Help and version print and exit 0; a usage error
/// prints a message in the language and exits 2.
pub fn parse(args: Vec<OsString>, lang: Lang) -> Cli {
    let mut cmd = command(lang);
    let parsed = cmd
        .try_get_matches_from_mut(args)
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
    match parsed {
        Ok(cli) => cli,
        Err(e) if lang == Lang::En => e.exit(),
        Err(e) => match polish_error(&e) {
            Some(text) => {
                eprintln!(
                    "{}: {text}\n\nWięcej informacji: diagnoza --help",
                    texts::t(lang, M::Error)
                );
                std::process::exit(2)
            }
            None => e.exit(),
        },
    }
}

fn polish_error(e: &clap::Error) -> Option<String> {
    let ctx = |k| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    Some(match e.kind() {
        ErrorKind::UnknownArgument => format!("nieznany argument „{arg}”"),
        ErrorKind::InvalidSubcommand => format!(
            "nieznane polecenie „{}”",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let valid = ctx(ContextKind::ValidValue);
            let mut s = format!(
                "nieprawidłowa wartość „{}” dla {arg}",
                ctx(ContextKind::InvalidValue)
            );
            if !valid.is_empty() {
                s.push_str(&format!("; możliwe wartości: {valid}"));
            }
            s
        }
        ErrorKind::MissingRequiredArgument => format!("brak wymaganego argumentu: {arg}"),
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("brak wartości dla {arg}")
        }
        ErrorKind::ArgumentConflict => format!("argumentu {arg} nie można użyć razem z innym"),
        ErrorKind::TooManyValues => {
            format!("za dużo wartości dla {arg}")
        }
        _ => return None,
    })
}

/// `diagnoza completions SHELL`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

/// `diagnoza man --out DIR`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Folder for the man pages.
    #[arg(long, default_value = "man")]
    pub out: PathBuf,
}

/// Print the shell completions of the command line in the CLI's language.
pub fn completions(a: CompletionsArgs) -> Result<Outcome> {
    let mut cmd = command(super::ui());
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "diagnoza", &mut buf);
    super::print(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Clean)
}

/// Write the man pages (diagnoza.1 and diagnoza-COMMAND.1) in the CLI's language.
pub fn man(a: ManArgs) -> Result<Outcome> {
    std::fs::create_dir_all(&a.out)?;
    clap_mangen::generate_to(command(super::ui()), &a.out)?;
    let page = a.out.join("diagnoza.1");
    println!(
        "{}",
        fill(
            texts::t(super::ui(), M::Wrote),
            &[("file", &page.display().to_string())]
        )
    );
    Ok(Outcome::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn prescan_finds_lang_and_workspace() {
        let (l, w) = prescan(&os(&["diagnoza", "-w", "gm", "report", "--lang", "en"]));
        assert_eq!((l, w), (Some(Lang::En), PathBuf::from("gm")));
        let (l, w) = prescan(&os(&["diagnoza", "--lang=pl", "--workspace=x", "status"]));
        assert_eq!((l, w), (Some(Lang::Pl), PathBuf::from("x")));
        assert_eq!(prescan(&os(&["diagnoza", "status"])).0, None);
    }

    #[test]
    fn environment_language() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|p| p.0 == k).map(|p| p.1.to_string())
        };
        assert_eq!(env_language(env(&[])), None);
        assert_eq!(env_language(env(&[("LANG", "C.UTF-8")])), None);
        assert_eq!(
            env_language(env(&[("LANG", "pl_PL.UTF-8")])),
            Some(Lang::Pl)
        );
        assert_eq!(
            env_language(env(&[("LANG", "en_GB.UTF-8")])),
            Some(Lang::En)
        );
        assert_eq!(
            env_language(env(&[("LC_ALL", "pl_PL"), ("LANG", "en_US")])),
            Some(Lang::Pl)
        );
    }

    #[test]
    fn every_command_and_argument_has_polish_help() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            if cmd.is_hide_set() {
                return;
            }
            if texts::help_pl(path).is_none() {
                missing.push(path.to_string());
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                let key = format!("{path}.{id}");
                if texts::help_pl(&key).is_none() && texts::help_pl(&format!("*.{id}")).is_none() {
                    missing.push(key);
                }
            }
            for s in cmd.get_subcommands() {
                let p = if path.is_empty() {
                    s.get_name().to_string()
                } else {
                    format!("{path}.{}", s.get_name())
                };
                walk(s, &p, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Polish help for: {missing:?}");
        for l in Lang::ALL {
            command(l).debug_assert();
        }
    }
}

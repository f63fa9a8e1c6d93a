//! `pillarlint`: check serverless templates against the four pillars, in CI.

mod config;
mod discover;
mod format;
mod graph;
mod run;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pillarlint_core::report::Report;
use pillarlint_core::rules::{Pillar, Severity, RULES};

use config::FailOn;

/// Exit codes (the contract): no finding reaching `--fail-on`; one does; usage error or an
/// unreadable/unparseable file.
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "pillarlint",
    version,
    about = "Security linter for serverless templates (CloudFormation, SAM, Serverless Framework)",
    long_about = "Security linter for serverless templates (CloudFormation, SAM, Serverless Framework).\n\nExit codes: 0 no finding reaches --fail-on; 1 one does; 2 usage error or a file that cannot be read or parsed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check templates and print findings.
    Check(CheckArgs),
    /// List the rules, or print one rule's documentation.
    Rules(RulesArgs),
    /// Print the service graph of a template.
    Graph(GraphArgs),
    /// Print a shareable web-app link for a template (the analysis runs in the browser).
    Permalink(PermalinkArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files, directories (recursed; templates picked by content) or globs; `-` reads
    /// standard input. With none, checks the built-in example.
    paths: Vec<String>,
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: OutputFormat,
    /// Exit 1 when a finding reaches this severity: low, medium, high, critical or never
    /// [default: high].
    #[arg(long, value_parser = parse_fail_on)]
    fail_on: Option<FailOn>,
    /// Only these pillars (comma-separated: auth,data,logging,dos).
    #[arg(long, value_delimiter = ',', value_parser = parse_pillar)]
    pillar: Vec<Pillar>,
    /// Only these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    rule: Vec<String>,
    /// Never these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    skip_rule: Vec<String>,
    /// Drop findings below this severity.
    #[arg(long, value_parser = parse_severity)]
    min_severity: Option<Severity>,
    /// Settings file [default: the nearest .pillarlint.yaml from the working directory up].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Do not look for a .pillarlint.yaml.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
    /// The name standard input is reported under.
    #[arg(long, default_value = run::STDIN_NAME)]
    stdin_filename: String,
    /// Where permalinks in the Markdown report point [default: PILLARLINT_BASE_URL or the
    /// public app].
    #[arg(long)]
    base: Option<String>,
    /// Colours in text output.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Treat named files like files found by recursion: skip those that are clearly not
    /// templates instead of reporting an error (for pre-commit, which passes every YAML file).
    #[arg(long)]
    skip_non_templates: bool,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
    Sarif,
    Markdown,
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    /// A rule id (e.g. AUTH001) to print its documentation.
    id: Option<String>,
    /// Output as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct GraphArgs {
    /// A template file, or `-` for standard input.
    file: String,
    #[arg(long, short = 'f', value_enum, default_value = "json")]
    format: graph::GraphFormat,
}

#[derive(clap::Args, Debug)]
struct PermalinkArgs {
    /// A template file, or `-` for standard input.
    file: String,
    /// Link to the compact, read-only embed view (for an <iframe>).
    #[arg(long)]
    embed: bool,
    /// The web app's address [default: PILLARLINT_BASE_URL or the public app].
    #[arg(long)]
    base: Option<String>,
    /// Share the graph and findings only, not the template text.
    #[arg(long)]
    findings_only: bool,
    /// Replace secret-looking values with REDACTED before encoding.
    #[arg(long)]
    redact: bool,
    /// Pillars selected in the view (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_pillar)]
    pillar: Vec<Pillar>,
    /// The node selected in the view.
    #[arg(long)]
    select: Option<String>,
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    FailOn::parse(s)
        .ok_or_else(|| format!("`{s}` is not a severity: use low, medium, high, critical or never"))
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("`{s}` is not a severity: use low, medium, high or critical"))
}

fn parse_pillar(s: &str) -> Result<Pillar, String> {
    Pillar::parse(s).ok_or_else(|| format!("`{s}` is not a pillar: use auth, data, logging or dos"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    let code = match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => rules(&args),
        Command::Graph(args) => graph_cmd(&args),
        Command::Permalink(args) => permalink_cmd(&args),
    };
    ExitCode::from(code)
}

fn usage_error(msg: &str) -> u8 {
    eprintln!("pillarlint: {msg}");
    EXIT_ERROR
}

/// The base URL the user configured: `--base`, then `PILLARLINT_BASE_URL`, then the config.
fn configured_base(arg: Option<&String>, config: Option<&String>) -> Option<String> {
    arg.cloned()
        .or_else(|| {
            std::env::var("PILLARLINT_BASE_URL")
                .ok()
                .filter(|v| !v.is_empty())
        })
        .or_else(|| config.cloned())
}

fn base_url(arg: Option<&String>, config: Option<&String>) -> String {
    configured_base(arg, config)
        .unwrap_or_else(|| pillarlint_core::permalink::DEFAULT_BASE.to_owned())
}

fn check_rule_ids(ids: &[String]) -> Result<(), String> {
    for id in ids {
        if pillarlint_core::rules::rule(id).is_none() {
            return Err(format!(
                "unknown rule `{id}` (run `pillarlint rules` for the list)"
            ));
        }
    }
    Ok(())
}

fn check(args: &CheckArgs) -> u8 {
    // Settings: the command line over the config file over the defaults.
    let loaded = if args.no_config {
        config::Loaded::default()
    } else {
        let path = args.config.clone().or_else(|| {
            std::env::current_dir()
                .ok()
                .and_then(|cwd| config::find(&cwd))
        });
        match path {
            Some(p) => match config::load(&p) {
                Ok(l) => l,
                Err(e) => return usage_error(&e),
            },
            None => config::Loaded::default(),
        }
    };
    let cfg = &loaded.config;
    if let Err(e) = check_rule_ids(&args.rule).and(check_rule_ids(&args.skip_rule)) {
        return usage_error(&e);
    }
    let fail_on = args.fail_on.or(cfg.fail_on).unwrap_or(FailOn::High);
    let filter = run::Filter {
        pillars: if args.pillar.is_empty() {
            cfg.pillars.clone()
        } else {
            Some(args.pillar.clone())
        },
        rules: if args.rule.is_empty() {
            cfg.rules.clone()
        } else {
            Some(args.rule.clone())
        },
        skip_rules: args
            .skip_rule
            .iter()
            .chain(&cfg.skip_rules)
            .cloned()
            .collect(),
        min_severity: args.min_severity.or(cfg.min_severity),
        severity: cfg.severity.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        suppress: cfg.suppress.clone(),
    };
    let ignore = match discover::Ignore::new(&cfg.ignore, &loaded.dir) {
        Ok(i) => i,
        Err(e) => return usage_error(&e),
    };
    let (mut inputs, problems) = discover::expand(&args.paths, &ignore);
    if args.skip_non_templates {
        for i in &mut inputs {
            if let discover::Input::File { named, .. } = i {
                *named = false;
            }
        }
    }
    if args.paths.is_empty() {
        eprintln!(
            "pillarlint: no path given; checking the built-in example ({}). Pass files, directories or `-` for standard input.",
            pillarlint_core::example::BOOKSTORE.file_name
        );
    }
    let mut run = run::analyse_all(inputs, &filter, &args.stdin_filename, !args.quiet);
    for (path, msg) in problems {
        run.files.push(run::Analysed {
            report: pillarlint_core::report::FileReport::failed(
                &path,
                pillarlint_core::parse::ParseError::at(msg, 0, 0),
            ),
            text: None,
            files: Vec::new(),
            app: None,
        });
    }
    let skipped = run.skipped;
    if skipped > 0 && !args.quiet {
        eprintln!(
            "pillarlint: skipped {skipped} file{} that are not templates",
            if skipped == 1 { "" } else { "s" }
        );
    }
    if run.files.is_empty() && !args.quiet {
        eprintln!("pillarlint: no template found");
    }

    let out = match args.format {
        OutputFormat::Json => {
            let report = Report {
                files: run.files.iter().map(|a| a.report.clone()).collect(),
                apps: run.apps.clone(),
                ..Report::default()
            };
            serde_json::to_string_pretty(&report).map(|s| s + "\n")
        }
        OutputFormat::Sarif => {
            let base = configured_base(args.base.as_ref(), cfg.base_url.as_ref());
            serde_json::to_string_pretty(&format::sarif::render(&run, base.as_deref()))
                .map(|s| s + "\n")
        }
        OutputFormat::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            Ok(format::text::render(&run, format::text::Style { color }))
        }
        OutputFormat::Markdown => Ok(format::markdown::render(
            &run,
            &base_url(args.base.as_ref(), cfg.base_url.as_ref()),
        )),
        OutputFormat::Github => Ok(format::github::render(&run)),
    };
    let out = match out {
        Ok(s) => s,
        Err(e) => return usage_error(&format!("cannot serialise the report: {e}")),
    };
    let written = match &args.output {
        Some(p) => std::fs::write(p, out.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", p.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the report: {e}"))
        }
    };
    if let Err(e) = written {
        return usage_error(&e);
    }
    if run.files.iter().any(|a| a.report.error.is_some()) {
        return EXIT_ERROR;
    }
    let failing = fail_on.threshold().is_some_and(|min| {
        run.files
            .iter()
            .flat_map(|a| a.report.active())
            .any(|f| f.severity >= min)
    });
    if failing {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn rules(args: &RulesArgs) -> u8 {
    if let Some(id) = &args.id {
        let Some(r) = pillarlint_core::rules::rule(id) else {
            return usage_error(&format!(
                "unknown rule `{id}` (run `pillarlint rules` for the list)"
            ));
        };
        let m = r.meta();
        if args.json {
            match serde_json::to_string_pretty(m) {
                Ok(s) => println!("{s}"),
                Err(e) => return usage_error(&e.to_string()),
            }
            return EXIT_OK;
        }
        println!(
            "{} {} — {} · {}\n",
            m.id,
            m.name,
            m.pillar.title(),
            m.severity.as_str()
        );
        println!("{}", m.docs.trim_end());
        if !m.sources.is_empty() {
            let s: Vec<String> = m
                .sources
                .iter()
                .map(|s| {
                    let v = serde_json::to_value(s).unwrap_or_default();
                    format!("{} {}", v["tool"].as_str().unwrap_or_default(), s.id())
                })
                .collect();
            println!("\nEquivalent rules: {}", s.join(", "));
        }
        return EXIT_OK;
    }
    if args.json {
        let list: Vec<_> = RULES
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({
                    "id": m.id, "name": m.name, "pillar": m.pillar, "severity": m.severity,
                    "summary": m.summary(), "docs": m.docs, "sources": m.sources,
                    "graph": m.graph,
                })
            })
            .collect();
        match serde_json::to_string_pretty(&list) {
            Ok(s) => println!("{s}"),
            Err(e) => return usage_error(&e.to_string()),
        }
        return EXIT_OK;
    }
    for r in RULES {
        let m = r.meta();
        println!(
            "{:<8} {:<8} {:<9} {}",
            m.id,
            m.pillar.as_str(),
            m.severity.as_str(),
            m.summary().replace('\n', " ")
        );
    }
    EXIT_OK
}

/// Read a file or standard input as template text.
fn read_input(file: &str) -> Result<(String, String), String> {
    let bytes = if file == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf)
            .map(|_| buf)
            .map_err(|e| format!("{}: cannot read standard input: {e}", run::STDIN_NAME))?
    } else {
        std::fs::read(file).map_err(|e| format!("{file}: cannot read the file: {e}"))?
    };
    let name = if file == "-" {
        run::STDIN_NAME.to_owned()
    } else {
        file.to_owned()
    };
    let text = pillarlint_core::parse::decode(&bytes)
        .map_err(|e| format!("{name}:{}:{}: {}", e.line, e.column, e.message))?;
    Ok((name, text.to_owned()))
}

/// What `graph` and `permalink` work on: one template, or an app of several files.
enum Target {
    One(String, String),
    App(Box<pillarlint_core::app::App>),
}

/// The template or app `file` names (`-`: standard input): a directory must hold one app
/// (a `cdk.out`, a template with nested stacks) or one template; a template that names
/// nested templates or includes is read with them.
fn target(file: &str) -> Result<Target, String> {
    use pillarlint_core::app::{self, AppKind, FileSet};
    if file == "-" {
        return read_input(file).map(|(n, t)| Target::One(n, t));
    }
    let (files, asked) = run::read_app(file)?;
    let set: FileSet<'_> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let plans = app::plan(&set);
    let dir = std::path::Path::new(file).is_dir();
    let apps: Vec<_> = plans.iter().filter(|p| p.kind != AppKind::Single).collect();
    let chosen = if dir {
        match apps.as_slice() {
            [one] => Some(*one),
            [] => None,
            many => {
                let roots: Vec<&str> = many.iter().map(|p| p.root.as_str()).collect();
                return Err(format!(
                    "{file} holds {} apps ({}); name one of them",
                    many.len(),
                    roots.join(", ")
                ));
            }
        }
    } else {
        plans
            .iter()
            .find(|p| p.members.iter().any(|m| asked.contains(m)))
    };
    match chosen {
        Some(p) if p.kind != AppKind::Single => Ok(Target::App(Box::new(app::analyze(p, &set)))),
        _ => {
            let singles: Vec<&str> = plans
                .iter()
                .filter(|p| p.kind == AppKind::Single)
                .map(|p| p.root.as_str())
                .collect();
            let one = if dir {
                match singles.as_slice() {
                    [one] => (*one).to_owned(),
                    [] => return Err(format!("{file}: no template found")),
                    _ => {
                        return Err(format!(
                            "{file} holds {} templates; name one of them",
                            singles.len()
                        ))
                    }
                }
            } else {
                asked.first().cloned().unwrap_or_else(|| file.to_owned())
            };
            let bytes = set.get(&one).unwrap_or_default();
            let text = pillarlint_core::parse::decode(bytes)
                .map_err(|e| format!("{one}:{}:{}: {}", e.line, e.column, e.message))?;
            Ok(Target::One(
                if dir { one } else { file.to_owned() },
                text.to_owned(),
            ))
        }
    }
}

fn graph_cmd(args: &GraphArgs) -> u8 {
    let (name, text) = match target(&args.file) {
        Ok(Target::One(n, t)) => (n, t),
        Ok(Target::App(app)) => {
            if let Some(e) = app
                .files
                .iter()
                .find_map(|f| f.error.as_ref().map(|e| (f, e)))
            {
                return usage_error(&format!(
                    "{}:{}:{}: {}",
                    e.0.path, e.1.line, e.1.column, e.1.message
                ));
            }
            return match graph::export_app(args.format, &app) {
                Ok(s) => {
                    println!("{}", s.trim_end());
                    EXIT_OK
                }
                Err(e) => usage_error(&e),
            };
        }
        Err(e) => return usage_error(&e),
    };
    let analysis = match pillarlint_core::analyze_text(&text) {
        Ok(a) => a,
        Err(e) => return usage_error(&format!("{name}:{}:{}: {}", e.line, e.column, e.message)),
    };
    match graph::export(args.format, &analysis, &name) {
        Ok(s) => {
            println!("{}", s.trim_end());
            EXIT_OK
        }
        Err(e) => usage_error(&e),
    }
}

fn permalink_cmd(args: &PermalinkArgs) -> u8 {
    use pillarlint_core::permalink::{self, State};
    let (name, text) = match target(&args.file) {
        Ok(Target::One(n, t)) => (n, t),
        Ok(Target::App(app)) => return permalink_app(args, &app),
        Err(e) => return usage_error(&e),
    };
    let text = if args.redact {
        permalink::redact_secrets(&text)
    } else {
        text
    };
    let short_name = std::path::Path::new(&name)
        .file_name()
        .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
    let mut state = if args.findings_only {
        let report = pillarlint_core::report_file(&short_name, text.as_bytes());
        if let Some(e) = &report.error {
            return usage_error(&format!("{name}:{}:{}: {}", e.line, e.column, e.message));
        }
        State::findings_only(&report)
    } else {
        State::with_text(text)
    };
    state.path = Some(short_name);
    state.pillars.clone_from(&args.pillar);
    state.selected.clone_from(&args.select);
    print_link(args, &state, &name)
}

/// A link to an app of several files: all its templates, or its graph and findings only.
fn permalink_app(args: &PermalinkArgs, app: &pillarlint_core::app::App) -> u8 {
    use pillarlint_core::permalink::State;
    let Some(view) = app.view() else {
        return usage_error(&format!("{}: the app cannot be read", app.root));
    };
    if let Some((f, e)) = app
        .files
        .iter()
        .find_map(|f| f.error.as_ref().map(|e| (f, e)))
    {
        return usage_error(&format!(
            "{}:{}:{}: {}",
            f.path, e.line, e.column, e.message
        ));
    }
    let mut state = if args.findings_only {
        State::findings_only(&view.as_report())
    } else {
        let text = |p: &str| {
            let t = std::fs::read(p).ok()?;
            let t = pillarlint_core::parse::decode(&t).ok()?.to_owned();
            Some(if args.redact {
                pillarlint_core::permalink::redact_secrets(&t)
            } else {
                t
            })
        };
        State::with_files(pillarlint_core::app::share::link_files(&view, &text))
    };
    if args.findings_only {
        state.path = Some(view.name.clone());
    }
    state.pillars.clone_from(&args.pillar);
    state.selected.clone_from(&args.select);
    print_link(args, &state, &app.name)
}

fn print_link(args: &PermalinkArgs, state: &pillarlint_core::permalink::State, name: &str) -> u8 {
    use pillarlint_core::permalink;
    let base = base_url(args.base.as_ref(), None);
    match permalink::link(state, &base, args.embed) {
        Ok(url) => {
            if url.len() > permalink::LONG_LINK_WARNING {
                let hint = if args.findings_only {
                    ""
                } else {
                    " (try --findings-only)"
                };
                eprintln!(
                    "pillarlint: the link is {} characters long; some chat tools cut links over {}{hint}",
                    url.len(),
                    permalink::LONG_LINK_WARNING
                );
            }
            println!("{url}");
            EXIT_OK
        }
        Err(e) => usage_error(&format!("{name}: {e}")),
    }
}

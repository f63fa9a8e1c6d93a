//! `pillarlint`: check serverless templates against the four pillars, in CI.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use pillarlint_core::report::{FileReport, Report};
use pillarlint_core::rules::Severity;

#[derive(Parser, Debug)]
#[command(
    name = "pillarlint",
    version,
    about = "Security linter for serverless templates (CloudFormation, SAM, Serverless Framework)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check templates and print findings.
    Check(CheckArgs),
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Template files; `-` reads standard input. With none, checks the built-in example.
    paths: Vec<String>,
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Exit 1 when a finding reaches this severity (`never` to always exit 0).
    #[arg(long, default_value = "high")]
    fail_on: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(&args),
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let fail_on = match args.fail_on.as_str() {
        "never" => None,
        s => {
            match Severity::parse(s) {
                Some(s) => Some(s),
                None => {
                    eprintln!("pillarlint: --fail-on takes low, medium, high, critical or never, not `{s}`");
                    return ExitCode::from(2);
                }
            }
        }
    };
    let mut report = Report::default();
    let mut unreadable = false;
    if args.paths.is_empty() {
        eprintln!(
            "pillarlint: no path given; checking the built-in example ({})",
            pillarlint_core::example::BOOKSTORE.file_name
        );
        let ex = pillarlint_core::example::BOOKSTORE;
        report.files.push(pillarlint_core::report_file(
            ex.file_name,
            ex.text.as_bytes(),
        ));
    }
    for path in &args.paths {
        let bytes = if path == "-" {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map(|_| buf)
        } else {
            std::fs::read(path)
        };
        match bytes {
            Ok(b) => report.files.push(pillarlint_core::report_file(path, &b)),
            Err(e) => {
                report.files.push(FileReport::failed(
                    path,
                    pillarlint_core::parse::ParseError::at(
                        format!("cannot read the file: {e}"),
                        0,
                        0,
                    ),
                ));
            }
        }
    }
    unreadable |= report.files.iter().any(|f| f.error.is_some());
    match args.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("pillarlint: cannot serialise the report: {e}");
                return ExitCode::from(2);
            }
        },
        OutputFormat::Text => print_text(&report),
    }
    if unreadable {
        return ExitCode::from(2);
    }
    let failing = fail_on.is_some_and(|min| {
        report
            .files
            .iter()
            .flat_map(FileReport::active)
            .any(|f| f.severity >= min)
    });
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(report: &Report) {
    for f in &report.files {
        if let Some(e) = &f.error {
            println!("{}:{}:{}: error: {}", f.path, e.line, e.column, e.message);
            continue;
        }
        for x in f.active() {
            println!(
                "{}:{}:{}: {} [{}] {} {}",
                f.path,
                x.line,
                x.column,
                x.severity.as_str(),
                x.pillar.as_str(),
                x.rule,
                x.message
            );
        }
    }
}

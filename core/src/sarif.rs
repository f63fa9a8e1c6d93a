//! SARIF 2.1.0 as GitHub code scanning reads it: the CLI's `--format sarif` and the web
//! app's export write the same log. Where a report's path points (a file relative to the
//! repository, an absolute path) is the caller's: it passes each finding's artifact location.

use serde_json::{json, Value};

use crate::report::{FileReport, FindingOut, TOOL_NAME, VERSION};
use crate::rules::{RuleMeta, Severity, RULES};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://example.invalid/pillarlint";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub orders alerts by this (0.1–10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// Where a rule's help lives: with a configured base URL (a team's own pillarlint web app:
/// `--base`, `PILLARLINT_BASE_URL` or `base-url` in the config), that app's page for the
/// rule; otherwise the first reference link of the rule's docs.
pub fn help_uri(m: &RuleMeta, base: Option<&str>) -> String {
    if let Some(base) = base {
        return format!("{}#/rules/{}", app_url(base), m.id);
    }
    m.docs
        .split("## References")
        .nth(1)
        .and_then(|refs| {
            refs.split_whitespace()
                .find(|w| w.starts_with("https://"))
                .map(|w| w.trim_end_matches([')', '>', '.', ',']).to_owned())
        })
        .unwrap_or_else(|| format!("{INFORMATION_URI}/rules/{}", m.id))
}

/// Markdown to plain-ish text: drop code fences' info strings and heading marks.
fn plain(md: &str) -> String {
    md.lines()
        .map(|l| {
            let t = l.trim_start_matches('#').trim_start();
            if l.starts_with("```") {
                String::new()
            } else if l.starts_with('#') {
                format!("{t}:")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// The web app's page for a base URL, as permalinks have it ([`crate::permalink::page_url`]), with a
/// trailing `/` on a directory so `#/rules/ID` lands on the app.
fn app_url(base: &str) -> String {
    let mut url = crate::permalink::page_url(base, false);
    if !url.ends_with('/') && !url.ends_with(".html") {
        url.push('/');
    }
    url
}

fn rule(m: &RuleMeta, base: Option<&str>) -> Value {
    // a build without the rules' docs (the web app's) describes a rule by its name
    let short = if m.summary().is_empty() {
        m.name
    } else {
        m.summary()
    };
    let mut r = json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": { "text": short },
        "helpUri": help_uri(m, base),
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": {
            "tags": ["security", m.pillar.as_str()],
            "precision": "high",
            "problem.severity": match m.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low => "recommendation",
            },
            "security-severity": security_severity(m.severity),
            "pillar": m.pillar.as_str(),
        }
    });
    if !m.docs.is_empty() {
        r["fullDescription"] = json!({ "text": plain(m.docs) });
        r["help"] = json!({ "text": plain(m.docs), "markdown": m.docs });
    }
    r
}

/// A path relative to the repository root (`%SRCROOT%`) as a SARIF artifact location.
pub fn relative_artifact(path: &str) -> Value {
    json!({ "uri": encode_uri(path.trim_start_matches("./")), "uriBaseId": "%SRCROOT%" })
}

/// A path as a URI reference: RFC 3986's unreserved and sub-delimiter characters and `/`,
/// `:` and `@` as they are, every other byte percent-encoded.
pub fn encode_uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(f: &FindingOut) -> Value {
    let mut r = json!({
        "startLine": f.line.max(1),
        "startColumn": f.column.max(1),
    });
    if f.end_line >= f.line.max(1) {
        r["endLine"] = json!(f.end_line);
        if f.end_line > f.line || f.end_column > f.column {
            r["endColumn"] = json!(f.end_column.max(1));
        }
    }
    r
}

fn result(artifact: Value, f: &FindingOut) -> Value {
    let index = RULES.iter().position(|r| r.meta().id == f.rule);
    let mut text = f.message.clone();
    if !f.remediation.is_empty() {
        text.push_str(" Fix: ");
        text.push_str(&f.remediation);
    }
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": region(f),
        }
    });
    if let Some(res) = &f.resource {
        // A CDK resource is found by its construct path; its logical id stays the name.
        let mut logical = json!({ "name": res, "kind": "resource" });
        if let Some(path) = &f.construct_path {
            logical["fullyQualifiedName"] = json!(path);
        }
        loc["logicalLocations"] = json!([logical]);
    }
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [loc],
        "partialFingerprints": { "pillarlintFingerprint/v1": f.fingerprint },
        "properties": {
            "pillar": f.pillar.as_str(),
            "severity": f.severity.as_str(),
        }
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        r["properties"]["related"] = json!(f.related);
    }
    if let Some(path) = &f.construct_path {
        r["properties"]["constructPath"] = json!(path);
    }
    if let Some(s) = &f.suppressed {
        r["suppressions"] = json!([{
            "kind": "inSource",
            "status": "accepted",
            "justification": format!("{} ({})", s.reason, s.by),
        }]);
    }
    r
}

/// One report of a run, and the app it belongs to (by name), if any.
#[derive(Debug)]
pub struct Input<'a> {
    pub report: &'a FileReport,
    pub app: Option<&'a str>,
}

/// The SARIF log of `files`. `base`: the configured base URL of a team's own web app, if
/// any (see [`help_uri`]). `artifact(path, file)`: the location of a report's path, or of
/// file `file` of an app read from that path.
pub fn render(
    files: &[Input<'_>],
    base: Option<&str>,
    artifact: &dyn Fn(&str, Option<&str>) -> Value,
) -> Value {
    let rules: Vec<Value> = RULES.iter().map(|r| rule(r.meta(), base)).collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for input in files {
        let r = input.report;
        for f in &r.findings {
            let mut res = result(artifact(&r.path, f.file.as_deref()), f);
            if let Some(app) = input.app {
                res["properties"]["app"] = json!(app);
            }
            results.push(res);
        }
        if let Some(e) = &r.error {
            let mut loc =
                json!({ "physicalLocation": { "artifactLocation": artifact(&r.path, None) } });
            if e.line > 0 {
                loc["physicalLocation"]["region"] =
                    json!({ "startLine": e.line, "startColumn": e.column.max(1) });
            }
            notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {}", r.path, e.message) },
                "locations": [loc],
            }));
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": TOOL_NAME,
                "version": VERSION,
                "semanticVersion": VERSION,
                "informationUri": base.map_or_else(|| INFORMATION_URI.to_owned(), app_url),
                "rules": rules,
            }},
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "The directory pillarlint ran in (the repository root in CI)." } } },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "columnKind": "unicodeCodePoints",
        }]
    })
}

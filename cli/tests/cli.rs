//! Integration tests: the real `pillarlint` binary on fixtures with known findings.
//!
//! Fixtures (cli/tests/fixtures/project): `api/template.yaml` has AUTH001 (an unauthenticated
//! REST route, line 17), `iam/wildcard.template.json` and `cdk.out/AppStack.template.json`
//! have AUTH002 (an IAM `*` action, line 23, critical), `clean/serverless.yml` has nothing,
//! `broken/template.yaml` is invalid YAML, `misc/` holds no templates, and `cdk.out/` is a
//! CDK cloud assembly of one stack (its `manifest.json` names `AppStack.template.json`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pillarlint"));
    c.env_remove("NO_COLOR").env_remove("PILLARLINT_BASE_URL");
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn project() -> PathBuf {
    fixtures().join("project")
}

fn api() -> String {
    project().join("api/template.yaml").display().to_string()
}

fn iam() -> String {
    project()
        .join("iam/wildcard.template.json")
        .display()
        .to_string()
}

fn clean() -> String {
    project().join("clean/serverless.yml").display().to_string()
}

fn broken() -> String {
    project().join("broken/template.yaml").display().to_string()
}

/// The corpus directory, without `..` (reports name files by their normalized path).
fn corpus() -> PathBuf {
    let p = std::env::var_os("PILLARLINT_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"),
        PathBuf::from,
    );
    std::fs::canonicalize(&p).unwrap_or(p)
}

fn pin() -> String {
    fixtures().join("pin.yaml").display().to_string()
}

/// Run in an empty directory so no `.pillarlint.yaml` above the repository interferes.
/// `check` runs are pinned to AUTH001/AUTH002 (tests/fixtures/pin.yaml) unless they pass a
/// config of their own: other rules are added in parallel and would change the counts.
fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let pin = pin();
    let mut args: Vec<&str> = args.to_vec();
    if args.first() == Some(&"check") && !args.iter().any(|a| a.ends_with("config")) {
        args.splice(1..1, ["--config", pin.as_str()]);
    }
    bin()
        .args(&args)
        .current_dir(dir.path())
        .output()
        .expect("the binary runs")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

fn file<'a>(report: &'a Value, suffix: &str) -> &'a Value {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no file ending {suffix} in {report}"))
}

fn rules_of(f: &Value) -> Vec<String> {
    f["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|x| x["rule"].as_str().expect("rule").to_owned())
        .collect()
}

/// The SARIF 2.1.0 schema as shipped in the serde-sarif crate (src/schema.json), unchanged
/// on disk, compiled.
fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("sarif-2.1.0-schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    // The official schema's `language` patterns have a stray `]` that the meta-schema's
    // `format: regex` check rejects; use the pattern they mean (a language tag like `en-US`).
    let fixed = fix_pattern(
        &mut schema,
        "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
        "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
    );
    assert!(fixed >= 1);
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

// ---------------------------------------------------------------------------------------
// Formats
// ---------------------------------------------------------------------------------------

#[test]
fn json_is_the_report_contract() {
    let o = run(&["check", "--format", "json", &api(), &iam(), &clean()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["tool"]["name"], "pillarlint");
    assert!(r["tool"]["version"].is_string());
    assert_eq!(r["files"].as_array().expect("files").len(), 3);

    let a = file(&r, "api/template.yaml");
    assert_eq!(a["format"], "cloudformation");
    assert!(a["error"].is_null());
    let f = &a["findings"][0];
    assert_eq!(f["rule"], "AUTH001");
    assert_eq!(f["pillar"], "auth");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["line"], 17);
    assert!(f["message"]
        .as_str()
        .expect("message")
        .contains("POST /author"));
    assert!(!f["remediation"].as_str().expect("remediation").is_empty());
    assert_eq!(f["fingerprint"].as_str().expect("fingerprint").len(), 16);
    let ids: Vec<&str> = a["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"Fn"), "{ids:?}");
    for e in a["edges"].as_array().expect("edges") {
        for k in ["from", "to", "kind", "label"] {
            assert!(e[k].is_string(), "edge lacks {k}: {e}");
        }
    }

    let w = file(&r, "wildcard.template.json");
    assert_eq!(rules_of(w), vec!["AUTH002"]);
    assert_eq!(w["findings"][0]["resource"], "FnRole");
    assert_eq!(w["findings"][0]["line"], 23);
    assert_eq!(file(&r, "serverless.yml")["format"], "serverless");
    assert!(rules_of(file(&r, "serverless.yml")).is_empty());
}

#[test]
fn text_has_code_frames_and_a_pillar_summary() {
    let o = run(&["check", &api(), &iam()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        !out.contains('\x1b'),
        "no colour when not a terminal: {out}"
    );
    assert!(out.contains("api/template.yaml\n"), "{out}");
    assert!(out.contains("17:26"), "{out}");
    assert!(out.contains("AUTH001"), "{out}");
    // The frame: the source line, then a caret under the column.
    let lines: Vec<&str> = out.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.contains("17 |       AuthorizationType: NONE"))
        .unwrap_or_else(|| panic!("no code frame in {out}"));
    let caret = lines[i + 1];
    let src_col = lines[i].find("AuthorizationType").expect("col") + "AuthorizationType: ".len();
    assert_eq!(caret.find('^'), Some(src_col), "{caret:?}");
    // Grouped by file, then the summary.
    assert!(out.find("api/template.yaml") < out.find("wildcard.template.json"));
    let last = lines.last().expect("summary");
    assert!(last.contains("2 files, 2 findings"), "{last}");
    assert!(last.contains("auth 2") && last.contains("data 0"), "{last}");

    let coloured = run(&["check", "--color", "always", &api()]);
    assert!(stdout(&coloured).contains("\x1b["));
}

#[test]
fn sarif_validates_against_the_schema_and_maps_every_finding() {
    let validator = sarif_validator();
    let o = run(&["check", "--format", "sarif", &api(), &iam(), &broken()]);
    assert_eq!(o.status.code(), Some(2));
    let sarif = json(&o);
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    // A broken document must fail the same validator (the test can fail).
    let mut bad = sarif.clone();
    bad["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!validator.is_valid(&bad));

    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "pillarlint");
    assert!(driver["version"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    let auth001 = rules
        .iter()
        .find(|r| r["id"] == "AUTH001")
        .expect("AUTH001 rule");
    for k in ["shortDescription", "fullDescription"] {
        assert!(!auth001[k]["text"].as_str().expect(k).is_empty());
    }
    assert!(auth001["help"]["markdown"]
        .as_str()
        .expect("markdown")
        .contains("## Remediation"));
    assert!(auth001["helpUri"]
        .as_str()
        .expect("helpUri")
        .starts_with("https://"));
    assert!(auth001["properties"]["security-severity"].is_string());

    // With a base URL (the team's own pillarlint web app), rules link to its rule pages and
    // the log still validates.
    let hosted = run(&[
        "check",
        "--format",
        "sarif",
        "--base",
        "https://lint.example.org/pillarlint",
        &api(),
    ]);
    let hosted = json(&hosted);
    assert!(validator.is_valid(&hosted));
    let hosted_driver = &hosted["runs"][0]["tool"]["driver"];
    assert_eq!(
        hosted_driver["informationUri"],
        "https://lint.example.org/pillarlint/"
    );
    let hosted_auth001 = hosted_driver["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["id"] == "AUTH001")
        .expect("AUTH001 rule");
    assert_eq!(
        hosted_auth001["helpUri"],
        "https://lint.example.org/pillarlint/#/rules/AUTH001"
    );

    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "AUTH001")
        .expect("AUTH001 result");
    let loc = &r["locations"][0]["physicalLocation"];
    assert!(loc["artifactLocation"]["uri"]
        .as_str()
        .expect("uri")
        .ends_with("api/template.yaml"));
    assert_eq!(loc["region"]["startLine"], 17);
    assert_eq!(loc["region"]["startColumn"], 26);
    assert!(loc["region"]["endLine"].as_u64() >= Some(17));
    assert!(loc["region"]["endColumn"].is_u64());
    assert_eq!(r["level"], "error");
    let idx = usize::try_from(r["ruleIndex"].as_u64().expect("ruleIndex")).expect("idx");
    assert_eq!(rules[idx]["id"], "AUTH001");

    // The broken file is a notification with its position.
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notes.len(), 1);
    assert!(notes[0]["message"]["text"]
        .as_str()
        .expect("text")
        .contains("broken/template.yaml"));
    assert!(notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(0));
    assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
}

fn fix_pattern(v: &mut Value, from: &str, to: &str) -> usize {
    match v {
        Value::Object(m) => {
            let mut n = 0;
            for (k, x) in m.iter_mut() {
                if k == "pattern" && x == from {
                    *x = to.into();
                    n += 1;
                } else {
                    n += fix_pattern(x, from, to);
                }
            }
            n
        }
        Value::Array(a) => a.iter_mut().map(|x| fix_pattern(x, from, to)).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_fingerprints_are_the_reports_and_stable_across_runs() {
    let a = json(&run(&["check", "--format", "sarif", &api(), &iam()]));
    let b = json(&run(&["check", "--format", "sarif", &api(), &iam()]));
    let fps = |s: &Value| -> Vec<String> {
        s["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                r["partialFingerprints"]["pillarlintFingerprint/v1"]
                    .as_str()
                    .expect("fingerprint")
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(fps(&a), fps(&b));
    let report = json(&run(&["check", "--format", "json", &api(), &iam()]));
    let from_json: Vec<String> = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["findings"].as_array().expect("findings").clone())
        .map(|f| f["fingerprint"].as_str().expect("fp").to_owned())
        .collect();
    assert_eq!(fps(&a), from_json);
}

#[test]
fn suppressed_findings_become_sarif_suppressions_and_do_not_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".pillarlint.yaml"),
        "rules: [AUTH002]\nsuppress:\n  - rule: AUTH002\n    resource: FnRole\n    reason: migration role, reviewed\n",
    )
    .expect("write config");
    let o = run_in(dir.path(), &["check", "--format", "sarif", &iam()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sarif = json(&o);
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "AUTH002");
    assert_eq!(r["suppressions"][0]["kind"], "inSource");
    assert!(r["suppressions"][0]["justification"]
        .as_str()
        .expect("justification")
        .contains("migration role"));
    let j = json(&run_in(dir.path(), &["check", "--format", "json", &iam()]));
    assert_eq!(j["files"][0]["findings"][0]["suppressed"]["by"], "config");
}

#[test]
fn markdown_has_a_pillar_table_findings_and_a_working_permalink() {
    let o = run(&[
        "check",
        "--format",
        "markdown",
        "--base",
        "https://lint.example.test/app/",
        &api(),
        &iam(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let md = stdout(&o);
    assert!(
        md.starts_with("## pillarlint: 2 findings in 2 files"),
        "{md}"
    );
    assert!(md.contains("| Pillar | Critical | High | Medium | Low | Total |"));
    assert!(
        md.contains("| Authentication & authorization (`auth`) | 1 | 1 | 0 | 0 | **2** |"),
        "{md}"
    );
    assert!(
        md.contains("| high | `AUTH001` | auth | `PostAuthor` | 17 |"),
        "{md}"
    );
    assert!(md.contains("`AUTH002`"));
    let link = md
        .split("](")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .expect("a link");
    assert!(
        link.starts_with("https://lint.example.test/app/#v1."),
        "{link}"
    );
    let state = pillarlint_core::permalink::decode(link).expect("the link decodes");
    let text = state.text.expect("text");
    assert!(text.contains("AuthorizationType: NONE"));
    assert!(
        text.contains("DB_PASSWORD: REDACTED"),
        "secrets are redacted"
    );
    assert!(!text.contains("hunter2"));
}

#[test]
fn github_format_prints_workflow_annotations() {
    let o = run(&["check", "--format", "github", &api(), &iam(), &broken()]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let auth001 = out
        .lines()
        .find(|l| l.contains("AUTH001"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(auth001.starts_with("::error file="), "{auth001}");
    assert!(
        auth001.contains("api/template.yaml,line=17,col=26,"),
        "{auth001}"
    );
    assert!(
        auth001.contains(",title=AUTH001 (high · auth)::"),
        "{auth001}"
    );
    assert!(auth001.contains("POST /author"));
    assert!(
        auth001.contains("%0AFix: "),
        "newlines are escaped: {auth001}"
    );
    let err = out
        .lines()
        .find(|l| l.contains("broken/template.yaml"))
        .expect("the broken file is annotated");
    assert!(
        err.starts_with("::error file=") && err.contains(",line="),
        "{err}"
    );
    assert_eq!(out.lines().count(), 3);
}

// ---------------------------------------------------------------------------------------
// Exit codes, filters, inputs
// ---------------------------------------------------------------------------------------

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(run(&["check", &clean()]).status.code(), Some(0));
    assert_eq!(run(&["check", &api()]).status.code(), Some(1));
    assert_eq!(
        run(&["check", "--fail-on", "never", &api()]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--fail-on", "critical", &api()])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "--fail-on", "critical", &iam()])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        run(&["check", "--fail-on", "low", &api()]).status.code(),
        Some(1)
    );
    // Usage errors.
    let o = run(&["check", "--fail-on", "sometimes", &api()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("sometimes"));
    assert_eq!(
        run(&["check", "--format", "xml", &api()]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--rule", "NOPE9", &api()]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

#[test]
fn unreadable_and_broken_files_exit_2_and_do_not_stop_the_run() {
    let missing = project().join("nope/template.yaml").display().to_string();
    let o = run(&["check", "--format", "json", &broken(), &missing, &api()]);
    assert_eq!(o.status.code(), Some(2));
    let r = json(&o);
    assert_eq!(r["files"].as_array().expect("files").len(), 3);
    let b = file(&r, "broken/template.yaml");
    assert!(b["error"]["message"]
        .as_str()
        .expect("msg")
        .contains("YAML"));
    assert!(b["error"]["line"].as_u64() > Some(0));
    assert!(b["error"]["column"].as_u64() > Some(0));
    let m = file(&r, "nope/template.yaml");
    assert!(m["error"]["message"]
        .as_str()
        .expect("msg")
        .contains("cannot read"));
    assert_eq!(rules_of(file(&r, "api/template.yaml")), vec!["AUTH001"]);
    // Text output names the file and position.
    let t = stdout(&run(&["check", &broken()]));
    assert!(t.contains("broken/template.yaml"), "{t}");
    assert!(t.contains("9:1  error"), "{t}");
}

#[test]
fn filters_select_pillars_rules_and_severities() {
    let both = [api(), iam()];
    let count = |extra: &[&str]| -> (usize, Option<i32>) {
        let mut args = vec!["check", "--format", "json"];
        args.extend_from_slice(extra);
        args.extend(both.iter().map(String::as_str));
        let o = run(&args);
        let r = json(&o);
        let n = r["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["findings"].as_array().expect("findings").len())
            .sum();
        (n, o.status.code())
    };
    assert_eq!(count(&[]), (2, Some(1)));
    assert_eq!(count(&["--pillar", "data,dos"]), (0, Some(0)));
    assert_eq!(count(&["--pillar", "auth"]), (2, Some(1)));
    assert_eq!(count(&["--rule", "AUTH002"]).0, 1);
    assert_eq!(count(&["--skip-rule", "AUTH002"]).0, 1);
    assert_eq!(count(&["--skip-rule", "AUTH001,AUTH002"]), (0, Some(0)));
    assert_eq!(count(&["--min-severity", "critical"]).0, 1);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read_to_string(api()).expect("fixture");
    let mut child = bin()
        .args(["check", "--config", &pin(), "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(1));
    let r = json(&o);
    assert_eq!(r["files"][0]["path"], "<stdin>");
    assert_eq!(rules_of(&r["files"][0]), vec!["AUTH001"]);

    let mut child = bin()
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "infra/api.yaml",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"Resources: [")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(o.status.code(), Some(2));
    let r = json(&o);
    assert_eq!(r["files"][0]["path"], "infra/api.yaml");
    assert!(r["files"][0]["error"].is_object());
}

#[test]
fn no_path_checks_the_builtin_example_and_says_so() {
    let o = run(&["check", "--format", "json"]);
    assert!(stderr(&o).contains("built-in example"), "{}", stderr(&o));
    let r = json(&o);
    assert_eq!(r["files"][0]["path"], "bookstore.sam.yaml");
    assert_eq!(r["files"][0]["format"], "sam");
    assert!(!r["files"][0]["nodes"].as_array().expect("nodes").is_empty());
}

#[test]
fn directories_are_recursed_and_templates_picked_by_content() {
    let o = run(&[
        "check",
        "--format",
        "json",
        &project().display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2), "the broken file makes it 2");
    let r = json(&o);
    let mut paths: Vec<String> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            let p = f["path"].as_str().expect("path");
            p[p.find("project/").expect("under project") + 8..].to_owned()
        })
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            "api/template.yaml",
            "broken/template.yaml",
            "cdk.out/AppStack.template.json",
            "clean/serverless.yml",
            "iam/wildcard.template.json",
        ]
    );
    assert!(
        stderr(&o).contains("skipped 2 files that are not templates"),
        "the cloud assembly's manifest is part of its app, not skipped: {}",
        stderr(&o)
    );
    // A file named explicitly is always analysed, and its error reported.
    let named = project().join("misc/package.json").display().to_string();
    let o = run(&["check", "--format", "json", &named]);
    assert_eq!(o.status.code(), Some(2));
    assert!(json(&o)["files"][0]["error"]["message"]
        .as_str()
        .expect("msg")
        .contains("does not look like a template"));
    // Unless asked to skip non-templates (pre-commit passes every YAML file by name).
    let o = run(&[
        "check",
        "--format",
        "json",
        "--skip-non-templates",
        &named,
        &api(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(json(&o)["files"].as_array().expect("files").len(), 1);
}

#[test]
fn a_terraform_directory_is_one_module_per_directory() {
    let dir = fixtures().join("terraform");
    let o = run(&["check", "--format", "json", &dir.display().to_string()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = json(&o);
    let files = r["files"].as_array().expect("files");
    // the root module (main.tf + iam.tf) and modules/queue, each one input
    assert_eq!(files.len(), 2, "{r}");
    let root = files
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with("terraform")))
        .expect("the root module");
    assert_eq!(root["format"], "terraform");
    let route = root["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "AUTH001")
        .expect("AUTH001");
    assert_eq!(
        (route["file"].as_str(), route["line"].as_u64()),
        (Some("main.tf"), Some(14))
    );
    let wild = root["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "AUTH002")
        .expect("AUTH002 across files: the role of main.tf's function, in iam.tf");
    assert_eq!(
        (wild["file"].as_str(), wild["line"].as_u64()),
        (Some("iam.tf"), Some(20))
    );
    assert!(wild["remediation"]
        .as_str()
        .is_some_and(|t| t.contains("actions =")));
    // text: file:line:col and the frame from that file
    let o = run(&["check", "--color", "never", &dir.display().to_string()]);
    let text = stdout(&o);
    assert!(text.contains("iam.tf:20:"), "{text}");
    assert!(
        text.contains("Statement = [{ Effect = \"Allow\", Action = \"*\""),
        "{text}"
    );
    // SARIF points at the module file
    let o = run(&["check", "--format", "sarif", &dir.display().to_string()]);
    assert!(stdout(&o).contains("terraform/iam.tf"), "{}", stdout(&o));
    // a .tf file named alone is read as HCL
    let o = run(&[
        "check",
        "--format",
        "json",
        &dir.join("main.tf").display().to_string(),
    ]);
    assert_eq!(json(&o)["files"][0]["format"], "terraform");
}

#[test]
fn globs_expand_like_directories() {
    let pattern = format!("{}/**/*.json", project().display());
    let r = json(&run(&["check", "--format", "json", &pattern]));
    let paths: Vec<&str> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.iter().all(|p| p.ends_with(".template.json")));
    let o = run(&["check", &format!("{}/**/*.nothing", project().display())]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_corpus_gives_one_report_with_every_file_and_positioned_errors() {
    let root = corpus();
    let mut expected = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("corpus readable") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x != "tsv") {
                expected.push(p.display().to_string());
            }
        }
    }
    expected.sort();
    assert!(expected.len() > 300, "corpus has {} files", expected.len());
    let o = run(&[
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        &root.display().to_string(),
    ]);
    let r = json(&o);
    let mut got: Vec<String> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect();
    got.sort();
    assert_eq!(got, expected);
    let broken: Vec<&Value> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| !f["error"].is_null())
        .collect();
    assert!(!broken.is_empty(), "the corpus has broken files");
    for f in &broken {
        assert!(f["error"]["line"].as_u64() > Some(0), "{f}");
        assert!(f["error"]["column"].as_u64() > Some(0), "{f}");
        assert!(!f["error"]["message"].as_str().expect("msg").is_empty());
    }
    assert_eq!(
        o.status.code(),
        Some(2),
        "broken files make the exit code 2"
    );
    let findings: usize = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["findings"].as_array().expect("findings").len())
        .sum();
    assert!(findings > 0);
}

// ---------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------

#[test]
fn config_is_found_walking_up_and_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".pillarlint.yaml"),
        "rules: [AUTH001, AUTH002]\nskip-rules: [AUTH001]\nseverity:\n  AUTH002: low\nignore: [vendor]\n",
    )
    .expect("config");
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("vendor")).expect("mkdir");
    std::fs::copy(api(), sub.join("template.yaml")).expect("copy");
    std::fs::copy(iam(), sub.join("stack.template.json")).expect("copy");
    std::fs::copy(api(), dir.path().join("vendor/template.yaml")).expect("copy");

    let o = run_in(&sub, &["check", "--format", "json", "."]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "AUTH002 lowered to low: {}",
        stderr(&o)
    );
    let r = json(&o);
    assert!(rules_of(file(&r, "template.yaml")).is_empty());
    let w = file(&r, "stack.template.json");
    assert_eq!(w["findings"][0]["severity"], "low");

    let o = run_in(dir.path(), &["check", "--format", "json", "."]);
    let r = json(&o);
    assert!(
        r["files"]
            .as_array()
            .expect("files")
            .iter()
            .all(|f| !f["path"].as_str().expect("path").contains("vendor")),
        "ignored paths are skipped: {r}"
    );
    // --no-config turns it off.
    let o = run_in(&sub, &["check", "--no-config", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn config_with_an_unknown_key_is_an_error_naming_the_file_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("settings.yaml");
    std::fs::write(&cfg, "pillars: [auth]\nfail_on: low\n").expect("config");
    let o = run(&["check", "--config", &cfg.display().to_string(), &api()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("settings.yaml:2:"), "{e}");
    assert!(e.contains("unknown field `fail_on`"), "{e}");
    assert!(o.stdout.is_empty(), "no report on a config error");

    std::fs::write(&cfg, "skip-rules: [AUTH999]\n").expect("config");
    let o = run(&["check", "--config", &cfg.display().to_string(), &api()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("AUTH999"));
}

// ---------------------------------------------------------------------------------------
// rules, graph, permalink
// ---------------------------------------------------------------------------------------

#[test]
fn rules_lists_and_documents() {
    let o = run(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    for r in pillarlint_core::rules::RULES {
        assert!(out.contains(r.meta().id), "{out}");
    }
    let o = run(&["rules", "auth002"]);
    let doc = stdout(&o);
    assert!(doc.starts_with("AUTH002 IamWildcardAction"), "{doc}");
    assert!(doc.contains("## Remediation"));
    assert!(doc.contains("checkov CKV_AWS_63"), "{doc}");
    let j: Value = serde_json::from_slice(&run(&["rules", "--json"]).stdout).expect("json");
    assert_eq!(
        j.as_array().expect("list").len(),
        pillarlint_core::rules::RULES.len()
    );
    assert_eq!(run(&["rules", "NOPE1"]).status.code(), Some(2));
}

#[test]
fn graph_formats_match_the_report() {
    let o = run(&["graph", "--format", "json", &api()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g = json(&o);
    let r = json(&run(&["check", "--no-config", "--format", "json", &api()]));
    let ids = |v: &Value| -> Vec<String> {
        let mut x: Vec<String> = v
            .as_array()
            .expect("nodes")
            .iter()
            .map(|n| n["id"].as_str().expect("id").to_owned())
            .collect();
        x.sort();
        x
    };
    let edges = |v: &Value| -> Vec<(String, String, String)> {
        let mut x: Vec<(String, String, String)> = v
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| {
                let s = |k: &str| e[k].as_str().expect(k).to_owned();
                (s("from"), s("to"), s("kind"))
            })
            .collect();
        x.sort();
        x
    };
    assert_eq!(ids(&g["nodes"]), ids(&r["files"][0]["nodes"]));
    assert_eq!(edges(&g["edges"]), edges(&r["files"][0]["edges"]));
    assert!(!g["edges"].as_array().expect("edges").is_empty());
    assert!(g["path"]
        .as_str()
        .expect("path")
        .ends_with("api/template.yaml"));

    let dot = stdout(&run(&["graph", "--format", "dot", &api()]));
    assert!(dot.trim_start().starts_with("digraph"), "{dot}");
    let mermaid = stdout(&run(&["graph", "--format", "mermaid", &api()]));
    for id in ids(&g["nodes"]) {
        assert!(dot.contains(&id), "{id} missing from DOT");
        assert!(mermaid.contains(&id), "{id} missing from Mermaid");
    }
    assert_eq!(run(&["graph", &broken()]).status.code(), Some(2));
}

#[test]
fn graph_svg_is_xml_with_every_node() {
    let o = run(&["graph", "--format", "svg", &api()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let svg = stdout(&o);
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses as XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let drawn: std::collections::BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-node-id"))
        .collect();
    let r = json(&run(&["check", "--no-config", "--format", "json", &api()]));
    let nodes = r["files"][0]["nodes"].as_array().expect("nodes");
    assert!(!nodes.is_empty());
    for n in nodes {
        let id = n["id"].as_str().expect("id");
        assert!(drawn.contains(id), "{id} missing from the SVG");
    }
    assert_eq!(drawn.len(), nodes.len());
    assert_eq!(
        run(&["graph", "--format", "svg", &broken()]).status.code(),
        Some(2)
    );
}

#[test]
fn permalink_prints_a_link_that_decodes_to_the_file() {
    let o = run(&["permalink", "--base", "https://lint.example.test/", &api()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = stdout(&o).trim().to_owned();
    assert!(url.starts_with("https://lint.example.test/#v1."), "{url}");
    let s = pillarlint_core::permalink::decode(&url).expect("decodes");
    assert_eq!(
        s.text.as_deref(),
        Some(std::fs::read_to_string(api()).expect("fixture").as_str())
    );
    assert_eq!(s.path.as_deref(), Some("template.yaml"));

    let o = run(&[
        "permalink",
        "--embed",
        "--redact",
        "--base",
        "https://lint.example.test/app",
        &api(),
    ]);
    let url = stdout(&o).trim().to_owned();
    assert!(
        url.starts_with("https://lint.example.test/app/embed.html#v1."),
        "{url}"
    );
    let s = pillarlint_core::permalink::decode(&url).expect("decodes");
    assert!(s.text.expect("text").contains("DB_PASSWORD: REDACTED"));

    let o = run(&["permalink", "--findings-only", &iam()]);
    let s = pillarlint_core::permalink::decode(stdout(&o).trim()).expect("decodes");
    assert!(s.text.is_none());
    let snap = s.snapshot.expect("snapshot");
    assert!(snap
        .findings
        .iter()
        .any(|f| f.rule == "AUTH002" && f.line == 23));
    assert!(snap.nodes.iter().any(|n| n.id == "FnRole" || n.id == "Fn"));

    assert_eq!(
        run(&["permalink", "/no/such/file.yaml"]).status.code(),
        Some(2)
    );
}

/// Colour follows the terminal: on for a TTY (a pseudo-terminal from util-linux `script`),
/// off when `NO_COLOR` is set, and the progress bar shows only on a terminal.
#[test]
fn colour_and_progress_follow_the_terminal() {
    let cmd = |extra: &str| {
        format!(
            "{} check --config {} {} {}",
            env!("CARGO_BIN_EXE_pillarlint"),
            pin(),
            extra,
            api()
        )
    };
    let tty = |no_color: Option<&str>, extra: &str| -> String {
        let mut c = Command::new("script");
        c.args(["-qec", &cmd(extra), "/dev/null"]);
        c.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        let o = c.output().expect("util-linux `script` runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let coloured = tty(None, "");
    assert!(coloured.contains("\x1b[1;31mhigh"), "{coloured:?}");
    let plain = tty(Some("1"), "");
    assert!(
        plain.contains("AUTH001") && !plain.contains('\x1b'),
        "{plain:?}"
    );
    let forced = tty(Some("1"), "--color always");
    assert!(forced.contains('\x1b'), "--color always wins over NO_COLOR");

    // Many files on a terminal: a progress bar on stderr (which `script` merges in).
    let many = format!(
        "{} check --config {} --fail-on never {}",
        env!("CARGO_BIN_EXE_pillarlint"),
        pin(),
        corpus().display()
    );
    let o = Command::new("script")
        .args(["-qec", &many, "/dev/null"])
        .output()
        .expect("script runs");
    let out = String::from_utf8_lossy(&o.stdout);
    let bar = out
        .split('\r')
        .find(|seg| {
            seg.starts_with('[') && seg.contains("] ") && seg.trim_end().ends_with(" files")
        })
        .unwrap_or_else(|| panic!("no progress bar: {out:.300}"));
    assert!(bar.contains('/'), "{bar}");
    // Not a terminal: no bar.
    let o = run(&[
        "check",
        "--fail-on",
        "never",
        &corpus().display().to_string(),
    ]);
    assert!(!stderr(&o).contains('['), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------
// Apps of several files (core/tests/app-fixtures: a synthesized cdk.out, nested stacks)
// ---------------------------------------------------------------------------------------

fn app_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/app-fixtures")
        .join(name)
        .display()
        .to_string()
}

const NESTED_TEMPLATE: &str = "LibraryStackPublicStack2C1A1264.nested.template.json";

#[test]
fn a_cdk_out_directory_is_one_app_in_every_format() {
    let dir = app_fixture("cdk.out");
    let o = run(&["check", "--format", "json", &dir]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        !stderr(&o).contains("skipped"),
        "the manifest, tree and metadata files belong to the app: {}",
        stderr(&o)
    );
    let r = json(&o);
    let paths: Vec<&str> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[0].ends_with("cdk.out/LibraryStack.template.json"));
    assert!(paths[1].ends_with(NESTED_TEMPLATE));
    let apps = r["apps"].as_array().expect("apps");
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["kind"], "cdk");
    let public_fn = apps[0]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["label"] == "LibraryStack/PublicStack/PublicFn")
        .expect("the nested stack's function is in the app's graph");
    assert_eq!(public_fn["group"], "LibraryStack/PublicStack");
    assert!(public_fn["file"]
        .as_str()
        .expect("file")
        .ends_with(NESTED_TEMPLATE));
    let parent = file(&r, "LibraryStack.template.json");
    let auth001: Vec<&Value> = parent["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "AUTH001")
        .collect();
    assert_eq!(auth001.len(), 2);
    let get = auth001
        .iter()
        .find(|f| f["resource"] == "LibraryApibooksGETE00C4E99")
        .expect("GET /books");
    assert_eq!(get["suppressed"]["by"], "cdk-nag");
    assert_eq!(
        get["construct_path"],
        "LibraryStack/LibraryApi/Default/books/GET"
    );

    let text = stdout(&run(&["check", &dir]));
    assert!(
        text.contains(
            "cdk.out — CDK app, 2 files, 2 stacks: LibraryStack, LibraryStack/PublicStack"
        ),
        "{text}"
    );
    assert!(text.contains(
        "route POST /books on LibraryStack/LibraryApi invokes LibraryStack/BooksHandler"
    ));

    let md = stdout(&run(&[
        "check",
        "--format",
        "markdown",
        "--base",
        "https://lint.example.test/",
        &dir,
    ]));
    assert!(
        md.lines()
            .any(|l| l.starts_with("### App `") && l.contains("cdk.out — CDK app, 2 files")),
        "{md}"
    );
    assert!(
        md.contains("| high | `AUTH001` | auth | `LibraryStack/LibraryApi/Default/books/POST` |"),
        "{md}"
    );
    let link = md
        .split("[Open this app in pillarlint](")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .expect("an app link");
    let state = pillarlint_core::permalink::decode(link).expect("the link decodes");
    let carried: Vec<&str> = state.all_files().iter().map(|(p, _)| *p).collect();
    assert_eq!(
        carried,
        vec![
            "LibraryStack.template.json",
            NESTED_TEMPLATE,
            "manifest.json"
        ]
    );

    let o = run(&["check", "--format", "sarif", &dir]);
    let sarif = json(&o);
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let post = results
        .iter()
        .find(|x| x["ruleId"] == "AUTH001" && x["suppressions"].is_null())
        .expect("the unsuppressed AUTH001");
    let logical = &post["locations"][0]["logicalLocations"][0];
    assert_eq!(logical["name"], "LibraryApibooksPOST4716F448");
    assert_eq!(
        logical["fullyQualifiedName"],
        "LibraryStack/LibraryApi/Default/books/POST"
    );
    assert_eq!(
        post["properties"]["constructPath"],
        "LibraryStack/LibraryApi/Default/books/POST"
    );
    let region = &post["locations"][0]["physicalLocation"]["region"];
    assert!(
        region["startLine"].as_u64() > Some(1),
        "the template's own line"
    );
    assert!(results.iter().any(|x| x["ruleId"] == "AUTH001"
        && x["suppressions"][0]["justification"]
            .as_str()
            .is_some_and(|j| j.contains("cdk-nag"))));
}

#[test]
fn a_template_is_checked_with_the_nested_stacks_it_names() {
    let parent = app_fixture("nested/template.yaml");
    let o = run(&["check", "--format", "json", "--rule", "AUTH012", &parent]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = json(&o);
    let paths: Vec<&str> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(
        paths.len(),
        2,
        "the nested template is read though not named: {paths:?}"
    );
    assert!(paths[1].ends_with("nested/stacks/data.yaml"));
    let t = file(&r, "nested/template.yaml");
    let msg = t["findings"][0]["message"].as_str().expect("message");
    assert!(msg.contains("Data/OrdersTable (write)"), "{msg}");
    let missing = t["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| {
            w["message"]
                .as_str()
                .is_some_and(|m| m.contains("stacks/audit.yaml"))
        })
        .expect("the missing nested template is a warning");
    assert_eq!(missing["line"], 19);
}

#[test]
fn graph_and_permalink_take_an_app() {
    let dir = app_fixture("cdk.out");
    let o = run(&["graph", &dir]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g = json(&o);
    assert_eq!(g["app"], "cdk");
    assert_eq!(g["stacks"].as_array().expect("stacks").len(), 2);
    let nodes = g["nodes"].as_array().expect("nodes");
    assert!(nodes
        .iter()
        .any(|n| n["group"] == "LibraryStack/PublicStack" && n["kind"] == "function_url"));
    let dot = stdout(&run(&["graph", "--format", "dot", &dir]));
    assert!(dot.contains("subgraph \"cluster_0\""), "{dot}");
    assert!(dot.contains("label=\"LibraryStack/PublicStack\""), "{dot}");
    let mermaid = stdout(&run(&["graph", "--format", "mermaid", &dir]));
    assert!(
        mermaid.contains("subgraph stack0 [\"LibraryStack/PublicStack\"]"),
        "{mermaid}"
    );
    let svg = stdout(&run(&["graph", "--format", "svg", &dir]));
    assert!(
        svg.contains("LibraryStack/PublicStack"),
        "the stack's box is drawn"
    );

    let o = run(&["permalink", "--base", "https://lint.example.test/", &dir]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let state = pillarlint_core::permalink::decode(stdout(&o).trim()).expect("decodes");
    let files = state.all_files();
    assert_eq!(files.len(), 3);
    let set: pillarlint_core::app::FileSet<'_> =
        files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    let apps = pillarlint_core::app::analyze_set(&set);
    assert_eq!(apps.len(), 1, "the link opens as the same one app");
    let view = apps[0].view().expect("an app");
    assert_eq!(view.nodes.len(), nodes.len());

    let o = run(&["permalink", "--findings-only", &dir]);
    let state = pillarlint_core::permalink::decode(stdout(&o).trim()).expect("decodes");
    let snap = state.snapshot.expect("findings only");
    assert!(snap
        .nodes
        .iter()
        .any(|n| n.group.as_deref() == Some("LibraryStack/PublicStack")));
}

#[test]
fn nested_templates_outside_the_inputs_and_working_directory_are_not_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let app = tmp.path().join("repo/app");
    std::fs::create_dir_all(app.join("nested")).expect("dirs");
    std::fs::write(
        app.join("template.yaml"),
        "Resources:\n  Inside:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: nested/db.yaml}\n  Outside:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: ../../elsewhere.yaml}\n",
    )
    .expect("write");
    std::fs::write(
        app.join("nested/db.yaml"),
        "Resources:\n  T: {Type: AWS::DynamoDB::Table}\n",
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("elsewhere.yaml"),
        "Resources:\n  Q: {Type: AWS::SQS::Queue}\n",
    )
    .expect("write");
    let o = run(&[
        "check",
        "--format",
        "json",
        &app.join("template.yaml").display().to_string(),
    ]);
    let r = json(&o);
    let paths: Vec<&str> = r["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths[1].ends_with("nested/db.yaml"));
    let warnings = file(&r, "app/template.yaml")["warnings"].to_string();
    assert!(
        warnings.contains("elsewhere.yaml") && warnings.contains("not among the files read"),
        "{warnings}"
    );
}

/// `graph` and `permalink` on a directory of `.tf` files read it as one Terraform module,
/// as `check` does: references across its files resolved.
#[test]
fn graph_and_permalink_read_a_terraform_directory_as_one_module() {
    let dir = tempfile::tempdir().expect("tempdir");
    let infra = dir.path().join("infra");
    std::fs::create_dir_all(&infra).expect("mkdir");
    std::fs::write(
        infra.join("main.tf"),
        "resource \"aws_lambda_function\" \"f\" {\n  function_name = \"f\"\n  environment {\n    variables = { TABLE = aws_dynamodb_table.t.name }\n  }\n}\n",
    )
    .expect("write");
    std::fs::write(
        infra.join("data.tf"),
        "resource \"aws_dynamodb_table\" \"t\" {\n  name = \"t\"\n}\n",
    )
    .expect("write");
    let o = run_in(dir.path(), &["graph", "--format", "json", "infra"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let g = json(&o);
    assert_eq!(g["app"], "terraform", "{g}");
    assert!(
        g["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .any(|e| e["from"] == "aws_lambda_function.f" && e["to"] == "aws_dynamodb_table.t"),
        "the reference across the module's files: {g}"
    );
    let o = run_in(
        dir.path(),
        &["permalink", "infra", "--base", "https://example.invalid/"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let link = stdout(&o);
    let state = pillarlint_core::permalink::decode(
        link.trim()
            .split_once('#')
            .map(|x| x.1)
            .expect("a fragment"),
    )
    .expect("the link decodes");
    assert_eq!(
        1 + state.files.len(),
        2,
        "the link carries both files: {state:?}"
    );
}

//! pillarlint for JavaScript: a thin wasm-bindgen layer over `pillarlint-core`.
//!
//! ```js
//! import init, { analyze, rules, permalink, version } from "./pillarlint_js.js";
//! await init();
//! const report = analyze(yamlText, { path: "template.yaml" }); // the JSON report contract
//! const link = permalink(yamlText, { embed: true, base: "https://lint.example.org/" });
//! ```
//! No analysis logic lives here: every function calls the core and converts the result to
//! plain JS objects (`null` for absent values, objects for maps — exactly what
//! `pillarlint check --format json` prints).

use pillarlint_core::diagram::{self, svg, Filter};
use pillarlint_core::permalink::{self, State};
use pillarlint_core::report::{Report, Tool};
use pillarlint_core::rules::{Pillar, RULES};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// `analyze` options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AnalyzeOptions {
    /// The file name reported (default `template.yaml`).
    #[serde(default)]
    pub path: Option<String>,
}

/// `permalink` options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PermalinkOptions {
    /// Link to the compact embed view (`embed.html#v1.…`).
    #[serde(default)]
    pub embed: bool,
    /// The web app's address (default: the public app).
    #[serde(default)]
    pub base: Option<String>,
    /// The file name shown in the app.
    #[serde(default)]
    pub path: Option<String>,
    /// Share the graph and findings without the template text.
    #[serde(default)]
    pub findings_only: bool,
    /// Replace secret-looking values with REDACTED first.
    #[serde(default)]
    pub redact: bool,
    /// Pillars selected in the view.
    #[serde(default)]
    pub pillars: Vec<Pillar>,
    /// The node selected in the view.
    #[serde(default)]
    pub selected: Option<String>,
}

/// `renderSvg` options.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SvgOptions {
    /// `light` (default) or `dark`.
    #[serde(default)]
    pub theme: Theme,
    /// Pillars whose marks are drawn (default: all four).
    #[serde(default)]
    pub pillars: Option<Vec<Pillar>>,
    /// A title drawn in the corner and used as the document's `<title>`.
    #[serde(default)]
    pub title: Option<String>,
    /// The frame's size in CSS pixels: the diagram is collapsed (as the web app does) until
    /// every name is legible when it fits the frame. Without both, everything is drawn.
    #[serde(default)]
    pub width: Option<f32>,
    #[serde(default)]
    pub height: Option<f32>,
    /// Collapsed boxes to draw open (their `data-node-id`s).
    #[serde(default)]
    pub expanded: Vec<String>,
}

/// The SVG's colour theme.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// One rule, as `rules()` returns it.
#[derive(Debug, Serialize)]
pub struct RuleOut {
    pub id: &'static str,
    pub name: &'static str,
    pub pillar: Pillar,
    pub severity: pillarlint_core::rules::Severity,
    pub summary: &'static str,
    pub docs: &'static str,
}

pub const DEFAULT_PATH: &str = "template.yaml";

/// The report for one template text (native; the wasm export wraps it).
pub fn analyze_report(text: &str, options: &AnalyzeOptions) -> Report {
    let path = options.path.as_deref().unwrap_or(DEFAULT_PATH);
    Report {
        tool: Tool::default(),
        files: vec![pillarlint_core::report_file(path, text.as_bytes())],
        apps: Vec::new(),
    }
}

/// Every rule.
pub fn rule_list() -> Vec<RuleOut> {
    RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            RuleOut {
                id: m.id,
                name: m.name,
                pillar: m.pillar,
                severity: m.severity,
                summary: m.summary(),
                docs: m.docs,
            }
        })
        .collect()
}

/// The standalone SVG of the diagram, exactly as the web app exports it (the core's layout
/// and `diagram::svg::render`). A template that cannot be read is an error (`file:line:col: msg`).
pub fn render_svg(text: &str, o: &SvgOptions) -> Result<String, String> {
    let a = pillarlint_core::analyze_text(text)
        .map_err(|e| format!("{DEFAULT_PATH}:{}:{}: {}", e.line, e.column, e.message))?;
    let mut filter = Filter::default();
    if let Some(p) = &o.pillars {
        filter.pillars = p.iter().copied().collect();
    }
    let scene = match (o.width, o.height) {
        (Some(w), Some(h)) if w > 0.0 && h > 0.0 => {
            let report = a.to_report(DEFAULT_PATH);
            let owner = diagram::owners(&report, Some(&a));
            let input = diagram::LayoutInput::for_report(&a, &report, &owner);
            diagram::present::present(
                &input,
                &diagram::present::Options {
                    pane: Some((w, h)),
                    expanded: o.expanded.clone(),
                    ..Default::default()
                },
            )
        }
        _ => diagram::scene(&a),
    };
    Ok(svg::render(
        &scene,
        &svg::Options {
            dark: o.theme == Theme::Dark,
            filter,
            title: o.title.clone(),
        },
    ))
}

/// The link the web app would make for this text.
pub fn make_permalink(text: &str, o: &PermalinkOptions) -> Result<String, String> {
    let text = if o.redact {
        permalink::redact_secrets(text)
    } else {
        text.to_owned()
    };
    let path = o.path.clone().unwrap_or_else(|| DEFAULT_PATH.to_owned());
    let mut state = if o.findings_only {
        let r = pillarlint_core::report_file(&path, text.as_bytes());
        if let Some(e) = &r.error {
            return Err(format!(
                "{path}:{}:{}: {} (a findings-only link needs a template that reads)",
                e.line, e.column, e.message
            ));
        }
        State::findings_only(&r)
    } else {
        State::with_text(text)
    };
    state.path = Some(path);
    state.pillars.clone_from(&o.pillars);
    state.selected.clone_from(&o.selected);
    let base = o.base.as_deref().unwrap_or(permalink::DEFAULT_BASE);
    permalink::link(&state, base, o.embed).map_err(|e| e.to_string())
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
export type Pillar = "auth" | "data" | "logging" | "dos";
export type Severity = "low" | "medium" | "high" | "critical";
export type TemplateFormat = "cloudformation" | "sam" | "serverless";
export interface Position { message: string; line: number; column: number; }
export interface Fact { kind: string; id: string | null; text: string; }
/** One grant after `Deny`: `actions` on `resources` (with `not_*`, everything except them). */
export interface Permission {
  actions: string[]; not_actions?: boolean; resources: string[]; not_resources?: boolean;
  source: string; conditional?: boolean;
}
export interface ReportNode {
  id: string; kind: string; label: string; line: number; column: number; type: string;
  facts: Fact[]; group: string | null; pillars: Pillar[];
  /** Effective IAM permissions of a role, user, group, or what a function runs as. */
  permissions?: Permission[];
}
export interface ReportEdge {
  from: string; to: string; kind: string; label: string; line: number;
  access: string | null; wildcard: boolean; route: { method: string; path: string; [k: string]: unknown } | null;
  actions: string[]; via: string | null; pillars: Pillar[];
}
export interface Finding {
  rule: string; pillar: Pillar; severity: Severity; resource: string | null; related: string[];
  edge: { from: string; to: string } | null; message: string; remediation: string;
  line: number; column: number; end_line: number; end_column: number;
  condition: string | null; suppressed: { by: string; reason: string } | null; fingerprint: string;
}
export interface FileReport {
  path: string; format: TemplateFormat | null; error: Position | null;
  nodes: ReportNode[]; edges: ReportEdge[]; findings: Finding[]; warnings: Position[];
}
/** The JSON report contract, as `pillarlint check --format json` prints it. */
export interface Report { tool: { name: string; version: string }; files: FileReport[]; }
export interface AnalyzeOptions { /** File name reported (default `template.yaml`). */ path?: string; }
export interface PermalinkOptions {
  embed?: boolean; base?: string; path?: string; findingsOnly?: boolean; redact?: boolean;
  pillars?: Pillar[]; selected?: string;
}
export interface SvgOptions {
  /** `light` (default) or `dark`. */ theme?: "light" | "dark";
  /** Pillars whose marks are drawn (default: all). */ pillars?: Pillar[];
  /** Drawn in the corner and used as the SVG's `<title>`. */ title?: string;
}
export interface RuleInfo { id: string; name: string; pillar: Pillar; severity: Severity; summary: string; docs: string; }
"#;

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn parse_options<T: Default + for<'de> Deserialize<'de>>(
    v: Option<JsValue>,
    what: &str,
) -> Result<T, JsError> {
    let Some(v) = v.filter(|v| !(v.is_undefined() || v.is_null())) else {
        return Ok(T::default());
    };
    // Through serde_json so unknown keys are caught (serde-wasm-bindgen only looks up the
    // fields a struct declares).
    let json: serde_json::Value = serde_wasm_bindgen::from_value(v)
        .map_err(|e| JsError::new(&format!("pillarlint: bad {what} options: {e}")))?;
    serde_json::from_value(json)
        .map_err(|e| JsError::new(&format!("pillarlint: bad {what} options: {e}")))
}

/// Analyse a template's text. Returns the JSON report contract
/// (`{tool, files: [{path, format, error, nodes, edges, findings, …}]}`); a template that
/// cannot be read comes back with `files[0].error` set, it does not throw.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn analyze(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "AnalyzeOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsError> {
    let o: AnalyzeOptions = parse_options(options, "analyze")?;
    to_js(&analyze_report(text, &o))
}

/// Every rule: `[{id, name, pillar, severity, summary, docs}]`.
#[cfg(not(feature = "widget"))]
#[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsError> {
    to_js(&rule_list())
}

/// The shareable link for a template: `{base}#v1.…`, or `{base}embed.html#v1.…` with
/// `{embed: true}`. Options: `embed`, `base`, `path`, `findingsOnly`, `redact`, `pillars`,
/// `selected`.
#[wasm_bindgen]
pub fn permalink(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "PermalinkOptions")] options: Option<JsValue>,
) -> Result<String, JsError> {
    let o: PermalinkOptions = parse_options(options, "permalink")?;
    make_permalink(text, &o).map_err(|e| JsError::new(&e))
}

/// The diagram as a standalone SVG document, exactly what the web app's export makes.
/// Options: `theme` (`light`|`dark`), `pillars`, `title`. Throws when the template cannot be
/// read (the message says where). Template text in the SVG is XML-escaped.
#[wasm_bindgen(js_name = renderSvg)]
pub fn render_svg_js(
    text: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "SvgOptions")] options: Option<JsValue>,
) -> Result<String, JsError> {
    let o: SvgOptions = parse_options(options, "renderSvg")?;
    render_svg(text, &o).map_err(|e| JsError::new(&format!("pillarlint: {e}")))
}

/// Replace secret-looking values with `REDACTED`, keeping the lines.
#[cfg(not(feature = "widget"))]
#[wasm_bindgen(js_name = redactSecrets)]
pub fn redact_secrets(text: &str) -> String {
    permalink::redact_secrets(text)
}

/// The analyser version.
#[wasm_bindgen]
pub fn version() -> String {
    pillarlint_core::report::VERSION.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyze_report_is_one_file_named_by_the_options() {
        let r = analyze_report(
            pillarlint_core::example::BOOKSTORE.text,
            &AnalyzeOptions::default(),
        );
        assert_eq!(r.files.len(), 1);
        assert_eq!(r.files[0].path, DEFAULT_PATH);
        assert!(!r.files[0].nodes.is_empty());
        let r = analyze_report(
            "Resources: [",
            &AnalyzeOptions {
                path: Some("x.yaml".into()),
            },
        );
        assert_eq!(r.files[0].path, "x.yaml");
        assert!(r.files[0].error.is_some());
    }

    #[test]
    fn permalinks_decode_back() {
        let text = pillarlint_core::example::BOOKSTORE.text;
        let link = make_permalink(
            text,
            &PermalinkOptions {
                embed: true,
                base: Some("https://a.test/".into()),
                redact: true,
                ..PermalinkOptions::default()
            },
        )
        .expect("link");
        assert!(link.starts_with("https://a.test/embed.html#v1."));
        let s = permalink::decode(&link).expect("decodes");
        assert!(!s.text.expect("text").contains("SuperSecret123"));
        assert!(make_permalink(
            "nope: 1",
            &PermalinkOptions {
                findings_only: true,
                ..PermalinkOptions::default()
            }
        )
        .is_err());
    }

    #[test]
    fn render_svg_is_the_core_export() {
        let text = pillarlint_core::example::BOOKSTORE.text;
        let a = pillarlint_core::analyze_text(text).expect("example reads");
        let want = svg::render(
            &diagram::scene(&a),
            &svg::Options {
                dark: true,
                filter: Filter::default(),
                title: Some("t <x>".into()),
            },
        );
        let got = render_svg(
            text,
            &SvgOptions {
                theme: Theme::Dark,
                title: Some("t <x>".into()),
                ..SvgOptions::default()
            },
        )
        .expect("svg");
        assert_eq!(got, want);
        assert!(got.contains("t &lt;x&gt;"));
        let r = pillarlint_core::report_file("x", text.as_bytes());
        for n in &r.nodes {
            assert!(got.contains(&format!("data-node-id=\"{}\"", svg::esc(&n.id))));
        }
        let none = render_svg(
            text,
            &SvgOptions {
                pillars: Some(vec![]),
                ..SvgOptions::default()
            },
        )
        .expect("svg");
        assert_ne!(none, render_svg(text, &SvgOptions::default()).expect("svg"));
        assert!(render_svg("Resources: [", &SvgOptions::default()).is_err());
    }

    /// With a frame, the SVG is what the app shows in a pane of that size: collapsed until
    /// names are legible at fit; opening a box draws its members.
    #[test]
    fn render_svg_fits_a_frame() {
        let text = pillarlint_core::example::generated(300);
        let full = render_svg(&text, &SvgOptions::default()).expect("svg");
        assert!(!full.contains("data-collapsed="));
        let framed = SvgOptions {
            width: Some(900.0),
            height: Some(600.0),
            ..SvgOptions::default()
        };
        let small = render_svg(&text, &framed).expect("svg");
        assert!(
            small.contains("data-collapsed="),
            "a 900x600 frame collapses"
        );
        assert!(small.len() < full.len());
        let box_id = small
            .split("data-node-id=\"")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .find(|id| id.starts_with('+'))
            .expect("a box")
            .to_owned();
        let opened = render_svg(
            &text,
            &SvgOptions {
                expanded: vec![box_id.clone()],
                ..framed
            },
        )
        .expect("svg");
        assert!(!opened.contains(&format!("data-node-id=\"{box_id}\"")));
    }

    #[test]
    fn rule_list_covers_the_registry() {
        assert_eq!(rule_list().len(), RULES.len());
        assert!(rule_list().iter().all(|r| !r.docs.is_empty()));
    }
}

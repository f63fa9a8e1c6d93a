//! `pillarlint graph`: the service graph in a diagram format.
//!
//! `json`, `dot` and `mermaid` come from the core's `graph::export`; `svg` will come from the
//! core's diagram renderer (the web app's export). [`export`] is the one place that calls
//! them, so connecting a renderer is a one-line change.

use clap::ValueEnum;
use pillarlint_core::graph::export;
use pillarlint_core::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Json,
    Dot,
    Mermaid,
    Svg,
}

/// Render the graph of `analysis` (of the file called `name`).
pub fn export(format: GraphFormat, analysis: &Analysis, name: &str) -> Result<String, String> {
    match format {
        GraphFormat::Json => {
            let mut v = export::to_json(&analysis.graph, &analysis.findings);
            if let Some(o) = v.as_object_mut() {
                o.insert("path".into(), name.into());
                o.insert("format".into(), analysis.format().as_str().into());
            }
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
        }
        GraphFormat::Dot => Ok(export::to_dot(&analysis.graph, &analysis.findings)),
        GraphFormat::Mermaid => Ok(export::to_mermaid(&analysis.graph, &analysis.findings)),
        // Switch-over point for the core's SVG renderer (core/src/diagram).
        GraphFormat::Svg => not_yet("svg"),
    }
}

fn not_yet(what: &str) -> Result<String, String> {
    Err(format!(
        "`graph --format {what}` is not available in this build yet; use `--format json`"
    ))
}

//! `pillarlint graph`: the service graph in a diagram format.
//!
//! `json` is built here from the report's nodes and edges. `dot`, `mermaid` and `svg` are
//! rendered by the core (`graph::export` and the `diagram` module); [`export`] is the one
//! place that calls them, so connecting a renderer is a one-line change per format.

use clap::ValueEnum;
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
            let r = analysis.to_report(name);
            serde_json::to_string_pretty(&serde_json::json!({
                "path": r.path,
                "format": r.format,
                "nodes": r.nodes,
                "edges": r.edges,
            }))
            .map_err(|e| e.to_string())
        }
        // Switch-over points for the core renderers (core/src/graph/export.rs, core/src/diagram).
        GraphFormat::Dot => not_yet("dot"),
        GraphFormat::Mermaid => not_yet("mermaid"),
        GraphFormat::Svg => not_yet("svg"),
    }
}

fn not_yet(what: &str) -> Result<String, String> {
    Err(format!(
        "`graph --format {what}` is not available in this build yet; use `--format json`"
    ))
}

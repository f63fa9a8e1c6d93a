//! `pillarlint graph`: the service graph in a diagram format.
//!
//! `json`, `dot` and `mermaid` come from the core's `graph::export`; `svg` is the core's
//! diagram renderer (the web app's export: `diagram::scene` + `diagram::svg::render`, the
//! same call the JS API's `renderSvg` makes).

use clap::ValueEnum;
use pillarlint_core::diagram::{self, svg};
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
        GraphFormat::Svg => Ok(svg::render(
            &diagram::scene(analysis),
            &svg::Options {
                dark: false,
                filter: diagram::Filter::default(),
                title: Some(format!("pillarlint — {name}")),
            },
        )),
    }
}

//! `pillarlint graph`: the service graph in a diagram format.
//!
//! `json`, `dot` and `mermaid` come from the core's `graph::export`; `svg` is the core's
//! diagram renderer (the web app's export: `diagram::scene` + `diagram::svg::render`, the
//! same call the JS API's `renderSvg` makes).

use clap::ValueEnum;
use pillarlint_core::app::App;
use pillarlint_core::diagram::{self, svg};
use pillarlint_core::graph::export;
use pillarlint_core::report::AppOut;
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

/// Render the graph of an app of several files: the same formats, with its nested stacks
/// as boxes (DOT clusters, Mermaid subgraphs, the diagram's groups) and, in JSON, each node's
/// file and stack and the app's stacks.
pub fn export_app(format: GraphFormat, app: &App) -> Result<String, String> {
    let (Some(a), Some(view)) = (app.analysis.as_ref(), app.view()) else {
        return Err(format!("{}: the app cannot be read", app.root));
    };
    let boxes = stack_boxes(&view);
    match format {
        GraphFormat::Json => {
            let mut v = export::to_json(&a.graph, &a.findings);
            if let Some(nodes) = v.get_mut("nodes").and_then(|n| n.as_array_mut()) {
                for n in nodes {
                    let id = n["id"].as_str().unwrap_or_default().to_owned();
                    if let Some(out) = view.nodes.iter().find(|x| x.id == id) {
                        n["file"] = out.file.clone().into();
                        n["stack"] = out.stack.clone().into();
                        n["group"] = out.group.clone().into();
                    }
                }
            }
            if let Some(o) = v.as_object_mut() {
                o.insert("path".into(), app.name.clone().into());
                o.insert("format".into(), a.format().as_str().into());
                o.insert("app".into(), app.kind.as_str().into());
                o.insert(
                    "stacks".into(),
                    serde_json::to_value(&view.stacks).map_err(|e| e.to_string())?,
                );
            }
            serde_json::to_string_pretty(&v).map_err(|e| e.to_string())
        }
        GraphFormat::Dot => {
            let dot = export::to_dot(&a.graph, &a.findings);
            let body = dot.trim_end().strip_suffix('}').unwrap_or(&dot).to_owned();
            let mut out = body;
            for (i, (name, ids)) in boxes.iter().enumerate() {
                out.push_str(&format!(
                    "  subgraph \"cluster_{i}\" {{\n    label=\"{}\";\n    style=\"rounded,dashed\";\n",
                    dot_text(name)
                ));
                for id in ids {
                    out.push_str(&format!("    \"{}\";\n", dot_text(id)));
                }
                out.push_str("  }\n");
            }
            out.push_str("}\n");
            Ok(out)
        }
        GraphFormat::Mermaid => {
            let mut out = export::to_mermaid(&a.graph, &a.findings);
            for (i, (name, ids)) in boxes.iter().enumerate() {
                out.push_str(&format!(
                    "  subgraph stack{i} [\"{}\"]\n",
                    name.replace('"', "#quot;")
                ));
                for id in ids {
                    out.push_str(&format!("    {}\n", export::mermaid_id(id)));
                }
                out.push_str("  end\n");
            }
            Ok(out)
        }
        GraphFormat::Svg => {
            let scene = app
                .scene()
                .ok_or_else(|| format!("{}: the app cannot be drawn", app.root))?;
            Ok(svg::render(
                &scene,
                &svg::Options {
                    dark: false,
                    filter: diagram::Filter::default(),
                    title: Some(format!("pillarlint — {}", app.name)),
                },
            ))
        }
    }
}

/// Each nested stack's name and the nodes boxed in it.
fn stack_boxes(view: &AppOut) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for s in &view.stacks {
        let ids: Vec<String> = view
            .nodes
            .iter()
            .filter(|n| n.group.as_deref() == Some(s.name.as_str()))
            .map(|n| n.id.clone())
            .collect();
        if !ids.is_empty() {
            out.push((s.name.clone(), ids));
        }
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

//! The graph as Graphviz DOT, Mermaid and JSON, coloured by worst pillar.
//!
//! A node's worst pillar is the pillar of its most severe unsuppressed finding (on the
//! node itself or on a resource attached to it); an edge's, the same over the findings
//! that name that edge. Ties go to the pillar order `auth`, `data`, `logging`, `dos`.
//! Output is sorted, so the same template always gives the same text.

use std::fmt::Write as _;

use crate::rules::{Finding, Pillar, Severity};

use super::{EdgeKind, GEdge, GNode, Graph};

/// Fill colour per pillar (and for nodes with no finding).
pub fn pillar_color(p: Option<Pillar>) -> &'static str {
    match p {
        Some(Pillar::Auth) => "#e74c3c",
        Some(Pillar::Data) => "#8e44ad",
        Some(Pillar::Logging) => "#f39c12",
        Some(Pillar::Dos) => "#2980b9",
        None => "#ecf0f1",
    }
}

fn worst<'a>(fs: impl Iterator<Item = &'a Finding>) -> Option<(Severity, Pillar)> {
    // Most severe first; among equals the earliest pillar.
    fs.filter(|f| f.suppressed.is_none())
        .map(|f| (f.severity, f.pillar))
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
}

/// The worst pillar of a node.
pub fn node_pillar(g: &Graph, n: &GNode, findings: &[Finding]) -> Option<Pillar> {
    worst(findings.iter().filter(|f| {
        f.edge.is_none()
            && f.resource
                .as_deref()
                .is_some_and(|r| r == n.id || g.attached_to(r).contains(&n.id))
    }))
    .map(|(_, p)| p)
}

/// The worst pillar of an edge.
pub fn edge_pillar(e: &GEdge, findings: &[Finding]) -> Option<Pillar> {
    worst(findings.iter().filter(|f| {
        f.edge
            .as_ref()
            .is_some_and(|x| x.from == e.from && x.to == e.to)
    }))
    .map(|(_, p)| p)
}

fn sorted_nodes(g: &Graph) -> Vec<&GNode> {
    let mut v: Vec<&GNode> = g.nodes().collect();
    crate::sort::sort_by(&mut v, |a, b| {
        (a.kind.layer(), &a.id).cmp(&(b.kind.layer(), &b.id))
    });
    v
}

fn sorted_edges(g: &Graph) -> Vec<&GEdge> {
    let mut v: Vec<&GEdge> = g.edges().collect();
    crate::sort::sort_by(&mut v, |a, b| {
        (&a.from, &a.to, a.kind.as_str(), &a.label).cmp(&(
            &b.from,
            &b.to,
            b.kind.as_str(),
            &b.label,
        ))
    });
    v
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn edge_style(k: EdgeKind) -> &'static str {
    match k {
        EdgeKind::Trigger => "solid",
        EdgeKind::Access => "bold",
        EdgeKind::Reference => "dotted",
        EdgeKind::Guards => "dashed",
        EdgeKind::Assumes => "bold,dashed",
    }
}

/// Graphviz DOT.
pub fn to_dot(g: &Graph, findings: &[Finding]) -> String {
    let mut s = String::from("digraph pillarlint {\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for n in sorted_nodes(g) {
        let p = node_pillar(g, n, findings);
        let badges: Vec<&str> = n.facts.iter().map(|f| f.kind.as_str()).collect();
        let mut label = format!("{}\\n[{}]", dot_escape(&n.label), n.kind.as_str());
        if !badges.is_empty() {
            let mut b = badges.clone();
            b.dedup();
            label.push_str(&format!("\\n{}", dot_escape(&b.join(" "))));
        }
        let _ = writeln!(
            s,
            "  \"{}\" [label=\"{}\", fillcolor=\"{}\"{}{}];",
            dot_escape(&n.id),
            label,
            pillar_color(p),
            if n.unknown {
                ", style=\"rounded,filled,dashed\""
            } else {
                ""
            },
            p.map_or(String::new(), |p| format!(
                ", tooltip=\"worst pillar: {}\"",
                p.as_str()
            ))
        );
    }
    for e in sorted_edges(g) {
        let p = edge_pillar(e, findings);
        let mut label = e.label.clone();
        if e.wildcard {
            label.push_str(" (*)");
        }
        let _ = writeln!(
            s,
            "  \"{}\" -> \"{}\" [label=\"{}\", style={}, color=\"{}\"];",
            dot_escape(&e.from),
            dot_escape(&e.to),
            dot_escape(&format!("{}: {}", e.kind.as_str(), label)),
            edge_style(e.kind),
            p.map_or("#555555", |p| pillar_color(Some(p)))
        );
    }
    s.push_str("}\n");
    s
}

/// A Mermaid node id for a graph id (Mermaid ids are plain words).
pub fn mermaid_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        + &format!("_{:x}", crate::report::fnv1a(id.as_bytes()) & 0xffff)
}

fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace(['[', ']', '{', '}', '|', '<', '>'], " ")
}

/// Mermaid flowchart.
pub fn to_mermaid(g: &Graph, findings: &[Finding]) -> String {
    let mut s = String::from("flowchart LR\n");
    for p in Pillar::ALL {
        let _ = writeln!(
            s,
            "  classDef {} fill:{},color:#fff;",
            p.as_str(),
            pillar_color(Some(p))
        );
    }
    let _ = writeln!(s, "  classDef unknown stroke-dasharray: 5 5;");
    for n in sorted_nodes(g) {
        let id = mermaid_id(&n.id);
        let _ = writeln!(
            s,
            "  {id}[\"{}<br/>{}\"]",
            mermaid_text(&n.label),
            n.kind.as_str()
        );
        if let Some(p) = node_pillar(g, n, findings) {
            let _ = writeln!(s, "  class {id} {};", p.as_str());
        }
        if n.unknown {
            let _ = writeln!(s, "  class {id} unknown;");
        }
    }
    for (i, e) in sorted_edges(g).into_iter().enumerate() {
        let arrow = match e.kind {
            EdgeKind::Trigger => "-->",
            EdgeKind::Access => "==>",
            EdgeKind::Reference | EdgeKind::Guards => "-.->",
            EdgeKind::Assumes => "--o",
        };
        let mut label = format!("{}: {}", e.kind.as_str(), e.label);
        if e.wildcard {
            label.push_str(" (*)");
        }
        let _ = writeln!(
            s,
            "  {} {arrow}|\"{}\"| {}",
            mermaid_id(&e.from),
            mermaid_text(&label),
            mermaid_id(&e.to)
        );
        if let Some(p) = edge_pillar(e, findings) {
            let _ = writeln!(s, "  linkStyle {i} stroke:{};", pillar_color(Some(p)));
        }
    }
    s
}

/// JSON: `{nodes: [...], edges: [...], routes, entry_points, reach, functions, apis}`,
/// nodes and edges carrying `pillars` and `worst_pillar`.
pub fn to_json(g: &Graph, findings: &[Finding]) -> serde_json::Value {
    let nodes: Vec<serde_json::Value> = sorted_nodes(g)
        .into_iter()
        .map(|n| {
            let mut v = serde_json::to_value(n).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("line".into(), n.span.start.line.into());
                o.insert("kind".into(), n.kind.as_str().into());
                o.insert(
                    "worst_pillar".into(),
                    serde_json::to_value(node_pillar(g, n, findings)).unwrap_or_default(),
                );
            }
            v
        })
        .collect();
    let edges: Vec<serde_json::Value> = sorted_edges(g)
        .into_iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("line".into(), e.span.start.line.into());
                o.insert(
                    "worst_pillar".into(),
                    serde_json::to_value(edge_pillar(e, findings)).unwrap_or_default(),
                );
            }
            v
        })
        .collect();
    serde_json::json!({
        "nodes": nodes,
        "edges": edges,
        "routes": g.derived.routes,
        "entry_points": g.derived.entry_points,
        "reach": g.derived.reach,
        "functions": g.derived.functions,
        "apis": g.derived.apis,
    })
}

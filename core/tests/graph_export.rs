//! DOT, Mermaid and JSON exports of the same graph, coloured by worst pillar.

use pillarlint_core::graph::export::{pillar_color, to_dot, to_json, to_mermaid};
use pillarlint_core::rules::{EdgeRef, Finding, Pillar, Severity, Suppression};
use pillarlint_core::span::Span;

fn bookstore() -> pillarlint_core::Analysis {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph/bookstore_expanded.yaml");
    let text = std::fs::read_to_string(p).expect("fixture");
    pillarlint_core::analyze_text(&text).expect("analyses")
}

fn finding(
    pillar: Pillar,
    severity: Severity,
    resource: &str,
    edge: Option<(&str, &str)>,
) -> Finding {
    Finding {
        rule: "TEST001",
        pillar,
        severity,
        resource: Some(resource.to_owned()),
        related: Vec::new(),
        edge: edge.map(|(from, to)| EdgeRef {
            from: from.to_owned(),
            to: to.to_owned(),
        }),
        message: "m".into(),
        remediation: "r".into(),
        span: Span::default(),
        condition: None,
        suppressed: None,
    }
}

fn findings() -> Vec<Finding> {
    let mut suppressed = finding(Pillar::Auth, Severity::Critical, "AuthorsDb", None);
    suppressed.suppressed = Some(Suppression {
        by: "pillarlint".into(),
        reason: "test".into(),
    });
    vec![
        // On the role: attached to authorHandler, so it colours the function.
        finding(Pillar::Logging, Severity::Low, "authorHandlerRole", None),
        finding(Pillar::Auth, Severity::High, "authorHandlerRole", None),
        finding(Pillar::Data, Severity::Critical, "AuthorsDb", None),
        suppressed,
        finding(
            Pillar::Dos,
            Severity::Medium,
            "ServerlessRestApi",
            Some(("ServerlessRestApi", "booksStatistics")),
        ),
    ]
}

#[test]
fn dot_has_every_node_and_edge_coloured_by_worst_pillar() {
    let a = bookstore();
    let dot = to_dot(&a.graph, &findings());
    assert!(dot.starts_with("digraph pillarlint {"));
    assert_eq!(dot.matches(" -> ").count(), a.graph.edges().count());
    for n in a.graph.nodes() {
        assert!(dot.contains(&format!("\"{}\" [label=", n.id)), "{}", n.id);
    }
    let line = |id: &str| {
        dot.lines()
            .find(|l| l.trim_start().starts_with(&format!("\"{id}\" [")))
            .unwrap_or_else(|| panic!("{id} in {dot}"))
            .to_owned()
    };
    assert!(
        line("authorHandler").contains(pillar_color(Some(Pillar::Auth))),
        "high auth beats low logging"
    );
    assert!(
        line("AuthorsDb").contains(pillar_color(Some(Pillar::Data))),
        "suppressed critical auth ignored"
    );
    assert!(line("BooksTable").contains(pillar_color(None)));
    let edge = dot
        .lines()
        .find(|l| l.contains("\"ServerlessRestApi\" -> \"booksStatistics\""))
        .expect("route edge");
    assert!(edge.contains(pillar_color(Some(Pillar::Dos))));
    assert!(edge.contains("GET /booksStats"));
    // Deterministic.
    assert_eq!(dot, to_dot(&a.graph, &findings()));
}

#[test]
fn mermaid_has_every_edge_and_class() {
    let a = bookstore();
    let m = to_mermaid(&a.graph, &findings());
    assert!(m.starts_with("flowchart LR"));
    let arrows = m.matches("-->|").count() + m.matches("==>|").count() + m.matches("-.->|").count();
    assert_eq!(arrows, a.graph.edges().count());
    assert!(m.contains("classDef auth"));
    assert!(m
        .lines()
        .any(|l| l.contains("class authorHandler_") && l.ends_with(" auth;")));
    assert!(m.lines().any(|l| l.starts_with("  linkStyle ")));
}

#[test]
fn json_carries_nodes_edges_and_derived_facts() {
    let a = bookstore();
    let j = to_json(&a.graph, &findings());
    let nodes = j["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), a.graph.nodes().count());
    let handler = nodes
        .iter()
        .find(|n| n["id"] == "authorHandler")
        .expect("authorHandler");
    assert_eq!(handler["worst_pillar"], "auth");
    assert_eq!(handler["kind"], "function");
    assert!(handler["facts"].as_array().is_some_and(|f| !f.is_empty()));
    let edges = j["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), a.graph.edges().count());
    let table = edges
        .iter()
        .find(|e| e["to"] == "BooksTable")
        .expect("table edge");
    assert_eq!(table["access"], "admin");
    assert_eq!(table["wildcard"], true);
    assert_eq!(j["routes"].as_array().map(Vec::len), Some(2));
    assert!(j["reach"].as_array().is_some_and(|r| r.len() == 3));
}

#[test]
fn report_contract_gets_the_new_fields() {
    let a = bookstore();
    let r = a.to_report("bookstore.yaml");
    let db = r
        .edges
        .iter()
        .find(|e| e.to == "AuthorsDb")
        .expect("db edge");
    assert!(db.network);
    assert_eq!(db.kind, "access");
    assert!(r.nodes.iter().all(|n| !n.unknown));
    let route = r
        .edges
        .iter()
        .find(|e| e.label == "POST /author")
        .and_then(|e| e.route.as_ref())
        .expect("route");
    assert_eq!(route.authorization.as_deref(), Some("NONE"));
    assert_eq!(route.source, "openapi");
    assert!(route.public);
}

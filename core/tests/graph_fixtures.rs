//! Fixture tests for the service graph: every edge kind and every source of edges.

use pillarlint_core::graph::{AccessLevel, EdgeKind, GEdge, Graph};
use pillarlint_core::Analysis;

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn analyze(name: &str) -> Analysis {
    pillarlint_core::analyze_text(&fixture(name)).expect("fixture analyses")
}

fn edges(g: &Graph, kind: EdgeKind) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = g
        .edges()
        .filter(|e| e.kind == kind)
        .map(|e| (e.from.clone(), e.to.clone(), e.label.clone()))
        .collect();
    v.sort();
    v
}

fn edge<'a>(g: &'a Graph, from: &str, to: &str, kind: EdgeKind) -> &'a GEdge {
    g.edges()
        .find(|e| e.from == from && e.to == to && e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} edge {from} -> {to}; edges: {:#?}", all(g)))
}

fn all(g: &Graph) -> Vec<(String, String, &'static str, String)> {
    let mut v: Vec<_> = g
        .edges()
        .map(|e| {
            (
                e.from.clone(),
                e.to.clone(),
                e.kind.as_str(),
                e.label.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

fn t3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn bookstore_expanded_has_exactly_the_seed_edges() {
    let a = analyze("bookstore_expanded.yaml");
    let g = &a.graph;
    assert_eq!(
        edges(g, EdgeKind::Trigger),
        vec![
            t3("ServerlessRestApi", "authorHandler", "POST /author"),
            t3("ServerlessRestApi", "booksStatistics", "GET /booksStats"),
        ]
    );
    let access: Vec<(String, String)> = edges(g, EdgeKind::Access)
        .into_iter()
        .map(|(a, b, _)| (a, b))
        .collect();
    assert_eq!(
        access,
        vec![
            ("authorHandler".into(), "AuthorsDb".into()),
            ("booksStatistics".into(), "BooksTable".into()),
            ("booksStatistics".into(), "StatsBucket".into()),
        ]
    );
    assert!(
        edges(g, EdgeKind::Reference).is_empty(),
        "granted: no reference edges"
    );
    // No clutter: roles, permissions, stages, deployments and parameter groups are facts.
    let mut ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "AuthorsDb",
            "BooksTable",
            "ServerlessRestApi",
            "StatsBucket",
            "authorHandler",
            "booksStatistics"
        ]
    );
    assert_eq!(g.attached["authorHandlerRole"], "authorHandler");
    assert_eq!(
        g.attached["booksStatisticsGetBooksStatsPermissionProd"],
        "booksStatistics"
    );
    assert_eq!(
        g.attached["ServerlessRestApiProdStage"],
        "ServerlessRestApi"
    );
    assert_eq!(g.attached["AuthorsDbParams"], "AuthorsDb");
    // Edge details.
    let db = edge(g, "authorHandler", "AuthorsDb", EdgeKind::Access);
    assert!(db.network, "DocumentDB is reached through the network");
    let table = edge(g, "booksStatistics", "BooksTable", EdgeKind::Access);
    assert_eq!(table.access, Some(AccessLevel::Admin));
    assert!(table.wildcard);
    let bucket = edge(g, "booksStatistics", "StatsBucket", EdgeKind::Access);
    assert_eq!(bucket.access, Some(AccessLevel::Read));
    assert!(!bucket.wildcard);
    // Both routes are public; each reaches its stores.
    assert_eq!(g.routes().len(), 2);
    assert!(g.routes().iter().all(|r| r.public && r.source == "openapi"));
    let post = g
        .routes()
        .iter()
        .find(|r| r.method == "POST")
        .expect("POST route");
    let reach: Vec<&str> = g.reachable_stores(post).map(|r| r.store.as_str()).collect();
    assert_eq!(reach, ["AuthorsDb"]);
    let get = g
        .routes()
        .iter()
        .find(|r| r.method == "GET")
        .expect("GET route");
    let mut reach: Vec<&str> = g.reachable_stores(get).map(|r| r.store.as_str()).collect();
    reach.sort_unstable();
    assert_eq!(reach, ["BooksTable", "StatsBucket"]);
    for r in g.reachable_stores(get) {
        assert_eq!(r.weakest.reason, "no authorization");
        assert_eq!(
            r.path.first().map(String::as_str),
            Some("ServerlessRestApi")
        );
    }
    // Over-grant bookkeeping: everything granted is referenced.
    let f = g.function_info("booksStatistics").expect("function info");
    assert!(f.over_granted.is_empty(), "{:?}", f.over_granted);
    assert!(f.public);
}

//! A service built the way the rules ask for: no rule may fire on it. This is the
//! false-positive guard: each rule's "fixed" state, together in one realistic template.

#[test]
fn a_well_built_service_has_no_findings() {
    let text = include_str!("examples/clean_app.cfn.yaml");
    let a = pillarlint_core::analyze_text(text).expect("parses");
    let found: Vec<String> = a
        .findings
        .iter()
        .map(|f| {
            format!(
                "{} {:?} line {}: {}",
                f.rule, f.resource, f.span.start.line, f.message
            )
        })
        .collect();
    assert!(
        found.is_empty(),
        "unexpected findings:\n{}",
        found.join("\n")
    );
    // The graph did see the route, so the silence is not for lack of a path.
    assert!(a.graph.edges().any(|e| e
        .route
        .as_ref()
        .is_some_and(|r| r.method == "POST" && r.path == "/orders")));
}

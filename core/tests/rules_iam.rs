//! The IAM model end to end: issue 17's template (IAM everywhere but on a function) gets an
//! auth finding on every resource, each from the rule that names its risk; a least-privilege
//! template gets no auth finding of medium or higher.

use pillarlint_core::rules::{Pillar, Severity};

fn analyze(name: &str) -> pillarlint_core::Analysis {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/examples")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    pillarlint_core::analyze_text(&text).expect("parses")
}

#[test]
fn every_resource_of_the_issue_template_gets_the_right_auth_finding() {
    let a = analyze("iam_everywhere.cfn.yaml");
    let auth: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.pillar == Pillar::Auth)
        .collect();
    let has = |rule: &str, id: &str| {
        auth.iter().any(|f| {
            f.rule == rule
                && (f.resource.as_deref() == Some(id) || f.related.iter().any(|r| r == id))
        })
    };
    let expected = [
        ("AUTH002", "AllPowerful"),      // `*` on `*` in a managed policy
        ("AUTH002", "OpsRole"),          // ... attached to this role
        ("AUTH018", "PublicRole"),       // assumable by anyone
        ("AUTH022", "Operator"),         // NotAction iam:* on *
        ("AUTH023", "Operator"),         // ... which includes escalation paths
        ("AUTH006", "Admin"),            // AdministratorAccess on a user
        ("AUTH026", "AdminKey"),         // its long-lived access key
        ("AUTH023", "BuildRole"),        // PassRole + lambda:CreateFunction on *
        ("AUTH023", "PolicyEditorRole"), // policy versions / attach / put on *
        ("AUTH011", "Key"),              // key policy open to *
        ("AUTH011", "Secret"),           // secret policy open to *
        ("AUTH028", "Topic"),            // topic policy with NotAction
        ("AUTH011", "Layer"),            // layer permission for *
        ("AUTH028", "Reports"),          // bucket policy Allow + NotPrincipal
        ("AUTH011", "Queue"),            // queue policy open to *
        ("AUTH030", "Users"),            // MFA off, 6-character passwords
    ];
    let missing: Vec<_> = expected.iter().filter(|(r, id)| !has(r, id)).collect();
    assert!(missing.is_empty(), "missing: {missing:?}\n{auth:#?}");
    // Every resource carries at least one auth finding, itself or as a related id.
    for r in &a.template.resources {
        if r.type_ == "AWS::CodeBuild::Project" {
            continue; // its role (BuildRole) carries the finding
        }
        assert!(
            auth.iter().any(|f| f.resource.as_deref() == Some(&r.id)
                || f.related.contains(&r.id)
                || f.resource.as_deref().is_some_and(|x| {
                    a.template.resource(x).is_some_and(|p| {
                        pillarlint_core::model::resolve::resource_refs(&a.template, &p.properties)
                            .iter()
                            .any(|(id, _)| *id == r.id)
                    })
                })),
            "no auth finding for {}",
            r.id
        );
    }
    let sev = |rule: &str, id: &str| {
        auth.iter()
            .filter(|f| f.rule == rule && f.resource.as_deref() == Some(id))
            .map(|f| f.severity)
            .max()
    };
    assert_eq!(sev("AUTH018", "PublicRole"), Some(Severity::Critical));
    assert_eq!(sev("AUTH006", "Admin"), Some(Severity::Critical));
    assert_eq!(sev("AUTH002", "AllPowerful"), Some(Severity::Critical));
}

#[test]
fn the_diagram_shows_who_can_become_what() {
    let a = analyze("iam_everywhere.cfn.yaml");
    let g = &a.graph;
    use pillarlint_core::graph::{EdgeKind, NodeKind};
    let anyone = g.node("principal:*").expect("a node for anyone");
    assert_eq!(anyone.kind, NodeKind::Principal);
    assert!(g
        .edges_from("principal:*")
        .any(|e| e.kind == EdgeKind::Assumes && e.to == "PublicRole"));
    assert!(g.edges().any(|e| e.kind == EdgeKind::Assumes
        && e.label == "can become"
        && e.to == "PolicyEditorRole"));
    assert_eq!(g.node("Admin").map(|n| n.kind), Some(NodeKind::User));
    // A user drawn with what it can touch: the administrator reaches every store.
    assert!(g
        .edges_from("Admin")
        .any(|e| e.kind == EdgeKind::Access && e.to == "Queue" && e.wildcard));
    // The access key and the managed policy are facts of the user, not boxes of their own.
    assert_eq!(
        g.attached.get("AdminKey").map(String::as_str),
        Some("Admin")
    );
    // Effective permissions on the node, in the report.
    let r = a.to_report("t.yaml");
    let op = r
        .nodes
        .iter()
        .find(|n| n.id == "Operator")
        .expect("Operator");
    assert!(op
        .permissions
        .iter()
        .any(|p| p.not_actions && p.actions == ["iam:*"]));
}

#[test]
fn a_least_privilege_template_has_no_serious_auth_finding() {
    let a = analyze("least_privilege.cfn.yaml");
    let serious: Vec<String> = a
        .findings
        .iter()
        .filter(|f| f.pillar == Pillar::Auth && f.severity >= Severity::Medium)
        .map(|f| {
            format!(
                "{} {:?} line {}: {}",
                f.rule, f.resource, f.span.start.line, f.message
            )
        })
        .collect();
    assert!(serious.is_empty(), "{}", serious.join("\n"));
    // The access is there, and scoped: the graph sees it.
    assert!(a
        .graph
        .edges_from("Fn")
        .any(|e| e.to == "Orders" && !e.wildcard));
}

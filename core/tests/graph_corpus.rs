//! The graph builds on every corpus template without panicking, and its edges always
//! join nodes that exist.

#[path = "../../tests/src/paths.rs"]
mod paths;

use pillarlint_core::graph::Graph;
use pillarlint_core::model::Template;
use pillarlint_core::parse;

#[test]
fn no_panic_on_any_corpus_file() {
    let files = paths::corpus_files();
    assert!(
        files.len() > 300,
        "corpus not found: {}",
        paths::corpus().display()
    );
    let mut built = 0;
    let mut edges = 0;
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(text) = parse::decode(&bytes) else {
            continue;
        };
        let Ok(root) = parse::load(text, &parse::Limits::default()) else {
            continue;
        };
        let Ok(format) = parse::detect(&root) else {
            continue;
        };
        let Ok(t) = Template::build(root, format) else {
            continue;
        };
        let g = std::panic::catch_unwind(|| Graph::build(&t))
            .unwrap_or_else(|_| panic!("graph build panicked on {}", f.display()));
        for e in g.edges() {
            assert!(
                g.has(&e.from) && g.has(&e.to),
                "{}: dangling edge {e:?}",
                f.display()
            );
        }
        for r in g.routes() {
            assert!(
                g.has(&r.api) && g.has(&r.target),
                "{}: route {}",
                f.display(),
                r.key
            );
        }
        // Every resource is a node or attached to one: nothing is dropped.
        for r in &t.resources {
            assert!(
                g.has(&r.id) || g.attached.contains_key(&r.id),
                "{}: resource {} ({}) neither node nor attached",
                f.display(),
                r.id,
                r.type_
            );
        }
        built += 1;
        edges += g.edges().count();
    }
    assert!(built > 300, "only {built} templates built");
    assert!(
        edges > 500,
        "suspiciously few edges over the corpus: {edges}"
    );
}

/// Wrong shapes, reference cycles and many shared attachments: no panic, no blow-up.
#[test]
fn no_panic_on_hostile_shapes() {
    let mut y = String::from("Resources:\n");
    // Roles and policies referencing each other in a ring, functions sharing them.
    for i in 0..60 {
        let next = (i + 1) % 60;
        y.push_str(&format!(
            "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n      ManagedPolicyArns: [!Ref Pol{i}, !Ref Pol{next}]\n      Policies: !If [C, [{{PolicyName: p, PolicyDocument: {{Statement: [{{Effect: Allow, Action: '*', Resource: '*'}}]}}}}], !Ref AWS::NoValue]\n"
        ));
        y.push_str(&format!(
            "  Pol{i}:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      Roles: [!Ref Role{i}, !Ref Role{next}]\n      PolicyDocument: {{Statement: {{Effect: Allow, Action: {{bad: shape}}, Resource: [!Sub '${{Tab{i}.Arn}}', '${{', 'arn:aws:s3:::*']}}}}\n"
        ));
        y.push_str(&format!(
            "  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt Role{i}.Arn\n      Environment: {{Variables: {{A: !Ref Tab{i}, B: !Sub '${{Fn{next}}}', C: [1, 2], D: !If [C, !Ref Fn{next}, x]}}}}\n"
        ));
        y.push_str(&format!(
            "  Tab{i}:\n    Type: AWS::DynamoDB::Table\n    Properties: not-a-map\n"
        ));
        // A resource tree with a cycle, and methods on it.
        y.push_str(&format!(
            "  Res{i}:\n    Type: AWS::ApiGateway::Resource\n    Properties: {{RestApiId: !Ref Api, ParentId: !Ref Res{next}, PathPart: p{i}}}\n  M{i}:\n    Type: AWS::ApiGateway::Method\n    Properties: {{RestApiId: !Ref Api, ResourceId: !Ref Res{i}, HttpMethod: [GET], AuthorizationType: {{Ref: Nope}}, Integration: {{Uri: !Sub '${{Fn{i}.Arn}}'}}}}\n"
        ));
    }
    y.push_str("  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body: {paths: {/a: [1, 2], /b: {get: {security: {x: 1}, x-amazon-apigateway-integration: {uri: !Ref Fn0}}}}, securityDefinitions: [1]}\n");
    y.push_str("Conditions:\n  C: !Equals [a, a]\n");
    let a = pillarlint_core::analyze_text(&y).expect("hostile template still analyses");
    let g = &a.graph;
    assert_eq!(
        g.nodes_of(pillarlint_core::graph::NodeKind::Function)
            .count(),
        60
    );
    // '*' on '*' through the conditional inline policy reaches every table.
    assert_eq!(g.access_from("Fn0").filter(|e| e.wildcard).count(), 60);
    assert!(g.routes().len() >= 60);
    let _ = pillarlint_core::graph::export::to_dot(g, &a.findings);
    let _ = pillarlint_core::graph::export::to_mermaid(g, &a.findings);
    let _ = pillarlint_core::graph::export::to_json(g, &a.findings);
}

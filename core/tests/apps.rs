//! Apps of several files (`core/src/app`): the checked-in `cdk.out` of tests/cdk-app
//! (app-fixtures/cdk.out, refreshed by `scripts/cdk-synth.sh --fixture`), a CloudFormation
//! template with nested stacks, a SAM app with a nested application, a Serverless service with
//! `${file(...)}` includes, and the ways such sets go wrong.

use std::path::Path;

use pillarlint_core::app::{self, App, AppKind, FileSet};
use pillarlint_core::report::{AppOut, FileReport, FindingOut, NodeOut};

fn apps_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/app-fixtures")
}

/// Every file under `app-fixtures/<dir>`, paths relative to `app-fixtures`.
fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let base = apps_dir();
    let mut out = Vec::new();
    let mut stack = vec![base.join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("fixture dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&base).expect("under base");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out.sort();
    out
}

fn analyze(files: &[(String, Vec<u8>)]) -> Vec<App> {
    let set: FileSet<'_> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    app::analyze_set(&set)
}

fn one_app(dir: &str) -> App {
    let mut apps = analyze(&files(dir));
    assert_eq!(apps.len(), 1, "{dir} is one app");
    apps.remove(0)
}

fn node<'a>(v: &'a AppOut, label: &str) -> &'a NodeOut {
    v.nodes
        .iter()
        .find(|n| n.label == label)
        .unwrap_or_else(|| panic!("no node labelled {label}: {:?}", labels(v)))
}

fn labels(v: &AppOut) -> Vec<&str> {
    v.nodes.iter().map(|n| n.label.as_str()).collect()
}

fn report<'a>(reports: &'a [FileReport], suffix: &str) -> &'a FileReport {
    reports
        .iter()
        .find(|r| r.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no report for {suffix}"))
}

fn findings<'a>(fs: &'a [FindingOut], rule: &str) -> Vec<&'a FindingOut> {
    fs.iter().filter(|f| f.rule == rule).collect()
}

/// The text of line `line` of fixture file `path`.
fn line_of(path: &str, line: u32) -> String {
    let text = std::fs::read_to_string(apps_dir().join(path)).expect("fixture");
    text.lines()
        .nth(line as usize - 1)
        .unwrap_or_default()
        .to_owned()
}

const NESTED_STACK: &str = "PublicStackNestedStackPublicStackNestedStackResource477F3C97";

#[test]
fn cdk_out_is_one_app_named_by_construct_paths_with_the_nested_stack_inside() {
    let a = one_app("cdk.out");
    assert_eq!(a.kind, AppKind::Cdk);
    assert_eq!(a.name, "cdk.out");
    assert_eq!(a.root, "cdk.out/manifest.json");
    let reports = a.reports();
    let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "cdk.out/LibraryStack.template.json",
            "cdk.out/LibraryStackPublicStack2C1A1264.nested.template.json"
        ],
        "one report per template; the manifest, tree and metadata files are the app's, not templates"
    );
    let v = a.view().expect("an app view");
    assert_eq!(v.kind, "cdk");
    let roles: Vec<(&str, &str)> = v
        .files
        .iter()
        .map(|f| {
            (
                f.path.rsplit('/').next().unwrap_or_default(),
                f.role.as_str(),
            )
        })
        .collect();
    for expected in [("manifest.json", "manifest"), ("tree.json", "tree")] {
        assert!(roles.contains(&expected), "{roles:?}");
    }

    // Labels are construct paths; the logical id stays the id.
    let handler = node(&v, "LibraryStack/BooksHandler");
    assert_eq!(handler.id, "BooksHandler3EB83358");
    assert_eq!(
        handler.construct_path.as_deref(),
        Some("LibraryStack/BooksHandler")
    );
    assert_eq!(handler.stack.as_deref(), Some("LibraryStack"));
    assert_eq!(handler.group, None, "the root stack is no box of its own");

    // The parent's graph holds the nested stack's resources, boxed as that stack, with the
    // stack resource that deploys them.
    let public_fn = node(&v, "LibraryStack/PublicStack/PublicFn");
    assert_eq!(public_fn.id, format!("{NESTED_STACK}/PublicFn6A30F5E5"));
    assert_eq!(public_fn.kind, "function");
    assert_eq!(public_fn.group.as_deref(), Some("LibraryStack/PublicStack"));
    assert_eq!(
        public_fn.file.as_deref(),
        Some("cdk.out/LibraryStackPublicStack2C1A1264.nested.template.json")
    );
    let url = node(&v, "LibraryStack/PublicStack/PublicFn/FunctionUrl");
    assert_eq!(url.kind, "function_url");
    let deployer = v
        .nodes
        .iter()
        .find(|n| n.id == NESTED_STACK)
        .expect("stack node");
    assert_eq!(deployer.label, "LibraryStack/PublicStack");
    assert_eq!(deployer.group.as_deref(), Some("LibraryStack/PublicStack"));
    assert_eq!(v.stacks.len(), 2);
    assert_eq!(v.stacks[1].name, "LibraryStack/PublicStack");
    assert_eq!(v.stacks[1].node.as_deref(), Some(NESTED_STACK));
    assert_eq!(v.stacks[1].parent.as_deref(), Some("LibraryStack"));

    // Edges cross the stacks both ways: a parameter passed in (the nested function writes the
    // parent's table), an output read back (the parent's function writes the nested table).
    let audit = node(&v, "LibraryStack/PublicStack/Audit");
    let has_edge = |from: &str, to: &str| {
        v.edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.kind == "access")
    };
    assert!(has_edge(&handler.id, &audit.id), "{:?}", v.edges);
    assert!(has_edge(&public_fn.id, "Books8C439C90"), "{:?}", v.edges);

    // ... so the graph rules find paths across them.
    let blast: Vec<_> = findings(&v.findings, "AUTH012")
        .into_iter()
        .filter(|f| f.message.contains("POST /books"))
        .collect();
    assert_eq!(blast.len(), 1, "{blast:?}");
    assert!(
        blast[0]
            .message
            .contains("LibraryStack/PublicStack/Audit (write)"),
        "{}",
        blast[0].message
    );
    assert!(blast[0].related.contains(&audit.id));

    // cdk-nag's suppression of AwsSolutions-APIG4 on GET /books suppresses AUTH001 there,
    // with its reason; POST /books has none.
    let auth001 = findings(&v.findings, "AUTH001");
    assert_eq!(auth001.len(), 2);
    let get = auth001
        .iter()
        .find(|f| f.message.contains("GET /books"))
        .expect("GET");
    let s = get.suppressed.as_ref().expect("suppressed by cdk-nag");
    assert_eq!(s.by, "cdk-nag");
    assert_eq!(
        s.reason,
        "the catalogue is public: reading it needs no sign-in"
    );
    assert!(auth001
        .iter()
        .any(|f| f.message.contains("POST /books") && f.suppressed.is_none()));

    // Each file's own report: its nodes and findings at its own lines, under its own ids.
    let nested = report(&reports, ".nested.template.json");
    let ids: Vec<&str> = nested.nodes.iter().map(|n| n.id.as_str()).collect();
    assert!(
        ids.contains(&"PublicFn6A30F5E5") && ids.contains(&"Audit3D8ADE0A"),
        "{ids:?}"
    );
    let url_finding = findings(&nested.findings, "AUTH003");
    assert_eq!(url_finding.len(), 1);
    assert_eq!(
        url_finding[0].resource.as_deref(),
        Some("PublicFnFunctionUrl8D44D960")
    );
    assert!(
        line_of(
            "cdk.out/LibraryStackPublicStack2C1A1264.nested.template.json",
            url_finding[0].line
        )
        .contains("\"AuthType\": \"NONE\""),
        "line {}",
        url_finding[0].line
    );
    assert!(url_finding[0]
        .message
        .contains("LibraryStack/PublicStack/PublicFn/FunctionUrl"));
    assert_eq!(
        url_finding[0].construct_path.as_deref(),
        Some("LibraryStack/PublicStack/PublicFn/FunctionUrl")
    );
    let parent = report(&reports, "LibraryStack.template.json");
    assert!(parent
        .findings
        .iter()
        .all(|f| f.resource.as_deref() != Some("PublicFn6A30F5E5")));
    let total: usize = reports.iter().map(|r| r.findings.len()).sum();
    assert_eq!(
        total,
        v.findings.len(),
        "every finding is in exactly one file"
    );
}

#[test]
fn nested_cloudformation_passes_parameters_and_reads_outputs() {
    let a = one_app("nested");
    assert_eq!(a.kind, AppKind::Stacks);
    let v = a.view().expect("view");
    assert!(
        v.edges
            .iter()
            .any(|e| e.from == "Handler" && e.to == "Data/OrdersTable" && e.kind == "access"),
        "the role's grant on `!GetAtt Data.Outputs.TableArn` reaches the nested table: {:?}",
        v.edges
    );
    let reports = a.reports();
    let parent = report(&reports, "nested/template.yaml");
    // The template that is not there is a positioned warning, never a guess; an S3 URL is
    // simply outside the app.
    let missing: Vec<_> = parent
        .warnings
        .iter()
        .filter(|w| w.message.contains("not among the files read"))
        .collect();
    assert_eq!(missing.len(), 1, "{:?}", parent.warnings);
    assert!(missing[0].message.contains("nested/stacks/audit.yaml"));
    assert!(line_of("nested/template.yaml", missing[0].line).contains("./stacks/audit.yaml"));
    assert!(!parent.warnings.iter().any(|w| w.message.contains("Remote")));
    // The stage passed in makes the nested condition true: no point-in-time recovery.
    let data = report(&reports, "nested/stacks/data.yaml");
    let pitr = findings(&data.findings, "DATA010");
    assert_eq!(pitr.len(), 1, "{:?}", data.findings);
    assert_eq!(pitr[0].resource.as_deref(), Some("OrdersTable"));
    assert!(pitr[0].message.contains("POST /orders"));
    let blast = findings(&parent.findings, "AUTH012");
    assert_eq!(blast.len(), 1);
    assert!(blast[0].message.contains("Data/OrdersTable (write)"));
}

#[test]
fn a_sam_application_with_a_local_location_is_a_nested_stack() {
    let a = one_app("sam-app");
    let v = a.view().expect("view");
    let save = v
        .nodes
        .iter()
        .find(|n| n.id == "Backend/SaveNote")
        .expect("nested function");
    assert_eq!(save.group.as_deref(), Some("Backend"));
    assert!(v
        .edges
        .iter()
        .any(|e| e.from == "Backend/SaveNote" && e.to == "Notes" && e.kind == "access"));
    let reports = a.reports();
    let backend = report(&reports, "sam-app/backend/template.yaml");
    assert_eq!(backend.format, Some(pillarlint_core::parse::Format::Sam));
    let blast = findings(&backend.findings, "AUTH012");
    assert_eq!(blast.len(), 1, "{:?}", backend.findings);
    assert!(
        blast[0].message.contains("-> Notes (write)"),
        "{}",
        blast[0].message
    );
    assert_eq!(
        blast[0].resource.as_deref(),
        Some("ServerlessHttpApi"),
        "local id"
    );
    let parent = report(&reports, "sam-app/template.yaml");
    assert!(
        parent.warnings.is_empty(),
        "a Serverless Application Repository app is outside the app, not missing: {:?}",
        parent.warnings
    );
}

#[test]
fn serverless_includes_keep_the_positions_of_their_files() {
    let a = one_app("serverless-include");
    assert_eq!(a.kind, AppKind::Serverless);
    let reports = a.reports();
    let resources = report(&reports, "serverless-include/resources.yml");
    assert_eq!(resources.nodes.len(), 1);
    assert_eq!(resources.nodes[0].id, "NotesTable");
    assert_eq!(resources.nodes[0].line, 2);
    let pitr = findings(&resources.findings, "DATA010");
    assert_eq!(pitr.len(), 1);
    let functions = report(&reports, "serverless-include/functions.yml");
    assert!(functions
        .nodes
        .iter()
        .any(|n| n.id == "saveNote" && n.line == 1));
    let main = report(&reports, "serverless-include/serverless.yml");
    assert!(
        main.warnings.iter().all(|w| !w.message.contains("file(")),
        "every include was read: {:?}",
        main.warnings
    );
    assert!(findings(&main.findings, "AUTH002")
        .iter()
        .any(|f| f.message.contains("dynamodb:*")));
}

#[test]
fn a_lone_template_reports_exactly_as_before() {
    let text = std::fs::read(apps_dir().join("nested/stacks/data.yaml")).expect("fixture");
    let set: FileSet<'_> = [("data.yaml", text.as_slice())].into_iter().collect();
    let apps = app::analyze_set(&set);
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].kind, AppKind::Single);
    assert!(apps[0].view().is_none());
    assert_eq!(
        apps[0].reports(),
        vec![pillarlint_core::report_file("data.yaml", &text)]
    );
    // A parent whose nested templates are all missing is its own analysis plus a warning
    // for each.
    let text = std::fs::read(apps_dir().join("nested/template.yaml")).expect("fixture");
    let set: FileSet<'_> = [("template.yaml", text.as_slice())].into_iter().collect();
    let apps = app::analyze_set(&set);
    let got = apps[0].reports().remove(0);
    let mut alone = pillarlint_core::report_file("template.yaml", &text);
    assert_eq!(got.nodes, alone.nodes);
    assert_eq!(got.findings, alone.findings);
    assert_eq!(
        got.warnings.len(),
        alone.warnings.len() + 2,
        "{:?}",
        got.warnings
    );
    alone.warnings = got.warnings.clone();
    assert_eq!(got, alone);
}

fn set_of<'a>(files: &'a [(&'a str, &'a str)]) -> FileSet<'a> {
    files.iter().map(|(p, t)| (*p, t.as_bytes())).collect()
}

#[test]
fn sibling_cdk_stacks_read_each_others_exports() {
    let manifest = r#"{"version": "55.0.0", "artifacts": {
  "Data": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Data.template.json"}},
  "Api": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Api.template.json"}, "dependencies": ["Data"]}}}"#;
    let data = r#"{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Metadata": {"aws:cdk:path": "Data/Bucket/Resource"}}},
 "Outputs": {"ExportsOutputRefBucket": {"Value": {"Ref": "Bucket"}, "Export": {"Name": "Data:ExportsOutputRefBucket"}}}}"#;
    let api = r#"{"Resources": {
  "Fn": {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": "Api/Fn/Resource"},
    "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Environment": {"Variables": {"BUCKET": {"Fn::ImportValue": "Data:ExportsOutputRefBucket"}}}}},
  "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {},
    "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject",
      "Resource": {"Fn::Join": ["", [{"Fn::ImportValue": "Data:ExportsOutputRefBucket"}, "/*"]]}}]}}]}}}}"#;
    let files = [
        ("out/manifest.json", manifest),
        ("out/Data.template.json", data),
        ("out/Api.template.json", api),
    ];
    let apps = app::analyze_set(&set_of(&files));
    assert_eq!(apps.len(), 1);
    let v = apps[0].view().expect("view");
    let fun = node(&v, "Api/Fn");
    assert_eq!(fun.id, "Api/Fn");
    assert_eq!(
        fun.group.as_deref(),
        Some("Api"),
        "each top-level stack is a box"
    );
    assert!(
        v.edges
            .iter()
            .any(|e| e.from == "Api/Fn" && e.to == "Data/Bucket"),
        "an imported export is the exporting stack's resource: {:?}",
        v.edges
    );
    assert_eq!(
        v.stacks.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec!["Data", "Api"]
    );
    let reports = apps[0].reports();
    assert_eq!(reports.len(), 2);
    assert_eq!(report(&reports, "Api.template.json").nodes[0].id, "Fn");
}

#[test]
fn broken_apps_say_where_and_never_panic() {
    let cycle_a = "Resources:\n  B:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: b.yaml}\n";
    let cycle_b = "Resources:\n  A:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: a.yaml}\n  Q: {Type: AWS::SQS::Queue}\n";
    let apps = app::analyze_set(&set_of(&[("a.yaml", cycle_a), ("b.yaml", cycle_b)]));
    assert_eq!(apps.len(), 1);
    let r = apps[0].reports();
    assert!(r
        .iter()
        .flat_map(|x| &x.warnings)
        .any(|w| w.message.contains("contains this template")));

    let parent = "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n";
    let apps = app::analyze_set(&set_of(&[
        ("p.yaml", parent),
        ("child.yaml", "Resources: [oops\n"),
    ]));
    let r = apps[0].reports();
    let child = report(&r, "child.yaml");
    assert!(
        child.error.is_some(),
        "the broken child reports its own error"
    );
    let p = report(&r, "p.yaml");
    let w = &p.warnings[0];
    assert!(w.message.contains("cannot be read"), "{w:?}");
    assert_eq!((w.line, w.column), (5, 20));

    let manifest = r#"{"version": "1", "artifacts": {"S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}}}"#;
    let apps = app::analyze_set(&set_of(&[("cdk.out/manifest.json", manifest)]));
    let r = apps[0].reports();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].path, "cdk.out/S.template.json");
    assert!(r[0]
        .error
        .as_ref()
        .is_some_and(|e| e.message.contains("is not among the files read")));

    let bad = r#"{"version": "1", "artifacts": {"S": {"type": "aws:cloudformation:stack"}}}"#;
    let apps = app::analyze_set(&set_of(&[("cdk.out/manifest.json", bad)]));
    let r = apps[0].reports();
    assert_eq!(r[0].path, "cdk.out/manifest.json");
    assert!(r[0].error.is_some());
}

#[test]
fn iam_rules_see_nested_stacks_and_name_the_file_stack_and_construct() {
    let parent = r#"Resources:
  Queue:
    Type: AWS::SQS::Queue
  People:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: people.yaml
      Parameters:
        QueueArn: !GetAtt Queue.Arn
"#;
    let child = r#"Parameters:
  QueueArn:
    Type: String
Resources:
  Inbox:
    Type: AWS::SQS::Queue
  Alice:
    Type: AWS::IAM::User
    Metadata:
      aws:cdk:path: App/People/Alice/Resource
    Properties:
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sqs:ReceiveMessage
                Resource: [!GetAtt Inbox.Arn, !Ref QueueArn]
  Bob:
    Type: AWS::IAM::User
    Metadata:
      cdk_nag:
        rules_to_suppress:
          - id: NIST.800.53.R5-IAMUserNoPolicies
            reason: a break-glass user
    Properties:
      Policies:
        - PolicyName: read
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: sqs:ReceiveMessage, Resource: !GetAtt Inbox.Arn}
  Open:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {AWS: "*"}, Action: sts:AssumeRole}
"#;
    let files = [("app/template.yaml", parent), ("app/people.yaml", child)];
    let apps = app::analyze_set(&set_of(&files));
    assert_eq!(apps.len(), 1);
    let v = apps[0].view().expect("view");

    // The nested stack's user is a node of the app, in its file and stack, with its grants
    // in the app's ids (the parent's queue passed in as a parameter).
    let alice = v
        .nodes
        .iter()
        .find(|n| n.id == "People/Alice")
        .unwrap_or_else(|| panic!("no user node: {:?}", labels(&v)));
    assert_eq!(alice.kind, "user");
    assert_eq!(alice.file.as_deref(), Some("app/people.yaml"));
    assert_eq!(alice.stack.as_deref(), Some("People"));
    assert_eq!(alice.construct_path.as_deref(), Some("App/People/Alice"));
    let granted: Vec<&str> = alice
        .permissions
        .iter()
        .flat_map(|p| p.resources.iter().map(String::as_str))
        .collect();
    assert!(
        granted.contains(&"People/Inbox") && granted.contains(&"Queue"),
        "{:?}",
        alice.permissions
    );

    // AUTH025 (policies on users) and AUTH018 (a role anyone may assume) on the nested
    // stack's resources, each pointing into that file.
    let on_users = findings(&v.findings, "AUTH025");
    assert_eq!(on_users.len(), 2, "{:?}", v.findings);
    for f in &on_users {
        assert_eq!(f.file.as_deref(), Some("app/people.yaml"));
    }
    let a = on_users
        .iter()
        .find(|f| f.resource.as_deref() == Some("People/Alice"))
        .expect("Alice's finding");
    assert_eq!(a.construct_path.as_deref(), Some("App/People/Alice"));
    assert!(a.suppressed.is_none());
    // cdk-nag's rule for the same check (any pack's id) suppresses it.
    let b = on_users
        .iter()
        .find(|f| f.resource.as_deref() == Some("People/Bob"))
        .expect("Bob's finding");
    let s = b.suppressed.as_ref().expect("suppressed by cdk-nag");
    assert_eq!(
        (s.by.as_str(), s.reason.as_str()),
        ("cdk-nag", "a break-glass user")
    );
    let open = findings(&v.findings, "AUTH018");
    assert_eq!(open.len(), 1, "{:?}", v.findings);
    assert_eq!(open[0].file.as_deref(), Some("app/people.yaml"));
    assert_eq!(open[0].resource.as_deref(), Some("People/Open"));

    // The child's own report speaks its local ids, grants included.
    let reports = apps[0].reports();
    let people = report(&reports, "app/people.yaml");
    let alice = people
        .nodes
        .iter()
        .find(|n| n.id == "Alice")
        .expect("Alice in her file's report");
    let granted: Vec<&str> = alice
        .permissions
        .iter()
        .flat_map(|p| p.resources.iter().map(String::as_str))
        .collect();
    assert!(granted.contains(&"Inbox"), "{:?}", alice.permissions);
    assert_eq!(findings(&people.findings, "AUTH018").len(), 1);
    let parent = report(&reports, "app/template.yaml");
    assert!(findings(&parent.findings, "AUTH025").is_empty());
}

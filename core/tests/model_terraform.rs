//! Terraform into the model: the bookstore twin, realistic apps (HTTP and REST APIs, queue,
//! topic and bucket triggers, IAM policy documents, WAF), `.tf.json`, plans of module-based
//! apps, modules of several files, suppressions, unknowns, and findings in Terraform's words.

use std::collections::BTreeMap;

use pillarlint_core::graph::{EdgeKind, NodeKind};
use pillarlint_core::model::terraform::Source;
use pillarlint_core::parse::{Format, Limits};
use pillarlint_core::rules::Finding;
use pillarlint_core::Analysis;

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn analyze(text: &str) -> Analysis {
    pillarlint_core::analyze_text(text).unwrap_or_else(|e| panic!("{e}"))
}

fn rules_of(a: &Analysis) -> BTreeMap<&'static str, usize> {
    let mut m = BTreeMap::new();
    for f in &a.findings {
        *m.entry(f.rule).or_insert(0) += 1;
    }
    m
}

/// The line of `text` (1-based) that contains `needle`, the first from `after`.
fn line_of(text: &str, needle: &str) -> u32 {
    let i = text
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}"));
    u32::try_from(i + 1).expect("line")
}

fn finding<'a>(a: &'a Analysis, rule: &str, resource: &str) -> &'a Finding {
    a.findings
        .iter()
        .find(|f| f.rule == rule && f.resource.as_deref() == Some(resource))
        .unwrap_or_else(|| {
            panic!(
                "no {rule} on {resource}; findings: {:#?}",
                a.findings
                    .iter()
                    .map(|f| (f.rule, f.resource.clone()))
                    .collect::<Vec<_>>()
            )
        })
}

fn edges(a: &Analysis) -> Vec<(String, String, EdgeKind, String)> {
    let mut v: Vec<_> = a
        .graph
        .edges()
        .map(|e| (e.from.clone(), e.to.clone(), e.kind, e.label.clone()))
        .collect();
    v.sort_by(|x, y| (&x.0, &x.1, &x.3).cmp(&(&y.0, &y.1, &y.3)));
    v
}

#[test]
fn bookstore_twin_draws_the_same_diagram_with_the_same_findings() {
    let tf_text = include_str!("../examples/bookstore.tf");
    let tf = analyze(tf_text);
    let sam = analyze(include_str!("../examples/bookstore.sam.yaml"));
    assert_eq!(tf.format(), Format::Terraform);
    assert!(
        tf.template.diagnostics.is_empty(),
        "{:?}",
        tf.template.diagnostics
    );
    let ids = [
        ("aws_api_gateway_rest_api.bookstore", "ServerlessRestApi"),
        ("aws_lambda_function.author_handler", "authorHandler"),
        ("aws_lambda_function.books_statistics", "booksStatistics"),
        ("aws_docdb_cluster.authors_db", "AuthorsDb"),
        ("aws_s3_bucket.stats", "StatsBucket"),
        ("aws_dynamodb_table.books", "BooksTable"),
    ];
    let rename = |id: &str| {
        ids.iter()
            .find(|(t, _)| *t == id)
            .map_or_else(|| id.to_owned(), |(_, s)| (*s).to_owned())
    };
    // the same nodes of the same kinds
    let mut tf_nodes: Vec<(String, NodeKind)> =
        tf.graph.nodes().map(|n| (rename(&n.id), n.kind)).collect();
    let mut sam_nodes: Vec<(String, NodeKind)> =
        sam.graph.nodes().map(|n| (n.id.clone(), n.kind)).collect();
    tf_nodes.sort();
    sam_nodes.sort();
    assert_eq!(tf_nodes, sam_nodes);
    // API routes -> authorHandler -> DocumentDB, booksStatistics -> S3 + DynamoDB
    let tf_edges: Vec<_> = edges(&tf)
        .into_iter()
        .map(|(a, b, k, l)| (rename(&a), rename(&b), k, l))
        .collect();
    assert_eq!(tf_edges, edges(&sam));
    // the same kinds of findings, as many of each
    assert_eq!(rules_of(&tf), rules_of(&sam));
    // ... at the lines of the offending arguments
    let at = |rule: &str, res: &str| finding(&tf, rule, res).span.start.line;
    assert_eq!(
        at("AUTH008", "aws_lambda_function.author_handler"),
        line_of(tf_text, "DB_PASSWORD = \"SuperSecret123\"")
    );
    assert_eq!(
        at("AUTH009", "aws_docdb_cluster.authors_db"),
        line_of(tf_text, "master_password ")
    );
    assert_eq!(
        at("DATA004", "aws_docdb_cluster.authors_db"),
        line_of(tf_text, "storage_encrypted ")
    );
    assert_eq!(
        at(
            "DATA005",
            "aws_docdb_cluster_parameter_group.authors_db_params"
        ),
        line_of(tf_text, "value = \"disabled\"")
    );
    assert_eq!(
        at("AUTH001", "aws_api_gateway_method.post_author"),
        line_of(tf_text, "authorization = \"NONE\"")
    );
    assert_eq!(
        at("LOG001", "aws_lambda_function.author_handler"),
        line_of(
            tf_text,
            "resource \"aws_lambda_function\" \"author_handler\""
        )
    );
    let wildcard = tf
        .findings
        .iter()
        .find(|f| f.rule == "AUTH002" && f.message.contains("dynamodb:*"))
        .expect("dynamodb:* flagged");
    assert_eq!(
        wildcard.span.start.line,
        line_of(tf_text, "actions   = [\"dynamodb:*\"]")
    );
    // remediations name Terraform arguments
    let r = &finding(&tf, "AUTH001", "aws_api_gateway_method.post_author").remediation;
    assert!(r.contains("authorization = \"COGNITO_USER_POOLS\""), "{r}");
    let r = &finding(&tf, "DOS001", "aws_api_gateway_stage.prod").remediation;
    assert!(r.contains("aws_api_gateway_method_settings"), "{r}");
    let m = &finding(&tf, "DATA004", "aws_docdb_cluster.authors_db").message;
    assert!(m.contains("`storage_encrypted = false`"), "{m}");
}

#[test]
fn http_api_with_queue_topic_and_bucket_triggers() {
    let text = fixture("http_api_events.tf");
    let a = analyze(&text);
    let g = &a.graph;
    let route = |label: &str| {
        g.edges()
            .find(|e| e.kind == EdgeKind::Trigger && e.label == label)
            .and_then(|e| e.route.clone())
            .unwrap_or_else(|| panic!("no route {label}"))
    };
    assert_eq!(route("POST /orders").authorization.as_deref(), Some("JWT"));
    assert_eq!(route("GET /health").authorization.as_deref(), Some("NONE"));
    let e = edges(&a);
    let has = |from: &str, to: &str, kind: EdgeKind| {
        e.iter()
            .any(|(a, b, k, _)| a == from && b == to && *k == kind)
    };
    assert!(has(
        "aws_sqs_queue.fulfilment",
        "aws_lambda_function.worker",
        EdgeKind::Trigger
    ));
    assert!(has(
        "aws_sns_topic.shipped",
        "aws_lambda_function.notifier",
        EdgeKind::Trigger
    ));
    assert!(has(
        "aws_s3_bucket.uploads",
        "aws_lambda_function.importer",
        EdgeKind::Trigger
    ));
    assert!(has(
        "aws_cognito_user_pool.users",
        "aws_apigatewayv2_api.orders",
        EdgeKind::Guards
    ));
    // IAM documents: a data source, jsonencode, and an ARN built from pseudo parameters
    assert!(has(
        "aws_lambda_function.create_order",
        "aws_dynamodb_table.orders",
        EdgeKind::Access
    ));
    assert!(has(
        "aws_lambda_function.worker",
        "aws_sns_topic.shipped",
        EdgeKind::Access
    ));
    assert!(has(
        "aws_lambda_function.worker",
        "aws_dynamodb_table.orders",
        EdgeKind::Access
    ));
    assert!(has(
        "aws_lambda_function.importer",
        "aws_s3_bucket.uploads",
        EdgeKind::Access
    ));
    let rules = rules_of(&a);
    // throttled and logged stage, encrypted queues, PITR table, split bucket settings read
    for absent in [
        "DOS002", "LOG005", "DATA014", "DATA010", "AUTH010", "AUTH004",
    ] {
        assert!(!rules.contains_key(absent), "{absent}: {rules:?}");
    }
    assert_eq!(
        finding(&a, "AUTH001", "aws_apigatewayv2_route.health")
            .span
            .start
            .line,
        line_of(&text, "resource \"aws_apigatewayv2_route\" \"health\"")
    );
    let r = &finding(&a, "AUTH001", "aws_apigatewayv2_route.health").remediation;
    assert!(r.contains("authorization_type = \"JWT\""), "{r}");
    assert!(
        rules.contains_key("LOG011"),
        "async invocations without a DLQ: {rules:?}"
    );
    // the for_each over a map with unknown values still makes one permission per key
    assert!(a
        .template
        .resource("aws_lambda_permission.api[\"health\"]")
        .is_some());
}

#[test]
fn rest_api_with_waf_usage_plan_and_unknown_multiplicity() {
    let text = fixture("rest_api_waf.tf");
    let a = analyze(&text);
    let g = &a.graph;
    let e = edges(&a);
    let has = |from: &str, to: &str, kind: EdgeKind| {
        e.iter()
            .any(|(a, b, k, _)| a == from && b == to && *k == kind)
    };
    assert!(has(
        "aws_wafv2_web_acl.api",
        "aws_api_gateway_rest_api.catalogue",
        EdgeKind::Guards
    ));
    assert!(has(
        "aws_api_gateway_usage_plan.partners",
        "aws_api_gateway_rest_api.catalogue",
        EdgeKind::Guards
    ));
    let rules = rules_of(&a);
    // WAF with a rate rule, throttled and logged stage, a plan with limits
    for absent in [
        "DOS001", "DOS003", "DOS005", "DOS007", "LOG002", "LOG003", "DOS008", "DOS009",
    ] {
        assert!(!rules.contains_key(absent), "{absent}: {rules:?}");
    }
    // routes from a map: one public (flagged), one with the Cognito authorizer (not)
    assert!(finding(
        &a,
        "AUTH001",
        "aws_api_gateway_method.route[\"list_items\"]"
    )
    .message
    .contains("GET /items"));
    assert!(!a.findings.iter().any(|f| f.rule == "AUTH001"
        && f.resource.as_deref() == Some("aws_api_gateway_method.route[\"create_item\"]")));
    // a conditional on a variable: both branches checked, the finding names its condition
    let t = finding(&a, "LOG001", "aws_lambda_function.items");
    assert_eq!(t.condition.as_deref(), Some("!var.enable_tracing"));
    // count over a variable nobody set: one node standing for them all, with a badge
    let q = g.node("aws_sqs_queue.replica_feed").expect("one node");
    assert!(q
        .facts
        .iter()
        .any(|f| f.kind == "multiplicity" && f.text.contains("var.replicas")));
    assert_eq!(
        finding(&a, "DATA014", "aws_sqs_queue.replica_feed")
            .span
            .start
            .line,
        line_of(&text, "sqs_managed_sse_enabled = false")
    );
}

#[test]
fn tf_json_reads_like_hcl() {
    let text = fixture("function_url.tf.json");
    let a = analyze(&text);
    assert_eq!(a.format(), Format::Terraform);
    let e = edges(&a);
    assert!(e
        .iter()
        .any(|(f, t, k, _)| f == "aws_lambda_function_url.generator"
            && t == "aws_lambda_function.generator"
            && *k == EdgeKind::Trigger));
    assert!(e
        .iter()
        .any(|(f, t, k, l)| f == "aws_lambda_function.generator"
            && t == "aws_s3_bucket.reports"
            && *k == EdgeKind::Access
            && l == "write"));
    let url = finding(&a, "AUTH003", "aws_lambda_function_url.generator");
    assert_eq!(
        url.span.start.line,
        line_of(&text, "\"authorization_type\": \"NONE\"")
    );
    // `"//"` comments carry suppressions
    let logs = finding(&a, "LOG010", "aws_lambda_function.generator");
    let s = logs.suppressed.as_ref().expect("suppressed");
    assert_eq!(
        (s.by.as_str(), s.reason.as_str()),
        ("pillarlint", "logs go to the central account")
    );
}

#[test]
fn plan_of_a_module_based_app() {
    let text = fixture("modules_app.plan.json");
    let a = analyze(&text);
    assert_eq!(a.format(), Format::TerraformPlan);
    let f = "module.orders_fn.aws_lambda_function.this[0]";
    let api = "module.api.aws_apigatewayv2_api.this[0]";
    assert_eq!(a.graph.node(f).map(|n| n.kind), Some(NodeKind::Function));
    let e = edges(&a);
    // the integration's URI is unknown before apply: its references lead through the api
    // module's `routes` input and the lambda module's output to the function
    assert!(e
        .iter()
        .any(|(x, y, k, l)| x == api && y == f && *k == EdgeKind::Trigger && l == "POST /orders"));
    // the policy the lambda module attaches (a known JSON string) reaches the table
    assert!(e
        .iter()
        .any(|(x, y, k, _)| x == f && y == "aws_dynamodb_table.orders" && *k == EdgeKind::Access));
    let secret = finding(&a, "AUTH008", f);
    assert_eq!(secret.span.start.line, line_of(&text, "\"API_TOKEN\""));
    // the module's role (through the attachment) carries the wildcard
    assert!(a.findings.iter().any(|x| x.rule == "AUTH002"
        && x.resource.as_deref() == Some("module.orders_fn.aws_iam_role.lambda[0]")));
    // provider defaults meaning "not set" are not settings: -1 concurrency, 0 retention
    let r = a.template.resource(f).expect("function");
    assert!(r.prop("ReservedConcurrentExecutions").is_none());
    assert!(finding(
        &a,
        "LOG010",
        "module.orders_fn.aws_cloudwatch_log_group.lambda[0]"
    )
    .message
    .contains("forever"));
}

#[test]
fn a_module_of_several_files_is_one_template() {
    let main = r#"resource "aws_lambda_function" "api" {
  function_name = "${var.name}-api"
  role          = aws_iam_role.api.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "api.zip"
  environment {
    variables = { TABLE = aws_dynamodb_table.items.name }
  }
}
"#;
    let iam = r#"resource "aws_iam_role" "api" {
  name = "${var.name}-api"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_iam_role_policy" "api" {
  role   = aws_iam_role.api.id
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": "dynamodb:*",
          "Resource": "${aws_dynamodb_table.items.arn}"
        }
      ]
    }
  EOT
}
"#;
    let data = r#"variable "name" {
  default = "items"
}

resource "aws_dynamodb_table" "items" {
  name     = var.name
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}
"#;
    let files = [
        Source {
            name: "main.tf",
            text: main,
        },
        Source {
            name: "iam.tf",
            text: iam,
        },
        Source {
            name: "data.tf",
            text: data,
        },
    ];
    let a = pillarlint_core::analyze_module(&files, &Limits::default()).expect("module");
    assert_eq!(a.template.files, ["main.tf", "iam.tf", "data.tf"]);
    assert!(a.graph.edges().any(|e| e.from == "aws_lambda_function.api"
        && e.to == "aws_dynamodb_table.items"
        && e.kind == EdgeKind::Access));
    let report = a.to_report("infra");
    // each finding names its file; lines are that file's
    let wild = report
        .findings
        .iter()
        .find(|f| f.rule == "AUTH002")
        .expect("dynamodb:* in the heredoc policy");
    assert_eq!(wild.file.as_deref(), Some("iam.tf"));
    assert_eq!(wild.line, line_of(iam, "\"Action\": \"dynamodb:*\""));
    let pitr = report.findings.iter().find(|f| f.rule == "DATA010");
    if let Some(p) = pitr {
        assert_eq!(p.file.as_deref(), Some("data.tf"));
    }
    let fnode = report
        .nodes
        .iter()
        .find(|n| n.id == "aws_lambda_function.api")
        .expect("node");
    assert_eq!((fnode.file.as_deref(), fnode.line), (Some("main.tf"), 1));
    // a broken file is named in the error
    let broken = [
        Source {
            name: "main.tf",
            text: main,
        },
        Source {
            name: "bad.tf",
            text: "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n",
        },
    ];
    let e = pillarlint_core::analyze_module(&broken, &Limits::default()).expect_err("broken");
    assert!(e.message.starts_with("bad.tf: invalid HCL"), "{e}");
    assert_eq!(e.line, 2);
}

#[test]
fn suppression_comments_in_and_above_blocks() {
    let text = r#"# pillarlint:ignore LOG006 the organization trail covers this account

# pillarlint:ignore DATA010 rebuilt from the event log
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lambda_function" "f" {
  #checkov:skip=CKV_AWS_50:tracing is sampled by the collector
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/f"
  handler       = "a.h"
  runtime       = "python3.12"
  filename      = "f.zip"
}

resource "aws_sqs_queue" "q" {
  sqs_managed_sse_enabled = false # pillarlint:ignore NOPE0001
}
"#;
    let a = analyze(text);
    let by = |rule: &str| {
        a.findings
            .iter()
            .find(|f| f.rule == rule)
            .and_then(|f| f.suppressed.clone())
            .map(|s| (s.by, s.reason))
    };
    assert_eq!(
        by("LOG006"),
        Some((
            "pillarlint".into(),
            "the organization trail covers this account".into()
        ))
    );
    assert_eq!(
        by("LOG001"),
        Some((
            "checkov".into(),
            "tracing is sampled by the collector".into()
        ))
    );
    // the queue's unknown rule id does not suppress, and the audit says so
    assert!(a
        .findings
        .iter()
        .any(|f| f.rule == "DATA014" && f.suppressed.is_none()));
    assert!(
        a.findings.iter().any(|f| f.rule == "LOG015"),
        "{:#?}",
        rules_of(&a)
    );
}

#[test]
fn instances_unknowns_and_modules() {
    let text = r#"variable "queues" {
  type    = list(string)
  default = ["orders", "refunds"]
}

variable "shards" {
  type = number
}

variable "create_dlq" {
  type    = bool
  default = false
}

resource "aws_sqs_queue" "q" {
  for_each = toset(var.queues)
  name     = "${each.key}-queue"
}

resource "aws_sqs_queue" "dlq" {
  count = var.create_dlq ? 1 : 0
  name  = "dlq"
}

resource "aws_kinesis_stream" "s" {
  count       = 2
  name        = "stream-${count.index}"
  shard_count = var.shards
}

resource "aws_sns_topic" "t" {
  for_each = var.unset_map
  name     = each.key
}

module "lambda" {
  source = "terraform-aws-modules/lambda/aws"
}

resource "aws_lambda_event_source_mapping" "m" {
  event_source_arn = aws_sqs_queue.q["orders"].arn
  function_name    = module.lambda.lambda_function_arn
}
"#;
    let a = analyze(text);
    let t = &a.template;
    for id in [
        "aws_sqs_queue.q[\"orders\"]",
        "aws_sqs_queue.q[\"refunds\"]",
        "aws_kinesis_stream.s[0]",
        "aws_kinesis_stream.s[1]",
        "aws_sns_topic.t",
    ] {
        assert!(t.resource(id).is_some(), "{id}");
    }
    // count = 0 at the variable's default: not created
    assert!(t
        .resources
        .iter()
        .all(|r| !r.id.starts_with("aws_sqs_queue.dlq")));
    assert_eq!(
        t.resource("aws_sqs_queue.q[\"refunds\"]")
            .and_then(|r| r.prop("QueueName"))
            .and_then(|v| v.as_str()),
        Some("refunds-queue")
    );
    // the shard count is unknown: a parameter without default, not a guess
    let shards = t
        .resource("aws_kinesis_stream.s[1]")
        .and_then(|r| r.prop("ShardCount"));
    assert_eq!(
        shards.map(|v| v.to_json().to_string()),
        Some(r#"{"Ref":"var.shards"}"#.into())
    );
    assert!(t
        .parameter("var.shards")
        .is_some_and(|p| p.default.is_none()));
    // the module is reported, and what it returns is one external end
    assert!(t
        .diagnostics
        .iter()
        .any(|d| d.message.contains("module `lambda`")
            && d.line == line_of(text, "module \"lambda\"")));
    assert!(t
        .diagnostics
        .iter()
        .any(|d| d.message.contains("var.unset_map") || d.message.contains("`var.unset_map`")));
    assert!(a
        .graph
        .edges()
        .any(|e| e.from == "aws_sqs_queue.q[\"orders\"]"
            && e.to == "import:module.lambda"
            && e.kind == EdgeKind::Trigger));
}

#[test]
fn sensitive_variables_are_no_echo_parameters() {
    let base = |pw: &str| {
        format!(
            r#"variable "db_password" {{
  type      = string
  sensitive = true
{pw}}}

resource "aws_docdb_cluster" "db" {{
  master_username   = "admin"
  master_password   = var.db_password
  storage_encrypted = true
}}
"#
        )
    };
    let without_default = analyze(&base(""));
    assert!(!without_default.findings.iter().any(|f| f.rule == "AUTH009"));
    let with_default = analyze(&base("  default = \"hunter2hunter2\"\n"));
    let f = finding(&with_default, "AUTH009", "aws_docdb_cluster.db");
    assert!(
        f.message.contains("sensitive variable var.db_password"),
        "{}",
        f.message
    );
    assert_eq!(
        f.span.start.line,
        line_of(&base("  default = \"hunter2hunter2\"\n"), "master_password")
    );
}

#[test]
fn hcl_errors_are_positioned() {
    for (text, line, col) in [
        (
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\n}\n",
            2,
            12,
        ),
        (
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n",
            3,
            1,
        ),
        ("locals {\n  a = [1, 2\n  b = 3\n}\n", 3, 3),
        ("variable \"x\" {\n  default = <<EOT\nno end\n}\n", 2, 13),
    ] {
        let e = pillarlint_core::analyze_text(text).expect_err(text);
        assert_eq!((e.line, e.column), (line, col), "{text}: {e}");
        assert!(e.message.starts_with("invalid HCL"), "{e}");
    }
}

#[test]
fn iam_of_users_groups_roles_and_attachments_reaches_the_iam_model() {
    let text = r#"resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_group" "ops" {
  name = "ops"
}

resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_policy" "queue" {
  name   = "queue"
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = "*" }] })
}

resource "aws_iam_policy_attachment" "queue" {
  name       = "queue"
  roles      = [aws_iam_role.app.name]
  users      = ["alice", "carol"]
  groups     = [aws_iam_group.ops.name]
  policy_arn = aws_iam_policy.queue.arn
}

resource "aws_iam_group_policy" "read" {
  group  = aws_iam_group.readers.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.readers.name]
}

resource "aws_iam_group_membership" "ops" {
  name  = "ops"
  group = aws_iam_group.ops.name
  users = [aws_iam_user.bob.name]
}

resource "aws_iam_user_policy" "bob" {
  user   = aws_iam_user.bob.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "dynamodb:GetItem", Resource = "*" }] })
}

resource "aws_iam_access_key" "bob" {
  user = aws_iam_user.bob.name
}

output "bob_secret" {
  value     = aws_iam_access_key.bob.secret
  sensitive = true
}
"#;
    let a = analyze(text);
    let iam = &a.graph.iam;
    let actions = |id: &str| -> Vec<String> {
        let mut v: Vec<String> = iam
            .statements_of(id)
            .iter()
            .flat_map(|(_, s)| s.actions.iter().map(|x| x.text.clone()))
            .collect();
        v.sort();
        v
    };
    // one attachment for a role, a user (by name) and a group
    assert_eq!(actions("aws_iam_role.app"), ["sqs:SendMessage"]);
    assert_eq!(actions("aws_iam_group.ops"), ["sqs:SendMessage"]);
    // alice: the attachment, and the readers group through her membership
    assert_eq!(
        actions("aws_iam_user.alice"),
        ["s3:GetObject", "sqs:SendMessage"]
    );
    // bob: his inline policy, and the ops group through the group's membership
    assert_eq!(
        actions("aws_iam_user.bob"),
        ["dynamodb:GetItem", "sqs:SendMessage"]
    );
    let alice = iam.identity("aws_iam_user.alice").expect("alice");
    assert_eq!(alice.groups, ["aws_iam_group.readers"]);
    let trust = iam.trust_of("aws_iam_role.app").expect("trust");
    assert_eq!(trust.statements.len(), 1);
    // the user named in the attachment but not declared is said, not guessed
    assert!(
        a.template
            .diagnostics
            .iter()
            .any(|d| d.message.contains("aws_iam_policy_attachment.queue")
                && d.message.contains("1 role(s), user(s) or group(s)")),
        "{:#?}",
        a.template.diagnostics
    );
    // the access key's secret is CloudFormation's `SecretAccessKey`, so AUTH026 sees the output
    let leak = finding(&a, "AUTH026", "aws_iam_access_key.bob");
    assert!(leak.message.contains("bob_secret"), "{}", leak.message);
    assert_eq!(
        leak.span.start.line,
        line_of(text, "resource \"aws_iam_access_key\" \"bob\"")
    );
}

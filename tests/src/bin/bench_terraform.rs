//! Terraform benchmark: the HCL reader and the whole module analysis on generated modules of
//! growing size and on the bookstore twin.
//!
//! Run with `cargo run --profile release-native -p pillarlint-tests --bin bench_terraform`.
//! Prints figures (median of 5 runs); it asserts nothing (speed is reported, not tested).

use std::time::{Duration, Instant};

use pillarlint_core::model::terraform::{hcl, read_module, Source};
use pillarlint_core::parse::Limits;

/// A module of `n` services: a function with its role and policy document, the queue that
/// triggers it, its log group, and a table it writes.
fn module(n: usize) -> String {
    let mut s = String::from("variable \"env\" {\n  default = \"prod\"\n}\n\nlocals {\n  prefix = \"app-${var.env}\"\n}\n\n");
    for i in 0..n {
        s.push_str(&format!(
            r#"data "aws_iam_policy_document" "f{i}" {{
  statement {{
    actions   = ["dynamodb:PutItem", "dynamodb:GetItem"]
    resources = [aws_dynamodb_table.t{i}.arn, "${{aws_dynamodb_table.t{i}.arn}}/index/*"]
  }}
  statement {{
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.q{i}.arn]
  }}
}}

resource "aws_iam_role" "f{i}" {{
  name               = "${{local.prefix}}-f{i}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}] }})
}}

resource "aws_iam_role_policy" "f{i}" {{
  role   = aws_iam_role.f{i}.id
  policy = data.aws_iam_policy_document.f{i}.json
}}

resource "aws_lambda_function" "f{i}" {{
  function_name = "${{local.prefix}}-f{i}"
  role          = aws_iam_role.f{i}.arn
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "f{i}.zip"
  environment {{
    variables = {{ TABLE = aws_dynamodb_table.t{i}.name }}
  }}
  tracing_config {{
    mode = var.env == "prod" ? "Active" : "PassThrough"
  }}
}}

resource "aws_cloudwatch_log_group" "f{i}" {{
  name              = "/aws/lambda/${{aws_lambda_function.f{i}.function_name}}"
  retention_in_days = 30
}}

resource "aws_sqs_queue" "q{i}" {{
  name = "${{local.prefix}}-q{i}"
}}

resource "aws_lambda_event_source_mapping" "q{i}" {{
  event_source_arn = aws_sqs_queue.q{i}.arn
  function_name    = aws_lambda_function.f{i}.arn
}}

resource "aws_dynamodb_table" "t{i}" {{
  name     = "${{local.prefix}}-t{i}"
  hash_key = "id"
  attribute {{
    name = "id"
    type = "S"
  }}
}}

"#
        ));
    }
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn main() {
    let limits = Limits::default();
    println!(
        "| case | resources | KB | HCL read ms | MB/s | module read ms | whole analysis ms | findings |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let bookstore = include_str!("../../../core/examples/bookstore.tf").to_owned();
    let mut cases: Vec<(String, String)> = vec![("bookstore.tf".into(), bookstore)];
    for n in [10, 100, 500, 2000] {
        cases.push((format!("generated, {n} services"), module(n)));
    }
    for (name, text) in cases {
        let (mut parse, mut read, mut all) = (Vec::new(), Vec::new(), Vec::new());
        let mut findings = 0;
        let mut resources = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let f = hcl::parse(&text, 0, &limits).expect("the benchmark module reads");
            parse.push(t.elapsed());
            drop(f);
            let src = [Source {
                name: "",
                text: &text,
            }];
            let t = Instant::now();
            let tpl = read_module(&src, &limits).expect("the module reads");
            read.push(t.elapsed());
            resources = tpl.resources.len();
            let t = Instant::now();
            let a = pillarlint_core::analyze_module(&src, &limits).expect("analyses");
            all.push(t.elapsed());
            findings = a.findings.len();
        }
        let p = median(parse);
        println!(
            "| {name} | {resources} | {} | {} | {:.0} | {} | {} | {findings} |",
            text.len() / 1024,
            ms(p),
            text.len() as f64 / p.as_secs_f64() / 1e6,
            ms(median(read)),
            ms(median(all)),
        );
    }
}

//! Hostile Terraform: deep nesting, huge files, broken HCL and evaluation bombs end with a
//! positioned error or a correct report — never a panic, never a hang, never unbounded
//! memory. Cases run on their own thread under a watchdog (a hang detector, not a speed
//! assertion), some on a small stack like the browser's.

use std::sync::mpsc;
use std::time::Duration;

use pillarlint_core::report::FileReport;

const WATCHDOG: Duration = Duration::from_secs(120);

/// Analyse `text` as a module's `main.tf` on a thread with `stack` bytes of stack.
fn report_with_stack(text: String, stack: usize) -> FileReport {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(stack)
        .spawn(move || {
            let r =
                pillarlint_core::report_module("hostile", &[("main.tf".into(), text.into_bytes())]);
            let _ = tx.send(r);
        })
        .expect("spawn");
    rx.recv_timeout(WATCHDOG)
        .expect("analysis panicked or did not finish")
}

fn report(text: String) -> FileReport {
    report_with_stack(text, 8 * 1024 * 1024)
}

fn error_of(text: String) -> (String, u32, u32) {
    let r = report(text);
    let e = r
        .error
        .unwrap_or_else(|| panic!("expected an error, got {} nodes", r.nodes.len()));
    assert!(e.message.starts_with("main.tf: "), "{}", e.message);
    (e.message, e.line, e.column)
}

#[test]
fn deep_nesting_of_every_kind_is_refused_with_a_position() {
    let n = 20_000;
    let cases = [
        format!("a = {}1{}\n", "[".repeat(n), "]".repeat(n)),
        format!("a = {}1{}\n", "(".repeat(n), ")".repeat(n)),
        format!("a = {}1\n", "-".repeat(n)),
        format!("a = {}1\n", "!".repeat(n)),
        format!("a = {}1{}\n", "{x = ".repeat(n), "}".repeat(n)),
        format!("{}{}", "b {\n".repeat(n), "}\n".repeat(n)),
        format!("a = \"{}\"\n", "${\"".repeat(n)),
        format!("a = {}\n", "f(".repeat(n)),
    ];
    for text in cases {
        let head: String = text.chars().take(12).collect();
        let (msg, line, col) = error_of(text);
        assert!(msg.contains("nests deeper"), "{head}: {msg}");
        assert!(line >= 1 && col >= 1, "{head}: {line}:{col}");
    }
}

/// The browser gives the analysis a 1 MB stack: the depth limit keeps the recursive reader
/// (and the evaluation after it) well within it. Measured with the size-tuned release
/// profile, 90 levels need less than 256 KB; unoptimised frames are several times larger.
#[test]
fn the_deepest_accepted_nesting_fits_a_small_stack() {
    let stack = if cfg!(debug_assertions) {
        4 << 20
    } else {
        512 << 10
    };
    for depth in [60, 90] {
        let text = format!(
            "locals {{\n  a = {}1{}\n  b = {}\"x\"{}\n}}\nresource \"aws_sqs_queue\" \"q\" {{\n  name = jsonencode(local.a)\n  tags = {{ t = jsonencode(local.b) }}\n}}\n",
            "[".repeat(depth),
            "]".repeat(depth),
            "{ k = ".repeat(depth),
            " }".repeat(depth),
        );
        let r = report_with_stack(text, stack);
        assert!(r.error.is_none(), "{depth}: {:?}", r.error);
        assert!(r.nodes.iter().any(|n| n.id == "aws_sqs_queue.q"));
    }
}

#[test]
fn broken_hcl_is_positioned() {
    for (text, want_line, want_col, word) in [
        (
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"open\n}\n",
            2,
            12,
            "not closed",
        ),
        (
            "resource \"aws_s3_bucket\" \"b\" {\n",
            2,
            1,
            "close the block",
        ),
        (
            "resource \"aws_s3_bucket\" \"b\" }\n",
            1,
            30,
            "expected `=`",
        ),
        ("locals {\n  a = 1 +\n}\n", 3, 1, "expected an expression"),
        ("locals {\n  a = <<EOT\nnever ends\n", 2, 7, "never closed"),
        ("locals {\n  a = \"${1\"\n}\n", 2, 11, "`}`"),
        ("locals {\n  a = \"%{ for x in y }\"\n}\n", 2, 8, "endfor"),
        ("locals {\n  a = \"\\q\"\n}\n", 2, 8, "escape"),
        ("locals {\n  a = 1\n  a = 2\n}\n", 3, 3, "duplicate"),
        (
            "variable \"x\" {\n  default = [1, 2,, 3]\n}\n",
            2,
            19,
            "expected an expression",
        ),
        ("\u{feff}resource", 1, 9, "expected"),
        (
            "resource \"a\" \"b\" {\n  x = 1 = 2\n}\n",
            2,
            9,
            "line break",
        ),
    ] {
        let (msg, line, col) = error_of(text.to_owned());
        assert_eq!((line, col), (want_line, want_col), "{text:?}: {msg}");
        assert!(msg.contains(word), "{text:?}: {msg}");
    }
}

#[test]
fn evaluation_bombs_stay_bounded() {
    // forty locals, each twice the one before: 2^40 values and a terabyte string if copied
    let mut text = String::from("locals {\n  l0 = [\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]\n  s0 = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
    for i in 1..40 {
        let p = i - 1;
        text.push_str(&format!("  l{i} = concat(local.l{p}, local.l{p})\n"));
        text.push_str(&format!("  s{i} = \"${{local.s{p}}}${{local.s{p}}}\"\n"));
    }
    text.push_str("}\nresource \"aws_sqs_queue\" \"q\" {\n  name = local.s39\n  tags = { n = length(local.l39) }\n}\n");
    // nested for expressions over ranges, a repeated join and a self-referencing count
    text.push_str(
        r#"locals {
  grid  = [for i in range(1000) : [for j in range(1000) : "${i}-${j}"]]
  text  = join(",", flatten(local.grid))
  again = replace(local.s20, "x", local.s20)
}
resource "aws_sns_topic" "t" {
  count = length(aws_sns_topic.t)
  name  = local.again
}
"#,
    );
    let r = report(text);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert!(r.nodes.iter().any(|n| n.id == "aws_sqs_queue.q"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("left unknown")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn cycles_are_reported_not_followed() {
    let text = r#"locals {
  a = local.b
  b = [local.a]
}
resource "aws_sqs_queue" "q" {
  name = local.a
  tags = { self = aws_sqs_queue.q.arn }
}
data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.d.json]
}
"#;
    let r = report(text.to_owned());
    assert!(r.error.is_none(), "{:?}", r.error);
    let cycle = r
        .warnings
        .iter()
        .find(|w| w.message.contains("refers to itself"))
        .expect("the cycle is reported");
    assert!(cycle.line == 2 || cycle.line == 3, "{cycle:?}");
}

#[test]
fn a_huge_module_gives_a_correct_report() {
    // 3,000 queues with their policies: about 1.3 MB of HCL
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "resource \"aws_sqs_queue\" \"q{i}\" {{\n  name                    = \"queue-{i}\"\n  sqs_managed_sse_enabled = {}\n}}\n\nresource \"aws_sqs_queue_policy\" \"q{i}\" {{\n  queue_url = aws_sqs_queue.q{i}.id\n  policy = jsonencode({{\n    Version   = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Principal = {{ AWS = \"arn:aws:iam::123456789012:root\" }}, Action = \"sqs:SendMessage\", Resource = aws_sqs_queue.q{i}.arn }}]\n  }})\n}}\n\n",
            i % 2 == 0
        ));
    }
    assert!(text.len() > 1_000_000);
    let r = report(text);
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.nodes.iter().filter(|n| n.kind == "queue").count(), 3000);
    assert_eq!(
        r.findings.iter().filter(|f| f.rule == "DATA014").count(),
        1500
    );
}

#[test]
fn binary_and_oversized_input() {
    let r = pillarlint_core::report_module(
        "hostile",
        &[("main.tf".into(), b"resource \xff\xfe".to_vec())],
    );
    let e = r.error.expect("invalid UTF-8");
    assert!(e.message.starts_with("main.tf: ") && e.line == 1, "{e:?}");
    let r = pillarlint_core::report_module("hostile", &[("main.tf".into(), b"a = 1\n\0".to_vec())]);
    assert_eq!(r.error.map(|e| e.line), Some(2));
    let big = "#".repeat(9 * 1024 * 1024);
    let (msg, _, _) = error_of(big);
    assert!(msg.contains("at most"), "{msg}");
}

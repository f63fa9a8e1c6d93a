//! Hostile input: every case ends with a clear, positioned error or a correct report — never a
//! panic, never a hang. Each case runs on its own thread under a generous watchdog so that a
//! regression into an endless loop fails this suite instead of stalling CI (the watchdog is a
//! hang detector, not a speed assertion: speed lives in the benchmarks).

use std::sync::mpsc;
use std::time::Duration;

use pillarlint_core::report::FileReport;

const WATCHDOG: Duration = Duration::from_secs(120);

/// Analyse `bytes` on a worker thread; fail if it panics or never returns.
fn report(bytes: Vec<u8>) -> FileReport {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let r = pillarlint_core::report_file("hostile.yaml", &bytes);
            let _ = tx.send(r);
        })
        .expect("spawn");
    rx.recv_timeout(WATCHDOG)
        .expect("analysis panicked or did not finish")
}

fn error_of(bytes: Vec<u8>) -> (String, u32, u32) {
    let r = report(bytes);
    let e = r.error.unwrap_or_else(|| {
        panic!(
            "expected an error, got a report with {} nodes",
            r.nodes.len()
        )
    });
    assert!(!e.message.is_empty());
    (e.message, e.line, e.column)
}

#[test]
fn yaml_alias_bomb() {
    let mut s = String::from("Resources:\n  A:\n    Type: AWS::S3::Bucket\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..=12 {
        let p = i - 1;
        s.push_str(&format!(
            "x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"
        ));
    }
    let (msg, line, _) = error_of(s.into_bytes());
    assert!(msg.contains("aliases"), "{msg}");
    assert!(
        line >= 4,
        "the error points into the alias chain, got line {line}"
    );
}

#[test]
fn ten_thousand_deep_nesting_block_and_flow() {
    let flow = format!("Resources: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let (msg, line, _) = error_of(flow.into_bytes());
    assert!(msg.contains("nests deeper"), "{msg}");
    assert_eq!(line, 1);

    // Block style: compact nested sequences, `- - - ... x`, 10,000 levels on one line.
    let block = format!("Resources:\n  A:\n    {}x\n", "- ".repeat(10_000));
    let (msg, _, _) = error_of(block.into_bytes());
    assert!(msg.contains("nests deeper"), "{msg}");
}

/// `n` functions, each behind its own unauthenticated route, padded to about `target_bytes`.
fn big_template(n: usize, target_bytes: usize) -> String {
    pillarlint_tests::gen::service(n * 5, target_bytes.saturating_sub(n * 1_100) / n.max(1))
}

#[test]
fn five_megabyte_template_gives_a_correct_report() {
    let text = big_template(1_000, 5 * 1024 * 1024);
    assert!(text.len() >= 5 * 1024 * 1024, "{} bytes", text.len());
    let r = report(text.into_bytes());
    assert!(r.error.is_none(), "{:?}", r.error);
    let routes = r.findings.iter().filter(|f| f.rule == "AUTH001").count();
    assert_eq!(routes, 1_000, "one unauthenticated-route finding per route");
    assert!(r.nodes.iter().any(|n| n.id == "Fn999"));
}

#[test]
fn thousand_resource_template_is_linear_enough_to_finish() {
    let r = report(big_template(200, 0).into_bytes());
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.nodes.iter().filter(|n| n.kind == "function").count(), 200);
}

#[test]
fn fifty_megabyte_input_is_refused_clearly() {
    let text = "# padding\n".repeat(5 * 1024 * 1024);
    let (msg, line, column) = error_of(text.into_bytes());
    assert!(msg.contains("bytes"), "{msg}");
    assert_eq!((line, column), (1, 1));
}

#[test]
fn binary_garbage_invalid_utf8_and_nul_bytes() {
    // Deterministic pseudo-random bytes (xorshift), not valid UTF-8.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..65_536)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect();
    let (msg, ..) = error_of(garbage);
    assert!(msg.contains("UTF-8") || msg.contains("NUL"), "{msg}");

    let (msg, line, column) = error_of(b"Resources:\n  A:\n    Type: \xc3\x28\n".to_vec());
    assert!(msg.contains("UTF-8"), "{msg}");
    assert_eq!((line, column), (3, 11));

    let (msg, line, _) = error_of(b"Resources:\n  A:\0\n".to_vec());
    assert!(msg.contains("NUL"), "{msg}");
    assert_eq!(line, 2);
}

#[test]
fn duplicate_keys_name_both_positions() {
    let (msg, line, column) = error_of(
        b"Resources:\n  A:\n    Type: AWS::S3::Bucket\n  A:\n    Type: AWS::SQS::Queue\n".to_vec(),
    );
    assert!(
        msg.contains("duplicate key `A`") && msg.contains("line 2, column 3"),
        "{msg}"
    );
    assert_eq!((line, column), (4, 3));
}

#[test]
fn every_intrinsic_with_the_wrong_arity() {
    let intrinsics = [
        "Ref",
        "Fn::GetAtt",
        "Fn::Sub",
        "Fn::Join",
        "Fn::If",
        "Fn::Select",
        "Fn::Split",
        "Fn::FindInMap",
        "Fn::ImportValue",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::GetAZs",
        "Fn::Equals",
        "Fn::Not",
        "Fn::And",
        "Fn::Or",
        "Condition",
    ];
    let shapes = [
        "[]",
        "[a]",
        "[a, b, c, d, e]",
        "{}",
        "{x: y}",
        "null",
        "[[[]]]",
        "42",
    ];
    for f in intrinsics {
        for shape in shapes {
            let text = format!(
                "Conditions:\n  C: {{\"{f}\": {shape}}}\nResources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Condition: C\n    Properties:\n      Role: {{\"{f}\": {shape}}}\n      Environment: {{Variables: {{K: {{\"{f}\": {shape}}}}}}}\n      ReservedConcurrentExecutions: {{\"{f}\": {shape}}}\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: {{\"{f}\": {shape}}}\n"
            );
            let r = report(text.into_bytes());
            // Either a report or a positioned error; never a panic.
            if let Some(e) = r.error {
                assert!(e.line >= 1, "{f} {shape}: {e:?}");
            } else {
                assert!(r.nodes.iter().any(|n| n.id == "Fn"), "{f} {shape}");
            }
        }
    }
}

#[test]
fn cyclic_depends_on_and_refs() {
    let text = "Resources:\n  A:\n    Type: AWS::SQS::Queue\n    DependsOn: B\n    Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt B.Arn}}\n  B:\n    Type: AWS::SQS::Queue\n    DependsOn: [A]\n    Properties: {RedrivePolicy: {deadLetterTargetArn: !GetAtt A.Arn}}\n  P:\n    Type: AWS::SSM::Parameter\n    Properties: {Value: !Ref P, Type: String}\n";
    let r = report(text.as_bytes().to_vec());
    assert!(r.error.is_none(), "{:?}", r.error);
    assert_eq!(r.nodes.len(), 3);
}

#[test]
fn serverless_variables_that_refer_to_themselves() {
    let text = "service: loop\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  stage: ${self:provider.stage}\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\nfunctions:\n  hello:\n    handler: h.h\n    environment:\n      A: ${self:custom.a}\n";
    let r = report(text.as_bytes().to_vec());
    // A report with the function and the cycle surfaced, or a positioned error: never a hang.
    match &r.error {
        Some(e) => assert!(e.line >= 1),
        None => assert!(r.nodes.iter().any(|n| n.id == "hello"), "{:?}", r.nodes),
    }
}

#[test]
fn wrong_shapes_are_errors_with_positions() {
    let (msg, line, _) = error_of(b"Resources:\n  - A\n  - B\n".to_vec());
    assert!(msg.contains("Resources"), "{msg}");
    assert_eq!(line, 2);
    let (msg, line, _) = error_of(b"Resources:\n  A: just a string\n".to_vec());
    assert!(msg.contains('A'), "{msg}");
    assert_eq!(line, 2);
    let (msg, ..) = error_of(b"- not\n- a template\n".to_vec());
    assert!(msg.contains("expected"), "{msg}");
}

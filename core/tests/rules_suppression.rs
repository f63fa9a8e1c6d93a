//! Suppressions: pillarlint's own metadata, and cfn_nag / checkov / cfn-lint settings for
//! rules whose `sources` list that id. Suppressed findings stay in the report.

use pillarlint_core::rules::Finding;

fn of(text: &str, rule: &str) -> Vec<Finding> {
    pillarlint_core::analyze_text(text)
        .expect("parses")
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

const BUCKET: &str = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n";

#[test]
fn unsuppressed_by_default() {
    let f = of(BUCKET, "DATA001");
    assert_eq!(f.len(), 1);
    assert!(f[0].suppressed.is_none());
}

#[test]
fn resource_level_pillarlint_ignore() {
    let t = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n      pillarlint:\n        ignore:\n          - {id: DATA001, reason: served only through CloudFront}\n";
    let f = of(t, "DATA001");
    assert_eq!(f.len(), 1, "the finding stays in the report");
    let s = f[0].suppressed.as_ref().expect("suppressed");
    assert_eq!(s.by, "pillarlint");
    assert_eq!(s.reason, "served only through CloudFront");
    assert!(of(t, "LOG015").is_empty(), "a reasoned suppression is fine");
}

#[test]
fn template_level_ignore_applies_to_every_resource() {
    let t = "Metadata:\n  pillarlint:\n    ignore:\n      - {id: data001, reason: org-wide SCP enforces TLS}\nResources:\n  A:\n    Type: AWS::S3::Bucket\n  B:\n    Type: AWS::S3::Bucket\n";
    let f = of(t, "DATA001");
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|x| x.suppressed.is_some()));
}

#[test]
fn suppression_of_one_rule_leaves_others() {
    let t = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {AccessControl: PublicRead}\n    Metadata:\n      pillarlint:\n        ignore: [{id: AUTH010, reason: public website}]\n";
    assert!(of(t, "AUTH010").iter().all(|x| x.suppressed.is_some()));
    assert!(of(t, "DATA001").iter().all(|x| x.suppressed.is_none()));
}

#[test]
fn missing_reason_and_unknown_id_are_reported() {
    let t = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Metadata:\n      pillarlint:\n        ignore:\n          - id: DATA001\n          - {id: NOPE42, reason: typo}\n";
    let audit = of(t, "LOG015");
    assert_eq!(audit.len(), 2);
    assert!(audit.iter().any(|f| f.message.contains("no reason")));
    assert!(audit.iter().any(|f| f.message.contains("NOPE42")));
    // Without a reason it still suppresses, and says so.
    let f = of(t, "DATA001");
    assert_eq!(
        f[0].suppressed.as_ref().map(|s| s.reason.as_str()),
        Some("no reason given")
    );
}

#[test]
fn cfn_nag_checkov_and_cfn_lint_ids_map_through_sources() {
    // cfn_nag W35 / checkov CKV_AWS_18 are sources of LOG013; F14 of AUTH010.
    let nag = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {AccessControl: PublicReadWrite}\n    Metadata:\n      cfn_nag:\n        rules_to_suppress:\n          - {id: F14, reason: legacy upload bucket}\n";
    let f = of(nag, "AUTH010");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].suppressed.as_ref().map(|s| s.by.as_str()),
        Some("cfn_nag")
    );

    let ckv = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n      checkov:\n        skip:\n          - {id: CKV_AWS_26, comment: no sensitive data}\n";
    let f = of(ckv, "DATA003");
    assert_eq!(
        f[0].suppressed.as_ref().map(|s| s.reason.as_str()),
        Some("no sensitive data")
    );

    let lint = "Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: x}, Role: arn:aws:iam::123456789012:role/r}\n    Metadata:\n      cfn-lint:\n        config:\n          ignore_checks: [WS1000]\n";
    let f = of(lint, "LOG001");
    assert_eq!(
        f[0].suppressed.as_ref().map(|s| s.by.as_str()),
        Some("cfn-lint")
    );

    // An id that is not a source of the rule suppresses nothing.
    let other = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Metadata:\n      checkov:\n        skip:\n          - {id: CKV_AWS_999}\n";
    assert!(of(other, "DATA003")[0].suppressed.is_none());
}

const CDK_POLICY: &str = r#"{"Resources": {
  "FnServiceRole": {"Type": "AWS::IAM::Role", "Metadata": {"aws:cdk:path": "App/Fn/ServiceRole/Resource"},
    "Properties": {"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
  "FnServiceRoleDefaultPolicy": {"Type": "AWS::IAM::Policy",
    "Metadata": {"aws:cdk:path": "App/Fn/ServiceRole/DefaultPolicy/Resource",
      "cdk_nag": {"rules_to_suppress": [{"id": "AwsSolutions-IAM5", "reason": "the bucket's keys are per-tenant", "applies_to": ["Action::s3:*"]}]}},
    "Properties": {"PolicyName": "p", "Roles": [{"Ref": "FnServiceRole"}],
      "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:1:table/t"}]}}},
  "Fn": {"Type": "AWS::Lambda::Function", "Metadata": {"aws:cdk:path": "App/Fn/Resource"},
    "Properties": {"Runtime": "python3.12", "Handler": "a.h", "Code": {"ZipFile": "x"}, "Role": {"Fn::GetAtt": ["FnServiceRole", "Arn"]}}}
}}"#;

#[test]
fn cdk_nag_suppressions_map_through_sources_with_their_granular_findings() {
    // cdk-nag AwsSolutions-IAM5 is a source of AUTH002; the suppression sits on the policy
    // that holds the statements (where cdk-nag reports it) and covers `s3:*` only.
    let f = of(CDK_POLICY, "AUTH002");
    assert_eq!(f.len(), 2, "{f:?}");
    let s3 = f
        .iter()
        .find(|x| x.message.contains("`s3:*`"))
        .expect("s3:*");
    let s = s3.suppressed.as_ref().expect("suppressed by cdk-nag");
    assert_eq!(s.by, "cdk-nag");
    assert_eq!(s.reason, "the bucket's keys are per-tenant");
    let ddb = f
        .iter()
        .find(|x| x.message.contains("`dynamodb:*`"))
        .expect("dynamodb:*");
    assert!(ddb.suppressed.is_none(), "applies_to names s3:* only");
    assert!(
        s3.message.contains("App/Fn/ServiceRole"),
        "messages name resources by construct path: {}",
        s3.message
    );

    // A stack-level suppression (NagSuppressions.addStackSuppressions) covers every resource.
    let stack = CDK_POLICY.replacen(
        "{\"Resources\"",
        "{\"Metadata\": {\"cdk_nag\": {\"rules_to_suppress\": [{\"id\": \"AwsSolutions-S10\", \"reason\": \"TLS enforced by an SCP\"}]}}, \"Resources\"",
        1,
    ).replacen("\"Fn\": {", "\"B\": {\"Type\": \"AWS::S3::Bucket\"}, \"Fn\": {", 1);
    let f = of(&stack, "DATA001");
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].suppressed.as_ref().map(|s| s.by.as_str()),
        Some("cdk-nag")
    );
}

#[test]
fn cdk_nag_3_granular_ids_and_regex_entries() {
    // cdk-nag 3 writes the granular finding into the id; a regex `applies_to` entry is not
    // evaluated, so it suppresses nothing (the finding stays visible).
    let v3 = CDK_POLICY.replace(
        r#"{"id": "AwsSolutions-IAM5", "reason": "the bucket's keys are per-tenant", "applies_to": ["Action::s3:*"]}"#,
        r#"{"id": "AwsSolutions-IAM5[Action::dynamodb:*]", "reason": "single-table design"}, {"id": "AwsSolutions-IAM5", "reason": "r", "applies_to": [{"regex": "/^Action::s3:.*$/g"}]}"#,
    );
    assert_ne!(v3, CDK_POLICY);
    let f = of(&v3, "AUTH002");
    let by_action = |a: &str| {
        f.iter()
            .find(|x| x.message.contains(a))
            .and_then(|x| x.suppressed.as_ref())
            .map(|s| s.reason.clone())
    };
    assert_eq!(
        by_action("`dynamodb:*`").as_deref(),
        Some("single-table design")
    );
    assert_eq!(by_action("`s3:*`"), None);
}

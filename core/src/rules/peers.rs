//! The checkov and cfn_nag checks a user comparing tools expects us to answer, in our four
//! pillars: each one is either *covered* (some rule names it in its `sources`) or *decided*
//! (a written reason in [`DECIDED`] why we check it differently or not at all). The test
//! `tests/peer_coverage.rs` fails on a check that is neither, or both, and prints the
//! coverage per tool.
//!
//! What each check does was read from the tools' own sources (checkov's
//! `checkov/cloudformation/checks/resource/aws/*.py`, cfn_nag's
//! `lib/cfn-nag/custom_rules/*.rb`); cfn_nag has renumbered some rules over time, the
//! numbers here are those of its current rule set.

use super::{Source, RULES};

/// One peer check in scope, with what it flags.
#[derive(Debug, Clone, Copy)]
pub struct PeerCheck {
    pub source: Source,
    /// The resource types and the condition that fails, in a line.
    pub what: &'static str,
}

const fn ckv(id: &'static str, what: &'static str) -> PeerCheck {
    PeerCheck {
        source: Source::Checkov(id),
        what,
    }
}

const fn nag(id: &'static str, what: &'static str) -> PeerCheck {
    PeerCheck {
        source: Source::CfnNag(id),
        what,
    }
}

/// Every peer check in scope.
pub static PEER_CHECKS: &[PeerCheck] = &[
    ckv(
        "CKV_AWS_18",
        "S3 bucket without server access logging (LoggingConfiguration)",
    ),
    ckv(
        "CKV_AWS_19",
        "S3 bucket without a default encryption configuration (BucketEncryption)",
    ),
    ckv(
        "CKV_AWS_20",
        "S3 bucket with a public READ canned ACL (PublicRead, PublicReadWrite)",
    ),
    ckv("CKV_AWS_26", "SNS topic without KmsMasterKeyId"),
    ckv(
        "CKV_AWS_27",
        "SQS queue without encryption at rest (KmsMasterKeyId or SqsManagedSseEnabled)",
    ),
    ckv(
        "CKV_AWS_35",
        "CloudTrail trail whose logs are not encrypted with a KMS key (KMSKeyId)",
    ),
    ckv("CKV_AWS_36", "CloudTrail trail without log file validation"),
    ckv(
        "CKV_AWS_40",
        "IAM policy attached directly to a user instead of a group or role",
    ),
    ckv(
        "CKV_AWS_45",
        "Lambda function environment variables holding secrets",
    ),
    ckv(
        "CKV_AWS_47",
        "DAX cluster without encryption at rest (SSESpecification.SSEEnabled)",
    ),
    ckv(
        "CKV_AWS_53",
        "S3 bucket public access block without BlockPublicAcls",
    ),
    ckv(
        "CKV_AWS_54",
        "S3 bucket public access block without BlockPublicPolicy",
    ),
    ckv(
        "CKV_AWS_55",
        "S3 bucket public access block without IgnorePublicAcls",
    ),
    ckv(
        "CKV_AWS_56",
        "S3 bucket public access block without RestrictPublicBuckets",
    ),
    ckv(
        "CKV_AWS_57",
        "S3 bucket with a public WRITE canned ACL (PublicReadWrite)",
    ),
    ckv(
        "CKV_AWS_59",
        "API Gateway method with AuthorizationType NONE (and no API key)",
    ),
    ckv(
        "CKV_AWS_60",
        "IAM role trust policy that lets every principal (*) assume it",
    ),
    ckv(
        "CKV_AWS_61",
        "IAM role trust policy that lets every principal of an account assume it",
    ),
    ckv(
        "CKV_AWS_62",
        "IAM policy granting full administrative privileges (\"*\" on \"*\")",
    ),
    ckv(
        "CKV_AWS_63",
        "IAM policy statement allowing the action \"*\"",
    ),
    ckv("CKV_AWS_67", "CloudTrail trail not enabled in all regions"),
    ckv(
        "CKV_AWS_68",
        "CloudFront distribution without a WAF web ACL",
    ),
    ckv("CKV_AWS_73", "API Gateway stage without X-Ray tracing"),
    ckv(
        "CKV_AWS_74",
        "DocumentDB cluster without storage encryption",
    ),
    ckv(
        "CKV_AWS_76",
        "API Gateway (REST) stage without access logging",
    ),
    ckv(
        "CKV_AWS_85",
        "DocumentDB cluster not exporting audit and profiler logs to CloudWatch",
    ),
    ckv(
        "CKV_AWS_90",
        "DocumentDB cluster parameter group with tls disabled",
    ),
    ckv(
        "CKV_AWS_95",
        "API Gateway V2 (HTTP/WebSocket) stage without access logging",
    ),
    ckv(
        "CKV_AWS_104",
        "DocumentDB cluster parameter group without audit_logs enabled",
    ),
    ckv(
        "CKV_AWS_107",
        "IAM policy allowing credentials exposure actions without constraint",
    ),
    ckv(
        "CKV_AWS_109",
        "IAM policy allowing permissions management or resource exposure without constraint",
    ),
    ckv(
        "CKV_AWS_111",
        "IAM policy allowing write access without resource constraint",
    ),
    ckv(
        "CKV_AWS_115",
        "Lambda function without a concurrency limit (ReservedConcurrentExecutions)",
    ),
    ckv(
        "CKV_AWS_119",
        "DynamoDB table not encrypted with a customer managed KMS key",
    ),
    ckv(
        "CKV_AWS_173",
        "Lambda function environment variables not encrypted with a KMS key (KmsKeyArn)",
    ),
    ckv(
        "CKV_AWS_192",
        "WAFv2 web ACL without the AWS known-bad-inputs rule set (Log4j, CVE-2021-44228)",
    ),
    ckv("CKV_AWS_258", "Lambda function URL with AuthType NONE"),
    ckv(
        "CKV_AWS_364",
        "Lambda permission for an AWS service without SourceArn or SourceAccount",
    ),
    ckv(
        "CKV_AWS_366",
        "Cognito identity pool allowing unauthenticated (guest) identities",
    ),
    nag("F2", "IAM role trust policy allowing the action *"),
    nag("F3", "IAM role permissions policy allowing the action *"),
    nag("F4", "IAM policy allowing the action *"),
    nag("F5", "IAM managed policy allowing the action *"),
    nag("F6", "IAM role trust policy with Allow + NotPrincipal"),
    nag("F7", "SQS queue policy with Allow + NotPrincipal"),
    nag("F8", "SNS topic policy with Allow + NotPrincipal"),
    nag("F9", "S3 bucket policy with Allow + NotPrincipal"),
    nag("F11", "IAM policy applied directly to users"),
    nag("F12", "IAM managed policy applied directly to users"),
    nag("F13", "Lambda permission with a wildcard principal"),
    nag("F14", "S3 bucket with a public read-write canned ACL"),
    nag("F16", "S3 bucket policy allowing the principal *"),
    nag("F18", "SNS topic policy allowing the principal *"),
    nag("F20", "SQS queue policy allowing the action *"),
    nag("F21", "SQS queue policy allowing the principal *"),
    nag("F38", "IAM role allowing iam:PassRole on the resource *"),
    nag("F39", "IAM policy allowing iam:PassRole on the resource *"),
    nag(
        "F40",
        "IAM managed policy allowing iam:PassRole on the resource *",
    ),
    nag("F665", "WAF Classic web ACL whose DefaultAction is ALLOW"),
    nag("F78", "Cognito user pool with MfaConfiguration OFF"),
    nag("W12", "IAM policy allowing the resource *"),
    nag("W13", "IAM managed policy allowing the resource *"),
    nag("W14", "IAM role trust policy with Allow + NotAction"),
    nag("W15", "IAM role permissions policy with Allow + NotAction"),
    nag("W16", "IAM policy with Allow + NotAction"),
    nag("W17", "IAM managed policy with Allow + NotAction"),
    nag("W18", "SQS queue policy with Allow + NotAction"),
    nag("W19", "SNS topic policy with Allow + NotAction"),
    nag("W20", "S3 bucket policy with Allow + NotAction"),
    nag("W21", "IAM role with Allow + NotResource"),
    nag("W22", "IAM policy with Allow + NotResource"),
    nag("W23", "IAM managed policy with Allow + NotResource"),
    nag(
        "W24",
        "Lambda permission for an action other than lambda:InvokeFunction",
    ),
    nag("W31", "S3 bucket with a public read canned ACL"),
    nag("W35", "S3 bucket without access logging"),
    nag(
        "W41",
        "S3 bucket without an encryption option (BucketEncryption)",
    ),
    nag(
        "W43",
        "IAM role with the AdministratorAccess managed policy",
    ),
    nag(
        "W44",
        "IAM role with an elevated managed policy (PowerUserAccess, IAMFullAccess)",
    ),
    nag(
        "W45",
        "API Gateway deployment creating a stage without AccessLogSetting",
    ),
    nag("W46", "API Gateway V2 stage without access logging"),
    nag("W47", "SNS topic without KmsMasterKeyId"),
    nag("W48", "SQS queue without KmsMasterKeyId"),
    nag(
        "W50",
        "IAM user login profile without PasswordResetRequired",
    ),
    nag("W51", "S3 bucket without a bucket policy"),
    nag(
        "W57",
        "Cognito identity pool allowing unauthenticated identities",
    ),
    nag(
        "W58",
        "Lambda function whose role cannot write CloudWatch Logs",
    ),
    nag("W59", "API Gateway method with AuthorizationType NONE"),
    nag(
        "W62",
        "API Gateway domain name whose SecurityPolicy is not TLS 1.2",
    ),
    nag(
        "W64",
        "API Gateway stage (or REST API) not associated with a usage plan",
    ),
    nag(
        "W68",
        "API Gateway deployment not associated with a usage plan",
    ),
    nag("W69", "API Gateway stage without AccessLogSetting"),
    nag(
        "W74",
        "DynamoDB table not encrypted with a customer managed KMS key",
    ),
    nag("W83", "DAX cluster without encryption at rest"),
    nag(
        "W87",
        "API Gateway deployment caching without cache encryption",
    ),
    nag(
        "W92",
        "Lambda function without ReservedConcurrentExecutions",
    ),
];

/// Peer checks we answer with a reason instead of a rule of the same name.
pub static DECIDED: &[(Source, &str)] = &[
    (
        Source::Checkov("CKV_AWS_19"),
        "S3 encrypts every new object with SSE-S3 since 2023-01-05 and the setting cannot be \
         turned off, so a missing BucketEncryption leaves nothing unencrypted; what can still \
         matter is which key, and DATA002 flags buckets reached from a public route that use \
         only the S3 managed key.",
    ),
    (
        Source::CfnNag("W41"),
        "Same as CKV_AWS_19: S3 default encryption (SSE-S3) applies to every bucket; DATA002 \
         asks for a customer managed key where a public route reaches the bucket.",
    ),
    (
        Source::CfnNag("F665"),
        "AWS WAF Classic (AWS::WAF::WebACL) reached end of support on 2025-09-30 and new web \
         ACLs cannot be created with it; for WAFv2, a DefaultAction of Allow with blocking \
         rules is AWS's recommended pattern, and what we check is what those rules are: \
         DOS005 (rate-based rule) and DOS013 (known bad inputs).",
    ),
    (
        Source::CfnNag("W64"),
        "A usage plan throttles only requests that carry an API key, so associating a stage \
         with one does not bound anonymous or token-authenticated callers; DOS001 asks for \
         stage throttling, which bounds every caller, DOS011 for some limit (throttling, a \
         WAF rate rule, reserved concurrency) on every public path, and DOS007 flags usage \
         plans that exist without limits.",
    ),
    (
        Source::CfnNag("W68"),
        "Same as W64, for the stage an AWS::ApiGateway::Deployment creates: DOS001 reads the \
         deployment's StageDescription throttling and DOS007 the usage plans.",
    ),
];

/// The rules whose `sources` name `s`.
pub fn covering(s: Source) -> Vec<&'static str> {
    RULES
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.sources.contains(&s))
        .map(|m| m.id)
        .collect()
}

/// The written decision for `s`, if any.
pub fn decision(s: Source) -> Option<&'static str> {
    DECIDED.iter().find(|(d, _)| *d == s).map(|(_, why)| *why)
}

use crate::declare_rule;
use crate::rules::util::{finding, prop};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags SNS topics without `KmsMasterKeyId` and Kinesis streams without
    /// `StreamEncryption`: unlike S3, SQS and DynamoDB, these are not encrypted at rest by
    /// default.
    ///
    /// ## Why is this bad?
    /// Messages and records sit unencrypted on AWS storage; compliance regimes (PCI, HIPAA)
    /// and defence in depth expect encryption at rest.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Topic:
    ///     Type: AWS::SNS::Topic
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Topic:
    ///     Type: AWS::SNS::Topic
    ///     Properties: {KmsMasterKeyId: alias/aws/sns}
    /// ```
    ///
    /// ## Remediation
    /// Set `KmsMasterKeyId` on the topic (`alias/aws/sns` or a customer managed key) and
    /// `StreamEncryption: {EncryptionType: KMS, KeyId: alias/aws/kinesis}` on the stream.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
    /// - https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html
    pub TopicStreamUnencrypted {
        id: "DATA003",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_26"), Source::Checkov("CKV_AWS_43"), Source::CfnNag("W47"), Source::CdkNag("AwsSolutions-SNS2"), Source::CdkNag("AwsSolutions-KDS1")],
    }
}

impl Rule for TopicStreamUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for r in &cx.template.resources {
            let (key, what, fix) = match r.type_.as_str() {
                "AWS::SNS::Topic" => (
                    "KmsMasterKeyId",
                    "SNS topic",
                    "Set `KmsMasterKeyId` (alias/aws/sns or a customer managed key).",
                ),
                "AWS::Kinesis::Stream" => (
                    "StreamEncryption",
                    "Kinesis stream",
                    "Set `StreamEncryption` with `EncryptionType: KMS`.",
                ),
                _ => continue,
            };
            for b in prop(r, &[key]) {
                if b.value.is_some() {
                    continue;
                }
                out.push(finding(&Self::META, r, r.span, &b.cond,
                    format!("{what} {} has no `{key}`: its messages are stored unencrypted at rest (this service does not encrypt by default)", r.id),
                    fix));
            }
        }
    }
}

use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags SQS queues that turn off the default server-side encryption
    /// (`SqsManagedSseEnabled: false`) without setting a KMS key.
    ///
    /// ## Why is this bad?
    /// SQS encrypts queues by default (SSE-SQS); turning it off leaves messages, often
    /// carrying personal data, unencrypted at rest.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Queue:
    ///     Type: AWS::SQS::Queue
    ///     Properties:
    ///       SqsManagedSseEnabled: false
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Queue:
    ///     Type: AWS::SQS::Queue
    /// ```
    ///
    /// ## Remediation
    /// Remove `SqsManagedSseEnabled: false`, or set `KmsMasterKeyId`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html
    pub QueueSseDisabled {
        id: "DATA014",
        pillar: Data,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_27"), Source::CdkNag("AwsSolutions-SQS2")],
    }
}

impl Rule for QueueSseDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for q in cx.template.resources_of("AWS::SQS::Queue") {
            if q.prop("KmsMasterKeyId").is_some() {
                continue;
            }
            for b in prop(q, &["SqsManagedSseEnabled"]) {
                if b.bool() == Some(false) {
                    out.push(finding(&Self::META, q, span_or(q, &b, &["SqsManagedSseEnabled"]), &b.cond,
                        format!("queue {} turns off SQS's default encryption and sets no KMS key: its messages are stored unencrypted", q.id),
                        "Remove `SqsManagedSseEnabled: false` or set `KmsMasterKeyId`."));
                }
            }
        }
    }
}

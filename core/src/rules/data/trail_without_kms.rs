use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags CloudTrail trails whose log files are not encrypted with a KMS key
    /// (`KMSKeyId`), so they carry only the S3 managed encryption of their bucket.
    ///
    /// ## Why is this bad?
    /// A trail records every API call in the account: who did what, from where, with which
    /// parameters. With SSE-S3 alone, anyone who can read the log bucket reads all of it;
    /// with a KMS key, reading also needs `kms:Decrypt` on a key whose policy you control
    /// and whose use is itself logged, and the key can be disabled to cut off access at once.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Trail:
    ///     Type: AWS::CloudTrail::Trail
    ///     Properties: {IsLogging: true, S3BucketName: org-trail-logs}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Trail:
    ///     Type: AWS::CloudTrail::Trail
    ///     Properties: {IsLogging: true, S3BucketName: org-trail-logs, KMSKeyId: alias/trail}
    /// ```
    ///
    /// ## Remediation
    /// Set `KMSKeyId` to a customer managed key whose key policy lets
    /// `cloudtrail.amazonaws.com` call `kms:GenerateDataKey*` for this trail
    /// (`aws:SourceArn` condition) and lets your auditors decrypt.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
    /// - CIS AWS Foundations Benchmark 3.5 (CloudTrail logs encrypted at rest with KMS CMKs)
    pub TrailWithoutKms {
        id: "DATA018",
        pillar: Data,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_35")],
    }
}

impl Rule for TrailWithoutKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tr in cx.template.resources_of("AWS::CloudTrail::Trail") {
            for b in prop(tr, &["KMSKeyId"]) {
                if b.value.is_some() {
                    continue;
                }
                out.push(finding(&Self::META, tr, span_or(tr, &b, &["KMSKeyId"]), &b.cond,
                    format!("trail {} sets no `KMSKeyId`: its logs of every API call in the account are protected only by the S3 managed key, so read access to the log bucket is enough to read them", tr.id),
                    "Set `KMSKeyId` to a customer managed key whose policy lets cloudtrail.amazonaws.com encrypt for this trail."));
            }
        }
    }
}

use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags CloudTrail trails without log-file validation (`EnableLogFileValidation`).
    ///
    /// ## Why is this bad?
    /// Without validation digests, someone who gains access to the log bucket can delete or
    /// edit entries that show what they did, and nobody can prove it.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Trail:
    ///     Type: AWS::CloudTrail::Trail
    ///     Properties: {IsLogging: true, S3BucketName: logs, IsMultiRegionTrail: true}
    /// ```
    ///
    /// ## Remediation
    /// Set `EnableLogFileValidation: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
    pub TrailLogValidation {
        id: "LOG007",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_36"), Source::Guard("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED")],
    }
}

impl Rule for TrailLogValidation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tr in cx.template.resources_of("AWS::CloudTrail::Trail") {
            for b in prop(tr, &["EnableLogFileValidation"]) {
                if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                    continue;
                }
                out.push(finding(&Self::META, tr, span_or(tr, &b, &["EnableLogFileValidation"]), &b.cond,
                    format!("trail {} has no log-file validation: deleted or edited log entries cannot be detected", tr.id),
                    "Set `EnableLogFileValidation: true`."));
            }
        }
    }
}

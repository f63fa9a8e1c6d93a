use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags CloudTrail trails that record only one region (`IsMultiRegionTrail` not true).
    ///
    /// ## Why is this bad?
    /// Attackers favour regions nobody watches; a single-region trail misses what they do
    /// there, and global-service events may be missed too.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Trail:
    ///     Type: AWS::CloudTrail::Trail
    ///     Properties: {IsLogging: true, S3BucketName: logs, EnableLogFileValidation: true}
    /// ```
    ///
    /// ## Remediation
    /// Set `IsMultiRegionTrail: true`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
    pub TrailMultiRegion {
        id: "LOG008",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_67"), Source::Guard("MULTI_REGION_CLOUD_TRAIL_ENABLED")],
    }
}

impl Rule for TrailMultiRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for tr in cx.template.resources_of("AWS::CloudTrail::Trail") {
            for b in prop(tr, &["IsMultiRegionTrail"]) {
                if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                    continue;
                }
                out.push(finding(&Self::META, tr, span_or(tr, &b, &["IsMultiRegionTrail"]), &b.cond,
                    format!("trail {} records a single region: activity in other regions goes unrecorded", tr.id),
                    "Set `IsMultiRegionTrail: true`."));
            }
        }
    }
}

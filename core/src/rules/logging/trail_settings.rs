use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

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

declare_rule! {
    /// ## What it does
    /// Flags CloudTrail trails in a template that declares buckets or functions, when the
    /// trail records no data events (`EventSelectors` with `DataResources`, or
    /// `AdvancedEventSelectors`).
    ///
    /// ## Why is this bad?
    /// Management events show who changed a bucket; only data events show who read or
    /// deleted its objects, or who invoked a function. After a leak, that is the question.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Bucket:
    ///     Type: AWS::S3::Bucket
    ///   Trail:
    ///     Type: AWS::CloudTrail::Trail
    ///     Properties: {IsLogging: true, S3BucketName: logs, EnableLogFileValidation: true, IsMultiRegionTrail: true}
    /// ```
    ///
    /// ## Remediation
    /// Add `EventSelectors` with `DataResources` for `AWS::S3::Object` (the template's
    /// buckets) and `AWS::Lambda::Function`, or equivalent `AdvancedEventSelectors`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
    pub TrailDataEvents {
        id: "LOG009",
        pillar: Logging,
        severity: Low,
        sources: &[],
    }
}

impl Rule for TrailDataEvents {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let has_data = t
            .resources
            .iter()
            .any(|r| r.type_ == "AWS::S3::Bucket" || r.type_ == "AWS::Lambda::Function");
        if !has_data {
            return;
        }
        for tr in t.resources_of("AWS::CloudTrail::Trail") {
            let selectors = tr
                .prop("EventSelectors")
                .map(Value::items)
                .unwrap_or_default();
            let data = selectors.iter().any(|s| s.get("DataResources").is_some())
                || tr.prop("AdvancedEventSelectors").is_some();
            if data {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&tr.id), tr.prop("EventSelectors").map_or(tr.span, |v| v.span),
                    format!("trail {} records no data events although the template declares buckets/functions: object reads and deletes and function invocations are not recorded", tr.id),
                    "Add `EventSelectors` with `DataResources` for the template's buckets and functions.")
                .condition(tr.condition.clone()),
            );
        }
    }
}

use crate::declare_rule;

use crate::rules::{Context, Finding, Rule, RuleMeta};
use crate::value::Value;

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

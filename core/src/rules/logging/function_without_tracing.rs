use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags Lambda functions without active X-Ray tracing (`TracingConfig.Mode: Active`;
    /// SAM `Tracing: Active`; Serverless `tracing.lambda: true`).
    ///
    /// ## Why is this bad?
    /// Without traces you cannot follow a request from the API through the function to the
    /// database, which is what an incident investigation needs first: which calls did the
    /// attacker's request make, and where did it fail?
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r, TracingConfig: {Mode: Active}}
    /// ```
    ///
    /// ## Remediation
    /// Set `TracingConfig: {Mode: Active}` (SAM: `Tracing: Active` in `Globals.Function`)
    /// and allow `xray:PutTraceSegments`/`xray:PutTelemetryRecords` in the role.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
    pub FunctionWithoutTracing {
        id: "LOG001",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_50"), Source::ServerlessRules("WS1000")],
    }
}

impl Rule for FunctionWithoutTracing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for f in cx.template.resources_of("AWS::Lambda::Function") {
            for b in prop(f, &["TracingConfig", "Mode"]) {
                if b.str() == Some("Active") || b.value.is_some_and(|v| v.as_str().is_none()) {
                    continue;
                }
                out.push(finding(&Self::META, f, span_or(f, &b, &["TracingConfig", "Mode"]), &b.cond,
                    format!("function {} has no active X-Ray tracing: requests through it cannot be followed end to end when investigating an incident", f.id),
                    "Set `TracingConfig.Mode: Active` (SAM `Tracing: Active`)."));
            }
        }
    }
}

use crate::declare_rule;
use crate::model::{Resource, Template};
use crate::rules::util::{finding, literal, prop, raw_text, references, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags functions whose log group has no `RetentionInDays`, or that declare no log group
    /// at all (Lambda then creates `/aws/lambda/<name>` on first run, keeping logs forever
    /// and outside the stack).
    ///
    /// ## Why is this bad?
    /// Logs kept forever accumulate personal data and cost; a log group the stack does not
    /// own cannot be given retention, encryption or subscriptions in review.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {FunctionName: orders, Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    ///   FnLogs:
    ///     Type: AWS::Logs::LogGroup
    ///     Properties: {LogGroupName: /aws/lambda/orders}
    /// ```
    ///
    /// ## Remediation
    /// Declare `AWS::Logs::LogGroup` named `/aws/lambda/${Fn}` with `RetentionInDays` (SAM
    /// and CDK: or `LoggingConfig.LogGroup`; Serverless: `logRetentionInDays`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html
    pub LogRetention {
        id: "LOG010",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_66"), Source::ServerlessRules("WS1004")],
    }
}

/// The log group a function writes to, when the template declares it.
pub fn function_log_group<'a>(t: &'a Template, f: &'a Resource) -> Option<&'a Resource> {
    if let Some(lg) = f.prop_path(&["LoggingConfig", "LogGroup"]) {
        if let Some(r) = crate::rules::util::refs(t, lg)
            .into_iter()
            .filter_map(|id| t.resource(&id))
            .find(|r| r.type_ == "AWS::Logs::LogGroup")
        {
            return Some(r);
        }
        let name = literal(t, lg);
        return t.resources_of("AWS::Logs::LogGroup").find(|r| {
            name.is_some() && r.prop("LogGroupName").and_then(|v| literal(t, v)) == name
        });
    }
    let fname = f.prop("FunctionName").and_then(|v| literal(t, v));
    t.resources_of("AWS::Logs::LogGroup").find(|lg| {
        let Some(n) = lg.prop("LogGroupName") else {
            return false;
        };
        if references(t, n, &f.id) {
            return true;
        }
        if let (Some(fname), Some(lit)) = (&fname, literal(t, n)) {
            return lit == format!("/aws/lambda/{fname}");
        }
        // `!Sub /aws/lambda/${FunctionNameParam}` matching the function's own `!Ref FunctionNameParam`.
        match (f.prop("FunctionName"), raw_text(n)) {
            (Some(fnv), Some(text)) => {
                let fn_text = raw_text(fnv).or_else(|| {
                    fnv.get("Ref")
                        .and_then(Value::as_str)
                        .map(|p| format!("${{{p}}}"))
                });
                fn_text.is_some_and(|ft| text == format!("/aws/lambda/{ft}"))
            }
            _ => false,
        }
    })
}

impl Rule for LogRetention {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            match function_log_group(t, f) {
                Some(lg) => {
                    for b in prop(lg, &["RetentionInDays"]) {
                        if b.value.is_some() {
                            continue;
                        }
                        out.push(
                            finding(&Self::META, lg, span_or(lg, &b, &["RetentionInDays"]), &b.cond,
                                format!("log group {} of function {} has no `RetentionInDays`: logs are kept forever, accumulating personal data and cost", lg.id, f.id),
                                "Set `RetentionInDays` (e.g. 30, 90 or what your compliance regime requires).")
                            .related([f.id.clone()]),
                        );
                    }
                }
                None => {
                    out.push(
                        Finding::new(&Self::META, Some(&f.id), f.span,
                            format!("function {} has no log group in the template: Lambda creates one on first run that keeps logs forever and that the stack cannot configure", f.id),
                            "Declare an `AWS::Logs::LogGroup` named `/aws/lambda/${Fn}` with `RetentionInDays`, or point `LoggingConfig.LogGroup` at one.")
                        .condition(f.condition.clone()),
                    );
                }
            }
        }
    }
}

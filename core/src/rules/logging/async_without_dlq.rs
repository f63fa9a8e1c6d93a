use crate::declare_rule;
use crate::model::Template;
use crate::rules::util::{references, refs};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::span::Span;
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags functions invoked asynchronously — by S3 notifications, SNS subscriptions,
    /// EventBridge rules, EventBridge Scheduler, CloudWatch Logs subscriptions or IoT rules — that have neither a dead-letter queue
    /// (`DeadLetterConfig`) nor an on-failure destination (`AWS::Lambda::EventInvokeConfig`),
    /// and whose trigger has no dead-letter queue of its own. Synchronous callers (API
    /// Gateway) and polled sources (SQS, Kinesis, DynamoDB streams) are not flagged.
    ///
    /// ## Why is this bad?
    /// After two retries Lambda drops a failed asynchronous event. Without a DLQ the event is
    /// gone, and so is the evidence of the failure (or of an attack that made it fail).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Fn:
    ///     Type: AWS::Lambda::Function
    ///     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: "x"}, Role: arn:aws:iam::123456789012:role/r}
    ///   Nightly:
    ///     Type: AWS::Events::Rule
    ///     Properties:
    ///       ScheduleExpression: rate(1 day)
    ///       Targets: [{Id: fn, Arn: !GetAtt Fn.Arn}]
    /// ```
    ///
    /// ## Remediation
    /// Set `DeadLetterConfig: {TargetArn: !GetAtt Dlq.Arn}` on the function, or an
    /// `AWS::Lambda::EventInvokeConfig` with `DestinationConfig.OnFailure` (SAM:
    /// `DeadLetterQueue` or `EventInvokeConfig`), and alarm on its depth.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
    pub AsyncWithoutDlq {
        id: "LOG011",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_116"), Source::ServerlessRules("ES1007"), Source::ServerlessRules("ES4000")],
    }
}

/// A "keep warm" ping: losing one matters to nobody, so it needs no DLQ.
fn is_warmer(rule: &crate::model::Resource, target: &Value) -> bool {
    let mentions = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .is_some_and(|s| s.to_ascii_lowercase().contains("warm"))
    };
    rule.id.to_ascii_lowercase().contains("warm")
        || mentions(target.get("Input"))
        || mentions(target.get("Id"))
        || mentions(rule.prop("Name"))
}

/// Async triggers of function `f`: (trigger resource, span, trigger has its own DLQ).
fn async_triggers(t: &Template, f: &str) -> Vec<(String, Span, bool)> {
    let mut out = Vec::new();
    for r in &t.resources {
        match r.type_.as_str() {
            "AWS::Events::Rule" => {
                for tg in r.prop("Targets").map(Value::items).unwrap_or_default() {
                    if tg.get("Arn").is_some_and(|a| references(t, a, f)) && !is_warmer(r, tg) {
                        out.push((r.id.clone(), tg.span, tg.get("DeadLetterConfig").is_some()));
                    }
                }
            }
            "AWS::Scheduler::Schedule" => {
                if let Some(tg) = r.prop("Target") {
                    if tg.get("Arn").is_some_and(|a| references(t, a, f)) && !is_warmer(r, tg) {
                        out.push((r.id.clone(), tg.span, tg.get("DeadLetterConfig").is_some()));
                    }
                }
            }
            "AWS::SNS::Subscription" => {
                let lambda = r.prop("Protocol").and_then(Value::as_str) == Some("lambda");
                if lambda && r.prop("Endpoint").is_some_and(|e| references(t, e, f)) {
                    out.push((r.id.clone(), r.span, r.prop("RedrivePolicy").is_some()));
                }
            }
            "AWS::SNS::Topic" => {
                for s in r.prop("Subscription").map(Value::items).unwrap_or_default() {
                    if s.get("Endpoint").is_some_and(|e| references(t, e, f)) {
                        out.push((r.id.clone(), s.span, false));
                    }
                }
            }
            "AWS::Logs::SubscriptionFilter" | "AWS::IoT::TopicRule"
                if references(t, &r.properties, f) =>
            {
                out.push((r.id.clone(), r.span, false));
            }
            "AWS::S3::Bucket" => {
                for c in r
                    .prop_path(&["NotificationConfiguration", "LambdaConfigurations"])
                    .map(Value::items)
                    .unwrap_or_default()
                {
                    if c.get("Function").is_some_and(|v| references(t, v, f)) {
                        out.push((r.id.clone(), c.span, false));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Does the function keep failed async events (DLQ or on-failure destination)?
pub fn keeps_failures(t: &Template, f: &crate::model::Resource) -> bool {
    if f.prop_path(&["DeadLetterConfig", "TargetArn"]).is_some() {
        return true;
    }
    t.resources_of("AWS::Lambda::EventInvokeConfig").any(|c| {
        c.prop("FunctionName").is_some_and(|n| {
            references(t, n, &f.id) || refs(t, n).is_empty() && f.prop("FunctionName") == Some(n)
        }) && c.prop_path(&["DestinationConfig", "OnFailure"]).is_some()
    })
}

impl Rule for AsyncWithoutDlq {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for f in t.resources_of("AWS::Lambda::Function") {
            let triggers: Vec<_> = async_triggers(t, &f.id)
                .into_iter()
                .filter(|(_, _, dlq)| !dlq)
                .collect();
            if triggers.is_empty() || keeps_failures(t, f) {
                continue;
            }
            let names: Vec<String> = triggers.iter().map(|(id, _, _)| id.clone()).collect();
            out.push(
                Finding::new(&Self::META, Some(&f.id), f.span,
                    format!("function {} is invoked asynchronously by {} but has no dead-letter queue or on-failure destination: events that still fail after Lambda's retries are silently dropped", f.id, names.join(", ")),
                    "Add `DeadLetterConfig` (an SQS queue or SNS topic) or an EventInvokeConfig with `OnFailure`, and alarm on it.")
                .condition(f.condition.clone())
                .related(names),
            );
        }
    }
}

use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags Step Functions state machines without execution logging
    /// (`LoggingConfiguration` with a level other than `OFF` and a destination) or without
    /// X-Ray tracing (`TracingConfiguration.Enabled`).
    ///
    /// ## Why is this bad?
    /// Workflows orchestrate the functions that touch data; without logs or traces a failed
    /// or abused execution leaves only "ExecutionFailed" behind.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Flow:
    ///     Type: AWS::StepFunctions::StateMachine
    ///     Properties:
    ///       RoleArn: arn:aws:iam::123456789012:role/sfn
    ///       DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}'
    /// ```
    ///
    /// ## Remediation
    /// Set `LoggingConfiguration: {Level: ERROR, IncludeExecutionData: false, Destinations:
    /// [{CloudWatchLogsLogGroup: {LogGroupArn: ...}}]}` and `TracingConfiguration: {Enabled: true}`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
    pub StateMachineLogging {
        id: "LOG012",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_284"), Source::Checkov("CKV_AWS_285"), Source::CdkNag("AwsSolutions-SF1"), Source::CdkNag("AwsSolutions-SF2"), Source::ServerlessRules("WS5000")],
    }
}

impl Rule for StateMachineLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for sm in cx.template.resources_of("AWS::StepFunctions::StateMachine") {
            for b in prop(sm, &["LoggingConfiguration"]) {
                let level = b
                    .value
                    .and_then(|v| v.get("Level"))
                    .and_then(|v| v.as_str());
                let dest = b.value.is_some_and(|v| v.get("Destinations").is_some());
                if dest && level != Some("OFF") && b.value.is_some_and(|v| v.get("Level").is_some())
                {
                    continue;
                }
                out.push(finding(&Self::META, sm, span_or(sm, &b, &["LoggingConfiguration"]), &b.cond,
                    format!("state machine {} has no execution logging: failed or abused executions leave no record of their steps", sm.id),
                    "Set `LoggingConfiguration` with `Level: ERROR` (or `ALL`) and a CloudWatch Logs destination."));
            }
            for b in prop(sm, &["TracingConfiguration", "Enabled"]) {
                if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                    continue;
                }
                out.push(finding(&Self::META, sm, span_or(sm, &b, &["TracingConfiguration", "Enabled"]), &b.cond,
                    format!("state machine {} has no X-Ray tracing: executions cannot be followed into the functions they call", sm.id),
                    "Set `TracingConfiguration: {Enabled: true}`.").severity(Severity::Low));
            }
        }
    }
}

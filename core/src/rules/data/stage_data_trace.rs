use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags REST API stages with `DataTraceEnabled: true`, which writes full request and
    /// response bodies to CloudWatch Logs.
    ///
    /// ## Why is this bad?
    /// Passwords, tokens and personal data in bodies end up in logs that far more people can
    /// read than the data store itself, and are kept as long as the log group keeps them.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Stage:
    ///     Type: AWS::ApiGateway::Stage
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       StageName: prod
    ///       MethodSettings:
    ///         - {HttpMethod: "*", ResourcePath: "/*", LoggingLevel: INFO, DataTraceEnabled: true}
    /// ```
    ///
    /// ## Remediation
    /// Turn `DataTraceEnabled` off in production; use access logs with a chosen field list,
    /// and `LoggingLevel: ERROR` for execution logs.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    pub StageDataTrace {
        id: "DATA017",
        pillar: Data,
        severity: Medium,
        sources: &[Source::CfnNag("CW4200")],
    }
}

impl Rule for StageDataTrace {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            let mut spots: Vec<&Value> = s.settings.get("DataTraceEnabled").into_iter().collect();
            spots.extend(
                s.settings
                    .get("MethodSettings")
                    .map(Value::items)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|m| m.get("DataTraceEnabled")),
            );
            let Some(on) = spots.into_iter().find(|v| v.as_bool() == Some(true)) else {
                continue;
            };
            out.push(
                Finding::new(&Self::META, Some(&s.res.id), on.span,
                    format!("stage {} of REST API {api} logs full request and response bodies (`DataTraceEnabled`): passwords, tokens and personal data end up in CloudWatch Logs", s.res.id),
                    "Set `DataTraceEnabled: false` in production; rely on access logs and ERROR-level execution logs.")
                .condition(s.res.condition.clone())
                .related([api]),
            );
        }
    }
}

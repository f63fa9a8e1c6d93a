use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags REST API stages without execution logging (`MethodSettings` with
    /// `LoggingLevel: INFO` or `ERROR`).
    ///
    /// ## Why is this bad?
    /// Execution logs record authorizer decisions, integration errors and throttling; without
    /// them failed and rejected requests leave no trace.
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
    ///         - {HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50}
    /// ```
    ///
    /// ## Remediation
    /// Add `MethodSettings: [{HttpMethod: "*", ResourcePath: "/*", LoggingLevel: ERROR}]`
    /// (`INFO` while investigating; avoid `DataTraceEnabled` in production, it logs bodies).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    pub RestStageExecutionLogging {
        id: "LOG003",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV2_AWS_4"), Source::CdkNag("AwsSolutions-APIG6")],
    }
}

impl Rule for RestStageExecutionLogging {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            let on = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .is_some_and(|l| l == "INFO" || l == "ERROR")
                    || v.is_some_and(|v| v.as_str().is_none())
            };
            let logged = on(s.settings.get("LoggingLevel"))
                || s.settings
                    .get("MethodSettings")
                    .map(Value::items)
                    .unwrap_or_default()
                    .iter()
                    .any(|m| on(m.get("LoggingLevel")));
            if logged {
                continue;
            }
            let span = s
                .settings
                .get("MethodSettings")
                .map_or(s.res.span, |v| v.span);
            out.push(
                Finding::new(&Self::META, Some(&s.res.id), span,
                    format!("stage {} of REST API {api} has no execution logging: authorizer denials, integration errors and throttled requests leave no trace", s.res.id),
                    "Add a `MethodSettings` entry for `*` `/*` with `LoggingLevel: ERROR` (or `INFO`).")
                .condition(s.res.condition.clone())
                .related([api]),
            );
        }
    }
}

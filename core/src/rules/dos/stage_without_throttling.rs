use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::paths::stage_throttled;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags REST API stages that set no throttling: no `MethodSettings` (or deployment
    /// `StageDescription`) with `ThrottlingRateLimit`/`ThrottlingBurstLimit`, so only the
    /// account-wide default (10,000 requests per second, shared by every API) applies.
    /// (Serverless `provider.apiGateway` without throttle lands here after expansion.)
    ///
    /// ## Why is this bad?
    /// One client can then drive thousands of Lambda invocations per second: the bill grows,
    /// downstream databases fall over, and other APIs in the account get throttled.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Stage:
    ///     Type: AWS::ApiGateway::Stage
    ///     Properties: {RestApiId: !Ref Api, StageName: prod}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Api:
    ///     Type: AWS::ApiGateway::RestApi
    ///   Stage:
    ///     Type: AWS::ApiGateway::Stage
    ///     Properties:
    ///       RestApiId: !Ref Api
    ///       StageName: prod
    ///       MethodSettings: [{HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: 100, ThrottlingBurstLimit: 50}]
    /// ```
    ///
    /// ## Remediation
    /// Add `MethodSettings: [{HttpMethod: "*", ResourcePath: "/*", ThrottlingRateLimit: N,
    /// ThrottlingBurstLimit: M}]` sized to expected traffic (SAM: `MethodSettings` on the
    /// API; Serverless: `provider.apiGateway` throttle settings or a usage plan).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
    pub StageWithoutThrottling {
        id: "DOS001",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::ServerlessRules("ES2003")],
    }
}

impl Rule for StageWithoutThrottling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            if crate::rules::paths::api_is_private(cx.template, &api)
                || stage_throttled(&s)
                || crate::rules::paths::usage_plan_throttles(cx.template, &api)
            {
                continue;
            }
            let span = s
                .settings
                .get("MethodSettings")
                .map_or(s.res.span, |v| v.span);
            out.push(
                Finding::new(&Self::META, Some(&s.res.id), span,
                    format!("stage {} of REST API {api} sets no throttling: one client can drive unbounded Lambda invocations, cost and database load, limited only by the account-wide quota shared with every other API", s.res.id),
                    "Set `ThrottlingRateLimit` and `ThrottlingBurstLimit` in a `MethodSettings` entry for `*` `/*`.")
                .condition(s.res.condition.clone())
                .related([api]),
            );
        }
    }
}

use crate::declare_rule;
use crate::rules::paths::{api_of_stage, stage_throttled, Stage};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags HTTP API and WebSocket stages without `DefaultRouteSettings` throttling
    /// (`ThrottlingRateLimit` / `ThrottlingBurstLimit`).
    ///
    /// ## Why is this bad?
    /// HTTP APIs cannot use WAF; stage throttling is the only brake between a flood of
    /// requests and your functions, databases and bill.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   HttpApi:
    ///     Type: AWS::ApiGatewayV2::Api
    ///     Properties: {Name: api, ProtocolType: HTTP}
    ///   Stage:
    ///     Type: AWS::ApiGatewayV2::Stage
    ///     Properties: {ApiId: !Ref HttpApi, StageName: $default, AutoDeploy: true}
    /// ```
    ///
    /// ## Remediation
    /// Set `DefaultRouteSettings: {ThrottlingRateLimit: N, ThrottlingBurstLimit: M}` on the
    /// stage (SAM: `DefaultRouteSettings` on the `HttpApi`; Serverless: `httpApi` throttling).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
    pub HttpApiWithoutThrottling {
        id: "DOS002",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::ServerlessRules("ES2003")],
    }
}

impl Rule for HttpApiWithoutThrottling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for s in t.resources_of("AWS::ApiGatewayV2::Stage") {
            let st = Stage {
                res: s,
                settings: &s.properties,
                v2: true,
                base: &[],
            };
            if stage_throttled(&st) {
                continue;
            }
            let api = api_of_stage(t, s);
            out.push(
                Finding::new(&Self::META, Some(&s.id), s.prop("DefaultRouteSettings").map_or(s.span, |v| v.span),
                    format!("stage {}{} sets no default route throttling: a single client can flood the functions behind it (HTTP APIs cannot use WAF, so this is the only brake)", s.id, api.as_ref().map(|a| format!(" of {a}")).unwrap_or_default()),
                    "Set `DefaultRouteSettings.ThrottlingRateLimit` and `ThrottlingBurstLimit`.")
                .condition(s.condition.clone())
                .related(api),
            );
        }
    }
}

use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags REST API stages without X-Ray tracing (`TracingEnabled: true`).
    ///
    /// ## Why is this bad?
    /// The trace of a request starts at the API; without it, function traces cannot be tied
    /// to the route and caller that started them.
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
    ///
    /// ## Remediation
    /// Set `TracingEnabled: true` on the stage (SAM: `TracingEnabled` on the API, or
    /// `Globals.Api.TracingEnabled`; Serverless: `tracing.apiGateway: true`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html
    pub RestStageTracing {
        id: "LOG004",
        pillar: Logging,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_73"), Source::ServerlessRules("WS2002")],
    }
}

impl Rule for RestStageTracing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            for b in crate::rules::util::branches_at(s.settings, &["TracingEnabled"]) {
                if b.bool() == Some(true) || b.value.is_some_and(|v| v.as_bool().is_none()) {
                    continue;
                }
                out.push(
                    crate::rules::util::finding(&Self::META, s.res, b.value.map_or(s.res.span, |v| v.span), &b.cond,
                        format!("stage {} of REST API {api} has no X-Ray tracing: requests cannot be followed from the route into the functions and stores behind it", s.res.id),
                        "Set `TracingEnabled: true` on the stage.")
                    .related([api.clone()]),
                );
            }
        }
    }
}

use crate::declare_rule;
use crate::rules::paths::{stages, Stage};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags REST API stages without access logging (`AccessLogSetting`).
    ///
    /// ## Why is this bad?
    /// Access logs are the record of who called which route, from where, and with what
    /// result. Without them you cannot tell whether an endpoint was abused, by whom, or
    /// since when.
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
    ///       DeploymentId: !Ref Deployment
    ///       StageName: prod
    ///       TracingEnabled: true
    ///   Deployment:
    ///     Type: AWS::ApiGateway::Deployment
    ///     Properties: {RestApiId: !Ref Api}
    /// ```
    ///
    /// ## Remediation
    /// Set `AccessLogSetting: {DestinationArn: !GetAtt AccessLogs.Arn, Format: ...}` on the
    /// stage (SAM: `AccessLogSetting` on the API; Serverless: `logs.restApi: true`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
    pub RestStageAccessLogs {
        id: "LOG002",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_76"), Source::CfnNag("W69"), Source::CfnNag("W45"), Source::CdkNag("AwsSolutions-APIG1"), Source::ServerlessRules("ES2000")],
    }
}

/// Every REST API stage of the template.
pub fn rest_stages<'a>(cx: &'a Context<'a>) -> Vec<(String, Stage<'a>)> {
    let t = cx.template;
    let mut out = Vec::new();
    for api in t.resources_of("AWS::ApiGateway::RestApi") {
        for s in stages(t, &api.id) {
            if !s.v2 {
                out.push((api.id.clone(), s));
            }
        }
    }
    out
}

impl Rule for RestStageAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (api, s) in rest_stages(cx) {
            // Every `Fn::If` branch of the setting: a finding per branch without a destination.
            for b in
                crate::rules::util::branches_at(s.settings, &["AccessLogSetting", "DestinationArn"])
            {
                if b.value.is_some() {
                    continue;
                }
                let span = if s.base.is_empty() {
                    s.res.span
                } else {
                    s.res
                        .prop_path(s.base)
                        .map_or(s.res.span, |v: &Value| v.span)
                };
                out.push(
                    crate::rules::util::finding(&Self::META, s.res, span, &b.cond,
                        format!("stage {} of REST API {api} has no access logging: there is no record of who called which route, so abuse cannot be detected or investigated", s.res.id),
                        "Set `AccessLogSetting` with a CloudWatch Logs `DestinationArn` and a JSON `Format`.")
                    .severity(Severity::Medium)
                    .related([api.clone()]),
                );
            }
        }
    }
}

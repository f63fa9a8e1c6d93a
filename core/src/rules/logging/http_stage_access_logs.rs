use crate::declare_rule;
use crate::rules::paths::api_of_stage;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags HTTP and WebSocket API stages (`AWS::ApiGatewayV2::Stage`) without
    /// `AccessLogSettings`.
    ///
    /// ## Why is this bad?
    /// HTTP APIs have no execution logs: access logs are the only record of who called
    /// which route and what happened.
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
    /// Set `AccessLogSettings: {DestinationArn: !GetAtt Logs.Arn, Format: ...}` (SAM:
    /// `AccessLogSettings` on the `HttpApi`; Serverless: `logs.httpApi: true`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html
    pub HttpStageAccessLogs {
        id: "LOG005",
        pillar: Logging,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_95"), Source::CfnNag("W46"), Source::CdkNag("AwsSolutions-APIG1"), Source::ServerlessRules("ES2000")],
    }
}

impl Rule for HttpStageAccessLogs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for s in t.resources_of("AWS::ApiGatewayV2::Stage") {
            let api = api_of_stage(t, s);
            for b in crate::rules::util::prop(s, &["AccessLogSettings", "DestinationArn"]) {
                if b.value.is_some() {
                    continue;
                }
                out.push(
                    crate::rules::util::finding(&Self::META, s, s.span, &b.cond,
                        format!("stage {}{} has no access logs: nothing records who called which route (HTTP APIs have no execution logs at all)", s.id, api.as_ref().map(|a| format!(" of {a}")).unwrap_or_default()),
                        "Set `AccessLogSettings` with a CloudWatch Logs `DestinationArn` and a `Format`.")
                    .related(api.clone()),
                );
            }
        }
    }
}

use crate::declare_rule;
use crate::rules::logging::rest_stage_logging::rest_stages;
use crate::rules::paths::{api_is_private, web_acls_of_api};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags stages of public REST APIs with no WAF web ACL associated (to the stage, or
    /// through a CloudFront distribution in front that has one).
    ///
    /// ## Why is this bad?
    /// WAF is where rate-based blocking, bot control, IP reputation lists and SQL-injection
    /// rules live. Without it, floods and malicious payloads reach your functions.
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
    /// Add an `AWS::WAFv2::WebACL` (scope `REGIONAL`) with a rate-based rule and the AWS
    /// managed common and SQLi rule sets, and an `AWS::WAFv2::WebACLAssociation` whose
    /// `ResourceArn` is the stage ARN.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html
    pub StageWithoutWaf {
        id: "DOS003",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::Checkov("CKV2_AWS_29"), Source::CdkNag("AwsSolutions-APIG3")],
    }
}

impl Rule for StageWithoutWaf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for (api, s) in rest_stages(cx) {
            if api_is_private(t, &api) || !web_acls_of_api(t, &api).is_empty() {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&s.res.id), s.res.span,
                    format!("stage {} of public REST API {api} has no WAF web ACL: no rate-based blocking, IP reputation or injection rules stand in front of its functions", s.res.id),
                    "Associate a regional WAFv2 web ACL (rate-based rule + AWS managed rule sets) with the stage.")
                .condition(s.res.condition.clone())
                .related([api]),
            );
        }
    }
}

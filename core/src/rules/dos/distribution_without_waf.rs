use crate::declare_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags CloudFront distributions with no WAF web ACL (`DistributionConfig.WebACLId`).
    ///
    /// ## Why is this bad?
    /// The distribution is the public front door; without WAF there is no rate-based
    /// blocking or managed protection in front of the origins.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Cdn:
    ///     Type: AWS::CloudFront::Distribution
    ///     Properties:
    ///       DistributionConfig:
    ///         Enabled: true
    ///         DefaultCacheBehavior: {TargetOriginId: site, ViewerProtocolPolicy: redirect-to-https}
    ///         Origins: [{Id: site, DomainName: example.com}]
    /// ```
    ///
    /// ## Remediation
    /// Create a `CLOUDFRONT`-scope WAFv2 web ACL (in us-east-1) with a rate-based rule and
    /// set `WebACLId` to its ARN.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html
    pub DistributionWithoutWaf {
        id: "DOS004",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_68"), Source::CdkNag("AwsSolutions-CFR2")],
    }
}

impl Rule for DistributionWithoutWaf {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for d in cx.template.resources_of("AWS::CloudFront::Distribution") {
            if d.prop_path(&["DistributionConfig", "WebACLId"]).is_some() {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&d.id), d.span_of(&["DistributionConfig"]),
                    format!("distribution {} has no WAF web ACL: floods and malicious requests reach its origins unfiltered", d.id),
                    "Set `DistributionConfig.WebACLId` to a CLOUDFRONT-scope WAFv2 web ACL with a rate-based rule.")
                .condition(d.condition.clone()),
            );
        }
    }
}

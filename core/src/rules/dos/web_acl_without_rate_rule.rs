use crate::declare_rule;
use crate::rules::paths::acl_has_rate_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags WAFv2 web ACLs with no rate-based rule (`RateBasedStatement`).
    ///
    /// ## Why is this bad?
    /// Managed rule sets catch bad payloads, not volume: without a rate-based rule one IP can
    /// still send as many well-formed requests as it likes.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Acl:
    ///     Type: AWS::WAFv2::WebACL
    ///     Properties:
    ///       Scope: REGIONAL
    ///       DefaultAction: {Allow: {}}
    ///       VisibilityConfig: {SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName: acl}
    ///       Rules: []
    /// ```
    ///
    /// ## Remediation
    /// Add a rule with `Statement: {RateBasedStatement: {Limit: 1000, AggregateKeyType: IP}}`
    /// and `Action: {Block: {}}`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
    pub WebAclWithoutRateRule {
        id: "DOS005",
        pillar: Dos,
        severity: Medium,
        sources: &[],
    }
}

impl Rule for WebAclWithoutRateRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for acl in cx.template.resources_of("AWS::WAFv2::WebACL") {
            if acl_has_rate_rule(acl) {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&acl.id), acl.span_of(&["Rules"]),
                    format!("web ACL {} has no rate-based rule: a single client can send unlimited well-formed requests", acl.id),
                    "Add a `RateBasedStatement` rule (e.g. limit 1000 per 5 minutes per IP) with a Block action.")
                .condition(acl.condition.clone()),
            );
        }
    }
}

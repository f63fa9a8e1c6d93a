use crate::declare_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    /// Flags API Gateway usage plans with neither `Throttle` nor `Quota`.
    ///
    /// ## Why is this bad?
    /// A usage plan exists to bound what each API key may consume; without limits a leaked
    /// or abusive key is unbounded.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Plan:
    ///     Type: AWS::ApiGateway::UsagePlan
    ///     Properties: {UsagePlanName: basic}
    /// ```
    ///
    /// ## Remediation
    /// Set `Throttle: {RateLimit, BurstLimit}` and `Quota: {Limit, Period}`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
    pub UsagePlanWithoutLimits {
        id: "DOS007",
        pillar: Dos,
        severity: Medium,
        sources: &[],
    }
}

impl Rule for UsagePlanWithoutLimits {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.template.resources_of("AWS::ApiGateway::UsagePlan") {
            if p.prop("Throttle").is_some() || p.prop("Quota").is_some() {
                continue;
            }
            out.push(
                Finding::new(&Self::META, Some(&p.id), p.span,
                    format!("usage plan {} sets neither a throttle nor a quota: each API key on it can consume without limit", p.id),
                    "Set `Throttle` (rate and burst) and `Quota` (limit per period).")
                .condition(p.condition.clone()),
            );
        }
    }
}

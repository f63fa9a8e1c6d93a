use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags Cognito user pools without threat protection (advanced security) in
    /// `ENFORCED` mode (`UserPoolAddOns.AdvancedSecurityMode`).
    ///
    /// ## Why is this bad?
    /// Threat protection blocks sign-ins with leaked credentials and adapts to risky
    /// sign-in attempts; without it, credential stuffing against the pool is only slowed by
    /// Cognito's default rate limits.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Users:
    ///     Type: AWS::Cognito::UserPool
    ///     Properties: {MfaConfiguration: OPTIONAL}
    /// ```
    ///
    /// ## Remediation
    /// Set `UserPoolAddOns: {AdvancedSecurityMode: ENFORCED}` (requires the Plus feature
    /// plan, `UserPoolTier: PLUS`).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-settings-threat-protection.html
    pub UserPoolAdvancedSecurity {
        id: "DOS008",
        pillar: Dos,
        severity: Low,
        sources: &[Source::CdkNag("AwsSolutions-COG3")],
    }
}

impl Rule for UserPoolAdvancedSecurity {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.template.resources_of("AWS::Cognito::UserPool") {
            for b in prop(p, &["UserPoolAddOns", "AdvancedSecurityMode"]) {
                let mode = b.str();
                if mode == Some("ENFORCED") || b.value.is_some_and(|v| v.as_str().is_none()) {
                    continue;
                }
                let audit = mode == Some("AUDIT");
                out.push(
                    finding(&Self::META, p, span_or(p, &b, &["UserPoolAddOns", "AdvancedSecurityMode"]), &b.cond,
                        format!("user pool {} {}: sign-ins with leaked credentials are not blocked, leaving it open to credential stuffing", p.id, if audit { "runs threat protection in AUDIT mode only" } else { "has no threat protection (advanced security)" }),
                        "Set `UserPoolAddOns.AdvancedSecurityMode: ENFORCED` (Plus feature plan).")
                    .severity(if audit { Severity::Low } else { Self::META.severity }),
                );
            }
        }
    }
}

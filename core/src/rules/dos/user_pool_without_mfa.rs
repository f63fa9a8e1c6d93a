use crate::declare_rule;
use crate::rules::util::{finding, prop, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags Cognito user pools with MFA off (`MfaConfiguration` absent or `OFF`).
    ///
    /// ## Why is this bad?
    /// With passwords alone, a brute-forced, phished or reused password is a taken account.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Users:
    ///     Type: AWS::Cognito::UserPool
    ///     Properties: {UserPoolAddOns: {AdvancedSecurityMode: ENFORCED}}
    /// ```
    ///
    /// ## Remediation
    /// Set `MfaConfiguration: OPTIONAL` (or `ON`) with `EnabledMfas: [SOFTWARE_TOKEN_MFA]`.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
    pub UserPoolWithoutMfa {
        id: "DOS009",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::CfnNag("F78"), Source::CfnNag("F51"), Source::CdkNag("AwsSolutions-COG2")],
    }
}

impl Rule for UserPoolWithoutMfa {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.template.resources_of("AWS::Cognito::UserPool") {
            for b in prop(p, &["MfaConfiguration"]) {
                if b.value.is_some() && b.str() != Some("OFF") {
                    continue;
                }
                out.push(finding(&Self::META, p, span_or(p, &b, &["MfaConfiguration"]), &b.cond,
                    format!("user pool {} has MFA turned off: a guessed, phished or reused password is enough to take an account", p.id),
                    "Set `MfaConfiguration: OPTIONAL` or `ON` with TOTP (`SOFTWARE_TOKEN_MFA`)."));
            }
        }
    }
}

use crate::declare_rule;
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags Cognito user pools whose password policy is weaker than Cognito's default:
    /// `MinimumLength` below 8, or below 12 with most character classes switched off.
    ///
    /// ## Why is this bad?
    /// Short, simple passwords fall to online guessing and credential stuffing long before
    /// any rate limit helps.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Users:
    ///     Type: AWS::Cognito::UserPool
    ///     Properties:
    ///       MfaConfiguration: OPTIONAL
    ///       Policies:
    ///         PasswordPolicy: {MinimumLength: 6}
    /// ```
    ///
    /// ## Remediation
    /// Require at least 8 characters (12+ if you relax character classes), and enable MFA.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html
    pub WeakPasswordPolicy {
        id: "DOS012",
        pillar: Dos,
        severity: Medium,
        sources: &[Source::CdkNag("AwsSolutions-COG1")],
    }
}

impl Rule for WeakPasswordPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.template.resources_of("AWS::Cognito::UserPool") {
            let Some(pp) = p.prop_path(&["Policies", "PasswordPolicy"]) else {
                continue;
            };
            let len = pp.get("MinimumLength").and_then(Value::as_i64).unwrap_or(8);
            let off = [
                "RequireLowercase",
                "RequireUppercase",
                "RequireNumbers",
                "RequireSymbols",
            ]
            .iter()
            .filter(|k| pp.get(k).and_then(Value::as_bool) == Some(false))
            .count();
            if len >= 8 && (off < 3 || len >= 12) {
                continue;
            }
            let span = pp.get("MinimumLength").map_or(pp.span, |v| v.span);
            out.push(
                Finding::new(&Self::META, Some(&p.id), span,
                    format!("user pool {} accepts weak passwords (minimum length {len}{}): they fall quickly to guessing and credential stuffing", p.id, if off > 0 { format!(", {off} character classes not required") } else { String::new() }),
                    "Require at least 8 characters (12+ when character classes are relaxed).")
                .condition(p.condition.clone()),
            );
        }
    }
}

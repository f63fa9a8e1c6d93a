use crate::declare_rule;
use crate::rules::util::{cond_of, prop, span_or, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags Cognito user pools where a short password is the whole sign-in: MFA off
    /// (`MfaConfiguration` absent or `OFF`) *and* a password policy weaker than Cognito's
    /// default (`MinimumLength` below 8). It names what the pool's tokens open: the routes
    /// whose authorizer trusts it. DOS009 and DOS012 report each control alone; this is the
    /// combination, as an authentication weakness.
    ///
    /// ## Why is this bad?
    /// Every route or identity pool that trusts this user pool is only as strong as its
    /// weakest password. A six-character password without a second factor falls to
    /// credential stuffing or guessing, and the attacker receives valid tokens.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Users:
    ///     Type: AWS::Cognito::UserPool
    ///     Properties:
    ///       MfaConfiguration: "OFF"
    ///       Policies:
    ///         PasswordPolicy: {MinimumLength: 6}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Users:
    ///     Type: AWS::Cognito::UserPool
    ///     Properties:
    ///       MfaConfiguration: OPTIONAL
    ///       EnabledMfas: [SOFTWARE_TOKEN_MFA]
    ///       Policies:
    ///         PasswordPolicy: {MinimumLength: 6}
    /// ```
    ///
    /// ## Remediation
    /// Turn MFA on (`MfaConfiguration: ON`, or `OPTIONAL` with TOTP) and require passwords of
    /// at least 8 characters (12 or more if character classes are relaxed).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html
    pub UserPoolPasswordOnly {
        id: "AUTH030",
        pillar: Auth,
        severity: High,
        sources: &[Source::CdkNag("AwsSolutions-COG1"), Source::CdkNag("AwsSolutions-COG2")],
        graph: true,
    }
}

impl Rule for UserPoolPasswordOnly {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for p in cx.template.resources_of("AWS::Cognito::UserPool") {
            let Some(len) = p
                .prop_path(&["Policies", "PasswordPolicy", "MinimumLength"])
                .and_then(Value::as_i64)
                .filter(|l| *l < 8)
            else {
                continue;
            };
            // What the pool's tokens open: routes whose authorizer is this pool.
            let routes: Vec<String> = cx
                .graph
                .routes()
                .iter()
                .filter(|r| {
                    r.auth
                        .authorizer
                        .as_deref()
                        .and_then(|a| cx.template.resource(a))
                        .is_some_and(|a| {
                            crate::rules::util::references(cx.template, &a.properties, &p.id)
                        })
                })
                .map(|r| r.key.clone())
                .collect();
            for b in prop(p, &["MfaConfiguration"]) {
                if b.value.is_some() && b.str() != Some("OFF") {
                    continue;
                }
                let opens = if routes.is_empty() {
                    "every app and identity pool that trusts its tokens".to_owned()
                } else {
                    format!("the routes it authorizes ({})", routes.join(", "))
                };
                out.push(
                    Finding::new(&Self::META, Some(&p.id), span_or(p, &b, &["MfaConfiguration"]),
                        format!("user pool {} signs users in with a password alone, and accepts {len}-character passwords{}: credential stuffing or guessing yields valid tokens for {opens}", p.id, when(&b.cond)),
                        "Turn MFA on (`MfaConfiguration: ON`, or `OPTIONAL` with TOTP) and require passwords of at least 8 characters.")
                    .condition(cond_of(p, &b.cond)),
                );
            }
        }
    }
}

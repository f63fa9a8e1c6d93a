use crate::declare_rule;
use crate::rules::util::{finding, prop, refs, span_or};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};
use crate::value::Value;

declare_rule! {
    /// ## What it does
    /// Flags Cognito identity pools that hand out AWS credentials to unauthenticated
    /// (guest) identities (`AllowUnauthenticatedIdentities: true`), naming the role they
    /// receive when the template attaches one.
    ///
    /// ## Why is this bad?
    /// Anyone on the internet can obtain temporary AWS credentials for the pool's
    /// unauthenticated role and call AWS directly, bypassing the API entirely. Whatever that
    /// role allows, the whole internet can do.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Identities:
    ///     Type: AWS::Cognito::IdentityPool
    ///     Properties:
    ///       AllowUnauthenticatedIdentities: true
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Identities:
    ///     Type: AWS::Cognito::IdentityPool
    ///     Properties:
    ///       AllowUnauthenticatedIdentities: false
    /// ```
    ///
    /// ## Remediation
    /// Set `AllowUnauthenticatedIdentities: false`, or give the unauthenticated role only the
    /// few read actions guests truly need, scoped to specific resources.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html
    pub IdentityPoolUnauthenticated {
        id: "AUTH017",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::CfnNag("W57"), Source::Checkov("CKV_AWS_366")],
    }
}

impl Rule for IdentityPoolUnauthenticated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        for pool in t.resources_of("AWS::Cognito::IdentityPool") {
            // The role guests get, from the pool's role attachment.
            let guest_role: Vec<String> = t
                .resources_of("AWS::Cognito::IdentityPoolRoleAttachment")
                .filter(|a| {
                    a.prop("IdentityPoolId")
                        .is_some_and(|v| refs(t, v).contains(&pool.id))
                })
                .filter_map(|a| a.prop_path(&["Roles", "unauthenticated"]))
                .flat_map(|v: &Value| refs(t, v))
                .collect();
            for b in prop(pool, &["AllowUnauthenticatedIdentities"]) {
                if b.bool() != Some(true) {
                    continue;
                }
                out.push(
                    finding(&Self::META, pool, span_or(pool, &b, &["AllowUnauthenticatedIdentities"]), &b.cond,
                        format!("identity pool {} gives AWS credentials to unauthenticated identities{}: anyone on the internet can call AWS directly with that role", pool.id, if guest_role.is_empty() { String::new() } else { format!(" (role {})", guest_role.join(", ")) }),
                        "Set `AllowUnauthenticatedIdentities: false`, or reduce the unauthenticated role to the few scoped read actions guests need.")
                    .related(guest_role.clone()),
                );
            }
        }
    }
}

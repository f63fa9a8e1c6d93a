use crate::declare_rule;
use crate::rules::util::{assumes_edge, cond_of, edit_target, grants_summary, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags roles whose trust policy lets anyone assume them: an `Allow` with
    /// `Principal: "*"` or `{AWS: "*"}`, or an `Allow` with `NotPrincipal` (everyone but the
    /// few named), with no condition that limits the caller (`aws:PrincipalOrgID`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceIp`, ...). Only a shared
    /// `sts:ExternalId`, or conditions on when rather than who (MFA, time), lower it to high.
    ///
    /// ## Why is this bad?
    /// Every AWS account in the world can call `sts:AssumeRole` on it and receive its
    /// credentials: whatever the role may do, anyone may do. Role ARNs are not secrets; they
    /// appear in logs, error messages and public templates.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Role:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {AWS: "*"}
    ///             Action: sts:AssumeRole
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   Role:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {AWS: "*"}
    ///             Action: sts:AssumeRole
    ///             Condition: {StringEquals: {aws:PrincipalOrgID: o-a1b2c3d4e5}}
    /// ```
    ///
    /// ## Remediation
    /// Name the accounts, roles or services that need the role in `Principal`, or keep `*`
    /// only with an `aws:PrincipalOrgID` (or `aws:PrincipalArn`) condition.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy
    pub PublicAssumableRole {
        id: "AUTH018",
        pillar: Auth,
        severity: Critical,
        sources: &[Source::Checkov("CKV_AWS_60"), Source::CfnNag("F6")],
        graph: true,
    }
}

impl Rule for PublicAssumableRole {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        for who in &iam.identities {
            let (Some(trust), Some(role)) = (iam.trust_of(&who.id), t.resource(&who.id)) else {
                continue;
            };
            for st in trust.statements.iter().filter(|s| s.is_allow()) {
                let (span, cond, what) = if st.not_principal {
                    let Some(first) = st.principals.first() else {
                        continue;
                    };
                    (
                        st.principal_span.unwrap_or(first.span),
                        first.cond.clone(),
                        format!(
                            "can be assumed by everyone except {} (`NotPrincipal` with `Allow`)",
                            st.principals
                                .iter()
                                .map(|p| p.label())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                } else {
                    let Some(p) = st.everyone() else { continue };
                    (
                        p.span,
                        p.cond.clone(),
                        "can be assumed by any AWS principal in any account (`*`)".to_owned(),
                    )
                };
                if st.limits_caller() {
                    continue;
                }
                let weak = st.has_condition();
                let cond = st.cond_with(&cond);
                let mut f = Finding::new(
                    &Self::META,
                    Some(edit_target(t, role)),
                    span,
                    format!(
                        "role {} {what}{}{}: an attacker with any AWS account gets its credentials, good for: {}",
                        who.id,
                        if weak {
                            if st.has_external_id() {
                                " (only a shared `sts:ExternalId` stands in the way)"
                            } else {
                                " (its condition does not limit who)"
                            }
                        } else {
                            ", with no condition"
                        },
                        when(&cond),
                        grants_summary(iam, &who.id)
                    ),
                    "Name the accounts, roles or services that need it in `Principal`, or add an `aws:PrincipalOrgID` / `aws:PrincipalArn` condition.",
                )
                .severity(if weak { Severity::High } else { Severity::Critical })
                .condition(cond_of(role, &cond))
                .related([who.id.clone()])
                .related(iam.hosts_of(&who.id).into_iter().map(str::to_owned));
                if let Some(e) = assumes_edge(cx, "principal:*", &who.id) {
                    f.edge = Some(e);
                }
                out.push(f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn points_at_the_principal_and_lights_the_trust_edge() {
        let ex = &super::PublicAssumableRole::META.examples("expect_finding")[0];
        let f = findings_of("AUTH018", ex);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].span.start.line, 8, "the `{{AWS: \"*\"}}` line");
        assert_eq!(f[0].severity, crate::rules::Severity::Critical);
        let e = f[0].edge.as_ref().expect("the assumes edge");
        assert_eq!((e.from.as_str(), e.to.as_str()), ("principal:*", "Role"));
    }
}

use crate::declare_rule;
use crate::iam::PrincipalKind;
use crate::rules::util::{cond_of, edit_target, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags trust-policy statements broader than assuming the role needs: a wildcard
    /// service principal (`Service: "*"`, `*.amazonaws.com`), `Action: "*"` or `sts:*`
    /// (which also grants tagging sessions and setting source identities), and `NotAction`.
    ///
    /// ## Why is this bad?
    /// A trust policy should say exactly who may become the role and how. A wildcard service
    /// lets every AWS service act as it; `*` and `NotAction` hand the trusted principals
    /// more session controls than intended, and will keep matching whatever STS adds.
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
    ///             Principal: {Service: lambda.amazonaws.com}
    ///             Action: "*"
    /// ```
    ///
    /// ## Remediation
    /// Name the one service that runs the role and allow only `sts:AssumeRole` (or
    /// `sts:AssumeRoleWithWebIdentity` / `sts:AssumeRoleWithSAML` for federation, plus
    /// `sts:TagSession` where sessions are tagged).
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
    pub BroadTrustStatement {
        id: "AUTH021",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::CfnNag("F2"), Source::CfnNag("W14")],
    }
}

impl Rule for BroadTrustStatement {
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
            let target = edit_target(t, role);
            for st in trust.statements.iter().filter(|s| s.is_allow()) {
                for p in st
                    .principals
                    .iter()
                    .filter(|p| p.kind == PrincipalKind::Service)
                {
                    if p.text.trim().starts_with('*') {
                        let cond = st.cond_with(&p.cond);
                        out.push(
                            Finding::new(&Self::META, Some(target), p.span,
                                format!("role {} trusts every AWS service (`{}`){}: any service, acting for any account, can run as it", who.id, p.text, when(&cond)),
                                "Name the one service that runs the role (`lambda.amazonaws.com`).")
                            .condition(cond_of(role, &cond))
                            .related([who.id.clone()]),
                        );
                    }
                }
                if st.not_action {
                    let span = st.action_span.unwrap_or(st.span);
                    out.push(
                        Finding::new(&Self::META, Some(target), span,
                            format!("role {}'s trust policy allows `NotAction`{}: its trusted principals get every STS action but those listed, now and as STS grows", who.id, when(&st.cond)),
                            "Allow the one action needed (`sts:AssumeRole`).")
                        .severity(Severity::Low)
                        .condition(cond_of(role, &st.cond))
                        .related([who.id.clone()]),
                    );
                    continue;
                }
                for a in st
                    .actions
                    .iter()
                    .filter(|a| a.text == "*" || a.text.eq_ignore_ascii_case("sts:*"))
                {
                    let cond = st.cond_with(&a.cond);
                    out.push(
                        Finding::new(&Self::META, Some(target), a.span,
                            format!("role {}'s trust policy allows `{}`{}: besides assuming it, its trusted principals may tag sessions and set source identities that other policies rely on", who.id, a.text, when(&cond)),
                            "Allow only `sts:AssumeRole` (with `sts:TagSession` if sessions are tagged).")
                        .severity(Severity::Low)
                        .condition(cond_of(role, &cond))
                        .related([who.id.clone()]),
                    );
                }
            }
        }
    }
}

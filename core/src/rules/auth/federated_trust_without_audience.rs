use crate::declare_rule;
use crate::iam::PrincipalKind;
use crate::rules::util::{assumes_edge, cond_of, edit_target, grants_summary, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags roles that trust a federated identity provider (OIDC, SAML, Cognito identity
    /// pools) without a condition on who the token is for: the provider's `aud` (or, for
    /// SAML, `SAML:aud`); and for GitHub Actions, also its `sub` (the repository and branch).
    ///
    /// ## Why is this bad?
    /// A web identity token only proves someone signed in somewhere with that provider. With
    /// no audience condition, a token issued to any application of the provider (any
    /// Cognito identity pool in AWS, any Google client) assumes the role; with GitHub's
    /// provider and no `sub`, any workflow of any repository on GitHub does.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   DeployRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Federated: !Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"}
    ///             Action: sts:AssumeRoleWithWebIdentity
    ///             Condition:
    ///               StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   DeployRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {Federated: !Sub "arn:aws:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com"}
    ///             Action: sts:AssumeRoleWithWebIdentity
    ///             Condition:
    ///               StringEquals: {token.actions.githubusercontent.com:aud: sts.amazonaws.com}
    ///               StringLike: {token.actions.githubusercontent.com:sub: "repo:my-org/my-repo:ref:refs/heads/main"}
    /// ```
    ///
    /// ## Remediation
    /// Add `StringEquals` on `<provider>:aud` (the identity pool id, the client id,
    /// `SAML:aud`), and for GitHub Actions a `StringLike` on
    /// `token.actions.githubusercontent.com:sub` naming your repository and branch.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub
    /// - https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
    pub FederatedTrustWithoutAudience {
        id: "AUTH020",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_358")],
        graph: true,
    }
}

/// The provider host a `Federated` principal names (`token.actions.githubusercontent.com`,
/// `cognito-identity.amazonaws.com`), or the provider resource's `Url` host.
fn provider(cx: &Context<'_>, text: &str, target: Option<&str>) -> String {
    if let Some(url) = target
        .and_then(|id| cx.template.resource(id))
        .and_then(|r| r.prop("Url"))
        .and_then(crate::iam::statement::raw_text)
    {
        return url
            .trim_start_matches("https://")
            .trim_end_matches('/')
            .to_ascii_lowercase();
    }
    text.rsplit_once("oidc-provider/")
        .map_or(text, |(_, h)| h)
        .trim_end_matches('/')
        .to_ascii_lowercase()
}

impl Rule for FederatedTrustWithoutAudience {
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
            for st in trust
                .statements
                .iter()
                .filter(|s| s.is_allow() && !s.not_principal)
            {
                if st.opaque_condition {
                    continue;
                }
                for p in st
                    .principals
                    .iter()
                    .filter(|p| p.kind == PrincipalKind::Federated)
                {
                    let saml = p.text.contains(":saml-provider/");
                    let host = provider(cx, &p.text, p.target.as_deref());
                    let keyed = |suffix: &str| {
                        st.conditions.iter().any(|c| {
                            let k = c.key.to_ascii_lowercase();
                            if saml {
                                k == format!("saml:{suffix}")
                            } else {
                                k.strip_suffix(suffix)
                                    .and_then(|x| x.strip_suffix(':'))
                                    .is_some_and(|x| {
                                        x == host || host.ends_with(x) || x.ends_with(&host)
                                    })
                            }
                        })
                    };
                    let github = host == "token.actions.githubusercontent.com";
                    let missing = if github {
                        (!keyed("sub")).then_some("`sub` (which repository and branch)")
                    } else if !(keyed("aud") || saml && keyed("sub")) {
                        Some(if saml {
                            "`SAML:aud`"
                        } else {
                            "`aud` (which application)"
                        })
                    } else {
                        None
                    };
                    let Some(missing) = missing else { continue };
                    let cond = st.cond_with(&p.cond);
                    let who_gets = if github {
                        "any GitHub Actions workflow of any repository".to_owned()
                    } else if host == "cognito-identity.amazonaws.com" {
                        "an identity of any Cognito identity pool, in any account,".to_owned()
                    } else {
                        format!("a token {host} issued to any application")
                    };
                    let mut f = Finding::new(
                        &Self::META,
                        Some(edit_target(t, role)),
                        p.span,
                        format!(
                            "role {} trusts the identity provider {host} with no condition on the token's {missing}{}: {who_gets} can assume it, with: {}",
                            who.id,
                            when(&cond),
                            grants_summary(iam, &who.id)
                        ),
                        "Add a condition on the provider's `aud` (and for GitHub Actions on `sub`, naming your repository and branch).",
                    )
                    .condition(cond_of(role, &cond))
                    .related([who.id.clone()]);
                    let from = p.node_id().or_else(|| p.target.clone());
                    if let Some(e) = from.and_then(|n| assumes_edge(cx, &n, &who.id)) {
                        f.edge = Some(e);
                    }
                    out.push(f);
                }
            }
        }
    }
}

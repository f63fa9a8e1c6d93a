use crate::declare_rule;
use crate::iam::{Account, PrincipalKind};
use crate::rules::util::{assumes_edge, cond_of, edit_target, grants_summary, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags roles that trust another AWS account (a literal account id, its `:root`, a
    /// role or user ARN of that account, or an account given as a parameter) with neither
    /// `sts:ExternalId` nor a condition that pins the caller (`aws:PrincipalOrgID`,
    /// `aws:PrincipalArn`, `aws:SourceIdentity`...). Trust in the deploying account
    /// (`${AWS::AccountId}`) is not flagged. Trusting a whole account is medium; one named
    /// role or user of it, low.
    ///
    /// ## Why is this bad?
    /// Every principal the other account allows to call `sts:AssumeRole` becomes this role,
    /// and its administrators decide who that is. When the other account is a vendor acting
    /// for many customers, a missing `sts:ExternalId` lets any of its customers ask the
    /// vendor to use *your* role (the confused deputy).
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   AuditRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {AWS: "arn:aws:iam::111122223333:root"}
    ///             Action: sts:AssumeRole
    /// ```
    /// ```yaml,expect_no_finding
    /// Resources:
    ///   AuditRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - Effect: Allow
    ///             Principal: {AWS: "arn:aws:iam::111122223333:root"}
    ///             Action: sts:AssumeRole
    ///             Condition: {StringEquals: {sts:ExternalId: "a-long-random-value"}}
    /// ```
    ///
    /// ## Remediation
    /// Add `Condition: {StringEquals: {sts:ExternalId: ...}}` for third parties, or
    /// `aws:PrincipalOrgID` / `aws:PrincipalArn` for accounts of your organization; name the
    /// one role that needs access rather than the account root.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
    pub CrossAccountTrust {
        id: "AUTH019",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_61")],
        graph: true,
    }
}

impl Rule for CrossAccountTrust {
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
                if st.has_external_id() || st.limits_caller() {
                    continue;
                }
                for p in &st.principals {
                    let Account::Other(account) = &p.account else {
                        continue;
                    };
                    if !matches!(p.kind, PrincipalKind::Account | PrincipalKind::Arn) {
                        continue;
                    }
                    let whole = p.kind == PrincipalKind::Account;
                    let cond = st.cond_with(&p.cond);
                    let account = if account.is_empty() {
                        p.text.as_str()
                    } else {
                        account
                    };
                    let mut f = Finding::new(
                        &Self::META,
                        Some(edit_target(t, role)),
                        p.span,
                        format!(
                            "role {} trusts {} of account {account} with no `sts:ExternalId` or organization condition{}: whoever that account lets call sts:AssumeRole (or a confused third party acting for someone else) becomes it, with: {}",
                            who.id,
                            if whole { "every principal" } else { "a principal" },
                            when(&cond),
                            grants_summary(iam, &who.id)
                        ),
                        "Require `sts:ExternalId` for third parties, or `aws:PrincipalOrgID` / `aws:PrincipalArn`; trust the one role that needs access, not the account root.",
                    )
                    .severity(if whole { Severity::Medium } else { Severity::Low })
                    .condition(cond_of(role, &cond))
                    .related([who.id.clone()]);
                    if let Some(e) = p.node_id().and_then(|n| assumes_edge(cx, &n, &who.id)) {
                        f.edge = Some(e);
                    }
                    out.push(f);
                }
            }
        }
    }
}

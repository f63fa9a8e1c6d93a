use crate::declare_rule;
use crate::iam::{DocKind, IdentityKind};
use crate::rules::util::{cond_of, edit_target, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags policies attached directly to IAM users: a user's inline `Policies`, its
    /// `ManagedPolicyArns`, and `AWS::IAM::Policy` / `ManagedPolicy` / `UserPolicy` resources
    /// that list it in `Users`.
    ///
    /// ## Why is this bad?
    /// Permissions held person by person are hard to review and easy to forget: they stay
    /// when people change teams, and no one sees that two users hold the same rights for
    /// different reasons. Groups (or, better, roles assumed through SSO) keep them in one place.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Alice:
    ///     Type: AWS::IAM::User
    ///     Properties:
    ///       Policies:
    ///         - PolicyName: read-reports
    ///           PolicyDocument:
    ///             Statement:
    ///               - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::reports/*"}
    /// ```
    ///
    /// ## Remediation
    /// Attach the policy to a group and add the user to it (`Groups: [!Ref Readers]`), or
    /// give people roles through IAM Identity Center instead of IAM users.
    ///
    /// ## References
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions
    pub PolicyOnUser {
        id: "AUTH025",
        pillar: Auth,
        severity: Low,
        sources: &[Source::Checkov("CKV_AWS_40"), Source::CfnNag("F10"), Source::CfnNag("F11"), Source::CfnNag("F12"), Source::CdkNag("AwsSolutions-IAM4"), Source::CdkNag("NIST.800.53.R4-IAMUserNoPolicies"), Source::CdkNag("NIST.800.53.R5-IAMUserNoPolicies"), Source::CdkNag("HIPAA.Security-IAMUserNoPolicies"), Source::CdkNag("PCI.DSS.321-IAMUserNoPolicies")],
    }
}

impl Rule for PolicyOnUser {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        for u in iam
            .identities
            .iter()
            .filter(|i| i.kind == IdentityKind::User)
        {
            let Some(user) = t.resource(&u.id) else {
                continue;
            };
            let message = |what: &str| {
                format!("user {} holds {what} directly: permissions granted person by person are hard to review and outlive the job they were for", u.id)
            };
            for d in iam
                .docs_of_kind(DocKind::Identity)
                .filter(|d| d.holders.contains(&u.id))
            {
                let (span, what, cond) = if d.managed.is_some() {
                    continue; // AWS managed: below, from the ARN
                } else if d.carrier == u.id {
                    (
                        d.span,
                        format!("the inline policy {}", d.name),
                        d.cond.clone(),
                    )
                } else {
                    let Some(p) = t.resource(&d.carrier) else {
                        continue;
                    };
                    let span = ["Users", "UserName"]
                        .iter()
                        .find_map(|k| p.prop(k))
                        .or_else(|| user.prop("ManagedPolicyArns"))
                        .map_or(p.span, |v| v.span);
                    (span, format!("the policy {}", p.id), None)
                };
                out.push(
                    Finding::new(&Self::META, Some(&d.carrier), span, format!("{}{}", message(&what), when(&cond)),
                        "Attach the policy to a group and add the user to the group, or use roles through IAM Identity Center.")
                    .condition(cond_of(user, &cond))
                    .related([u.id.clone()]),
                );
            }
            for (name, span, cond) in &u.managed {
                out.push(
                    Finding::new(&Self::META, Some(edit_target(t, user)), *span, format!("{}{}", message(&format!("the AWS managed policy {name}")), when(cond)),
                        "Attach the policy to a group and add the user to the group, or use roles through IAM Identity Center.")
                    .condition(cond_of(user, cond)),
                );
            }
        }
    }
}

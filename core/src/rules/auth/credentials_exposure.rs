use crate::declare_rule;
use crate::iam::actions::{is_service_wide, matches, CREDENTIALS_EXPOSURE, ESCALATIONS};
use crate::iam::statement::join;
use crate::iam::DocKind;
use crate::rules::util::{cond_of, doc_target, held_by, when};
use crate::rules::{Context, Finding, Rule, RuleMeta, Source};

declare_rule! {
    /// ## What it does
    /// Flags identity policies that allow, on every resource, actions whose response
    /// carries credentials (cloudsplaining's list): `sts:GetSessionToken`,
    /// `sts:GetFederationToken`, `iam:UpdateAccessKey`, `iam:CreateServiceSpecificCredential`,
    /// `ec2:GetPasswordData`, `rds-db:connect`, `redshift:GetClusterCredentials`,
    /// `cognito-identity:GetCredentialsForIdentity`, `sso:GetRoleCredentials`... Wildcards
    /// are left to AUTH002, `iam:CreateAccessKey` and login profiles to AUTH023 (privilege
    /// escalation), `ecr:GetAuthorizationToken` is allowed (every image pull needs it).
    ///
    /// ## Why is this bad?
    /// Credentials returned by an API call leave AWS's control: they can be copied, logged
    /// and used from anywhere until they expire. On `*`, one compromised identity can mint
    /// database passwords, instance passwords or federation tokens for everything.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   Reporter:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
    ///       Policies:
    ///         - PolicyName: warehouse
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: redshift:GetClusterCredentials
    ///                 Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Scope the action to the one database user, cluster, instance or role it is for
    /// (`arn:aws:redshift:...:dbuser:cluster/user`), or use a service integration that keeps
    /// credentials inside AWS (IAM database authentication through a proxy, Secrets Manager).
    ///
    /// ## References
    /// - https://github.com/salesforce/cloudsplaining
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
    pub CredentialsExposure {
        id: "AUTH024",
        pillar: Auth,
        severity: Medium,
        sources: &[Source::Checkov("CKV_AWS_107"), Source::Checkov("CKV_AWS_287")],
    }
}

impl Rule for CredentialsExposure {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        for d in iam.docs_of_kind(DocKind::Identity) {
            if d.managed.is_some() {
                continue;
            }
            let Some(carrier) = t.resource(&d.carrier) else {
                continue;
            };
            for st in d
                .statements
                .iter()
                .filter(|s| s.is_allow() && !s.not_action && !s.has_condition() && s.any_resource())
            {
                for a in &st.actions {
                    if is_service_wide(&a.text) {
                        continue;
                    }
                    let exposed: Vec<&str> = CREDENTIALS_EXPOSURE
                        .iter()
                        .copied()
                        .filter(|c| matches(&a.text, c))
                        .filter(|c| {
                            !ESCALATIONS.iter().any(|m| {
                                m.actions.first().is_some_and(|k| k.eq_ignore_ascii_case(c))
                            })
                        })
                        .collect();
                    if exposed.is_empty() {
                        continue;
                    }
                    let cond = join(&d.cond, &a.cond);
                    let which = if exposed.len() == 1
                        && exposed.iter().all(|e| e.eq_ignore_ascii_case(&a.text))
                    {
                        String::new()
                    } else {
                        format!(" ({})", exposed.join(", "))
                    };
                    out.push(
                        Finding::new(&Self::META, Some(doc_target(t, d)), a.span,
                            format!("{} allows `{}`{which} on every resource{}: it returns credentials for anything in the account, which a compromised holder can copy out and use from anywhere", held_by(iam, d), a.text, when(&cond)),
                            "Scope it to the one database user, cluster, instance or role it is for, or let a service keep the credentials (RDS Proxy, Secrets Manager).")
                        .condition(cond_of(carrier, &cond))
                        .related(d.holders.iter().cloned()),
                    );
                }
            }
        }
    }
}

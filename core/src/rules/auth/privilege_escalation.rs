use crate::declare_rule;
use crate::rules::util::{cond_of, edit_target, when, who, who_list};
use crate::rules::{Context, Finding, Rule, RuleMeta, Severity, Source};

declare_rule! {
    /// ## What it does
    /// Flags roles, users and groups that hold a known privilege-escalation path (Rhino
    /// Security Labs' list, Bishop Fox's `iam-vulnerable`): writing or attaching policies
    /// to themselves, publishing policy versions, creating keys or passwords for other
    /// users, joining stronger groups, passing a role to a new Lambda function / EC2
    /// instance / stack / build project / Glue endpoint / task, replacing the code of a
    /// function that runs with another role, or assuming any role of the account. The path
    /// must be granted on every resource of its kind, or on a role, user, group or function
    /// of the template; statements with a `Condition` are not counted. Critical when the
    /// path reaches an administrator of the template or lets the identity rewrite its own
    /// permissions; administrators themselves are left to AUTH002/AUTH006.
    ///
    /// ## Why is this bad?
    /// The identity's own permissions are not its real reach: whoever controls it can turn
    /// them into more, up to administrator, in one or two API calls.
    ///
    /// ## Example
    /// ```yaml,expect_finding
    /// Resources:
    ///   BuildRole:
    ///     Type: AWS::IAM::Role
    ///     Properties:
    ///       AssumeRolePolicyDocument:
    ///         Statement:
    ///           - {Effect: Allow, Principal: {Service: codebuild.amazonaws.com}, Action: sts:AssumeRole}
    ///       Policies:
    ///         - PolicyName: deploy
    ///           PolicyDocument:
    ///             Statement:
    ///               - Effect: Allow
    ///                 Action: [iam:PassRole, lambda:CreateFunction]
    ///                 Resource: "*"
    /// ```
    ///
    /// ## Remediation
    /// Scope `iam:PassRole` to the ARNs of the roles the identity must hand over (and add
    /// `iam:PassedToService`), scope policy and credential actions to the resources they
    /// manage, and keep IAM changes for a separate, audited deployment role.
    ///
    /// ## References
    /// - https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/
    /// - https://github.com/BishopFox/iam-vulnerable
    /// - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
    pub PrivilegeEscalation {
        id: "AUTH023",
        pillar: Auth,
        severity: High,
        sources: &[Source::Checkov("CKV_AWS_110"), Source::Checkov("CKV_AWS_109"), Source::Checkov("CKV_AWS_286")],
        graph: true,
    }
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        let t = cx.template;
        let iam = &cx.graph.iam;
        let mut done: Vec<(String, crate::span::Span)> = Vec::new();
        for e in &iam.escalations {
            let key = (e.identity.clone(), e.statement);
            if done.contains(&key) {
                continue;
            }
            done.push(key);
            // Every method this identity holds through the same statement.
            let mut same: Vec<&crate::iam::escalation::Escalation> = iam
                .escalations
                .iter()
                .filter(|x| x.identity == e.identity && x.statement == e.statement)
                .collect();
            crate::sort::sort_by_key(&mut same, |x| x.span);
            let mut granted: Vec<&str> = Vec::new();
            for x in &same {
                if !granted.contains(&x.granted_by.as_str()) {
                    granted.push(&x.granted_by);
                }
            }
            let methods: Vec<String> = same
                .iter()
                .map(|x| {
                    if x.actions.len() > 1 {
                        format!("{} ({})", x.method, x.actions.join(" + "))
                    } else {
                        x.method.to_owned()
                    }
                })
                .collect();
            let mut targets: Vec<String> = Vec::new();
            for x in &same {
                for tg in x.targets.iter().filter(|tg| **tg != e.identity) {
                    if !targets.contains(tg) {
                        targets.push(tg.clone());
                    }
                }
            }
            let admin_target = targets.iter().any(|tg| {
                let id = iam.roles_of(tg).first().map_or(tg.as_str(), |r| *r);
                crate::iam::escalation::strength(iam, id) >= 3
            });
            let itself = same.iter().any(|x| x.targets.contains(&x.identity));
            let becomes = if targets.is_empty() && itself {
                "an administrator (it can grant itself any permission)".to_owned()
            } else if targets.is_empty() {
                "any stronger identity of the account".to_owned()
            } else {
                let names: Vec<String> = targets
                    .iter()
                    .map(|tg| {
                        if iam.identity(tg).is_some() {
                            who(iam, tg)
                        } else {
                            format!("function {tg} (and its role)")
                        }
                    })
                    .collect();
                names.join(", ")
            };
            let Some(carrier) = t.resource(&e.carrier) else {
                continue;
            };
            let holder = t
                .resource(&e.identity)
                .map_or(e.identity.as_str(), |r| edit_target(t, r));
            let users: Vec<String> = iam
                .identities
                .iter()
                .filter(|u| u.groups.contains(&e.identity))
                .map(|u| u.id.clone())
                .collect();
            let first = same.iter().map(|x| x.span).min().unwrap_or(e.span);
            let mut f = Finding::new(
                &Self::META,
                Some(holder),
                first,
                format!(
                    "{}{} can escalate its privileges through `{}` ({}): it may {}{}; an attacker who controls it can become {becomes}",
                    who(iam, &e.identity),
                    if users.is_empty() { String::new() } else { format!(" (members: {})", who_list(iam, &users)) },
                    granted.join("`, `"),
                    e.source,
                    methods.join("; "),
                    when(&e.cond),
                ),
                "Scope the action to the resources it must manage (pass only named roles, with `iam:PassedToService`), or move IAM changes to a separate, audited deployment role.",
            )
            .severity(if admin_target || itself { Severity::Critical } else { Severity::High })
            .condition(cond_of(carrier, &e.cond))
            .related([e.identity.clone()])
            .related(if e.carrier != e.identity { vec![e.carrier.clone()] } else { Vec::new() })
            .related(targets.iter().filter(|x| t.resource(x).is_some()).cloned());
            // The first drawn "can become" edge of the path.
            let from = crate::graph::trust::nodes_of(cx.graph, &e.identity);
            let edge = cx.graph.edges().find(|g| {
                g.kind == crate::graph::EdgeKind::Assumes
                    && g.label == "can become"
                    && from.contains(&g.from)
                    && same.iter().any(|x| x.span == g.span)
            });
            if let Some(g) = edge {
                f = f.edge(&g.from, &g.to);
            }
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings_of;

    #[test]
    fn a_role_rewriting_its_own_policy_escalates() {
        let f = findings_of(
            "AUTH023",
            r#"
Resources:
  Editor:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: [iam:PutRolePolicy, iam:AttachRolePolicy], Resource: "*"}
"#,
        );
        assert_eq!(f.len(), 1, "one finding per statement: {f:?}");
        assert!(f[0]
            .message
            .contains("`iam:PutRolePolicy`, `iam:AttachRolePolicy`"));
        assert!(f[0]
            .message
            .contains("write an inline policy on a role, itself included"));
    }

    #[test]
    fn passing_a_named_role_that_holds_nothing_more_is_fine() {
        let f = findings_of(
            "AUTH023",
            r#"
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: lambda:CreateFunction, Resource: "*"}
              - {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt FnRole.Arn}
  FnRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
"#,
        );
        assert!(f.is_empty(), "FnRole holds nothing Deployer lacks: {f:?}");
    }
}

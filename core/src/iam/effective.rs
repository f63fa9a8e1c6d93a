//! What an identity may do: the `Allow` statements that reach it (its own policies, its
//! groups', AWS managed ones), with what unconditional `Deny` statements take away.
//!
//! Deny subtraction is textual and conservative: an allowed action pattern goes when a
//! `Deny` without a condition names it (`iam:*` takes `iam:PassRole` and `iam:Pass*`) on
//! every resource the `Allow` names; a partial overlap (`Deny iam:PassRole` under
//! `Allow iam:*`) is left as granted. A `NotAction` grant gets the denied patterns added
//! to its exceptions. Permissions boundaries and SCPs are not known to the template.

use serde::{Deserialize, Serialize};

use super::actions::matches;
use super::{IamModel, Statement};

fn is_false(b: &bool) -> bool {
    !*b
}

/// One grant an identity holds, after `Deny` (a node's `permissions` in the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Action patterns as written; with `not_actions`, every action except these.
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_actions: bool,
    /// Resources: ARN patterns, or the logical id of the template resource named.
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_resources: bool,
    /// Where the grant comes from: `role FnRole, policy data`, `group Admins, AWS managed
    /// policy AdministratorAccess`.
    pub source: String,
    /// The statement has a `Condition` (it may apply only sometimes).
    #[serde(default, skip_serializing_if = "is_false")]
    pub conditional: bool,
}

/// Does `deny` (unconditional) cover every resource `allow` names?
fn covers_resources(deny: &Statement, allow: &Statement) -> bool {
    if deny.any_resource() && !deny.not_resource {
        return true;
    }
    if deny.not_resource || allow.not_resource || allow.any_resource() {
        return false;
    }
    allow.resources.iter().all(|r| {
        deny.resources
            .iter()
            .any(|d| d.display() == r.display() || matches(&d.text, &r.text) && !d.text.is_empty())
    })
}

/// Does `deny` take away the allowed action pattern `action`?
fn denies(deny: &Statement, action: &str) -> bool {
    if deny.not_action {
        !deny.actions.iter().any(|d| matches(&d.text, action))
    } else {
        deny.actions.iter().any(|d| matches(&d.text, action))
    }
}

/// The effective permissions of identity `id` (a role, user or group of the template).
pub fn of(m: &IamModel, id: &str) -> Vec<Permission> {
    let docs = m.docs_of(id);
    let denies_all: Vec<&Statement> = docs
        .iter()
        .flat_map(|(d, _)| d.statements.iter())
        .filter(|s| s.effect == super::Effect::Deny && !s.has_condition())
        .collect();
    let mut out = Vec::new();
    let who = m
        .identity(id)
        .map_or_else(|| id.to_owned(), |i| format!("{} {id}", i.kind.as_str()));
    for (d, group) in &docs {
        let source = match group {
            Some(g) => format!("group {g}, {}", IamModel::describe(d)),
            None => format!("{who}, {}", IamModel::describe(d)),
        };
        for s in d.statements.iter().filter(|s| s.is_allow()) {
            let relevant: Vec<&&Statement> = denies_all
                .iter()
                .filter(|x| covers_resources(x, s))
                .collect();
            let mut actions: Vec<String> = s.actions.iter().map(|a| a.text.clone()).collect();
            if s.not_action {
                for x in relevant.iter().filter(|x| !x.not_action) {
                    actions.extend(x.actions.iter().map(|a| a.text.clone()));
                }
            } else {
                actions.retain(|a| !relevant.iter().any(|x| denies(x, a)));
                if actions.is_empty() {
                    continue;
                }
            }
            actions.dedup();
            out.push(Permission {
                actions,
                not_actions: s.not_action,
                resources: s.resources.iter().map(|r| r.display()).collect(),
                not_resources: s.not_resource,
                source: source.clone(),
                conditional: s.has_condition(),
            });
        }
    }
    if let Some(i) = m.identity(id) {
        for (name, _, _) in &i.managed {
            if super::managed::grant(name).is_none() {
                out.push(Permission {
                    actions: Vec::new(),
                    not_actions: false,
                    resources: Vec::new(),
                    not_resources: false,
                    source: format!("{who}, AWS managed policy {name} (contents not known here)"),
                    conditional: false,
                });
            }
        }
    }
    out
}

/// Does identity `id` hold an unconditional `Allow` of `action` on every resource (after
/// `Deny`)?
pub fn allows_everywhere(m: &IamModel, id: &str, action: &str) -> bool {
    of(m, id).iter().any(|p| {
        !p.conditional
            && (p.not_resources || p.resources.iter().any(|r| r == "*"))
            && (p.actions.iter().any(|a| matches(a, action)) != p.not_actions)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> IamModel {
        let a = crate::analyze_text(yaml).expect("parses");
        IamModel::build(&a.template)
    }

    #[test]
    fn deny_takes_away_what_it_names() {
        let m = model(
            r#"
Resources:
  U:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: ["s3:*", "iam:PassRole"], Resource: "*"}
              - {Effect: Deny, Action: "iam:*", Resource: "*"}
              - {Effect: Allow, NotAction: "iam:*", Resource: "*"}
              - {Effect: Deny, Action: "kms:*", Resource: "*"}
"#,
        );
        let p = of(&m, "U");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].actions, vec!["s3:*".to_owned()]);
        assert!(p[1].not_actions);
        assert_eq!(p[1].actions, vec!["iam:*".to_owned(), "kms:*".to_owned()]);
        assert!(allows_everywhere(&m, "U", "s3:GetObject"));
        assert!(!allows_everywhere(&m, "U", "iam:PassRole"));
        assert!(!allows_everywhere(&m, "U", "kms:Decrypt"));
    }

    #[test]
    fn a_user_inherits_its_groups_policies() {
        let m = model(
            r#"
Resources:
  Admins:
    Type: AWS::IAM::Group
    Properties:
      ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]
  Alice:
    Type: AWS::IAM::User
    Properties:
      Groups: [!Ref Admins]
"#,
        );
        let p = of(&m, "Alice");
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].source,
            "group Admins, AWS managed policy AdministratorAccess"
        );
        assert!(allows_everywhere(&m, "Alice", "iam:CreateUser"));
    }
}

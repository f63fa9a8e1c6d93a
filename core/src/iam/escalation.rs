//! Privilege-escalation paths: identities allowed the actions of a published escalation
//! method ([`super::actions::ESCALATIONS`]) on resources that let them take more
//! permissions than they hold: on every resource, or on a role, user, group or function of
//! the template.
//!
//! Statements with a `Condition` are not counted (a condition such as
//! `iam:PassedToService` often closes the path; saying "possibly" on every one would bury
//! the real ones). A method aimed only at the identity itself counts where it changes its
//! own permissions (`iam:PutRolePolicy` on its own role), not where it only renews its own
//! credentials (`iam:CreateAccessKey` on itself).

use crate::span::Span;

use super::actions::{self, ESCALATIONS};
use super::{IamModel, IdentityKind, Statement};

#[derive(Debug, Clone)]
pub struct Escalation {
    /// The role, user or group that holds the actions.
    pub identity: String,
    /// The method, as a phrase (`pass a role to a new Lambda function`).
    pub method: &'static str,
    /// The actions that make it, as the method names them (`iam:passrole`).
    pub actions: &'static [&'static str],
    /// The `Action` entry that grants the method's first action.
    pub span: Span,
    /// The entry as written (`iam:*`, `iam:PassRole`).
    pub granted_by: String,
    /// The resource carrying that statement (a role, a policy resource).
    pub carrier: String,
    /// How the document is named (`policy p`, `AWS managed policy IAMFullAccess`).
    pub source: String,
    pub cond: Option<String>,
    /// It applies to every resource of its kind (`Resource: "*"`, or a wildcard ARN).
    pub on_any: bool,
    /// The template's roles, users, groups or functions it reaches, when there are some.
    pub targets: Vec<String>,
}

/// How much an identity can do: 3 full admin, 2 control of IAM or a sensitive service,
/// 1 some write on every resource, 0 otherwise. Orders escalation targets.
pub fn strength(m: &IamModel, id: &str) -> u8 {
    let mut best = 0;
    for (_, s) in m.statements_of(id) {
        if !s.is_allow() || s.has_condition() {
            continue;
        }
        let any = s.any_resource();
        if s.covers_action("iam:attachrolepolicy") && s.covers_action("s3:deletebucket") && any {
            return 3;
        }
        if any
            && s.actions.iter().any(|a| {
                actions::is_service_wide(&a.text)
                    && actions::SENSITIVE_SERVICES.contains(&actions::service(&a.text).as_str())
            })
            || s.not_action
        {
            best = best.max(2);
        }
        if any
            && s.actions
                .iter()
                .any(|a| actions::permissions_management(&a.text))
        {
            best = best.max(2);
        }
        if any && !s.actions.is_empty() {
            best = best.max(1);
        }
    }
    best
}

/// Does a resource entry pattern reach every resource of IAM kind `what` (`role`, `user`,
/// `group`, `policy`, `function`)?
fn wild_for(text: &str, what: &str) -> bool {
    let t = text.trim();
    if t == "*" {
        return true;
    }
    let Some(tail) = t.rsplit(':').next() else {
        return false;
    };
    t.contains('*')
        && (tail.starts_with('*')
            || tail.starts_with(&format!("{what}/*"))
            || tail.starts_with(&format!("{what}:*"))
            || (what == "function" && t.ends_with("function:*")))
}

fn kind_of_target(action: &str) -> &'static str {
    let a = action.to_ascii_lowercase();
    if a.starts_with("lambda:") {
        "function"
    } else if a.contains("group") {
        "group"
    } else if a.contains("user") || a.contains("accesskey") || a.contains("loginprofile") {
        "user"
    } else if a.contains("policyversion") {
        "policy"
    } else {
        "role"
    }
}

/// Does identity `id` hold `action` (unconditionally)? Returns the statement and the entry.
fn grant<'m>(
    m: &'m IamModel,
    id: &str,
    action: &str,
) -> Option<(&'m super::Document, &'m Statement)> {
    m.statements_of(id)
        .into_iter()
        .find(|(_, s)| s.is_allow() && !s.has_condition() && s.covers_action(action))
}

pub fn find(m: &IamModel) -> Vec<Escalation> {
    let mut out = Vec::new();
    for who in &m.identities {
        let id = who.id.as_str();
        let own_strength = strength(m, id);
        if own_strength >= 3 {
            continue; // already an administrator: nothing to escalate to
        }
        for (method, acts) in ESCALATIONS {
            let Some(key) = acts.first() else { continue };
            // Every action of the method must be granted.
            if !acts.iter().all(|a| grant(m, id, a).is_some()) {
                continue;
            }
            let what = kind_of_target(if acts.len() > 1 { "iam:passrole" } else { key });
            // Where the key action applies: on everything of its kind, or on named resources.
            let mut on_any = false;
            let mut named: Vec<String> = Vec::new();
            let mut first: Option<(&super::Document, &Statement)> = None;
            for (d, s) in m.statements_of(id) {
                if !s.is_allow() || s.has_condition() || !s.covers_action(key) {
                    continue;
                }
                first.get_or_insert((d, s));
                if s.not_resource || s.resources.iter().any(|r| wild_for(&r.text, what)) {
                    on_any = true;
                }
                for r in &s.resources {
                    if let Some(tg) = &r.target {
                        if !named.contains(tg) {
                            named.push(tg.clone());
                        }
                    }
                }
            }
            let Some((doc, st)) = first else { continue };
            // The targets: what it can become or take over.
            let mut targets: Vec<String> = Vec::new();
            match what {
                "function" => {
                    for (host, role) in &m.runs_as {
                        let is_fn = named.contains(host) || on_any;
                        if is_fn
                            && role != id
                            && !targets.contains(host)
                            && strength(m, role) >= own_strength
                        {
                            targets.push(host.clone());
                        }
                    }
                }
                "policy" => {}
                _ => {
                    let kind = match what {
                        "user" => Some(IdentityKind::User),
                        "group" => Some(IdentityKind::Group),
                        "role" => Some(IdentityKind::Role),
                        _ => None,
                    };
                    for other in &m.identities {
                        if kind.is_some_and(|k| other.kind != k) {
                            continue;
                        }
                        let reached = named.contains(&other.id)
                            || on_any && other.id != id && strength(m, &other.id) > own_strength;
                        if reached && !targets.contains(&other.id) {
                            targets.push(other.id.clone());
                        }
                    }
                }
            }
            // Credentials of others, not one's own; the key action reaching nothing counts
            // only on every resource.
            let on_others = targets.iter().any(|x| x != id);
            let self_change =
                targets.iter().any(|x| x == id) && !matches!(what, "user" | "function");
            if !(on_any || on_others || self_change) {
                continue;
            }
            if *key == "sts:assumerole" && !on_any {
                continue; // assuming a named role is what roles are for
            }
            let entry = st.action_items_for(key).next();
            out.push(Escalation {
                identity: id.to_owned(),
                method,
                actions: acts,
                span: entry.map_or(st.action_span.unwrap_or(st.span), |e| e.span),
                granted_by: entry.map_or_else(
                    || {
                        if st.not_action {
                            "NotAction".to_owned()
                        } else {
                            (*key).to_owned()
                        }
                    },
                    |e| e.text.clone(),
                ),
                carrier: doc.carrier.clone(),
                source: IamModel::describe(doc),
                cond: st.cond_with(&entry.and_then(|e| e.cond.clone())),
                on_any,
                targets,
            });
        }
    }
    out
}

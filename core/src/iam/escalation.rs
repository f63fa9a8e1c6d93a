//! Privilege-escalation paths: identities allowed the actions of a published escalation
//! method ([`super::actions::ESCALATIONS`]) on resources that let them take more
//! permissions than they hold: on every resource of its kind, or on a role, user, group or
//! function of the template that controls IAM or a sensitive service.
//!
//! Statements with a `Condition` are not counted (a condition such as
//! `iam:PassedToService` often closes the path; saying "possibly" on every one would bury
//! the real ones). A method aimed only at the identity itself counts where it changes its
//! own permissions (`iam:PutRolePolicy` on its own role), not where it only renews its own
//! credentials (`iam:CreateAccessKey` on itself).

use crate::span::Span;

use super::actions::{self, ESCALATIONS};
use super::{Account, IamModel, IdentityKind, PrincipalKind, Statement};

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
    /// The statement holding it.
    pub statement: Span,
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
    let tail = t.rsplit(':').next().unwrap_or("");
    t.contains('*')
        && (tail.starts_with('*')
            || tail.starts_with(&format!("{what}/*"))
            || what == "function" && t.ends_with("function:*"))
}

/// Would `who` gain by becoming `other`: does `other` hold an unconditional grant that
/// `who` lacks?
fn gains(m: &IamModel, who: &str, other: &str) -> bool {
    let mine: Vec<&Statement> = m
        .statements_of(who)
        .into_iter()
        .map(|(_, s)| s)
        .filter(|s| s.is_allow() && !s.has_condition())
        .collect();
    m.statements_of(other)
        .into_iter()
        .filter(|(_, s)| s.is_allow() && !s.has_condition())
        .any(|(_, s)| {
            s.not_action
                || s.actions
                    .iter()
                    .any(|a| !mine.iter().any(|x| x.covers_action(&a.text)))
        })
}

/// A target named on purpose (`iam:PassRole` on the function's own role, a deploy role
/// updating its function) is the design, not a path: unless it holds control of IAM or a
/// sensitive service, or more, that its holder lacks.
fn much_stronger(m: &IamModel, target: &str, own: u8) -> bool {
    let s = strength(m, target);
    s >= 2 && s > own
}

/// Does identity `id` hold `action` (unconditionally)?
fn holds(m: &IamModel, id: &str, action: &str) -> bool {
    m.statements_of(id)
        .into_iter()
        .any(|(_, s)| s.is_allow() && !s.has_condition() && s.covers_action(action))
}

/// Does role `role`'s trust policy let `who` (an identity of the template) assume it: it
/// names it, the account, or everyone?
fn trusts(m: &IamModel, role: &str, who: &str) -> bool {
    m.trust_of(role).is_some_and(|d| {
        d.statements.iter().filter(|s| s.is_allow()).any(|s| {
            s.principals.iter().any(|p| {
                p.target.as_deref() == Some(who)
                    || p.kind == PrincipalKind::Everyone
                    || p.kind == PrincipalKind::Account && p.account == Account::Same
            })
        })
    })
}

pub fn find(m: &IamModel) -> Vec<Escalation> {
    let mut out = Vec::new();
    for who in &m.identities {
        let id = who.id.as_str();
        let own = strength(m, id);
        if own >= 3 {
            continue; // already an administrator: nothing to escalate to
        }
        for method in ESCALATIONS {
            let Some(key) = method.actions.first() else {
                continue;
            };
            if !method.actions.iter().all(|a| holds(m, id, a)) {
                continue;
            }
            let what = match method.target {
                "user" | "self-user" => "user",
                "join" | "self-group" => "group",
                "policy" | "function" => method.target,
                _ => "role",
            };
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
            let mut targets: Vec<String> = Vec::new();
            match method.target {
                "function" => {
                    for (host, role) in &m.runs_as {
                        let reached = named.contains(host) && much_stronger(m, role, own)
                            || on_any && strength(m, role) >= own && gains(m, id, role);
                        if reached && role != id && !targets.contains(host) {
                            targets.push(host.clone());
                        }
                    }
                }
                "policy" => {}
                "self-role" | "self-user" => {
                    let kind = if method.target == "self-role" {
                        IdentityKind::Role
                    } else {
                        IdentityKind::User
                    };
                    if who.kind == kind && (on_any || named.iter().any(|x| x == id)) {
                        targets.push(id.to_owned());
                    }
                }
                "self-group" | "join" => {
                    let mine: Vec<&String> = if who.kind == IdentityKind::Group {
                        vec![&who.id]
                    } else {
                        who.groups.iter().collect()
                    };
                    for g in m
                        .identities
                        .iter()
                        .filter(|o| o.kind == IdentityKind::Group)
                    {
                        let reached = on_any || named.contains(&g.id);
                        let wanted = if method.target == "join" {
                            who.kind == IdentityKind::User
                                && !mine.contains(&&g.id)
                                && (on_any && gains(m, id, &g.id) || much_stronger(m, &g.id, own))
                        } else {
                            mine.contains(&&g.id)
                        };
                        if reached && wanted && !targets.contains(&g.id) {
                            targets.push(g.id.clone());
                        }
                    }
                }
                target => {
                    let kind = if target == "user" {
                        IdentityKind::User
                    } else {
                        IdentityKind::Role
                    };
                    for other in m.identities.iter().filter(|o| o.kind == kind && o.id != id) {
                        let usable = match target {
                            "user" | "role" => true,
                            "assume" => trusts(m, &other.id, id),
                            svc => m.trusts_service(&other.id, svc),
                        };
                        let reached = named.contains(&other.id) && much_stronger(m, &other.id, own)
                            || on_any && usable && strength(m, &other.id) > own;
                        if reached && !targets.contains(&other.id) {
                            targets.push(other.id.clone());
                        }
                    }
                }
            }
            // Credentials of others, not one's own; a method that reaches nothing named
            // counts only on every resource.
            if !on_any && targets.is_empty() {
                continue;
            }
            if key.eq_ignore_ascii_case("sts:AssumeRole") && !on_any {
                continue; // assuming a named role is what roles are for
            }
            let entry = st.action_items_for(key).next();
            out.push(Escalation {
                identity: id.to_owned(),
                method: method.name,
                actions: method.actions,
                span: entry.map_or(st.action_span.unwrap_or(st.span), |e| e.span),
                statement: st.span,
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

//! `access` edges: what each function's (or state machine's, or identity pool's) role lets it
//! touch, read through [`super::iam`]; `reference` edges for stores named in configuration
//! without a grant; network access to databases.
//!
//! One access edge per (principal, store), with the highest level among its grants. Account-level
//! listing actions on `*` ([`ACCOUNT_LISTING`], e.g. SAM's `ssm:DescribeParameters`) read no
//! store and draw no edge.
//!
//! Document and relational databases and caches are reached through the network, not IAM:
//! a function whose environment names a cluster (its endpoint, its id) or whose security
//! group is allowed into the cluster's gets an access edge with `network: true`.

use crate::smap::{StrMap, StrSet};

use crate::model::resolve::collect_refs;
use crate::model::{Resource, Template};
use crate::value::Value;

use super::iam::{
    action_service, named_nodes, principals, reaches, statements, stores, Reach, Stmt,
    STORE_SERVICES,
};
use super::lookup::{access_level, external, is_function, services_of_type, targets};
use super::{AccessLevel, EdgeKind, GEdge, Graph, NodeKind};

/// Invoke grants a principal holds on `*` (for function -> function and
/// function -> state machine edges backed by an environment reference).
#[derive(Debug, Default)]
pub struct WildGrants {
    /// principal -> services granted on every resource (`lambda`, `states`, `*`).
    pub services: StrMap<StrSet>,
}

/// Build `access` edges (and invoke `trigger` edges) for every principal with a role.
pub fn build_access(t: &Template, g: &mut Graph) -> WildGrants {
    let mut wild = WildGrants::default();
    let stores = stores(t, g);
    for (p, role) in principals(t, g) {
        for st in statements(&g.iam, role) {
            for reach in reaches(t, g, &st, &stores) {
                match reach {
                    Reach::Any | Reach::Service(_) => {
                        let only = match &reach {
                            Reach::Service(s) => Some(s.clone()),
                            _ => None,
                        };
                        for a in &st.actions {
                            let svc = action_service(a);
                            if only.as_deref().is_none_or(|o| o == svc || svc == "*") {
                                wild.services
                                    .entry_or_insert_with(&p.id, StrSet::new)
                                    .insert(only.clone().unwrap_or_else(|| svc.to_owned()));
                            }
                        }
                        for (sid, services) in &stores {
                            if sid == &p.id {
                                continue;
                            }
                            // Functions and state machines are reached by invocation, drawn
                            // only when named or referenced (see `env_references`).
                            if matches!(
                                g.node(sid).map(|n| n.kind),
                                Some(NodeKind::Function | NodeKind::StateMachine)
                            ) {
                                continue;
                            }
                            if let Some(o) = &only {
                                if !services.contains(&o.as_str()) {
                                    continue;
                                }
                            }
                            grant(g, &p.id, sid, services, &st, true);
                        }
                    }
                    Reach::Nodes(ids, wild_name) => {
                        for sid in ids {
                            if sid == p.id {
                                continue;
                            }
                            let ty = t.resource(&sid).map(|r| r.type_.as_str()).unwrap_or("");
                            grant(g, &p.id, &sid, services_of_type(ty), &st, wild_name);
                        }
                    }
                    Reach::External(val, svc) => {
                        let actions: Vec<String> = st
                            .actions
                            .iter()
                            .filter(|a| {
                                let s = action_service(a);
                                match svc.as_deref() {
                                    Some(x) => s == x || s == "*",
                                    None => s == "*" || STORE_SERVICES.contains(&s),
                                }
                            })
                            .cloned()
                            .collect();
                        if actions.is_empty() {
                            continue;
                        }
                        let Some(id) = external(t, g, &val) else {
                            continue;
                        };
                        edge(g, &p.id, &id, actions, &st, false);
                    }
                }
            }
        }
    }
    wild
}

/// Account-level listing actions that only work on `Resource: "*"` and read no data
/// (SAM's policy templates add several): not an access edge to every store.
pub const ACCOUNT_LISTING: &[&str] = &[
    "ssm:DescribeParameters",
    "s3:ListAllMyBuckets",
    "sqs:ListQueues",
    "sns:ListTopics",
    "dynamodb:ListTables",
    "dynamodb:DescribeLimits",
    "dynamodb:DescribeEndpoints",
    "dynamodb:ListStreams",
    "kinesis:ListStreams",
    "secretsmanager:ListSecrets",
    "secretsmanager:GetRandomPassword",
    "kms:ListKeys",
    "kms:ListAliases",
    "lambda:ListFunctions",
    "states:ListStateMachines",
    "events:ListEventBuses",
    "events:ListRules",
    "cognito-idp:ListUserPools",
];

/// One grant from `p` to node `sid` (if any statement action applies to its services).
fn grant(g: &mut Graph, p: &str, sid: &str, services: &[&str], st: &Stmt, wild_resource: bool) {
    let actions: Vec<String> = st
        .actions
        .iter()
        .filter(|a| {
            let s = action_service(a);
            s == "*" || services.contains(&s)
        })
        .cloned()
        .collect();
    if actions.is_empty() {
        return;
    }
    if wild_resource
        && actions
            .iter()
            .all(|a| ACCOUNT_LISTING.iter().any(|x| x.eq_ignore_ascii_case(a)))
    {
        return;
    }
    let kind = g.node(sid).map(|n| n.kind);
    let invoke = |pre: &[&str]| {
        actions
            .iter()
            .any(|a| a == "*" || pre.iter().any(|x| a.starts_with(x)))
    };
    match kind {
        Some(NodeKind::Function) => {
            if invoke(&["lambda:Invoke", "lambda:*"]) {
                let mut e = GEdge::new(p, sid, EdgeKind::Trigger, "invoke", st.span);
                e.via = Some(st.via.clone());
                e.detail = st.detail.clone();
                g.add_edge(e);
            }
        }
        Some(NodeKind::StateMachine) => {
            if invoke(&["states:Start", "states:*"]) {
                let mut e = GEdge::new(p, sid, EdgeKind::Trigger, "start execution", st.span);
                e.via = Some(st.via.clone());
                e.detail = st.detail.clone();
                g.add_edge(e);
            }
        }
        _ => edge(g, p, sid, actions, st, wild_resource),
    }
}

fn edge(g: &mut Graph, p: &str, to: &str, actions: Vec<String>, st: &Stmt, wild_resource: bool) {
    let level = actions
        .iter()
        .map(|a| access_level(a))
        .max()
        .unwrap_or(AccessLevel::Read);
    let wildcard = wild_resource
        || st.any_resource && st.resources.is_empty()
        || actions.iter().any(|a| is_wild_action(a));
    let mut e = GEdge::new(p, to, EdgeKind::Access, level_label(level), st.span);
    e.access = Some(level);
    e.wildcard = wildcard;
    e.actions = actions;
    e.via = Some(st.via.clone());
    e.detail = st.detail.clone();
    g.add_edge(e);
}

/// Kinds worth a `reference` edge: stores and things a function calls.
fn is_reference_target(k: NodeKind) -> bool {
    k.is_data_store()
        || matches!(
            k,
            NodeKind::Function
                | NodeKind::StateMachine
                | NodeKind::EventBus
                | NodeKind::UserPool
                | NodeKind::IdentityPool
                | NodeKind::Api
                | NodeKind::KmsKey
        )
}

fn env_vars(f: &Resource) -> Vec<(&str, &Value)> {
    f.prop_path(&["Environment", "Variables"])
        .and_then(Value::as_map)
        .map(|m| m.iter().map(|(k, v)| (k.name.as_str(), v)).collect())
        .unwrap_or_default()
}

/// Function -> resource `reference` edges from environment variables that name a node
/// without any grant; function -> function/state machine `trigger` edges when the
/// function holds a wildcard invoke grant and names the target.
pub fn env_references(t: &Template, g: &mut Graph, wild: &WildGrants) {
    let fns: Vec<&Resource> = t
        .resources
        .iter()
        .filter(|r| is_function(r) && g.has(&r.id))
        .collect();
    for f in fns {
        for (k, v) in env_vars(f) {
            for (target, span) in named_nodes(t, g, v) {
                if target == f.id {
                    continue;
                }
                let kind = g.node(&target).map(|n| n.kind);
                if matches!(
                    kind,
                    Some(NodeKind::DocumentDb | NodeKind::Database | NodeKind::Cache)
                ) {
                    continue; // network access, below
                }
                if !kind.is_some_and(is_reference_target) {
                    continue;
                }
                let linked = g.edges_from(&f.id).any(|e| {
                    matches!(e.kind, EdgeKind::Access | EdgeKind::Trigger) && e.to == target
                });
                if linked {
                    continue;
                }
                let grants = wild.services.get(&f.id);
                let has = |s: &str| grants.is_some_and(|g| g.contains(s) || g.contains("*"));
                let mut e = match kind {
                    Some(NodeKind::Function) if has("lambda") => {
                        GEdge::new(&f.id, &target, EdgeKind::Trigger, "invoke", span)
                    }
                    Some(NodeKind::StateMachine) if has("states") => {
                        GEdge::new(&f.id, &target, EdgeKind::Trigger, "start execution", span)
                    }
                    _ => GEdge::new(&f.id, &target, EdgeKind::Reference, k, span),
                };
                e.detail = Some(format!("env:{k}"));
                g.add_edge(e);
            }
        }
    }
}

/// Security groups a resource sits in (any property that names `AWS::EC2::SecurityGroup`s).
fn security_groups(t: &Template, r: &Resource) -> StrSet {
    let mut out = StrSet::new();
    collect_refs(&r.properties, &mut |n, _| {
        if t.resource(n)
            .is_some_and(|x| x.type_ == "AWS::EC2::SecurityGroup")
        {
            out.insert(n.to_owned());
        }
    });
    out
}

/// Security groups whose members may connect into `sg` (inline ingress and
/// `AWS::EC2::SecurityGroupIngress` resources).
fn ingress_sources(t: &Template, sg: &str) -> StrSet {
    let mut out = StrSet::new();
    if let Some(r) = t.resource(sg) {
        for rule in r
            .prop("SecurityGroupIngress")
            .map(Value::items)
            .unwrap_or_default()
        {
            if let Some(v) = rule.get("SourceSecurityGroupId") {
                out.extend(targets(t, v));
            }
        }
    }
    for i in t.resources_of("AWS::EC2::SecurityGroupIngress") {
        let into = i.prop("GroupId").map(|v| targets(t, v)).unwrap_or_default();
        if into.iter().any(|x| x == sg) {
            if let Some(v) = i.prop("SourceSecurityGroupId") {
                out.extend(targets(t, v));
            }
        }
    }
    out
}

/// Function -> database/cache `access` edges through the network.
pub fn network_access(t: &Template, g: &mut Graph) {
    let dbs: Vec<&Resource> = t
        .resources
        .iter()
        .filter(|r| {
            g.node(&r.id).is_some_and(|n| {
                matches!(
                    n.kind,
                    NodeKind::DocumentDb | NodeKind::Database | NodeKind::Cache
                )
            })
        })
        .collect();
    if dbs.is_empty() {
        return;
    }
    let fns: Vec<&Resource> = t
        .resources
        .iter()
        .filter(|r| is_function(r) && g.has(&r.id))
        .collect();
    for f in fns {
        for (k, v) in env_vars(f) {
            for (target, span) in crate::model::resolve::resource_refs(t, v) {
                if !dbs.iter().any(|d| d.id == target) {
                    continue;
                }
                let mut e = GEdge::new(&f.id, &target, EdgeKind::Access, "network", span);
                e.access = Some(AccessLevel::Write);
                e.network = true;
                e.detail = Some(format!("env:{k}"));
                g.add_edge(e);
            }
        }
        let fn_sgs = match f.prop("VpcConfig") {
            Some(vpc) => {
                let mut s = StrSet::new();
                collect_refs(vpc, &mut |n, _| {
                    if t.resource(n)
                        .is_some_and(|x| x.type_ == "AWS::EC2::SecurityGroup")
                    {
                        s.insert(n.to_owned());
                    }
                });
                s
            }
            None => continue,
        };
        if fn_sgs.is_empty() {
            continue;
        }
        for d in &dbs {
            // The database's security group whose ingress admits the function's.
            let sgs = security_groups(t, d); // in order
            let allowing = sgs.into_iter().find(|sg| {
                ingress_sources(t, sg)
                    .iter()
                    .any(|src| fn_sgs.contains(src))
            });
            if let Some(sg) = allowing {
                let mut e = GEdge::new(
                    &f.id,
                    &d.id,
                    EdgeKind::Access,
                    "network",
                    f.span_of(&["VpcConfig"]),
                );
                e.access = Some(AccessLevel::Write);
                e.network = true;
                e.via = Some(sg);
                e.detail = Some("security group".into());
                g.add_edge(e);
            }
        }
    }
}

fn is_wild_action(a: &str) -> bool {
    a == "*" || a.ends_with(":*") || a.starts_with("*:")
}

fn level_label(l: AccessLevel) -> &'static str {
    match l {
        AccessLevel::Read => "read",
        AccessLevel::Write => "write",
        AccessLevel::Admin => "admin",
    }
}

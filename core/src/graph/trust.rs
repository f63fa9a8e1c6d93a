//! `assumes` edges: who can become whom.
//!
//! From each principal a role's trust policy lets in (an account, a federated provider,
//! anyone, an AWS service, or a role or user of the template) to the role, or to what runs
//! as it when the role is an attached fact (a function, a build project). Principals
//! outside the template are [`NodeKind::Principal`] nodes (`unknown`: their configuration
//! is not in the template). The service that runs an attached role (Lambda for a function's
//! role) is not drawn: that trust is the role's purpose, and one edge per function would
//! bury the rest. Privilege-escalation paths with a target in the template
//! ([`crate::iam::escalation`]) become `assumes` edges labelled `can become`.

use crate::iam::PrincipalKind;
use crate::model::Template;

use super::{EdgeKind, GEdge, GNode, Graph, NodeKind};

/// The nodes an identity (or a function) appears as: itself, or the nodes it is a fact of.
pub fn nodes_of(g: &Graph, id: &str) -> Vec<String> {
    if g.has(id) {
        return vec![id.to_owned()];
    }
    g.attached_to(id).to_vec()
}

/// At most this many escalation edges per path (a `*` can reach every role).
const MAX_ESCALATION_EDGES: usize = 6;

pub fn build_trust(t: &Template, g: &mut Graph) {
    let _ = t;
    let mut edges: Vec<GEdge> = Vec::new();
    let mut new_nodes: Vec<GNode> = Vec::new();
    for who in &g.iam.identities {
        let Some(trust) = who.trust.and_then(|i| g.iam.docs.get(i)) else {
            continue;
        };
        let to = nodes_of(g, &who.id);
        let standalone = g.has(&who.id);
        for st in trust.statements.iter().filter(|s| s.is_allow()) {
            for p in &st.principals {
                if p.kind == PrincipalKind::Service && !standalone {
                    continue;
                }
                let from: Vec<String> = match (&p.target, p.node_id()) {
                    (Some(id), _) => nodes_of(g, id),
                    (None, Some(nid)) => {
                        if !g.has(&nid) && !new_nodes.iter().any(|n| n.id == nid) {
                            let mut n = GNode::new(&nid, NodeKind::Principal, "Principal", p.span);
                            n.label = if st.not_principal {
                                "anyone (*)".into()
                            } else {
                                p.label()
                            };
                            n.unknown = true;
                            new_nodes.push(n);
                        }
                        vec![nid]
                    }
                    (None, None) => Vec::new(),
                };
                let from = if st.not_principal {
                    vec!["principal:*".to_owned()]
                } else {
                    from
                };
                if st.not_principal
                    && !g.has("principal:*")
                    && !new_nodes.iter().any(|n| n.id == "principal:*")
                {
                    let mut n = GNode::new("principal:*", NodeKind::Principal, "Principal", p.span);
                    n.label = "anyone (*)".into();
                    n.unknown = true;
                    new_nodes.push(n);
                }
                for f in &from {
                    for h in &to {
                        if f == h {
                            continue;
                        }
                        let label = if *h == who.id {
                            "assumes".to_owned()
                        } else {
                            format!("assumes {}", who.id)
                        };
                        let mut e = GEdge::new(f, h, EdgeKind::Assumes, label, p.span);
                        e.via = Some(who.id.clone());
                        e.detail = Some(if st.not_principal {
                            "trust:NotPrincipal".into()
                        } else {
                            "trust".into()
                        });
                        edges.push(e);
                    }
                }
            }
        }
    }
    for esc in &g.iam.escalations {
        let from = nodes_of(g, &esc.identity);
        for target in esc
            .targets
            .iter()
            .filter(|x| **x != esc.identity)
            .take(MAX_ESCALATION_EDGES)
        {
            for f in &from {
                for h in nodes_of(g, target) {
                    if *f == h {
                        continue;
                    }
                    let mut e = GEdge::new(f, &h, EdgeKind::Assumes, "can become", esc.span);
                    e.via = Some(esc.carrier.clone());
                    e.detail = Some(format!("escalation:{}", esc.method));
                    edges.push(e);
                }
            }
        }
    }
    for n in new_nodes {
        g.add_node(n);
    }
    for e in edges {
        g.add_edge(e);
    }
}

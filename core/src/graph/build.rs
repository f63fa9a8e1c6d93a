//! Nodes and attachments: a node for every resource an architect thinks in (and a generic
//! `resource` node for any other type); attachable resources (roles, policies, permissions,
//! log groups, stages, methods, ...) become facts of the node they serve, or stand alone as
//! nodes when they serve none. The edge passes that follow, and their order, are in
//! [`Graph::build`].

use crate::model::resolve::collect_refs;
use crate::model::{Resource, Template};
use crate::value::Value;

use super::lookup::{kind_of, targets};
use super::{EdgeKind, Fact, GEdge, GNode, Graph, NodeKind};

/// Who references whom, computed once: `out[a]` lists the resources `a`'s properties name,
/// `into[b]` the resources whose properties name `b`.
#[derive(Debug, Default)]
pub struct RefIndex {
    pub out: crate::smap::StrLists,
    pub into: crate::smap::StrLists,
}

impl RefIndex {
    pub fn new(t: &Template) -> RefIndex {
        let mut ix = RefIndex::default();
        for r in &t.resources {
            let mut seen = crate::smap::StrSet::new();
            collect_refs(&r.properties, &mut |n, _| {
                if n != r.id && t.resource(n).is_some() {
                    seen.insert(n.to_owned());
                }
            });
            for n in &seen {
                ix.into.list_mut(n).push(r.id.clone());
            }
            ix.out.insert(&r.id, seen.into_vec());
        }
        ix
    }

    pub fn out_of(&self, id: &str) -> &[String] {
        self.out.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn into_of(&self, id: &str) -> &[String] {
        self.into.get(id).map_or(&[], Vec::as_slice)
    }
}

/// The graph's nodes (with their groups and fixed physical names) and every attachment: the
/// first pass of [`Graph::build`].
pub fn nodes(t: &Template) -> Graph {
    let mut g = Graph {
        iam: crate::iam::IamModel::build(t),
        ..Graph::default()
    };
    let refs = RefIndex::new(t);
    for r in &t.resources {
        if let Some(kind) = kind_of(&r.type_) {
            let kind = match kind {
                NodeKind::EventRule if r.prop("ScheduleExpression").is_some() => NodeKind::Schedule,
                NodeKind::Database
                    if r.type_ == "AWS::RDS::DBInstance"
                        && r.prop("DBClusterIdentifier").is_some() =>
                {
                    // An instance of a cluster: a fact of the cluster.
                    continue;
                }
                k => k,
            };
            g.add_node(GNode::new(&r.id, kind, &r.type_, r.span));
            // one node standing for instances the input does not count (Terraform's
            // `count`/`for_each` over an unknown value)
            if let Some(why) = r
                .metadata
                .as_ref()
                .and_then(|m| m.get_path(&["pillarlint", "multiplicity"]))
                .and_then(Value::as_str)
            {
                g.add_fact(
                    &r.id,
                    Fact {
                        kind: "multiplicity".into(),
                        id: None,
                        text: format!("stands for every instance of {} ({why})", r.id),
                    },
                );
            }
        }
    }
    // Resources a transform generated for another (SAM event queues, implicit APIs) are
    // grouped with what produced them.
    for r in &t.resources {
        if let crate::model::Origin::Generated { by } = &r.origin {
            if by != &r.id && g.has(by) {
                if let Some(n) = g.node_mut(&r.id) {
                    n.group = Some(by.clone());
                }
            }
        }
    }
    for r in &t.resources {
        if g.has(&r.id) {
            if let Some(n) = super::iam::physical_name(t, r) {
                g.names.list_mut(&n).push(r.id.clone());
            }
        }
    }
    attach_all(t, &refs, &mut g);
    g
}

/// Mark the route edges that carry a public route of the derived facts: the last pass of
/// [`Graph::build`], once [`super::Derived::routes`] is known.
pub fn mark_public_routes(g: &mut Graph) {
    // One string per (api, target, "METHOD path"), the lengths first so that no two differ
    // only in where the parts split.
    let key = |api: &str, target: &str, label: &str| {
        format!("{}:{}:{api}{target}{label}", api.len(), target.len())
    };
    let public = crate::smap::StrSet::from_vec(
        g.derived
            .routes
            .iter()
            .filter(|r| r.public)
            .map(|r| key(&r.api, &r.target, &format!("{} {}", r.method, r.path)))
            .collect(),
    );
    for e in g.g.edge_weights_mut() {
        if let Some(r) = e.route.as_mut() {
            r.public = public.contains(&key(&e.from, &e.to, &e.label));
        }
    }
}

/// What kind of fact an attached resource is.
fn fact_kind(type_: &str) -> &'static str {
    match type_ {
        "AWS::IAM::Role" => "role",
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => "policy",
        "AWS::Lambda::LayerVersion" | "AWS::Serverless::LayerVersion" => "layer",
        "AWS::Lambda::Permission" => "permission",
        "AWS::Logs::LogGroup" => "log_group",
        "AWS::ApiGateway::Stage" | "AWS::ApiGatewayV2::Stage" => "stage",
        "AWS::ApiGateway::Method" | "AWS::ApiGatewayV2::Route" => "method",
        "AWS::ApiGateway::Authorizer" | "AWS::ApiGatewayV2::Authorizer" => "authorizer",
        "AWS::Lambda::EventSourceMapping" => "event_source",
        "AWS::SNS::Subscription" => "subscription",
        "AWS::S3::BucketPolicy" | "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy" => {
            "resource_policy"
        }
        "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation" => "waf",
        "AWS::CloudWatch::Alarm" => "alarm",
        "AWS::EC2::SecurityGroup" => "security_group",
        "AWS::ApiGateway::Deployment" | "AWS::ApiGatewayV2::Deployment" => "deployment",
        "AWS::ApiGatewayV2::Integration" => "integration",
        "AWS::ApiGateway::Resource" => "path",
        _ => "setting",
    }
}

/// The nodes (or attachables) an attachable resource serves, before following chains.
fn direct_hosts(t: &Template, refs: &RefIndex, g: &Graph, r: &Resource) -> Vec<String> {
    let first_ref = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .filter_map(|k| r.prop(k))
            .flat_map(|v| targets(t, v))
            .collect()
    };
    let hosts: Vec<String> = match r.type_.as_str() {
        "AWS::IAM::Role" => refs
            .into_of(&r.id)
            .iter()
            .filter(|x| {
                t.resource(x).is_some_and(|x| {
                    !matches!(
                        x.type_.as_str(),
                        "AWS::IAM::Policy"
                            | "AWS::IAM::ManagedPolicy"
                            | "AWS::IAM::InstanceProfile"
                            | "AWS::IAM::RolePolicy"
                    )
                })
            })
            .cloned()
            .collect(),
        "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::InstanceProfile"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => {
            let mut h = first_ref(&[
                "Roles",
                "RoleName",
                "Users",
                "Groups",
                "UserName",
                "GroupName",
            ]);
            h.extend(refs.into_of(&r.id).iter().cloned());
            h
        }
        "AWS::IAM::AccessKey" => first_ref(&["UserName"]),
        "AWS::IAM::UserToGroupAddition" => first_ref(&["GroupName", "Users"]),
        "AWS::Lambda::Permission"
        | "AWS::Lambda::EventSourceMapping"
        | "AWS::Lambda::Version"
        | "AWS::Lambda::Alias"
        | "AWS::Lambda::EventInvokeConfig" => first_ref(&["FunctionName"]),
        "AWS::S3::BucketPolicy" => first_ref(&["Bucket"]),
        "AWS::SQS::QueuePolicy" => first_ref(&["Queues"]),
        "AWS::SNS::TopicPolicy" => first_ref(&["Topics"]),
        "AWS::SNS::Subscription" => first_ref(&["TopicArn"]),
        "AWS::WAFv2::WebACLAssociation" | "AWS::WAFRegional::WebACLAssociation" => {
            let mut h = first_ref(&["ResourceArn"]);
            h.extend(first_ref(&["WebACLArn", "WebACLId"]));
            h
        }
        "AWS::Logs::LogGroup" => {
            // The log group of `/aws/lambda/${Fn}`, or whoever sends logs to it.
            let mut h = first_ref(&["LogGroupName"]);
            h.extend(
                refs.into_of(&r.id)
                    .iter()
                    .filter(|x| {
                        t.resource(x).is_some_and(|x| {
                            !matches!(
                                x.type_.as_str(),
                                "AWS::Logs::SubscriptionFilter"
                                    | "AWS::Logs::MetricFilter"
                                    | "AWS::IAM::Role"
                                    | "AWS::IAM::Policy"
                                    | "AWS::IAM::ManagedPolicy"
                            )
                        })
                    })
                    .cloned(),
            );
            if h.is_empty() {
                // `/aws/lambda/items-dev-hello` written out (the Serverless Framework does):
                // the function with that name, or one that DependsOn the log group.
                let name = r
                    .prop("LogGroupName")
                    .and_then(|v| super::iam::arn_pattern(t, v, 0));
                if let Some(fname) = name.as_deref().and_then(|n| n.strip_prefix("/aws/lambda/")) {
                    // only a function: a table or queue may carry the same name
                    h.extend(
                        g.names
                            .get(fname)
                            .into_iter()
                            .flatten()
                            .filter(|id| g.node(id).is_some_and(|n| n.kind == NodeKind::Function))
                            .cloned(),
                    );
                }
                if h.is_empty() {
                    h.extend(
                        t.resources
                            .iter()
                            .filter(|x| g.has(&x.id) && x.depends_on.contains(&r.id))
                            .map(|x| x.id.clone()),
                    );
                }
            }
            h
        }
        "AWS::Logs::SubscriptionFilter" => {
            let mut h = first_ref(&["DestinationArn"]);
            h.extend(first_ref(&["LogGroupName"]));
            h
        }
        "AWS::Logs::MetricFilter" => first_ref(&["LogGroupName"]),
        // A security group is a fact of every function, database or cache inside it.
        ty if ty.starts_with("AWS::AppSync::") => first_ref(&["ApiId"]),
        "AWS::ElasticLoadBalancingV2::Listener" => first_ref(&["LoadBalancerArn"]),
        "AWS::ElasticLoadBalancingV2::ListenerRule"
        | "AWS::ElasticLoadBalancingV2::ListenerCertificate" => first_ref(&["ListenerArn"]),
        // A target group serves the load balancers whose listeners forward to it.
        "AWS::ElasticLoadBalancingV2::TargetGroup" => refs.into_of(&r.id).to_vec(),
        "AWS::EC2::SecurityGroup"
        | "AWS::Lambda::LayerVersion"
        | "AWS::Serverless::LayerVersion" => refs
            .into_of(&r.id)
            .iter()
            .filter(|x| g.has(x))
            .cloned()
            .collect(),
        "AWS::CloudWatch::Alarm" => {
            let mut h = Vec::new();
            if let Some(d) = r.prop("Dimensions") {
                h.extend(targets(t, d));
            }
            h.extend(
                refs.out_of(&r.id)
                    .iter()
                    .filter(|x| {
                        t.resource(x)
                            .is_some_and(|x| !matches!(x.type_.as_str(), "AWS::SNS::Topic"))
                    })
                    .cloned(),
            );
            h
        }
        ty if ty.starts_with("AWS::ApiGateway::") => {
            let mut h = first_ref(&["RestApiId"]);
            if ty == "AWS::ApiGateway::UsagePlanKey" {
                h.extend(first_ref(&["UsagePlanId"]));
            }
            if ty == "AWS::ApiGateway::ApiKey" {
                if let Some(sk) = r.prop("StageKeys") {
                    for k in sk.items() {
                        if let Some(v) = k.get("RestApiId") {
                            h.extend(targets(t, v));
                        }
                    }
                }
                h.extend(refs.into_of(&r.id).iter().cloned());
            }
            h
        }
        ty if ty.starts_with("AWS::ApiGatewayV2::") => first_ref(&["ApiId"]),
        _ => Vec::new(),
    };
    let mut hosts = hosts;
    // A role nothing runs as stands alone (with the access its policies give it), rather
    // than becoming a fact of the first store its policy names.
    if hosts.is_empty() && r.type_ != "AWS::IAM::Role" {
        // Fallback: the first node it names, else the first node naming it, else the first
        // fact naming it (a domain name named only by its base path mapping): follow that.
        let first = |ids: &[String], ok: &dyn Fn(&str) -> bool| ids.iter().find(|x| ok(x)).cloned();
        let is_fact = |x: &str| t.resource(x).is_some_and(|x| kind_of(&x.type_).is_none());
        hosts.extend(
            first(refs.out_of(&r.id), &|x| g.has(x))
                .or_else(|| first(refs.into_of(&r.id), &|x| g.has(x)))
                .or_else(|| first(refs.into_of(&r.id), &is_fact)),
        );
    }
    let mut seen = Vec::new();
    for h in hosts {
        if h != r.id && !seen.contains(&h) {
            seen.push(h);
        }
    }
    seen
}

/// Hosts of an attachable, following chains (policy -> role -> function) to nodes.
fn hosts_of(
    t: &Template,
    refs: &RefIndex,
    g: &Graph,
    id: &str,
    visiting: &mut Vec<String>,
    memo: &mut crate::smap::StrLists,
) -> (Vec<String>, bool) {
    if let Some(h) = memo.get(id) {
        return (h.clone(), true);
    }
    if visiting.len() > 6 || visiting.iter().any(|v| v == id) {
        return (Vec::new(), false);
    }
    let Some(r) = t.resource(id) else {
        return (Vec::new(), true);
    };
    visiting.push(id.to_owned());
    let mut out: Vec<String> = Vec::new();
    let mut complete = true;
    for h in direct_hosts(t, refs, g, r) {
        if g.has(&h) {
            if !out.contains(&h) {
                out.push(h);
            }
        } else if t.resource(&h).is_some_and(|x| kind_of(&x.type_).is_none()) {
            let (hs, c) = hosts_of(t, refs, g, &h, visiting, memo);
            complete &= c;
            for hh in hs {
                if !out.contains(&hh) {
                    out.push(hh);
                }
            }
        }
    }
    visiting.pop();
    // Only complete answers are remembered: one cut short by a cycle may be partial.
    if complete || visiting.is_empty() {
        memo.insert(id, out.clone());
    }
    (out, complete)
}

fn fact_text(t: &Template, r: &Resource) -> String {
    match r.type_.as_str() {
        "AWS::IAM::Role" => {
            let managed: Vec<String> = r
                .prop("ManagedPolicyArns")
                .map(|m| {
                    m.items()
                        .iter()
                        .filter_map(|v| super::iam::managed_policy_name(t, v))
                        .collect()
                })
                .unwrap_or_default();
            if managed.is_empty() {
                format!("runs as {}", r.id)
            } else {
                format!("runs as {} (managed: {})", r.id, managed.join(", "))
            }
        }
        "AWS::Lambda::Permission" => {
            let principal = r.prop("Principal").and_then(Value::as_str).unwrap_or("?");
            let source = if r.prop("SourceArn").is_some() {
                "with SourceArn"
            } else if r.prop("SourceAccount").is_some() {
                "with SourceAccount only"
            } else {
                "with no source condition"
            };
            format!("{} lets {principal} invoke it {source}", r.id)
        }
        "AWS::Logs::LogGroup" => match r.prop("RetentionInDays").and_then(Value::as_i64) {
            Some(d) => format!("log group {}, kept {d} days", r.id),
            None => format!("log group {}, kept forever", r.id),
        },
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy" => {
            format!("policy {}", r.id)
        }
        "AWS::Lambda::EventSourceMapping" => format!("event source mapping {}", r.id),
        _ => format!("{} ({})", r.id, r.type_),
    }
}

/// Attach every attachable resource to the node(s) it serves; resources that serve no
/// node stand alone as nodes. A log group serving several nodes becomes a node too, with
/// `guards` edges to what it logs.
fn attach_all(t: &Template, refs: &RefIndex, g: &mut Graph) {
    let mut memo = crate::smap::StrLists::default();
    let mut alone = Vec::new();
    for r in &t.resources {
        if g.has(&r.id) || kind_of(&r.type_).is_some() && r.type_ != "AWS::RDS::DBInstance" {
            continue;
        }
        let (hosts, _) = hosts_of(t, refs, g, &r.id, &mut Vec::new(), &mut memo);
        if hosts.is_empty() || r.type_ == "AWS::Logs::LogGroup" && hosts.len() > 1 {
            alone.push((r, hosts));
            continue;
        }
        let kind = fact_kind(&r.type_);
        let text = fact_text(t, r);
        for h in &hosts {
            g.attach(&r.id, h);
            g.add_fact(
                h,
                Fact {
                    kind: kind.to_owned(),
                    id: Some(r.id.clone()),
                    text: text.clone(),
                },
            );
        }
    }
    // Resources that only serve another (policies, permissions, keys) attach to it when it
    // stands alone itself: a policy of a role nothing runs as, a permission of an unused
    // layer.
    let (primary, dependent): (Vec<_>, Vec<_>) = alone.into_iter().partition(|(r, _)| {
        matches!(
            r.type_.as_str(),
            "AWS::IAM::Role"
                | "AWS::Logs::LogGroup"
                | "AWS::Lambda::LayerVersion"
                | "AWS::Serverless::LayerVersion"
                | "AWS::EC2::SecurityGroup"
        )
    });
    for (r, hosts) in primary {
        alone_node(g, r, hosts);
    }
    for (r, hosts) in dependent {
        let now: Vec<String> = direct_hosts(t, refs, g, r)
            .into_iter()
            .filter(|h| g.has(h))
            .collect();
        if now.is_empty() || !hosts.is_empty() {
            alone_node(g, r, hosts);
            continue;
        }
        let kind = fact_kind(&r.type_);
        let text = fact_text(t, r);
        for h in &now {
            g.attach(&r.id, h);
            g.add_fact(
                h,
                Fact {
                    kind: kind.to_owned(),
                    id: Some(r.id.clone()),
                    text: text.clone(),
                },
            );
        }
    }
}

/// A resource that serves no node becomes one (a log group serving several nodes too, with
/// `guards` edges to what it logs).
fn alone_node(g: &mut Graph, r: &Resource, hosts: Vec<String>) {
    let kind = match r.type_.as_str() {
        "AWS::IAM::Role" => NodeKind::Role,
        "AWS::Logs::LogGroup" => NodeKind::LogGroup,
        _ => NodeKind::Other,
    };
    g.add_node(GNode::new(&r.id, kind, &r.type_, r.span));
    for h in hosts {
        let mut e = GEdge::new(&r.id, &h, EdgeKind::Guards, "logs", r.span);
        e.via = Some(r.id.clone());
        g.add_edge(e);
    }
}

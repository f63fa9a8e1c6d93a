//! Building the graph from the expanded template.

use crate::model::resolve::{collect_refs, resource_refs};
use crate::model::{Resource, Template};
use crate::value::Value;

use super::{AccessLevel, EdgeKind, Fact, GEdge, GNode, Graph, NodeKind, Route};

/// The node kind for a CloudFormation type; `None` for types that become attached facts.
pub fn kind_of(type_: &str) -> Option<NodeKind> {
    Some(match type_ {
        "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api" => NodeKind::Api,
        "AWS::Lambda::Function" => NodeKind::Function,
        "AWS::Lambda::Url" => NodeKind::FunctionUrl,
        "AWS::SQS::Queue" => NodeKind::Queue,
        "AWS::SNS::Topic" => NodeKind::Topic,
        "AWS::Kinesis::Stream" | "AWS::KinesisFirehose::DeliveryStream" => NodeKind::Stream,
        "AWS::Events::EventBus" => NodeKind::EventBus,
        "AWS::Events::Rule" => NodeKind::EventRule,
        "AWS::Scheduler::Schedule" => NodeKind::Schedule,
        "AWS::StepFunctions::StateMachine" => NodeKind::StateMachine,
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => NodeKind::Table,
        "AWS::S3::Bucket" => NodeKind::Bucket,
        "AWS::DocDB::DBCluster" | "AWS::DocDBElastic::Cluster" => NodeKind::DocumentDb,
        "AWS::RDS::DBCluster" | "AWS::RDS::DBInstance" => NodeKind::Database,
        "AWS::ElastiCache::CacheCluster"
        | "AWS::ElastiCache::ReplicationGroup"
        | "AWS::ElastiCache::ServerlessCache" => NodeKind::Cache,
        "AWS::Cognito::UserPool" => NodeKind::UserPool,
        "AWS::Cognito::IdentityPool" => NodeKind::IdentityPool,
        "AWS::SecretsManager::Secret" => NodeKind::Secret,
        "AWS::SSM::Parameter" => NodeKind::Parameter,
        "AWS::KMS::Key" => NodeKind::KmsKey,
        "AWS::WAFv2::WebACL" | "AWS::WAF::WebACL" | "AWS::WAFRegional::WebACL" => NodeKind::WebAcl,
        "AWS::CloudTrail::Trail" => NodeKind::Trail,
        "AWS::CloudFront::Distribution" => NodeKind::Distribution,
        // Attached facts, not boxes.
        "AWS::IAM::Role"
        | "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::Lambda::Permission"
        | "AWS::Logs::LogGroup"
        | "AWS::ApiGateway::Stage"
        | "AWS::ApiGateway::Deployment"
        | "AWS::ApiGateway::Method"
        | "AWS::ApiGateway::Resource"
        | "AWS::ApiGateway::Authorizer"
        | "AWS::ApiGatewayV2::Stage"
        | "AWS::ApiGatewayV2::Route"
        | "AWS::ApiGatewayV2::Integration"
        | "AWS::ApiGatewayV2::Authorizer"
        | "AWS::Lambda::EventSourceMapping"
        | "AWS::Lambda::Version"
        | "AWS::Lambda::Alias"
        | "AWS::S3::BucketPolicy"
        | "AWS::SQS::QueuePolicy"
        | "AWS::SNS::TopicPolicy"
        | "AWS::SNS::Subscription"
        | "AWS::WAFv2::WebACLAssociation"
        | "AWS::CloudFormation::Interface"
        | "AWS::CloudFormation::WaitConditionHandle" => return None,
        _ => NodeKind::Other,
    })
}

/// The service prefix of IAM actions that reach a store of this kind.
pub fn iam_service(kind: NodeKind) -> Option<&'static str> {
    Some(match kind {
        NodeKind::Table => "dynamodb",
        NodeKind::Bucket => "s3",
        NodeKind::Queue => "sqs",
        NodeKind::Topic => "sns",
        NodeKind::Stream => "kinesis",
        NodeKind::Secret => "secretsmanager",
        NodeKind::Parameter => "ssm",
        NodeKind::KmsKey => "kms",
        NodeKind::Function => "lambda",
        NodeKind::StateMachine => "states",
        NodeKind::EventBus => "events",
        NodeKind::DocumentDb => "docdb-elastic",
        NodeKind::Database => "rds-data",
        _ => return None,
    })
}

/// Classify one IAM action as read, write or admin.
pub fn access_level(action: &str) -> AccessLevel {
    let verb = action.split(':').nth(1).unwrap_or(action);
    if verb == "*" || verb.ends_with('*') && verb.len() <= 1 {
        return AccessLevel::Admin;
    }
    const ADMIN: &[&str] = &[
        "Delete",
        "Create",
        "Update",
        "PutBucket",
        "PutResourcePolicy",
        "Tag",
        "Untag",
        "SetQueueAttributes",
        "SetTopicAttributes",
        "AddPermission",
        "RemovePermission",
    ];
    const READ: &[&str] = &[
        "Get",
        "List",
        "Describe",
        "Query",
        "Scan",
        "BatchGet",
        "Receive",
        "Select",
        "Head",
        "Decrypt",
        "Subscribe",
    ];
    if verb.ends_with('*') {
        return AccessLevel::Admin;
    }
    if ADMIN.iter().any(|p| verb.starts_with(p))
        && !verb.starts_with("DeleteMessage")
        && !verb.starts_with("DeleteItem")
        && !verb.starts_with("DeleteObject")
        && !verb.starts_with("UpdateItem")
    {
        return AccessLevel::Admin;
    }
    if READ.iter().any(|p| verb.starts_with(p)) {
        return AccessLevel::Read;
    }
    AccessLevel::Write
}

pub fn build(t: &Template) -> Graph {
    let mut g = Graph::default();
    for r in &t.resources {
        if let Some(kind) = kind_of(&r.type_) {
            g.add_node(GNode {
                id: r.id.clone(),
                kind,
                label: r.id.clone(),
                type_: r.type_.clone(),
                span: r.span,
                facts: Vec::new(),
                group: None,
            });
        }
    }
    attach_roles(t, &mut g);
    rest_api_routes(t, &mut g);
    role_access(t, &mut g);
    env_references(t, &mut g);
    // Resources that became no node and serve none stand alone: show them plainly.
    for r in &t.resources {
        if !g.has(&r.id)
            && !g.attached.contains_key(&r.id)
            && kind_of(&r.type_).is_none()
            && matches!(r.type_.as_str(), "AWS::IAM::Role" | "AWS::Logs::LogGroup")
        {
            g.add_node(GNode {
                id: r.id.clone(),
                kind: if r.type_ == "AWS::IAM::Role" {
                    NodeKind::Role
                } else {
                    NodeKind::LogGroup
                },
                label: r.id.clone(),
                type_: r.type_.clone(),
                span: r.span,
                facts: Vec::new(),
                group: None,
            });
        }
    }
    g
}

/// The role a function runs as (the resource id), when it is in the template.
pub fn function_role<'a>(t: &'a Template, f: &Resource) -> Option<&'a Resource> {
    let role = f.prop("Role")?;
    let mut found = None;
    collect_refs(role, &mut |n, _| {
        if found.is_none() {
            found = t.resource(n).filter(|r| r.type_ == "AWS::IAM::Role");
        }
    });
    found
}

fn attach_roles(t: &Template, g: &mut Graph) {
    for f in t.resources_of("AWS::Lambda::Function") {
        if let Some(role) = function_role(t, f) {
            g.attached.insert(role.id.clone(), f.id.clone());
            if let Some(n) = g.node_mut(&f.id) {
                n.facts.push(Fact {
                    kind: "role".into(),
                    id: Some(role.id.clone()),
                    text: format!("runs as {}", role.id),
                });
            }
        }
    }
}

/// REST API methods (`AWS::ApiGateway::Method`) whose integration invokes a function.
fn rest_api_routes(t: &Template, g: &mut Graph) {
    for m in t.resources_of("AWS::ApiGateway::Method") {
        let Some(uri) = m.prop_path(&["Integration", "Uri"]) else {
            continue;
        };
        let targets = resource_refs(t, uri);
        let Some((func, _)) = targets.iter().find(|(id, _)| {
            t.resource(id)
                .is_some_and(|r| r.type_ == "AWS::Lambda::Function")
        }) else {
            continue;
        };
        let api = m
            .prop("RestApiId")
            .and_then(|v| resource_refs(t, v).into_iter().next())
            .map(|(id, _)| id);
        let Some(api) = api else { continue };
        let method = m
            .prop("HttpMethod")
            .and_then(Value::as_str)
            .unwrap_or("ANY")
            .to_uppercase();
        let path = rest_path(t, m);
        let authorization = m
            .prop("AuthorizationType")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let api_key_required = m
            .prop("ApiKeyRequired")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        g.attached.insert(m.id.clone(), api.clone());
        g.add_edge(GEdge {
            from: api,
            to: func.clone(),
            kind: EdgeKind::Trigger,
            label: format!("{method} {path}"),
            span: m.span,
            access: None,
            wildcard: false,
            route: Some(Route {
                method,
                path,
                resource: m.id.clone(),
                authorization,
                api_key_required,
            }),
            actions: Vec::new(),
            via: Some(m.id.clone()),
        });
    }
}

/// The path of a REST method, following `AWS::ApiGateway::Resource` parents.
fn rest_path(t: &Template, m: &Resource) -> String {
    let mut parts = Vec::new();
    let mut cur = m
        .prop("ResourceId")
        .and_then(|v| resource_refs(t, v).into_iter().next())
        .map(|(id, _)| id);
    let mut guard = 0;
    while let Some(id) = cur {
        guard += 1;
        let Some(r) = t
            .resource(&id)
            .filter(|r| r.type_ == "AWS::ApiGateway::Resource")
        else {
            break;
        };
        if guard > 64 {
            break;
        }
        parts.push(
            r.prop("PathPart")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned(),
        );
        cur = r
            .prop("ParentId")
            .and_then(|v| resource_refs(t, v).into_iter().next())
            .map(|(id, _)| id);
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

/// IAM statements of a role: inline policies and `AWS::IAM::Policy` resources attached to it.
pub fn role_statements<'a>(t: &'a Template, role: &'a Resource) -> Vec<&'a Value> {
    let mut out = Vec::new();
    if let Some(policies) = role.prop("Policies") {
        for p in policies.items() {
            if let Some(doc) = p.get("PolicyDocument") {
                out.extend(doc.get("Statement").map(Value::items).unwrap_or_default());
            }
        }
    }
    for p in t
        .resources
        .iter()
        .filter(|r| r.type_ == "AWS::IAM::Policy" || r.type_ == "AWS::IAM::ManagedPolicy")
    {
        let attached = p
            .prop("Roles")
            .is_some_and(|roles| resource_refs(t, roles).iter().any(|(id, _)| *id == role.id));
        if attached {
            if let Some(doc) = p.prop("PolicyDocument") {
                out.extend(doc.get("Statement").map(Value::items).unwrap_or_default());
            }
        }
    }
    out
}

/// Function -> store `access` edges from the function role's Allow statements.
fn role_access(t: &Template, g: &mut Graph) {
    let stores: Vec<(String, NodeKind)> = g
        .nodes()
        .filter(|n| iam_service(n.kind).is_some())
        .map(|n| (n.id.clone(), n.kind))
        .collect();
    for f in t.resources_of("AWS::Lambda::Function") {
        let Some(role) = function_role(t, f) else {
            continue;
        };
        for st in role_statements(t, role) {
            if st.get("Effect").and_then(Value::as_str) != Some("Allow") {
                continue;
            }
            let actions: Vec<String> = st
                .get("Action")
                .map(Value::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect();
            let resources = st.get("Resource").map(Value::items).unwrap_or_default();
            let any_resource = resources.iter().any(|r| r.as_str() == Some("*"));
            let named: Vec<String> = resources
                .iter()
                .flat_map(|r| resource_refs(t, r))
                .map(|(id, _)| id)
                .collect();
            for (store, kind) in &stores {
                if store == &f.id {
                    continue;
                }
                let Some(svc) = iam_service(*kind) else {
                    continue;
                };
                let matching: Vec<&String> = actions
                    .iter()
                    .filter(|a| {
                        a.as_str() == "*"
                            || a.split(':')
                                .next()
                                .is_some_and(|s| s.eq_ignore_ascii_case(svc))
                    })
                    .collect();
                if matching.is_empty() {
                    continue;
                }
                let by_name = named.iter().any(|n| n == store);
                if !by_name && !any_resource {
                    continue;
                }
                let level = matching
                    .iter()
                    .map(|a| access_level(a))
                    .max()
                    .unwrap_or(AccessLevel::Read);
                let wildcard = !by_name || matching.iter().any(|a| a.ends_with('*'));
                let label = match level {
                    AccessLevel::Read => "read",
                    AccessLevel::Write => "write",
                    AccessLevel::Admin => "admin",
                };
                g.add_edge(GEdge {
                    from: f.id.clone(),
                    to: store.clone(),
                    kind: EdgeKind::Access,
                    label: label.to_owned(),
                    span: st.span,
                    access: Some(level),
                    wildcard,
                    route: None,
                    actions: matching.into_iter().cloned().collect(),
                    via: Some(role.id.clone()),
                });
            }
        }
    }
}

/// Function -> resource `reference` edges from environment variables that name it.
fn env_references(t: &Template, g: &mut Graph) {
    for f in t.resources_of("AWS::Lambda::Function") {
        let Some(vars) = f
            .prop_path(&["Environment", "Variables"])
            .and_then(Value::as_map)
        else {
            continue;
        };
        for (k, v) in vars {
            for (target, span) in resource_refs(t, v) {
                if target == f.id || !g.has(&target) {
                    continue;
                }
                let granted = g
                    .edges_from(&f.id)
                    .any(|e| e.kind == EdgeKind::Access && e.to == target);
                if granted {
                    continue;
                }
                g.add_edge(GEdge {
                    from: f.id.clone(),
                    to: target,
                    kind: EdgeKind::Reference,
                    label: k.name.clone(),
                    span,
                    access: None,
                    wildcard: false,
                    route: None,
                    actions: Vec::new(),
                    via: None,
                });
            }
        }
    }
}

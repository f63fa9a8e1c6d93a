//! Building the graph from the expanded template: nodes, attachments, then the edge passes.
//!
//! Order of the passes: nodes for every resource an architect thinks in (and a generic
//! `resource` node for any other type); attachable resources (roles, policies, permissions,
//! log groups, stages, methods, ...) become facts of the node they serve, or stand alone
//! as nodes when they serve none; then routes, event sources, IAM access, environment
//! references and network access, guards; finally the [`super::Derived`] facts.

use crate::model::resolve::{collect_refs, resolve, resource_refs, Resolved};
use crate::model::{Resource, Template};
use crate::value::Value;

use super::{EdgeKind, Fact, GEdge, GNode, Graph, NodeKind};

/// The node kind for a CloudFormation type; `None` for types that become attached facts.
pub fn kind_of(type_: &str) -> Option<NodeKind> {
    Some(match type_ {
        "AWS::ApiGateway::RestApi"
        | "AWS::ApiGatewayV2::Api"
        | "AWS::ElasticLoadBalancingV2::LoadBalancer"
        | "AWS::AppSync::GraphQLApi"
        | "AWS::Serverless::Api"
        | "AWS::Serverless::HttpApi" => NodeKind::Api,
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => NodeKind::Function,
        "AWS::Lambda::Url" => NodeKind::FunctionUrl,
        "AWS::SQS::Queue" => NodeKind::Queue,
        "AWS::SNS::Topic" => NodeKind::Topic,
        "AWS::Kinesis::Stream" | "AWS::KinesisFirehose::DeliveryStream" => NodeKind::Stream,
        "AWS::Events::EventBus" => NodeKind::EventBus,
        "AWS::Events::Rule" => NodeKind::EventRule,
        "AWS::Scheduler::Schedule" => NodeKind::Schedule,
        "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => {
            NodeKind::StateMachine
        }
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => {
            NodeKind::Table
        }
        "AWS::S3::Bucket" => NodeKind::Bucket,
        "AWS::DocDB::DBCluster" | "AWS::DocDBElastic::Cluster" => NodeKind::DocumentDb,
        "AWS::RDS::DBCluster"
        | "AWS::RDS::DBInstance"
        | "AWS::Neptune::DBCluster"
        | "AWS::Redshift::Cluster"
        | "AWS::OpenSearchService::Domain"
        | "AWS::Elasticsearch::Domain" => NodeKind::Database,
        "AWS::ElastiCache::CacheCluster"
        | "AWS::ElastiCache::ReplicationGroup"
        | "AWS::ElastiCache::ServerlessCache"
        | "AWS::MemoryDB::Cluster" => NodeKind::Cache,
        "AWS::Cognito::UserPool" => NodeKind::UserPool,
        "AWS::Cognito::IdentityPool" => NodeKind::IdentityPool,
        "AWS::SecretsManager::Secret" => NodeKind::Secret,
        "AWS::SSM::Parameter" => NodeKind::Parameter,
        "AWS::KMS::Key" => NodeKind::KmsKey,
        "AWS::WAFv2::WebACL" | "AWS::WAF::WebACL" | "AWS::WAFRegional::WebACL" => NodeKind::WebAcl,
        "AWS::CloudTrail::Trail" => NodeKind::Trail,
        "AWS::CloudFront::Distribution" => NodeKind::Distribution,
        "AWS::ApiGateway::UsagePlan" => NodeKind::UsagePlan,
        t if is_attachable(t) => return None,
        _ => NodeKind::Other,
    })
}

/// Types that are facts of the node they serve (badges), not boxes of their own.
pub fn is_attachable(type_: &str) -> bool {
    const EXACT: &[&str] = &[
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::ManagedPolicy",
        "AWS::Lambda::LayerVersion",
        "AWS::Serverless::LayerVersion",
        "AWS::AppSync::Resolver",
        "AWS::AppSync::DataSource",
        "AWS::AppSync::GraphQLSchema",
        "AWS::AppSync::ApiKey",
        "AWS::AppSync::FunctionConfiguration",
        "AWS::AppSync::ApiCache",
        "AWS::AppSync::DomainNameApiAssociation",
        "AWS::IAM::InstanceProfile",
        "AWS::Lambda::Permission",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Version",
        "AWS::Lambda::Alias",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::LayerVersionPermission",
        "AWS::Logs::LogGroup",
        "AWS::Logs::SubscriptionFilter",
        "AWS::Logs::MetricFilter",
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",
        "AWS::WAFv2::WebACLAssociation",
        "AWS::WAFRegional::WebACLAssociation",
        "AWS::KMS::Alias",
        "AWS::SecretsManager::SecretTargetAttachment",
        "AWS::SecretsManager::RotationSchedule",
        "AWS::SecretsManager::ResourcePolicy",
        "AWS::CloudWatch::Alarm",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::UserPoolUser",
        "AWS::Cognito::UserPoolResourceServer",
        "AWS::Cognito::IdentityPoolRoleAttachment",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::DocDB::DBInstance",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::CloudFormation::Interface",
        "AWS::CloudFormation::WaitConditionHandle",
    ];
    if EXACT.contains(&type_) {
        return true;
    }
    (type_.starts_with("AWS::ApiGateway::") && type_ != "AWS::ApiGateway::UsagePlan")
        || type_.starts_with("AWS::ApiGatewayV2::") && type_ != "AWS::ApiGatewayV2::Api"
        || type_.ends_with("ParameterGroup")
        || type_.ends_with("SubnetGroup")
        || type_.ends_with("OptionGroup")
}

/// Is this resource a function for the graph (after SAM expansion, or before it)?
pub fn is_function(r: &Resource) -> bool {
    matches!(
        r.type_.as_str(),
        "AWS::Lambda::Function" | "AWS::Serverless::Function"
    )
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
        NodeKind::UserPool => "cognito-idp",
        _ => return None,
    })
}

/// The IAM service prefixes that reach a resource of this CloudFormation type.
pub fn services_of_type(type_: &str) -> &'static [&'static str] {
    match type_ {
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => {
            &["dynamodb"]
        }
        "AWS::S3::Bucket" => &["s3"],
        "AWS::SQS::Queue" => &["sqs"],
        "AWS::SNS::Topic" => &["sns"],
        "AWS::Kinesis::Stream" => &["kinesis"],
        "AWS::KinesisFirehose::DeliveryStream" => &["firehose"],
        "AWS::SecretsManager::Secret" => &["secretsmanager"],
        "AWS::SSM::Parameter" => &["ssm"],
        "AWS::KMS::Key" => &["kms"],
        "AWS::Lambda::Function" | "AWS::Serverless::Function" => &["lambda"],
        "AWS::StepFunctions::StateMachine" | "AWS::Serverless::StateMachine" => &["states"],
        "AWS::Events::EventBus" => &["events"],
        "AWS::DocDBElastic::Cluster" => &["docdb-elastic"],
        "AWS::RDS::DBCluster" | "AWS::RDS::DBInstance" => &["rds-data", "rds-db", "rds"],
        "AWS::Cognito::UserPool" => &["cognito-idp"],
        "AWS::OpenSearchService::Domain" | "AWS::Elasticsearch::Domain" => &["es"],
        "AWS::Neptune::DBCluster" => &["neptune-db"],
        "AWS::Redshift::Cluster" => &["redshift-data", "redshift"],
        "AWS::ElastiCache::ServerlessCache" | "AWS::ElastiCache::ReplicationGroup" => {
            &["elasticache"]
        }
        "AWS::MemoryDB::Cluster" => &["memorydb"],
        _ => &[],
    }
}

/// Classify one IAM action as read, write or admin.
///
/// Admin: changes configuration or permissions, or deletes the store (`DeleteTable`,
/// `PutBucketPolicy`, `*`); read: `Get*`, `List*`, `Describe*`, `Query`, `Scan`, ...;
/// everything else writes data. A partial wildcard (`s3:Get*`) is classified by its prefix.
pub fn access_level(action: &str) -> super::AccessLevel {
    use super::AccessLevel;
    let verb = action.split_once(':').map_or(action, |(_, v)| v);
    if verb.is_empty() || verb == "*" {
        return AccessLevel::Admin;
    }
    let verb = verb.trim_end_matches('*');
    const WRITE_EXCEPTIONS: &[&str] = &[
        "DeleteMessage",
        "DeleteItem",
        "DeleteObject",
        "UpdateItem",
        "DeleteParameter",
        "UpdateSecretVersionStage",
        "DeleteRecord",
    ];
    const ADMIN: &[&str] = &[
        "Delete",
        "Create",
        "Update",
        "PutBucket",
        "PutObjectAcl",
        "PutResourcePolicy",
        "PutKeyPolicy",
        "PutEncryption",
        "PutLifecycle",
        "Tag",
        "Untag",
        "SetQueueAttributes",
        "SetTopicAttributes",
        "AddPermission",
        "RemovePermission",
        "Restore",
        "Modify",
        "ScheduleKeyDeletion",
        "DisableKey",
        "RotateSecret",
        "PassRole",
        "Attach",
        "Detach",
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
        "ConditionCheck",
        "PartiQLSelect",
        "Verify",
        "Export",
    ];
    if WRITE_EXCEPTIONS.iter().any(|p| verb.starts_with(p)) {
        return AccessLevel::Write;
    }
    if ADMIN.iter().any(|p| verb.starts_with(p)) {
        return AccessLevel::Admin;
    }
    if READ.iter().any(|p| verb.starts_with(p)) {
        return AccessLevel::Read;
    }
    AccessLevel::Write
}

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

/// Resources a value references, with `AWS::Lambda::Alias`/`Version` replaced by the
/// function they point at; deduplicated, in order of appearance.
pub fn targets(t: &Template, v: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (id, _) in resource_refs(t, v) {
        let id = through_alias(t, &id);
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// A Lambda alias or version stands for its function.
pub fn through_alias(t: &Template, id: &str) -> String {
    let mut cur = id.to_owned();
    for _ in 0..4 {
        let Some(r) = t.resource(&cur) else { break };
        if !matches!(
            r.type_.as_str(),
            "AWS::Lambda::Alias" | "AWS::Lambda::Version"
        ) {
            break;
        }
        let Some(next) = r
            .prop("FunctionName")
            .and_then(|v| resource_refs(t, v).into_iter().next())
        else {
            break;
        };
        cur = next.0;
    }
    cur
}

/// The first resource `v` references that is a node of the graph.
pub fn node_target(t: &Template, g: &Graph, v: &Value) -> Option<String> {
    targets(t, v).into_iter().find(|id| g.has(id))
}

/// The external node for a value that points outside the template (`Fn::ImportValue`, a
/// literal ARN or name, a parameter without default), creating it on first use.
/// `None` when the value names nothing (empty, or a resource of the template).
pub fn external(t: &Template, g: &mut Graph, v: &Value) -> Option<String> {
    let (id, label) = external_key(t, v)?;
    if !g.has(&id) {
        let mut n = GNode::new(&id, NodeKind::External, "External", v.span);
        n.label = label;
        n.unknown = true;
        g.add_node(n);
    }
    Some(id)
}

/// The id and label an external target would get (see [`external`]).
pub fn external_key(t: &Template, v: &Value) -> Option<(String, String)> {
    if let Some(name) = import_name(t, v) {
        return Some((format!("import:{name}"), format!("ImportValue {name}")));
    }
    if !resource_refs(t, v).is_empty() {
        return None;
    }
    match resolve(t, v) {
        Resolved::Literal(s) => {
            let s = s.trim();
            if s.is_empty() || s == "*" {
                return None;
            }
            let short = s.rsplit([':', '/']).find(|p| !p.is_empty()).unwrap_or(s);
            Some((s.to_owned(), short.to_owned()))
        }
        Resolved::Resource(_) => None,
        Resolved::Unknown(_) => {
            let mut params = Vec::new();
            collect_refs(v, &mut |n, _| {
                if t.parameter(n).is_some() {
                    params.push(n.to_owned());
                }
            });
            let p = params.into_iter().next()?;
            Some((format!("param:{p}"), format!("parameter {p}")))
        }
    }
}

/// The export name of an `Fn::ImportValue` anywhere in `v`.
pub fn import_name(t: &Template, v: &Value) -> Option<String> {
    if let Some((name, arg)) = v.intrinsic() {
        if name == "Fn::ImportValue" {
            return Some(match resolve(t, arg) {
                Resolved::Literal(s) => s,
                _ => arg
                    .to_json()
                    .to_string()
                    .chars()
                    .filter(|c| !matches!(c, '"' | '{' | '}'))
                    .collect(),
            });
        }
    }
    match &v.node {
        crate::value::Node::Seq(items) => items.iter().find_map(|i| import_name(t, i)),
        crate::value::Node::Map(m) => m.iter().find_map(|(_, i)| import_name(t, i)),
        _ => None,
    }
}

/// The node for a target value: a node of the template, else an external node.
pub fn target_or_external(t: &Template, g: &mut Graph, v: &Value) -> Option<String> {
    if let Some(id) = node_target(t, g, v) {
        return Some(id);
    }
    if !targets(t, v).is_empty() {
        // A resource of the template that is not a node (attached): not external.
        return None;
    }
    external(t, g, v)
}

pub fn build(t: &Template) -> Graph {
    let mut g = Graph::default();
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
    super::routes::build_routes(t, &mut g);
    super::triggers::build_triggers(t, &mut g);
    let wild = super::iam::build_access(t, &mut g);
    super::iam::env_references(t, &mut g, &wild);
    super::iam::network_access(t, &mut g);
    super::guards::build_guards(t, &mut g);
    g.derived = super::derived::compute(t, &g);
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
    g
}

/// The role a function runs as (the resource id), when it is in the template.
pub fn function_role<'a>(t: &'a Template, f: &Resource) -> Option<&'a Resource> {
    let role = f.prop("Role").or_else(|| f.prop("RoleArn"))?;
    let mut found = None;
    collect_refs(role, &mut |n, _| {
        if found.is_none() {
            found = t.resource(n).filter(|r| r.type_ == "AWS::IAM::Role");
        }
    });
    found
}

/// IAM statements of a role: inline policies and `AWS::IAM::Policy` resources attached to it.
pub fn role_statements<'a>(t: &'a Template, role: &'a Resource) -> Vec<&'a Value> {
    role_statements_via(t, role)
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// Like [`role_statements`], with the resource that carries each statement (the role for
/// inline policies, else the `AWS::IAM::Policy`/`ManagedPolicy`).
pub fn role_statements_via<'a>(t: &'a Template, role: &'a Resource) -> Vec<(&'a str, &'a Value)> {
    let mut out = Vec::new();
    let mut push_doc = |via: &'a str, doc: &'a Value| {
        for doc in flatten_if(doc) {
            for st in doc.get("Statement").map(flatten_if).unwrap_or_default() {
                out.push((via, st));
            }
        }
    };
    if let Some(policies) = role.prop("Policies") {
        for p in flatten_if(policies) {
            if let Some(doc) = p.get("PolicyDocument") {
                push_doc(role.id.as_str(), doc);
            }
        }
    }
    let managed_refs: Vec<String> = role
        .prop("ManagedPolicyArns")
        .map(|v| resource_refs(t, v).into_iter().map(|(id, _)| id).collect())
        .unwrap_or_default();
    for p in t.resources.iter().filter(|r| {
        matches!(
            r.type_.as_str(),
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" | "AWS::IAM::RolePolicy"
        )
    }) {
        let attached = managed_refs.contains(&p.id)
            || p.prop("Roles")
                .or_else(|| p.prop("RoleName"))
                .is_some_and(|roles| resource_refs(t, roles).iter().any(|(id, _)| *id == role.id));
        if attached {
            if let Some(doc) = p.prop("PolicyDocument") {
                push_doc(p.id.as_str(), doc);
            }
        }
    }
    out
}

/// Items of a list (or a single value), taking both branches of every `Fn::If` and
/// dropping `AWS::NoValue`: "is this true on every branch?" needs them all.
pub fn flatten_if(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for item in v.items() {
        match item.intrinsic() {
            Some(("Fn::If", arg)) => {
                for b in arg.items().iter().skip(1) {
                    out.extend(flatten_if(b));
                }
            }
            Some(("Ref", r)) if r.as_str() == Some("AWS::NoValue") => {}
            _ => out.push(item),
        }
    }
    out
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
        | "AWS::IAM::RolePolicy" => {
            let mut h = first_ref(&["Roles", "RoleName"]);
            h.extend(refs.into_of(&r.id).iter().cloned());
            h
        }
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
    if hosts.is_empty() {
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
    for (r, hosts) in alone {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::AccessLevel;

    #[test]
    fn access_levels() {
        assert_eq!(access_level("dynamodb:GetItem"), AccessLevel::Read);
        assert_eq!(access_level("dynamodb:PutItem"), AccessLevel::Write);
        assert_eq!(access_level("dynamodb:DeleteItem"), AccessLevel::Write);
        assert_eq!(access_level("dynamodb:DeleteTable"), AccessLevel::Admin);
        assert_eq!(access_level("dynamodb:*"), AccessLevel::Admin);
        assert_eq!(access_level("*"), AccessLevel::Admin);
        assert_eq!(access_level("s3:Get*"), AccessLevel::Read);
        assert_eq!(access_level("s3:PutBucketPolicy"), AccessLevel::Admin);
        assert_eq!(access_level("sqs:SendMessage"), AccessLevel::Write);
        assert_eq!(access_level("kms:Decrypt"), AccessLevel::Read);
    }
}

//! Shared lookups: what a CloudFormation type is for the graph, which resources a value
//! names, the external node for what lies outside the template, a function's role and its
//! statements, how much an IAM action allows. A leaf: every builder may use it, it uses none
//! (see the layering test in [`super`]).

use crate::model::resolve::{collect_refs, resolve, resource_refs, Resolved};
use crate::model::{Resource, Template};
use crate::value::Value;

use super::{GNode, Graph, NodeKind};

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
        "AWS::IAM::User" => NodeKind::User,
        "AWS::IAM::Group" => NodeKind::Group,
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
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
        "AWS::IAM::AccessKey",
        "AWS::IAM::UserToGroupAddition",
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
                    .json_text()
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

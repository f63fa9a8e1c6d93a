//! Event sources: everything but API routes that invokes a function (or another target).
//!
//! - function URL -> function (`AWS::Lambda::Url`), labelled with its `AuthType`;
//! - `AWS::Lambda::EventSourceMapping`: queue / stream / table stream / cluster -> function;
//! - SNS: `AWS::SNS::Subscription` and a topic's inline `Subscription` list;
//! - S3 `NotificationConfiguration` (Lambda, queue and topic configurations);
//! - `AWS::Events::Rule` targets (schedules and event patterns; the bus -> rule too);
//! - `AWS::Scheduler::Schedule` target;
//! - Cognito user pool `LambdaConfig` triggers;
//! - `AWS::Logs::SubscriptionFilter` (log group -> destination);
//! - state machine -> function (references in the definition);
//! - function -> function and function -> state machine are added by [`super::access`]
//!   (an invoke grant, or an environment reference with a wildcard grant).
//!
//! A source or target outside the template becomes an external node.

use crate::model::resolve::{resolve, Resolved};
use crate::model::Template;
use crate::span::Span;
use crate::value::Value;

use super::lookup::{is_function, node_target, target_or_external};
use super::{EdgeKind, GEdge, Graph, NodeKind};

fn trigger(
    g: &mut Graph,
    from: &str,
    to: &str,
    label: impl Into<String>,
    span: Span,
    via: Option<&str>,
) {
    if from == to {
        return;
    }
    let mut e = GEdge::new(from, to, EdgeKind::Trigger, label, span);
    e.via = via.map(str::to_owned);
    g.add_edge(e);
}

pub fn build_triggers(t: &Template, g: &mut Graph) {
    function_urls(t, g);
    event_source_mappings(t, g);
    sns(t, g);
    bucket_notifications(t, g);
    event_rules(t, g);
    schedules(t, g);
    user_pools(t, g);
    log_subscriptions(t, g);
    state_machines(t, g);
    custom_resources(t, g);
    pipes(t, g);
    firehose(t, g);
    generic_invokers(t, g);
}

/// Resources of other types that invoke a function named under a `*Lambda*` or
/// `*Function*` key (IoT topic rules, Config rules, CodePipeline actions, ...).
fn generic_invokers(t: &Template, g: &mut Graph) {
    fn walk(t: &Template, v: &Value, under: bool, out: &mut Vec<(String, Span)>) {
        if v.intrinsic().is_some() {
            if under {
                for (id, span) in crate::model::resolve::resource_refs(t, v) {
                    let id = super::lookup::through_alias(t, &id);
                    if t.resource(&id).is_some_and(is_function)
                        && !out.iter().any(|(x, _)| *x == id)
                    {
                        out.push((id, span));
                    }
                }
            }
            return;
        }
        match &v.node {
            crate::value::Node::Map(m) => {
                for (k, x) in m {
                    let l = k.name.to_ascii_lowercase();
                    walk(
                        t,
                        x,
                        under || l.contains("lambda") || l.contains("function"),
                        out,
                    );
                }
            }
            crate::value::Node::Seq(items) => items.iter().for_each(|x| walk(t, x, under, out)),
            _ => {}
        }
    }
    let others: Vec<&crate::model::Resource> = t
        .resources
        .iter()
        .filter(|r| g.node(&r.id).is_some_and(|n| n.kind == NodeKind::Other))
        .filter(|r| {
            // Custom resources are handled below; a nested stack only passes values on.
            !r.type_.starts_with("Custom::")
                && !matches!(
                    r.type_.as_str(),
                    "AWS::CloudFormation::CustomResource"
                        | "AWS::CloudFormation::Stack"
                        | "AWS::Serverless::Application"
                )
        })
        .collect();
    for r in others {
        let mut found = Vec::new();
        walk(t, &r.properties, false, &mut found);
        for (f, span) in found {
            if g.has(&f) {
                trigger(g, &r.id, &f, "invokes", span, Some(&r.id));
            }
        }
    }
}

/// Firehose: its source stream -> it -> the bucket (or other store) it delivers to.
fn firehose(t: &Template, g: &mut Graph) {
    let streams: Vec<&crate::model::Resource> = t
        .resources_of("AWS::KinesisFirehose::DeliveryStream")
        .filter(|r| g.has(&r.id))
        .collect();
    for d in streams {
        if let Some(src) = d
            .prop_path(&["KinesisStreamSourceConfiguration", "KinesisStreamARN"])
            .and_then(|v| node_target(t, g, v))
        {
            trigger(g, &src, &d.id, "source", d.span, Some(&d.id));
        }
        for key in [
            "S3DestinationConfiguration",
            "ExtendedS3DestinationConfiguration",
            "RedshiftDestinationConfiguration",
            "AmazonopensearchserviceDestinationConfiguration",
            "ElasticsearchDestinationConfiguration",
        ] {
            let Some(cfg) = d.prop(key) else { continue };
            let target = cfg
                .get("BucketARN")
                .or_else(|| cfg.get("DomainARN"))
                .or_else(|| cfg.get("ClusterJDBCURL"))
                .and_then(|v| node_target(t, g, v));
            if let Some(to) = target {
                trigger(g, &d.id, &to, "delivers", cfg.span, Some(&d.id));
            }
        }
    }
}

/// EventBridge Pipes: source -> pipe -> (enrichment, target).
fn pipes(t: &Template, g: &mut Graph) {
    let pipes: Vec<&crate::model::Resource> = t
        .resources_of("AWS::Pipes::Pipe")
        .filter(|r| g.has(&r.id))
        .collect();
    for p in pipes {
        if let Some(src) = p.prop("Source").and_then(|v| target_or_external(t, g, v)) {
            trigger(
                g,
                &src,
                &p.id,
                "pipe source",
                p.span_of(&["Source"]),
                Some(&p.id),
            );
        }
        for key in ["Enrichment", "Target"] {
            if let Some(to) = p.prop(key).and_then(|v| target_or_external(t, g, v)) {
                trigger(
                    g,
                    &p.id,
                    &to,
                    key.to_ascii_lowercase(),
                    p.span_of(&[key]),
                    Some(&p.id),
                );
            }
        }
    }
}

/// A custom resource invokes its `ServiceToken` function at deploy time.
fn custom_resources(t: &Template, g: &mut Graph) {
    let customs: Vec<&crate::model::Resource> = t
        .resources
        .iter()
        .filter(|r| {
            r.type_.starts_with("Custom::") || r.type_ == "AWS::CloudFormation::CustomResource"
        })
        .filter(|r| g.has(&r.id))
        .collect();
    for c in customs {
        if let Some(f) = c.prop("ServiceToken").and_then(|v| node_target(t, g, v)) {
            trigger(
                g,
                &c.id,
                &f,
                "deploy-time call",
                c.span_of(&["ServiceToken"]),
                Some(&c.id),
            );
        }
    }
}

fn function_urls(t: &Template, g: &mut Graph) {
    for u in t.resources_of("AWS::Lambda::Url") {
        let Some(f) = u
            .prop("TargetFunctionArn")
            .and_then(|v| target_or_external(t, g, v))
        else {
            continue;
        };
        let auth = match u.prop("AuthType").map(|v| resolve(t, v)) {
            Some(Resolved::Literal(s)) => s,
            _ => "?".to_owned(),
        };
        trigger(
            g,
            &u.id,
            &f,
            format!("URL auth {auth}"),
            u.span,
            Some(&u.id),
        );
    }
}

fn event_source_mappings(t: &Template, g: &mut Graph) {
    for m in t.resources_of("AWS::Lambda::EventSourceMapping") {
        let Some(f) = m
            .prop("FunctionName")
            .and_then(|v| target_or_external(t, g, v))
        else {
            continue;
        };
        let source = m
            .prop("EventSourceArn")
            .and_then(|v| target_or_external(t, g, v));
        let Some(source) = source else { continue };
        let label = match g.node(&source).map(|n| n.kind) {
            Some(NodeKind::Table) => "stream",
            Some(NodeKind::Queue) => "poll",
            _ => "records",
        };
        trigger(g, &source, &f, label, m.span, Some(&m.id));
    }
}

fn sns(t: &Template, g: &mut Graph) {
    for s in t.resources_of("AWS::SNS::Subscription") {
        let Some(topic) = s.prop("TopicArn").and_then(|v| target_or_external(t, g, v)) else {
            continue;
        };
        let Some(to) = s.prop("Endpoint").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        let proto = s.prop("Protocol").and_then(Value::as_str).unwrap_or("?");
        trigger(
            g,
            &topic,
            &to,
            format!("subscription ({proto})"),
            s.span,
            Some(&s.id),
        );
    }
    for topic in t.resources_of("AWS::SNS::Topic") {
        for sub in topic
            .prop("Subscription")
            .map(Value::items)
            .unwrap_or_default()
        {
            let Some(to) = sub.get("Endpoint").and_then(|v| node_target(t, g, v)) else {
                continue;
            };
            let proto = sub.get("Protocol").and_then(Value::as_str).unwrap_or("?");
            trigger(
                g,
                &topic.id,
                &to,
                format!("subscription ({proto})"),
                sub.span,
                None,
            );
        }
    }
}

fn bucket_notifications(t: &Template, g: &mut Graph) {
    for b in t.resources_of("AWS::S3::Bucket") {
        let Some(n) = b.prop("NotificationConfiguration") else {
            continue;
        };
        for (list, key) in [
            ("LambdaConfigurations", "Function"),
            ("QueueConfigurations", "Queue"),
            ("TopicConfigurations", "Topic"),
        ] {
            for c in n.get(list).map(Value::items).unwrap_or_default() {
                let Some(to) = c.get(key).and_then(|v| target_or_external(t, g, v)) else {
                    continue;
                };
                let event = c.get("Event").and_then(Value::as_str).unwrap_or("s3 event");
                trigger(g, &b.id, &to, event.to_owned(), c.span, None);
            }
        }
        if n.get("EventBridgeConfiguration").is_some() {
            g.add_fact(
                &b.id,
                super::Fact {
                    kind: "setting".into(),
                    id: None,
                    text: "sends events to EventBridge".into(),
                },
            );
        }
    }
}

fn event_rules(t: &Template, g: &mut Graph) {
    for r in t.resources_of("AWS::Events::Rule") {
        if !g.has(&r.id) {
            continue;
        }
        if let Some(bus) = r.prop("EventBusName").and_then(|v| node_target(t, g, v)) {
            trigger(g, &bus, &r.id, "rule", r.span, None);
        }
        let label = match r.prop("ScheduleExpression").map(|v| resolve(t, v)) {
            Some(Resolved::Literal(s)) => s,
            Some(_) => "schedule".to_owned(),
            None => "event".to_owned(),
        };
        // Resources the pattern matches events of (a bucket's object events, a table).
        if let Some(p) = r.prop("EventPattern") {
            for src in super::lookup::targets(t, p) {
                if g.has(&src) && src != r.id {
                    trigger(g, &src, &r.id, "event", p.span, Some(&r.id));
                }
            }
        }
        for target in r.prop("Targets").map(Value::items).unwrap_or_default() {
            let Some(to) = target.get("Arn").and_then(|v| target_or_external(t, g, v)) else {
                continue;
            };
            trigger(g, &r.id, &to, label.clone(), target.span, Some(&r.id));
        }
    }
}

fn schedules(t: &Template, g: &mut Graph) {
    for s in t.resources_of("AWS::Scheduler::Schedule") {
        let Some(to) = s
            .prop_path(&["Target", "Arn"])
            .and_then(|v| target_or_external(t, g, v))
        else {
            continue;
        };
        let label = match s.prop("ScheduleExpression").map(|v| resolve(t, v)) {
            Some(Resolved::Literal(x)) => x,
            _ => "schedule".to_owned(),
        };
        trigger(g, &s.id, &to, label, s.span_of(&["Target"]), Some(&s.id));
    }
}

fn user_pools(t: &Template, g: &mut Graph) {
    for p in t.resources_of("AWS::Cognito::UserPool") {
        let Some(cfg) = p.prop("LambdaConfig").and_then(Value::as_map) else {
            continue;
        };
        for (k, v) in cfg {
            if k.name == "KMSKeyID" {
                continue;
            }
            let v = v.get("LambdaArn").unwrap_or(v);
            let Some(to) = target_or_external(t, g, v) else {
                continue;
            };
            trigger(g, &p.id, &to, k.name.clone(), k.span, None);
        }
    }
}

fn log_subscriptions(t: &Template, g: &mut Graph) {
    for s in t.resources_of("AWS::Logs::SubscriptionFilter") {
        let Some(to) = s.prop("DestinationArn").and_then(|v| node_target(t, g, v)) else {
            continue;
        };
        // The log group, or (when it is a fact) the node whose logs it holds.
        let from = s.prop("LogGroupName").and_then(|v| {
            node_target(t, g, v).or_else(|| {
                super::lookup::targets(t, v)
                    .into_iter()
                    .find_map(|id| g.attached.get(&id).cloned())
            })
        });
        let Some(from) = from else {
            continue;
        };
        trigger(g, &from, &to, "log subscription", s.span, Some(&s.id));
    }
}

fn state_machines(t: &Template, g: &mut Graph) {
    let sms: Vec<&crate::model::Resource> = t
        .resources
        .iter()
        .filter(|r| {
            g.node(&r.id)
                .is_some_and(|n| n.kind == NodeKind::StateMachine)
        })
        .collect();
    for sm in sms {
        let mut seen = Vec::new();
        for key in ["Definition", "DefinitionString", "DefinitionSubstitutions"] {
            let Some(v) = sm.prop(key) else { continue };
            for (id, span) in crate::model::resolve::resource_refs(t, v) {
                let id = super::lookup::through_alias(t, &id);
                if seen.contains(&id) {
                    continue;
                }
                if t.resource(&id).is_some_and(is_function) && g.has(&id) {
                    trigger(g, &sm.id, &id, "task", span, Some(&sm.id));
                    seen.push(id);
                }
            }
        }
    }
}

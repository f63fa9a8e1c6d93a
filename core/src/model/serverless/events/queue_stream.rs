//! Pull sources: `sqs` and `stream` (Kinesis, DynamoDB) event source mappings with the read
//! statements the role needs, and the broker sources `msk`, `kafka`, `activemq`, `rabbitmq`.

use crate::span::Span;
use crate::value::Value;

use super::super::mk::{self, boolean, getatt, num, obj, s, seq};
use super::super::naming::{alnum_name, resource_name, upper_first};
use super::super::Sls;
use super::Event;

/// An `sqs` event; its read statements go to the function's role (`fn_statements`).
pub(super) fn sqs_event(x: &mut Sls, e: &Event<'_>, fn_statements: &mut Vec<Value>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let arn = body.get("arn").cloned().unwrap_or_else(|| body.clone());
    let qname = resource_name(&arn, ':');
    let mut m = event_source_mapping(key, &arn, body, None, ev_span);
    mk::copy(
        body,
        "maximumBatchingWindow",
        &mut m,
        "MaximumBatchingWindowInSeconds",
    );
    if let Some(fp) = body.get("filterPatterns") {
        let filters = fp
            .items()
            .into_iter()
            .map(|p| obj(p.span, vec![("Pattern", p.clone())]))
            .collect();
        mk::set(
            &mut m,
            "FilterCriteria",
            obj(fp.span, vec![("Filters", seq(fp.span, filters))]),
        );
    }
    x.push(
        format!("{norm}EventSourceMappingSQS{}", alnum_name(&qname)),
        "AWS::Lambda::EventSourceMapping",
        m,
        ev_span,
        key,
    );
    fn_statements.push(mk::allow(
        &[
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
        ],
        seq(ev_span, vec![arn]),
        ev_span,
    ));
}

/// A `stream` event (Kinesis or DynamoDB, from `type` or the ARN); its read statements go to
/// the shared role.
pub(super) fn stream_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let arn = body.get("arn").cloned().unwrap_or_else(|| body.clone());
    let kind = body
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| {
            arn.as_str()
                .and_then(|a| a.split(':').nth(2))
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "dynamodb".to_owned());
    let sname = match arn.as_str() {
        Some(a) => a.split('/').nth(1).unwrap_or("").to_owned(),
        None => resource_name(&arn, '/'),
    };
    let mut m = event_source_mapping(key, &arn, body, Some("TRIM_HORIZON"), ev_span);
    mk::copy(body, "maximumRetryAttempts", &mut m, "MaximumRetryAttempts");
    x.push(
        format!(
            "{norm}EventSourceMapping{}{}",
            upper_first(&kind),
            alnum_name(&sname)
        ),
        "AWS::Lambda::EventSourceMapping",
        m,
        ev_span,
        key,
    );
    let actions: &[&str] = if kind == "kinesis" {
        &[
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:DescribeStream",
            "kinesis:ListStreams",
        ]
    } else {
        &[
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:DescribeStream",
            "dynamodb:ListStreams",
        ]
    };
    x.role_statements
        .push(mk::allow(actions, seq(ev_span, vec![arn]), ev_span));
}

/// An `msk`, `kafka`, `activemq` or `rabbitmq` event.
pub(super) fn broker_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let ty = e.ty;
    let body = e.body;
    let ev_span = e.span;
    let cut = |t: &str, n: usize| alnum_name(t).chars().take(n).collect::<String>();
    let topic = body.get("topic").and_then(Value::as_str).unwrap_or("");
    let queue = body.get("queue").and_then(Value::as_str).unwrap_or("");
    let arn = body.get("arn").cloned();
    let (id, mut m) = match ty {
        "msk" => {
            let cluster = arn
                .as_ref()
                .and_then(Value::as_str)
                .and_then(|a| a.split('/').nth(1))
                .map(str::to_owned)
                .unwrap_or_else(|| {
                    arn.as_ref()
                        .map(|a| resource_name(a, '/'))
                        .unwrap_or_default()
                });
            (
                format!(
                    "{norm}EventSourceMappingMSK{}{}",
                    cut(&cluster, 79),
                    cut(topic, 79)
                ),
                obj(
                    ev_span,
                    vec![("Topics", seq(ev_span, vec![s(topic, ev_span)]))],
                ),
            )
        }
        "kafka" => {
            let mut m = obj(
                ev_span,
                vec![("Topics", seq(ev_span, vec![s(topic, ev_span)]))],
            );
            if let Some(bs) = body.get("bootstrapServers") {
                mk::set(
                    &mut m,
                    "SelfManagedEventSource",
                    obj(
                        bs.span,
                        vec![(
                            "Endpoints",
                            obj(bs.span, vec![("KafkaBootstrapServers", bs.clone())]),
                        )],
                    ),
                );
            }
            (
                format!("{norm}EventSourceMappingKafka{}", cut(topic, 158)),
                m,
            )
        }
        "activemq" => (
            format!("{norm}EventSourceMappingActiveMQ{}", cut(queue, 150)),
            obj(
                ev_span,
                vec![("Queues", seq(ev_span, vec![s(queue, ev_span)]))],
            ),
        ),
        _ => (
            format!("{norm}EventSourceMappingRabbitMQ{}", cut(queue, 150)),
            obj(
                ev_span,
                vec![("Queues", seq(ev_span, vec![s(queue, ev_span)]))],
            ),
        ),
    };
    mk::set(&mut m, "FunctionName", getatt(key, "Arn", ev_span));
    if let Some(a) = arn {
        mk::set(&mut m, "EventSourceArn", a);
    }
    mk::copy(body, "batchSize", &mut m, "BatchSize");
    mk::copy(body, "enabled", &mut m, "Enabled");
    mk::copy(body, "startingPosition", &mut m, "StartingPosition");
    x.push(id, "AWS::Lambda::EventSourceMapping", m, ev_span, key);
}

/// An `AWS::Lambda::EventSourceMapping` of function `key` on `arn` (batch size 10 and enabled
/// unless the event says otherwise; streams start at `starting` by default).
fn event_source_mapping(
    key: &str,
    arn: &Value,
    body: &Value,
    starting: Option<&str>,
    span: Span,
) -> Value {
    let or = |k: &str, default: Value| body.get(k).cloned().unwrap_or(default);
    let mut entries = vec![
        ("EventSourceArn", arn.clone()),
        ("FunctionName", getatt(key, "Arn", span)),
        ("BatchSize", or("batchSize", num(10, span))),
    ];
    if let Some(p) = starting {
        entries.push(("StartingPosition", or("startingPosition", s(p, span))));
    }
    entries.push(("Enabled", or("enabled", boolean(true, span))));
    obj(span, entries)
}

//! `sns` (a subscription, and the topic when it is named rather than an ARN) and `s3` (the
//! bucket with its notification configuration, or `Custom::S3` for an existing bucket).

use crate::value::Value;

use super::super::mk::{self, getatt, obj, ref_, s, seq, sub};
use super::super::naming::alnum_name;
use super::super::Sls;
use super::Event;

/// An `sns` event.
pub(super) fn sns_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let (arn, topic_name) = match body.as_str() {
        Some(t) if t.starts_with("arn:") => (
            Some(body.clone()),
            t.rsplit(':').next().unwrap_or(t).to_owned(),
        ),
        Some(t) => (None, t.to_owned()),
        None => {
            let arn = body.get("arn").cloned();
            let name = body
                .get("topicName")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| {
                    arn.as_ref()
                        .and_then(Value::as_str)
                        .and_then(|a| a.rsplit(':').next())
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            (arn, name)
        }
    };
    let topic_arn = match arn {
        Some(a) => a,
        None => {
            let tid = format!("SNSTopic{}", alnum_name(&topic_name));
            if !x.out.iter().any(|r| r.id == tid) {
                x.push(
                    tid.clone(),
                    "AWS::SNS::Topic",
                    obj(ev_span, vec![("TopicName", s(&topic_name, ev_span))]),
                    ev_span,
                    key,
                );
            }
            ref_(&tid, ev_span)
        }
    };
    let tn = alnum_name(&topic_name);
    let mut sp = obj(
        ev_span,
        vec![
            ("TopicArn", topic_arn.clone()),
            ("Protocol", s("lambda", ev_span)),
            ("Endpoint", getatt(key, "Arn", ev_span)),
        ],
    );
    mk::copy(body, "filterPolicy", &mut sp, "FilterPolicy");
    x.push(
        format!("{norm}SnsSubscription{tn}"),
        "AWS::SNS::Subscription",
        sp,
        ev_span,
        key,
    );
    x.push_permission(
        format!("{norm}LambdaPermission{tn}SNS"),
        key,
        "sns.amazonaws.com",
        Some(topic_arn),
        ev_span,
    );
}

/// An `s3` event: the Framework creates the bucket `S3Bucket<Name>` unless `existing: true`.
pub(super) fn s3_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let (bucket, events_v, rules, existing) = match body.as_str() {
        Some(b) => (b.to_owned(), None, None, false),
        None => (
            body.get("bucket")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            body.get("event").cloned(),
            body.get("rules").cloned(),
            body.get("existing")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
    };
    let bn = alnum_name(&bucket);
    let event = events_v.unwrap_or_else(|| s("s3:ObjectCreated:*", ev_span));
    if existing {
        x.push(
            format!("{norm}CustomS31"),
            "Custom::S3",
            obj(
                ev_span,
                vec![
                    ("BucketName", s(&bucket, ev_span)),
                    (
                        "BucketConfigs",
                        seq(
                            ev_span,
                            vec![obj(
                                ev_span,
                                vec![
                                    ("Event", event),
                                    ("Rules", rules.unwrap_or_else(|| seq(ev_span, vec![]))),
                                ],
                            )],
                        ),
                    ),
                ],
            ),
            ev_span,
            key,
        );
        x.push_permission(
            format!("{norm}LambdaPermission{bn}S3"),
            key,
            "s3.amazonaws.com",
            Some(sub(
                format!("arn:${{AWS::Partition}}:s3:::{bucket}"),
                ev_span,
            )),
            ev_span,
        );
        return;
    }
    let bid = format!("S3Bucket{bn}");
    let mut lc = obj(
        ev_span,
        vec![("Event", event), ("Function", getatt(key, "Arn", ev_span))],
    );
    if let Some(r) = rules {
        let f_rules: Vec<Value> = r
            .items()
            .iter()
            .filter_map(|x| x.as_map())
            .flat_map(|m| {
                m.iter().map(|(k, v)| {
                    obj(
                        k.span,
                        vec![("Name", s(k.name.clone(), k.span)), ("Value", v.clone())],
                    )
                })
            })
            .collect();
        mk::set(
            &mut lc,
            "Filter",
            obj(
                ev_span,
                vec![(
                    "S3Key",
                    obj(ev_span, vec![("Rules", seq(ev_span, f_rules))]),
                )],
            ),
        );
    }
    let perm = format!("{norm}LambdaPermission{bn}S3");
    let idx = match x.out.iter().position(|r| r.id == bid) {
        Some(i) => i,
        None => x.push(
            bid.clone(),
            "AWS::S3::Bucket",
            obj(ev_span, vec![("BucketName", s(&bucket, ev_span))]),
            ev_span,
            key,
        ),
    };
    let b = &mut x.out[idx];
    let nc = mk::entry_map(&mut b.properties, "NotificationConfiguration");
    if nc.get("LambdaConfigurations").is_none() {
        mk::set(nc, "LambdaConfigurations", seq(ev_span, vec![]));
    }
    if let Some(l) = mk::get_mut(nc, "LambdaConfigurations") {
        mk::push(l, lc);
    }
    if !b.depends_on.contains(&perm) {
        b.depends_on.push(perm.clone());
    }
    x.push_permission(
        perm,
        key,
        "s3.amazonaws.com",
        Some(sub(
            format!("arn:${{AWS::Partition}}:s3:::{bucket}"),
            ev_span,
        )),
        ev_span,
    );
}

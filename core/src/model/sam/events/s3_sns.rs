//! `SNS` (a subscription of the function, or of an SQS queue SAM creates in between) and `S3`
//! (a permission, and a `LambdaConfigurations` entry in the bucket's notification configuration).

use crate::span::Span;
use crate::value::Value;

use super::super::function::permission;
use super::super::mk::{self, getatt, num, obj, ref_, s, seq};
use super::super::policies::managed_arn;
use super::super::{gen, plain_id, Cx, Edit, Resource};
use super::Event;

/// An `SNS` event: `SqsSubscription` puts a queue between the topic and the function.
pub(super) fn sns_event(e: &Event<'_>, extra: &mut Vec<Resource>, role_managed: &mut Vec<Value>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let topic = p.get("Topic").cloned().unwrap_or_else(|| s("", sp));
    let sqs = p.get("SqsSubscription");
    if let Some(sq) = sqs.filter(|v| v.as_bool() != Some(false)) {
        let (queue_arn, queue_url) = if sq.as_bool() == Some(true) {
            let qid = format!("{eid}Queue");
            extra.push(gen(
                cond,
                qid.clone(),
                "AWS::SQS::Queue",
                mk::empty(sp),
                sp,
                fid,
            ));
            (getatt(&qid, "Arn", sp), ref_(&qid, sp))
        } else {
            (
                sq.get("QueueArn").cloned().unwrap_or_else(|| s("", sp)),
                sq.get("QueueUrl").cloned().unwrap_or_else(|| s("", sp)),
            )
        };
        let policy_doc = mk::policy_document(
            vec![obj(
                sp,
                vec![
                    ("Action", s("sqs:SendMessage", sp)),
                    ("Effect", s("Allow", sp)),
                    ("Principal", s("*", sp)),
                    ("Resource", queue_arn.clone()),
                    (
                        "Condition",
                        obj(
                            sp,
                            vec![("ArnEquals", obj(sp, vec![("aws:SourceArn", topic.clone())]))],
                        ),
                    ),
                ],
            )],
            sp,
        );
        extra.push(gen(
            cond,
            format!("{eid}QueuePolicy"),
            "AWS::SQS::QueuePolicy",
            obj(
                sp,
                vec![
                    ("PolicyDocument", policy_doc),
                    ("Queues", seq(sp, vec![queue_url])),
                ],
            ),
            sp,
            fid,
        ));
        let sub = subscription(p, queue_arn.clone(), "sqs", &topic, &["FilterPolicy"], sp);
        extra.push(gen(
            cond,
            eid.clone(),
            "AWS::SNS::Subscription",
            sub,
            sp,
            fid,
        ));
        role_managed.push(managed_arn(
            "service-role/AWSLambdaSQSQueueExecutionRole",
            sp,
        ));
        extra.push(gen(
            cond,
            format!("{eid}EventSourceMapping"),
            "AWS::Lambda::EventSourceMapping",
            obj(
                sp,
                vec![
                    ("FunctionName", target.name(sp)),
                    ("EventSourceArn", queue_arn),
                    ("BatchSize", num(10, sp)),
                ],
            ),
            sp,
            fid,
        ));
    } else {
        let copied = [
            "FilterPolicy",
            "FilterPolicyScope",
            "Region",
            "RedrivePolicy",
        ];
        let sub = subscription(p, target.arn(sp), "lambda", &topic, &copied, sp);
        extra.push(gen(
            cond,
            eid.clone(),
            "AWS::SNS::Subscription",
            sub,
            sp,
            fid,
        ));
        extra.push(permission(
            cond,
            format!("{eid}Permission"),
            target,
            "sns.amazonaws.com",
            Some(topic),
            sp,
            fid,
        ));
    }
}

/// An `S3` event: the bucket must be declared in this template (SAM rejects it otherwise).
pub(super) fn s3_event(cx: &mut Cx, e: &Event<'_>, extra: &mut Vec<Resource>) {
    let target = e.target;
    let cond = e.cond;
    let fid = e.target.id.as_str();
    let ev = e.name;
    let sp = e.span;
    let p = &e.props;
    let eid = &e.id;
    let bucket = p.get("Bucket").and_then(plain_id);
    let mut perm = permission(
        cond,
        format!("{eid}Permission"),
        target,
        "s3.amazonaws.com",
        None,
        sp,
        fid,
    );
    mk::set(
        &mut perm.properties,
        "SourceAccount",
        ref_("AWS::AccountId", sp),
    );
    let perm_id = perm.id.clone();
    extra.push(perm);
    match bucket {
        Some(b) if cx.ids.get(&b).is_some_and(|t| t == "AWS::S3::Bucket") => {
            let events = p.get("Events").map(Value::items).unwrap_or_default();
            for e in events {
                let mut lc = obj(e.span, vec![("Event", e.clone()), ("Function", target.arn(sp))]);
                mk::copy(p, "Filter", &mut lc, "Filter");
                cx.edits.push((b.clone(), Edit::S3Notification(lc, perm_id.clone())));
            }
        }
        _ => cx.warn(
            format!("S3 event `{ev}`: `Bucket` must reference an AWS::S3::Bucket of this template (SAM rejects it otherwise)"),
            sp,
        ),
    }
}

/// An `AWS::SNS::Subscription` of `endpoint` to `topic`, with the event's `copied` keys.
fn subscription(
    p: &Value,
    endpoint: Value,
    protocol: &str,
    topic: &Value,
    copied: &[&str],
    sp: Span,
) -> Value {
    let mut sub = obj(
        sp,
        vec![
            ("Endpoint", endpoint),
            ("Protocol", s(protocol, sp)),
            ("TopicArn", topic.clone()),
        ],
    );
    for k in copied {
        mk::copy(p, k, &mut sub, k);
    }
    sub
}

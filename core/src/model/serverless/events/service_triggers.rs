//! Services that invoke the function: `cloudwatchLog` (a subscription filter),
//! `cognitoUserPool` (a trigger on the pool, created unless `existing: true`), `iot` (a topic
//! rule) and `alb` (a target group and listener rule).

use crate::smap::StrMap;
use crate::value::Value;

use super::super::mk::{self, boolean, getatt, obj, ref_, s, seq};
use super::super::naming::{alnum_name, resource_name};
use super::super::Sls;
use super::Event;

/// A `cloudwatchLog` event.
pub(super) fn cloudwatch_log_event(x: &mut Sls, e: &Event<'_>, counters: &mut StrMap<usize>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let n = counters.entry_or_insert_with("cwl", || 0);
    *n += 1;
    let n = *n;
    let lg = body
        .get("logGroup")
        .cloned()
        .unwrap_or_else(|| body.clone());
    let mut fprops = obj(
        ev_span,
        vec![
            ("LogGroupName", lg),
            ("DestinationArn", getatt(key, "Arn", ev_span)),
        ],
    );
    mk::copy(body, "filter", &mut fprops, "FilterPattern");
    x.push(
        format!("{norm}LogsSubscriptionFilterCloudWatchLog{n}"),
        "AWS::Logs::SubscriptionFilter",
        fprops,
        ev_span,
        key,
    );
    x.push_permission(
        format!("{norm}LambdaPermissionLogsSubscriptionFilterCloudWatchLog"),
        key,
        "logs.amazonaws.com",
        None,
        ev_span,
    );
}

/// A `cognitoUserPool` event.
pub(super) fn cognito_user_pool_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let pool = body
        .get("pool")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let trigger = body
        .get("trigger")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let pn = alnum_name(&pool);
    if body.get("existing").and_then(Value::as_bool) == Some(true) {
        x.push(
            format!("{norm}CustomCognitoUserPool1"),
            "Custom::CognitoUserPool",
            obj(ev_span, vec![("UserPoolName", s(&pool, ev_span))]),
            ev_span,
            key,
        );
    } else {
        let pid = format!("CognitoUserPool{pn}");
        let idx = match x.out.iter().position(|r| r.id == pid) {
            Some(i) => i,
            None => x.push(
                pid.clone(),
                "AWS::Cognito::UserPool",
                obj(ev_span, vec![("UserPoolName", s(&pool, ev_span))]),
                ev_span,
                key,
            ),
        };
        let lc = mk::entry_map(&mut x.out[idx].properties, "LambdaConfig");
        mk::set(lc, &trigger, getatt(key, "Arn", ev_span));
        x.push_permission(
            format!(
                "{norm}LambdaPermissionCognitoUserPool{pn}TriggerSource{}",
                alnum_name(&trigger)
            ),
            key,
            "cognito-idp.amazonaws.com",
            Some(getatt(&pid, "Arn", ev_span)),
            ev_span,
        );
    }
}

/// An `iot` event.
pub(super) fn iot_event(x: &mut Sls, e: &Event<'_>, counters: &mut StrMap<usize>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let n = counters.entry_or_insert_with("iot", || 0);
    *n += 1;
    let n = *n;
    let mut payload = obj(
        ev_span,
        vec![
            ("RuleDisabled", boolean(false, ev_span)),
            (
                "Actions",
                seq(
                    ev_span,
                    vec![obj(
                        ev_span,
                        vec![(
                            "Lambda",
                            obj(ev_span, vec![("FunctionArn", getatt(key, "Arn", ev_span))]),
                        )],
                    )],
                ),
            ),
        ],
    );
    mk::copy(body, "sql", &mut payload, "Sql");
    x.push(
        format!("{norm}IotTopicRule{n}"),
        "AWS::IoT::TopicRule",
        obj(ev_span, vec![("TopicRulePayload", payload)]),
        ev_span,
        key,
    );
    x.push_permission(
        format!("{norm}LambdaPermissionIotTopicRule{n}"),
        key,
        "iot.amazonaws.com",
        None,
        ev_span,
    );
}

/// An `alb` event.
pub(super) fn alb_event(x: &mut Sls, e: &Event<'_>) {
    let key = e.key;
    let norm = e.norm;
    let body = e.body;
    let ev_span = e.span;
    let prio = body
        .get("priority")
        .and_then(Value::as_str)
        .unwrap_or("1")
        .to_owned();
    let tg = format!(
        "{norm}AlbTargetGroup{}",
        alnum_name(&resource_name(body.get("listenerArn").unwrap_or(body), '/'))
    );
    x.push(
        tg.clone(),
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        obj(
            ev_span,
            vec![
                ("TargetType", s("lambda", ev_span)),
                (
                    "Targets",
                    seq(
                        ev_span,
                        vec![obj(ev_span, vec![("Id", getatt(key, "Arn", ev_span))])],
                    ),
                ),
            ],
        ),
        ev_span,
        key,
    );
    let mut lr = obj(
        ev_span,
        vec![
            (
                "Actions",
                seq(
                    ev_span,
                    vec![obj(
                        ev_span,
                        vec![
                            ("Type", s("forward", ev_span)),
                            ("TargetGroupArn", ref_(&tg, ev_span)),
                        ],
                    )],
                ),
            ),
            ("Priority", s(&prio, ev_span)),
        ],
    );
    mk::copy(body, "listenerArn", &mut lr, "ListenerArn");
    mk::copy(body, "conditions", &mut lr, "Conditions");
    x.push(
        format!("{norm}AlbListenerRule{prio}"),
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        lr,
        ev_span,
        key,
    );
    x.push_permission(
        format!("{norm}LambdaPermissionAlb"),
        key,
        "elasticloadbalancing.amazonaws.com",
        None,
        ev_span,
    );
}

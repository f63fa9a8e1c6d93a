//! A function's `events`: [`function_event`] hands each event to the handler of its family:
//! - [`http`]: `http` (REST API routes); [`http_api`]: `httpApi` (HTTP API routes and JWT/Lambda
//!   authorizers); [`websocket`]: `websocket` routes;
//! - [`queue_stream`]: `sqs`, `stream`, `msk`, `kafka`, `activemq`, `rabbitmq` (event source
//!   mappings);
//! - [`schedule_bus`]: `schedule`, `eventBridge`, `cloudwatchEvent` (events rules, schedules);
//! - [`s3_sns`]: `s3`, `sns`;
//! - [`service_triggers`]: `cloudwatchLog`, `cognitoUserPool`, `iot`, `alb`.
//!
//! Generated logical IDs follow the Framework's event compilers (v3.40.0
//! `lib/plugins/aws/package/compile/events/`); counters
//! (`…Schedule<n>`, `…CloudWatchEvent<n>`) run per function and event family.

mod http;
mod http_api;
mod queue_stream;
mod s3_sns;
mod schedule_bus;
mod service_triggers;
mod websocket;

use crate::smap::StrMap;
use crate::span::Span;
use crate::value::Value;

use super::Sls;

/// One entry of a function's `events`, as its handler reads it.
pub(super) struct Event<'a> {
    /// The function's key under `functions:` (its node id).
    pub(super) key: &'a str,
    /// The key normalized for logical IDs (`getNormalizedFunctionName`).
    pub(super) norm: &'a str,
    /// The function's deployed name (`FunctionName`).
    pub(super) name: &'a Value,
    /// The event's type: its one key (`http`, `sqs`, …).
    pub(super) ty: &'a str,
    /// The event's settings: the value under that key.
    pub(super) body: &'a Value,
    /// Where the event is.
    pub(super) span: Span,
    /// The event's index in the function's `events` list.
    pub(super) pos: usize,
}

/// Expand one event. `counters` number the events of one family per function;
/// `fn_statements` collects statements for the function's own role (or the shared one).
pub(super) fn function_event(
    x: &mut Sls,
    e: &Event<'_>,
    counters: &mut StrMap<usize>,
    fn_statements: &mut Vec<Value>,
) {
    match e.ty {
        "http" => http::http_event(x, e.key, e.norm, e.body, e.span),
        "httpApi" => http_api::http_api_event(x, e.key, e.norm, e.body, e.span),
        "sqs" => queue_stream::sqs_event(x, e, fn_statements),
        "stream" => queue_stream::stream_event(x, e),
        "sns" => s3_sns::sns_event(x, e),
        "s3" => s3_sns::s3_event(x, e),
        "schedule" => schedule_bus::schedule_event(x, e, counters),
        "eventBridge" => schedule_bus::event_bridge_event(x, e),
        "cloudwatchEvent" => schedule_bus::cloudwatch_event_event(x, e, counters),
        "cloudwatchLog" => service_triggers::cloudwatch_log_event(x, e, counters),
        "cognitoUserPool" => service_triggers::cognito_user_pool_event(x, e),
        "websocket" => websocket::websocket_event(x, e),
        "alb" => service_triggers::alb_event(x, e),
        "msk" | "kafka" | "activemq" | "rabbitmq" => queue_stream::broker_event(x, e),
        "iot" => service_triggers::iot_event(x, e, counters),
        other => x.warn(
            format!(
                "event type `{other}` of `{}` is not expanded by pillarlint yet",
                e.key
            ),
            e.span,
        ),
    }
}

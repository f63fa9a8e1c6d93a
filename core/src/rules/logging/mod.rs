//! `logging`: monitoring and logging — traces, access and execution logs, audit trails,
//! failed-event retention.

pub mod async_without_dlq;
pub mod docdb_audit_logging;
pub mod function_cannot_log;
pub mod function_without_tracing;
pub mod http_stage_access_logs;
pub mod log_retention;
pub mod no_cloudtrail;
pub mod observability_gap;
pub mod public_bucket_access_logging;
pub mod rest_stage_execution_logging;
pub mod rest_stage_logging;
pub mod rest_stage_tracing;
pub mod state_machine_logging;
pub mod suppression_audit;
pub mod trail_data_events;
pub mod trail_log_validation;
pub mod trail_multi_region;

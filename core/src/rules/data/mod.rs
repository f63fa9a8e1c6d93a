//! `data`: data security and integrity — encryption at rest and in transit, secrets,
//! input validation, recovery.

pub mod bucket_without_tls_policy;
pub mod database_publicly_accessible;
pub mod dax_unencrypted;
pub mod default_key_on_public_path;
pub mod docdb_storage_unencrypted;
pub mod docdb_tls_disabled;
pub mod edge_without_tls;
pub mod elasticache_unencrypted;
pub mod env_secrets_without_kms;
pub mod queue_sse_disabled;
pub mod rds_unencrypted;
pub mod stage_cache_unencrypted;
pub mod stage_data_trace;
pub mod table_without_pitr;
pub mod tmp_storage;
pub mod topic_stream_unencrypted;
pub mod trail_without_kms;
pub mod weak_tls;
pub mod write_route_without_validation;

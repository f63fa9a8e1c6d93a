//! `dos`: brute force and denial of service (and of wallet) — throttling, WAF,
//! concurrency caps, sign-in hardening.

pub mod denial_of_wallet;
pub mod distribution_without_waf;
pub mod dos_path;
pub mod http_api_without_throttling;
pub mod public_function_without_concurrency;
pub mod stage_without_throttling;
pub mod stage_without_waf;
pub mod usage_plan_without_limits;
pub mod user_pool_advanced_security;
pub mod user_pool_without_mfa;
pub mod weak_password_policy;
pub mod web_acl_without_known_bad_inputs;
pub mod web_acl_without_rate_rule;

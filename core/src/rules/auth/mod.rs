//! `auth`: authentication and authorization, least privilege for users and resources.

pub mod admin_managed_policy;
pub mod function_url_public;
pub mod iam_wildcard_action;
pub mod iam_wildcard_resource;
pub mod identity_pool_unauthenticated;
pub mod lambda_permission_open;
pub mod missing_grant;
pub mod open_resource_policy;
pub mod over_grant;
pub mod permission_caller_binding;
pub mod plaintext_master_password;
pub mod public_bucket;
pub mod public_route_blast_radius;
pub mod secret_flow;
pub mod secret_in_environment;
pub mod shared_role;
pub mod unauthenticated_route;

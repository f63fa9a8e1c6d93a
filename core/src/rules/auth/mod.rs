//! `auth`: authentication and authorization, least privilege for users and resources.

pub mod iam_wildcard_action;
pub mod unauthenticated_route;

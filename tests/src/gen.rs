//! Generated templates for scaling tests and benchmarks.

/// A valid CloudFormation template of about `resources` resources: groups of a function, its
/// role (granting a table), a table, an API resource and an unauthenticated method, each
/// function padded with a description of `pad` bytes (the core's benchmark generator).
pub fn service(resources: usize, pad: usize) -> String {
    pillarlint_core::example::generated_padded(resources, pad)
}

//! Shared helpers for the workspace-level tests: paths, the corpus, a static file server
//! and a minimal WebDriver client for the browser tests.

pub mod e2e;
pub mod gen;
pub mod paths;
pub mod server;
pub mod table;
pub mod webdriver;

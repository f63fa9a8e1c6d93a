//! The JSON report contract (stable: tools outside the project read it).
//!
//! ```text
//! { "tool": {"name": "pillarlint", "version": "…"},
//!   "files": [ { "path", "format", "error": null | {message, line, column},
//!                "nodes": [{id, kind, label, line, …}], "edges": [{from, to, kind, label, …}],
//!                "findings": [{rule, pillar, severity, resource, related, edge, message,
//!                              remediation, line, column, …}] } ] }
//! ```
//! Fields may be added (they are, below each contract field); none may be removed or change
//! meaning.
//!
//! An app made of several files (a `cdk.out`, a template with nested stacks, a Serverless
//! service with `${file(...)}` includes) keeps one entry per template under `files`, each with
//! its own findings at its own lines and its resources under their ids in that file; the
//! whole app is added under `apps` (absent when every file stands alone):
//!
//! ```text
//!   "apps": [ { "name", "kind": "cdk" | "stacks" | "serverless", "root",
//!               "files": [{path, role, format}], "stacks": [{name, file, prefix, node, parent}],
//!               "nodes": [{…, file, stack}], "edges": […], "findings": [{…, file}] } ]
//! ```
//! The app's ids are its stitched ones: a nested stack's resources carry the id of the
//! resource that deploys the stack as a prefix (`Auth/Fn`).

use serde::{Deserialize, Serialize};

use crate::graph::{AccessLevel, Fact, Route};
use crate::parse::{Format, ParseError};
use crate::rules::{EdgeRef, Pillar, Severity, Suppression};

pub const TOOL_NAME: &str = "pillarlint";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: TOOL_NAME.into(),
            version: VERSION.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Report {
    pub tool: Tool,
    pub files: Vec<FileReport>,
    // --- additions ---
    /// Apps made of several files: the stitched graph, its stacks and files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<AppOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorOut {
    pub message: String,
    pub line: u32,
    pub column: u32,
    /// The file of an app the position is in, when it is not the one reported on (the web
    /// app's editor names it); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl From<ParseError> for ErrorOut {
    fn from(e: ParseError) -> Self {
        ErrorOut {
            message: e.message,
            line: e.line,
            column: e.column,
            file: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NodeOut {
    pub id: String,
    pub kind: String,
    pub label: String,
    pub line: u32,
    // --- additions beyond the base contract ---
    pub column: u32,
    /// CloudFormation type.
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(default)]
    pub facts: Vec<Fact>,
    #[serde(default)]
    pub group: Option<String>,
    /// Pillars with at least one unsuppressed finding on this node.
    #[serde(default)]
    pub pillars: Vec<Pillar>,
    /// An external node: outside the template, configuration unknown.
    #[serde(default)]
    pub unknown: bool,
    /// The CDK construct path (`LibraryStack/BooksHandler`), when the template records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construct_path: Option<String>,
    /// In an app's view: the file the node is declared in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// In an app's view: the stack the node belongs to (its name, see [`StackOut`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// What the node may do in AWS, after `Deny`: a role, user or group's own grants, or
    /// those of the role a function (state machine, identity pool, build project) runs as.
    /// Left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<crate::iam::effective::Permission>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EdgeOut {
    pub from: String,
    pub to: String,
    pub kind: String,
    pub label: String,
    // --- additions ---
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub access: Option<AccessLevel>,
    #[serde(default)]
    pub wildcard: bool,
    #[serde(default)]
    pub route: Option<Route>,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub via: Option<String>,
    #[serde(default)]
    pub pillars: Vec<Pillar>,
    /// An access edge through the network (database endpoint), not IAM.
    #[serde(default)]
    pub network: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FindingOut {
    pub rule: String,
    pub pillar: Pillar,
    pub severity: Severity,
    pub resource: Option<String>,
    pub related: Vec<String>,
    pub edge: Option<EdgeRef>,
    pub message: String,
    pub remediation: String,
    pub line: u32,
    pub column: u32,
    // --- additions ---
    #[serde(default)]
    pub end_line: u32,
    #[serde(default)]
    pub end_column: u32,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default)]
    pub suppressed: Option<Suppression>,
    /// Stable across runs and unrelated edits: rule + resource + edge + a message digest.
    #[serde(default)]
    pub fingerprint: String,
    /// The CDK construct path of `resource`, when the template records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub construct_path: Option<String>,
    /// In an app's view: the file `line` and `column` are in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileReport {
    pub path: String,
    pub format: Option<Format>,
    pub error: Option<ErrorOut>,
    pub nodes: Vec<NodeOut>,
    pub edges: Vec<EdgeOut>,
    pub findings: Vec<FindingOut>,
    // --- additions ---
    /// Non-fatal problems met while reading (unresolved variables, unknown shapes).
    #[serde(default)]
    pub warnings: Vec<ErrorOut>,
}

impl FileReport {
    pub fn failed(path: &str, error: ParseError) -> Self {
        FileReport {
            path: path.to_owned(),
            format: None,
            error: Some(error.into()),
            nodes: Vec::new(),
            edges: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Unsuppressed findings.
    pub fn active(&self) -> impl Iterator<Item = &FindingOut> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}

/// An app made of several files, as one graph.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct AppOut {
    /// The app's name: the `cdk.out` directory, or the root template's path.
    pub name: String,
    /// `cdk` (a cloud assembly), `stacks` (a template with nested stacks), `serverless` (a
    /// service with `${file(...)}` includes).
    pub kind: String,
    /// The file the app is read from (`cdk.out/manifest.json`, the root template).
    pub root: String,
    pub files: Vec<AppFileOut>,
    pub stacks: Vec<StackOut>,
    /// Nodes of every stack; `group` is the nested stack a node is in, when it is.
    pub nodes: Vec<NodeOut>,
    /// Every edge, the ones crossing stacks and files included.
    pub edges: Vec<EdgeOut>,
    /// Every finding (the same ones as under `files`), in the app's ids, with its `file`.
    pub findings: Vec<FindingOut>,
}

impl AppOut {
    /// The whole app as one report (its ids, nested stacks as groups): what a diagram or a
    /// findings-only link of the app shows.
    pub fn as_report(&self) -> FileReport {
        FileReport {
            path: self.name.clone(),
            format: self.files.iter().find_map(|f| f.format),
            error: None,
            nodes: self.nodes.clone(),
            edges: self.edges.clone(),
            findings: self.findings.clone(),
            warnings: Vec::new(),
        }
    }
}

/// One file of an app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AppFileOut {
    pub path: String,
    /// `template` (a stack's template, reported under `files`), `include` (a Serverless
    /// `${file(...)}`), `manifest`, `tree` or `metadata` (CDK's cloud assembly files).
    pub role: String,
    #[serde(default)]
    pub format: Option<Format>,
}

/// One stack of an app.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StackOut {
    /// The construct path of a CDK stack, the stack name of a top-level stack, else the id
    /// of the resource that deploys it.
    pub name: String,
    /// Its template.
    pub file: String,
    /// The prefix of its resources' ids in the app (`""` for the root stack).
    pub prefix: String,
    /// The `AWS::CloudFormation::Stack` node of the parent that deploys it.
    #[serde(default)]
    pub node: Option<String>,
    /// The stack it is nested in (its name).
    #[serde(default)]
    pub parent: Option<String>,
}

/// FNV-1a, 64 bit: a tiny stable hash for fingerprints (not for security).
pub fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

//! The service graph: who triggers whom, who can touch what, and what protects each path.
//!
//! Built once per template from the expanded model. Roles, policies, permissions and log
//! groups are attached facts of the node they serve, not nodes of their own, unless they
//! stand alone.

pub mod build;

use std::collections::HashMap;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};

use crate::model::Template;
use crate::span::Span;

/// What an architect calls a box on the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Api,
    Function,
    FunctionUrl,
    Queue,
    Topic,
    Stream,
    EventBus,
    EventRule,
    Schedule,
    StateMachine,
    Table,
    Bucket,
    DocumentDb,
    Database,
    Cache,
    UserPool,
    IdentityPool,
    Secret,
    Parameter,
    KmsKey,
    WebAcl,
    LogGroup,
    Trail,
    Distribution,
    Role,
    External,
    Other,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Api => "api",
            NodeKind::Function => "function",
            NodeKind::FunctionUrl => "function_url",
            NodeKind::Queue => "queue",
            NodeKind::Topic => "topic",
            NodeKind::Stream => "stream",
            NodeKind::EventBus => "event_bus",
            NodeKind::EventRule => "event_rule",
            NodeKind::Schedule => "schedule",
            NodeKind::StateMachine => "state_machine",
            NodeKind::Table => "table",
            NodeKind::Bucket => "bucket",
            NodeKind::DocumentDb => "document_db",
            NodeKind::Database => "database",
            NodeKind::Cache => "cache",
            NodeKind::UserPool => "user_pool",
            NodeKind::IdentityPool => "identity_pool",
            NodeKind::Secret => "secret",
            NodeKind::Parameter => "parameter",
            NodeKind::KmsKey => "kms_key",
            NodeKind::WebAcl => "web_acl",
            NodeKind::LogGroup => "log_group",
            NodeKind::Trail => "trail",
            NodeKind::Distribution => "distribution",
            NodeKind::Role => "role",
            NodeKind::External => "external",
            NodeKind::Other => "resource",
        }
    }

    /// Does this kind hold data (a target of `access` edges worth drawing)?
    pub fn is_data_store(self) -> bool {
        matches!(
            self,
            NodeKind::Table
                | NodeKind::Bucket
                | NodeKind::DocumentDb
                | NodeKind::Database
                | NodeKind::Cache
                | NodeKind::Queue
                | NodeKind::Topic
                | NodeKind::Stream
                | NodeKind::Secret
                | NodeKind::Parameter
        )
    }

    /// The layer this kind sits in, left to right on the diagram.
    pub fn layer(self) -> u8 {
        match self {
            NodeKind::WebAcl
            | NodeKind::UserPool
            | NodeKind::IdentityPool
            | NodeKind::Distribution => 0,
            NodeKind::Api
            | NodeKind::FunctionUrl
            | NodeKind::Schedule
            | NodeKind::EventRule
            | NodeKind::EventBus => 1,
            NodeKind::Function | NodeKind::StateMachine => 2,
            _ => 3,
        }
    }
}

/// A fact attached to a node and shown as a badge (its role, its log group, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// `role`, `policy`, `permission`, `log_group`, `setting`, ...
    pub kind: String,
    /// The resource that carries the fact, when there is one.
    pub id: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GNode {
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
    /// CloudFormation type (`AWS::Lambda::Function`), or `External` for unknown targets.
    #[serde(rename = "type")]
    pub type_: String,
    #[serde(skip)]
    pub span: Span,
    pub facts: Vec<Fact>,
    /// Enclosing container (the API a route belongs to, a Composer group).
    pub group: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EdgeKind {
    /// Invocation: route -> function, queue -> function, ...
    Trigger,
    /// IAM-granted access: function -> store.
    Access,
    /// Named in configuration (environment variables) without a grant being implied.
    Reference,
    /// Protection: authorizer -> route, WAF -> stage, key -> store, log group -> resource.
    Guards,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Trigger => "trigger",
            EdgeKind::Access => "access",
            EdgeKind::Reference => "reference",
            EdgeKind::Guards => "guards",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccessLevel {
    Read,
    Write,
    Admin,
}

/// An API route that triggers a function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Route {
    pub method: String,
    pub path: String,
    /// The resource a user edits to change this route (method, route, SAM function event).
    pub resource: String,
    /// Effective authorizer kind (`NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`), if known.
    pub authorization: Option<String>,
    pub api_key_required: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct GEdge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
    #[serde(skip)]
    pub span: Span,
    pub access: Option<AccessLevel>,
    pub wildcard: bool,
    pub route: Option<Route>,
    /// IAM actions behind an access edge.
    pub actions: Vec<String>,
    /// The resource that justifies the edge (a method, a role, a permission).
    pub via: Option<String>,
}

/// The service graph of one template.
#[derive(Debug, Default)]
pub struct Graph {
    pub g: StableDiGraph<GNode, GEdge>,
    index: HashMap<String, NodeIndex>,
    /// Resource id -> the node it is attached to as a fact (roles, permissions, log groups).
    pub attached: HashMap<String, String>,
}

impl Graph {
    pub fn build(t: &Template) -> Graph {
        build::build(t)
    }

    pub fn add_node(&mut self, n: GNode) -> NodeIndex {
        if let Some(&i) = self.index.get(&n.id) {
            return i;
        }
        let id = n.id.clone();
        let i = self.g.add_node(n);
        self.index.insert(id, i);
        i
    }

    pub fn node(&self, id: &str) -> Option<&GNode> {
        self.index.get(id).map(|&i| &self.g[i])
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut GNode> {
        self.index.get(id).map(|&i| &mut self.g[i])
    }

    pub fn has(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Add an edge between two existing nodes; returns false when an end is missing.
    pub fn add_edge(&mut self, e: GEdge) -> bool {
        let (Some(&a), Some(&b)) = (self.index.get(&e.from), self.index.get(&e.to)) else {
            return false;
        };
        let dup = self.g.edges_connecting(a, b).any(|x| {
            let w = x.weight();
            w.kind == e.kind && w.label == e.label
        });
        if !dup {
            self.g.add_edge(a, b, e);
        }
        true
    }

    pub fn nodes(&self) -> impl Iterator<Item = &GNode> {
        self.g.node_indices().map(move |i| &self.g[i])
    }

    pub fn edges(&self) -> impl Iterator<Item = &GEdge> {
        self.g
            .edge_indices()
            .filter_map(move |i| self.g.edge_weight(i))
    }

    pub fn edges_from<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        let idx = self.index.get(id).copied();
        idx.into_iter().flat_map(move |i| {
            self.g
                .edges_directed(i, petgraph::Direction::Outgoing)
                .map(|e| e.weight())
        })
    }

    pub fn edges_to<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        let idx = self.index.get(id).copied();
        idx.into_iter().flat_map(move |i| {
            self.g
                .edges_directed(i, petgraph::Direction::Incoming)
                .map(|e| e.weight())
        })
    }
}

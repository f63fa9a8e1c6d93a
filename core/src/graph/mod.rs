//! The service graph: who triggers whom, who can touch what, and what protects each path.
//!
//! Built once per template from the expanded model (CloudFormation-shaped: SAM and
//! Serverless inputs arrive already expanded). Roles, policies, permissions, log groups,
//! stages, methods and the like are *attached facts* of the node they serve
//! ([`Graph::attached`], [`GNode::facts`]), not nodes of their own, unless they stand alone.
//!
//! Modules, in the order [`Graph::build`] runs them (it is the one place that decides when each
//! builder runs; builders never call or import each other, see the layering test below):
//! - [`build`]: nodes and attachments;
//! - [`routes`]: API routes from `AWS::ApiGateway::Method`, `AWS::ApiGatewayV2::Route`,
//!   inline OpenAPI bodies, AppSync resolvers and load balancer rules, with effective
//!   authorization;
//! - [`triggers`]: event sources (queues, streams, topics, bucket notifications, rules,
//!   schedules, user pool triggers, state machines, function URLs, log subscriptions,
//!   pipes, Firehose, custom resources);
//! - [`access`]: what each function's, state machine's or identity pool's role reaches,
//!   references from configuration, and network access to databases;
//! - [`guards`]: authorizers, WAF, usage plans, KMS keys, log groups, stage settings;
//! - [`trust`]: `assumes` edges from trusted principals to roles, and escalation paths;
//! - [`derived`]: facts computed once for rules and the UI ([`Derived`]);
//!
//! and the leaves every builder may use (they import no builder):
//! - [`lookup`]: what a type is for the graph, which resources a value names, external
//!   nodes, a function's role and statements, the level of an IAM action;
//! - [`iam`]: a role's `Allow` statements and what they reach, ARN patterns, physical names;
//! - [`info`]: the API settings ([`ApiInfo`]) guards collect and derived facts read.
//!
//! [`export`] renders a built graph (DOT, Mermaid, JSON).
//!
//! Unknown ends (`Fn::ImportValue`, ARNs of resources outside the template) become one
//! [`NodeKind::External`] node per distinct target with `unknown: true`: never a silent
//! drop, never a guessed match.
//!
//! Querying it (what the rules do):
//!
//! ```
//! let text = r#"
//! Resources:
//!   Fn:
//!     Type: AWS::Lambda::Function
//!     Properties: {Runtime: python3.12, Handler: a.h, Code: {ZipFile: x}, Role: !GetAtt Role.Arn}
//!   Role:
//!     Type: AWS::IAM::Role
//!     Properties:
//!       AssumeRolePolicyDocument: {}
//!       Policies:
//!         - PolicyName: p
//!           PolicyDocument:
//!             Statement: [{Effect: Allow, Action: "dynamodb:*", Resource: "*"}]
//!   Table:
//!     Type: AWS::DynamoDB::Table
//!   Url:
//!     Type: AWS::Lambda::Url
//!     Properties: {AuthType: NONE, TargetFunctionArn: !GetAtt Fn.Arn}
//! "#;
//! let a = pillarlint_core::analyze_text(text).unwrap();
//! let g = &a.graph;
//! assert_eq!(g.public_entry_points().count(), 1);
//! for route in g.routes().iter().filter(|r| r.public) {
//!     assert_eq!(g.reachable_stores(route).count(), 1);
//!     for reach in g.reachable_stores(route) {
//!         // "Url ANY / -> Fn" reaches Table (admin, wildcard): weakest link "no authorization"
//!         assert_eq!(reach.store, "Table");
//!         assert!(reach.wildcard);
//!         assert_eq!(reach.weakest.reason, "no authorization");
//!     }
//! }
//! assert!(!g.has("Role"), "the role is a fact of Fn");
//! assert_eq!(g.attached["Role"], "Fn");
//! ```

pub mod access;
pub mod build;
pub mod derived;
pub mod export;
pub mod guards;
pub mod iam;
pub mod info;
pub mod lookup;
pub mod routes;
pub mod triggers;
pub mod trust;

pub use derived::{
    Auth, AuthKind, Derived, EntryKind, EntryPoint, FunctionInfo, Reach, RouteInfo, WeakLink,
};
pub use info::{ApiInfo, StageInfo, Throttle, UsagePlanInfo};

use std::collections::HashMap;

use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
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
    UsagePlan,
    Role,
    /// An IAM user.
    User,
    /// An IAM group.
    Group,
    /// Someone outside the template a trust policy lets in: an account, an AWS service, a
    /// federated identity provider, or anyone (`*`).
    Principal,
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
            NodeKind::UsagePlan => "usage_plan",
            NodeKind::Role => "role",
            NodeKind::User => "user",
            NodeKind::Group => "group",
            NodeKind::Principal => "principal",
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
            | NodeKind::UsagePlan
            | NodeKind::UserPool
            | NodeKind::IdentityPool
            | NodeKind::Distribution
            | NodeKind::User
            | NodeKind::Group
            | NodeKind::Principal => 0,
            NodeKind::Api
            | NodeKind::FunctionUrl
            | NodeKind::Schedule
            | NodeKind::EventRule
            | NodeKind::EventBus => 1,
            NodeKind::Function | NodeKind::StateMachine | NodeKind::Role => 2,
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
    /// True for [`NodeKind::External`] nodes: something outside the template whose
    /// configuration pillarlint cannot see.
    pub unknown: bool,
}

impl GNode {
    /// A node for a resource of the template.
    pub fn new(id: &str, kind: NodeKind, type_: &str, span: Span) -> GNode {
        GNode {
            id: id.to_owned(),
            kind,
            label: id.to_owned(),
            type_: type_.to_owned(),
            span,
            facts: Vec::new(),
            group: None,
            unknown: false,
        }
    }
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
    /// Who can become whom: a trusted principal -> the role (or what runs as it), and
    /// privilege-escalation paths (an identity -> the stronger one it can take over).
    Assumes,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Trigger => "trigger",
            EdgeKind::Access => "access",
            EdgeKind::Reference => "reference",
            EdgeKind::Guards => "guards",
            EdgeKind::Assumes => "assumes",
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
    /// Effective authorizer kind (`NONE`, `AWS_IAM`, `COGNITO_USER_POOLS`, `JWT`, `CUSTOM`);
    /// `None` when the template does not fix it (a parameter without default, an import).
    /// An API key alone leaves this `NONE`: a key is not an identity.
    pub authorization: Option<String>,
    pub api_key_required: bool,
    /// The authorizer behind `authorization`: an `AWS::ApiGateway(V2)::Authorizer` id, or
    /// the OpenAPI security scheme name.
    #[serde(default)]
    pub authorizer: Option<String>,
    /// Where the route was read: `method` (`AWS::ApiGateway::Method`), `route`
    /// (`AWS::ApiGatewayV2::Route`), `openapi` (an inline `Body`/`DefinitionBody`), `quick`
    /// (an HTTP API's `Target`).
    #[serde(default)]
    pub source: String,
    /// Callable from the internet without an identity (see [`RouteInfo::public`]); filled
    /// once the derived facts are computed.
    #[serde(default)]
    pub public: bool,
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
    /// The resource that justifies the edge (a method, a role, a permission): always a
    /// resource id of the template, never a description.
    pub via: Option<String>,
    /// What within `via` (or the source) makes the edge, when that is no resource of its
    /// own: `env:<VAR>` (an environment variable naming the target), `managed:<policy>`
    /// (an AWS managed policy of the role in `via`), `security group`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// An `access` edge that exists through the network (a database endpoint in the
    /// function's environment, a security-group rule), not through IAM.
    pub network: bool,
}

impl GEdge {
    /// A plain edge; callers fill the optional parts.
    pub fn new(
        from: &str,
        to: &str,
        kind: EdgeKind,
        label: impl Into<String>,
        span: Span,
    ) -> GEdge {
        GEdge {
            from: from.to_owned(),
            to: to.to_owned(),
            kind,
            label: label.into(),
            span,
            access: None,
            wildcard: false,
            route: None,
            actions: Vec::new(),
            via: None,
            detail: None,
            network: false,
        }
    }
}

/// The service graph of one template.
#[derive(Debug, Default)]
pub struct Graph {
    pub g: StableDiGraph<GNode, GEdge>,
    /// Node id -> its `NodeIndex` (as a `usize`: the map type the model already has, so no
    /// second copy of the hash table code).
    index: HashMap<String, usize>,
    /// Resource id -> the node it is attached to as a fact (roles, permissions, log groups).
    /// A resource serving several nodes (a role shared by two functions) maps to the first;
    /// [`Graph::attached_to`] lists them all.
    pub attached: HashMap<String, String>,
    /// Resource id -> every node it is attached to.
    pub attachments: crate::smap::StrLists,
    /// Facts derived once after building; see [`Derived`].
    pub derived: Derived,
    /// Fixed physical names (`TableName: orders`) -> node ids, for literal references.
    pub(crate) names: crate::smap::StrLists,
    /// The template's IAM policy model, built once with the graph (rules read it from here).
    pub iam: crate::iam::IamModel,
}

impl Graph {
    /// Build the graph of an expanded template: nodes and attachments, then routes, event
    /// sources, IAM access, environment references, network access and guards, then the
    /// derived facts, and last the public flag of route edges (it needs the derived routes).
    pub fn build(t: &Template) -> Graph {
        let mut g = build::nodes(t);
        routes::build_routes(t, &mut g);
        triggers::build_triggers(t, &mut g);
        let wild = access::build_access(t, &mut g);
        access::env_references(t, &mut g, &wild);
        access::network_access(t, &mut g);
        guards::build_guards(t, &mut g);
        trust::build_trust(t, &mut g);
        g.derived = derived::compute(t, &g);
        build::mark_public_routes(&mut g);
        g
    }

    /// Record that resource `res` is a fact of node `host` (first host wins in `attached`).
    pub fn attach(&mut self, res: &str, host: &str) {
        self.attached
            .entry(res.to_owned())
            .or_insert_with(|| host.to_owned());
        let all = self.attachments.list_mut(res);
        if !all.iter().any(|h| h == host) {
            all.push(host.to_owned());
        }
    }

    /// Every node `res` is attached to (empty when it is a node or unknown).
    pub fn attached_to(&self, res: &str) -> &[String] {
        self.attachments.get(res).map_or(&[], Vec::as_slice)
    }

    /// The node a finding on resource `res` belongs to: itself when it is a node, else the
    /// node it is attached to.
    pub fn host_of<'a>(&'a self, res: &'a str) -> Option<&'a str> {
        if self.has(res) {
            return Some(res);
        }
        self.attached.get(res).map(String::as_str)
    }

    /// The effective permissions of a node: its own when it is a role, user or group, else
    /// those of the roles it runs as ([`crate::iam::effective`]).
    pub fn permissions_of(&self, id: &str) -> Vec<crate::iam::effective::Permission> {
        let ids: Vec<&str> = if self.iam.identity(id).is_some() {
            vec![id]
        } else {
            let mut v = self.iam.roles_of(id);
            v.dedup();
            v
        };
        ids.into_iter()
            .flat_map(|i| crate::iam::effective::of(&self.iam, i))
            .collect()
    }

    /// Add a fact to a node (no duplicates).
    pub fn add_fact(&mut self, host: &str, fact: Fact) {
        if let Some(n) = self.node_mut(host) {
            if !n.facts.contains(&fact) {
                n.facts.push(fact);
            }
        }
    }

    /// Every API route, function URL and other entry, with effective authorization and
    /// protection (see [`RouteInfo`]).
    pub fn routes(&self) -> &[RouteInfo] {
        &self.derived.routes
    }

    /// Every way into the service from outside: routes, function URLs, public buckets,
    /// identity pools with guest access.
    pub fn entry_points(&self) -> &[EntryPoint] {
        &self.derived.entry_points
    }

    /// Entry points anyone on the internet can use without an identity.
    pub fn public_entry_points(&self) -> impl Iterator<Item = &EntryPoint> {
        self.derived.entry_points.iter().filter(|e| e.public)
    }

    /// The data stores reachable from a route (by its key), with the weakest link of each path.
    pub fn reachable_stores<'a>(
        &'a self,
        route: &'a RouteInfo,
    ) -> impl Iterator<Item = &'a Reach> + 'a {
        self.reachable_from(&route.key)
    }

    /// The data stores reachable from an entry point key ([`EntryPoint::key`]).
    pub fn reachable_from<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Reach> + 'a {
        self.derived.reach.iter().filter(move |r| r.entry == key)
    }

    /// Granted vs referenced stores of a function (or state machine).
    pub fn function_info(&self, id: &str) -> Option<&FunctionInfo> {
        self.derived.functions.get(id)
    }

    /// Stage settings, WAF and usage plans of an API.
    pub fn api_info(&self, id: &str) -> Option<&ApiInfo> {
        self.derived.apis.get(id)
    }

    /// Nodes of one kind.
    pub fn nodes_of(&self, kind: NodeKind) -> impl Iterator<Item = &GNode> {
        self.nodes().filter(move |n| n.kind == kind)
    }

    /// What invokes a node (incoming `trigger` edges).
    pub fn triggers_of<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        self.edges_to(id).filter(|e| e.kind == EdgeKind::Trigger)
    }

    /// What protects a node (incoming `guards` edges: authorizers, WAF, keys, logs).
    pub fn guards_of<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        self.edges_to(id).filter(|e| e.kind == EdgeKind::Guards)
    }

    /// Access edges (IAM or network) out of a node.
    pub fn access_from<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        self.edges_from(id).filter(|e| e.kind == EdgeKind::Access)
    }

    /// The index of node `id`.
    fn idx(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).map(|&i| NodeIndex::new(i))
    }

    pub fn add_node(&mut self, n: GNode) -> NodeIndex {
        if let Some(i) = self.idx(&n.id) {
            return i;
        }
        let id = n.id.clone();
        let i = self.g.add_node(n);
        self.index.insert(id, i.index());
        i
    }

    pub fn node(&self, id: &str) -> Option<&GNode> {
        self.idx(id).map(|i| &self.g[i])
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut GNode> {
        self.idx(id).map(|i| &mut self.g[i])
    }

    pub fn has(&self, id: &str) -> bool {
        self.index.contains_key(id)
    }

    /// Add an edge between two existing nodes; returns false when an end is missing.
    pub fn add_edge(&mut self, e: GEdge) -> bool {
        let (Some(a), Some(b)) = (self.idx(&e.from), self.idx(&e.to)) else {
            return false;
        };
        // One access edge per (from, to): merge grants into it (highest level, any
        // wildcard, every action), keeping the position of the strongest grant.
        if e.kind == EdgeKind::Access {
            let existing = self
                .g
                .edges_connecting(a, b)
                .find(|x| x.weight().kind == EdgeKind::Access)
                .map(|x| x.id());
            if let Some(id) = existing {
                if let Some(w) = self.g.edge_weight_mut(id) {
                    if e.access > w.access {
                        w.access = e.access;
                        w.label = e.label.clone();
                        w.span = e.span;
                        w.via = e.via.clone();
                    }
                    w.wildcard |= e.wildcard;
                    w.network |= e.network;
                    for act in e.actions {
                        if !w.actions.contains(&act) {
                            w.actions.push(act);
                        }
                    }
                }
                return true;
            }
        }
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
        let idx = self.idx(id);
        idx.into_iter().flat_map(move |i| {
            self.g
                .edges_directed(i, petgraph::Direction::Outgoing)
                .map(|e| e.weight())
        })
    }

    pub fn edges_to<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a GEdge> + 'a {
        let idx = self.idx(id);
        idx.into_iter().flat_map(move |i| {
            self.g
                .edges_directed(i, petgraph::Direction::Incoming)
                .map(|e| e.weight())
        })
    }
}

/// The layering of this folder: builders (one pass each of [`Graph::build`]) import leaves and
/// this module only, never each other, so no import circle can come back; leaves import no
/// builder. A new module must be classified here for the tests to pass.
#[cfg(test)]
mod layering {
    /// Shared lookups and types.
    const LEAVES: &[&str] = &["lookup", "iam", "info"];
    /// One pass each of `Graph::build`.
    const BUILDERS: &[&str] = &[
        "build", "routes", "triggers", "access", "guards", "trust", "derived",
    ];
    /// Reads a built graph.
    const READERS: &[&str] = &["export"];

    const SOURCES: &[(&str, &str)] = &[
        ("access", include_str!("access.rs")),
        ("build", include_str!("build.rs")),
        ("derived", include_str!("derived.rs")),
        ("export", include_str!("export.rs")),
        ("guards", include_str!("guards.rs")),
        ("iam", include_str!("iam.rs")),
        ("info", include_str!("info.rs")),
        ("lookup", include_str!("lookup.rs")),
        ("routes", include_str!("routes.rs")),
        ("triggers", include_str!("triggers.rs")),
        ("trust", include_str!("trust.rs")),
    ];

    fn all_modules() -> Vec<&'static str> {
        LEAVES
            .iter()
            .chain(BUILDERS)
            .chain(READERS)
            .copied()
            .collect()
    }

    fn ident_at(s: &str) -> &str {
        let end = s
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        &s[..end]
    }

    /// The graph modules a source names in its paths (`super::x::…`, `crate::graph::x::…`,
    /// `use super::{x::…, …}`), `*` for a glob import; its comments and its test module (at
    /// the end of the file) are not read.
    fn modules_used(src: &str) -> Vec<String> {
        let code = src.split("#[cfg(test)]").next().unwrap_or(src);
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let modules = all_modules();
        let mut out: Vec<String> = Vec::new();
        let mut note = |name: &str| {
            if (name == "*" || modules.contains(&name)) && !out.iter().any(|x| x == name) {
                out.push(name.to_owned());
            }
        };
        for prefix in ["super::", "crate::graph::"] {
            for (at, _) in code.match_indices(prefix) {
                let rest = &code[at + prefix.len()..];
                if let Some(group) = rest.strip_prefix('{') {
                    let mut depth = 1;
                    let mut item_start = true;
                    for (i, c) in group.char_indices() {
                        match c {
                            '{' => depth += 1,
                            '}' => {
                                depth -= 1;
                                if depth == 0 {
                                    break;
                                }
                            }
                            ',' if depth == 1 => item_start = true,
                            c if c.is_whitespace() => {}
                            _ if item_start && depth == 1 => {
                                item_start = false;
                                let name = ident_at(&group[i..]);
                                note(if name.is_empty() {
                                    &group[i..i + 1]
                                } else {
                                    name
                                });
                            }
                            _ => {}
                        }
                    }
                } else if rest.starts_with('*') {
                    note("*");
                } else {
                    note(ident_at(rest));
                }
            }
        }
        out
    }

    #[test]
    fn the_scanner_sees_every_form_of_import() {
        let src = "//! see [`super::routes`]\n\
                   use super::lookup::{targets, external};\n\
                   use super::{derived::compute, Graph,\n    triggers};\n\
                   fn f() { crate::graph::access::build_access(); super::iam::glob(\"a\", \"b\"); }\n\
                   // super::guards::x\n\
                   #[cfg(test)]\nmod tests { use super::*; }\n";
        let mut used = modules_used(src);
        used.sort();
        assert_eq!(used, ["access", "derived", "iam", "lookup", "triggers"]);
        assert_eq!(modules_used("use super::*;\n"), ["*"]);
    }

    #[test]
    fn every_module_is_classified_once() {
        let declared: Vec<&str> = include_str!("mod.rs")
            .lines()
            .filter_map(|l| {
                l.strip_prefix("pub mod ")
                    .or_else(|| l.strip_prefix("mod "))
            })
            .filter_map(|l| l.strip_suffix(';'))
            .collect();
        let mut classified = all_modules();
        classified.sort_unstable();
        let mut d = declared.clone();
        d.sort_unstable();
        assert_eq!(
            d, classified,
            "declared modules vs LEAVES + BUILDERS + READERS"
        );
        let mut sources: Vec<&str> = SOURCES.iter().map(|(n, _)| *n).collect();
        sources.sort_unstable();
        assert_eq!(sources, classified, "every module's source is read");
    }

    #[test]
    fn builders_and_readers_import_leaves_only() {
        for (name, src) in SOURCES.iter().filter(|(n, _)| !LEAVES.contains(n)) {
            for used in modules_used(src) {
                assert!(
                    LEAVES.contains(&used.as_str()) || used == *name,
                    "graph/{name}.rs uses `{used}`: builders import only the leaves {LEAVES:?} and graph/mod.rs; move what they share into a leaf, and call builders from Graph::build"
                );
            }
        }
    }

    #[test]
    fn leaves_import_no_builder_and_form_no_circle() {
        // Depth-first over the leaves' imports: a leaf on its own path is a circle.
        fn visit(name: &str, path: &mut Vec<String>) {
            let src = SOURCES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, s)| *s);
            for used in modules_used(src) {
                assert!(
                    LEAVES.contains(&used.as_str()),
                    "leaf graph/{name}.rs uses `{used}`, which is not a leaf"
                );
                if used == name {
                    continue;
                }
                assert!(
                    !path.contains(&used),
                    "import circle among leaves: {path:?} -> {used}"
                );
                path.push(used.clone());
                visit(&used, path);
                path.pop();
            }
        }
        for leaf in LEAVES {
            visit(leaf, &mut vec![(*leaf).to_owned()]);
        }
    }
}

//! Derived facts, computed once after the graph is built and cached on it
//! ([`super::Graph::derived`]), for the rules and the UI.
//!
//! - [`RouteInfo`] ([`super::Graph::routes`]): every API route and function URL with its
//!   effective authorization ([`Auth`]), whether it is public, and what protects it from
//!   floods: stage throttling (REST `MethodSettings` for `*`/`/*` or the route itself,
//!   Deployment `StageDescription`, HTTP API `DefaultRouteSettings`/`RouteSettings`), a
//!   usage plan throttle when every call needs a key, WAF (stage association or a
//!   CloudFront distribution with a web ACL in front), and the target function's reserved
//!   concurrency.
//! - [`EntryPoint`] ([`super::Graph::entry_points`]): routes, function URLs, public
//!   buckets, identity pools that hand credentials to guests, and queues, topics and
//!   functions with an open resource policy; `public` when anyone can use them without an
//!   identity.
//! - [`Reach`] ([`super::Graph::reachable_stores`]): for each entry point, each data store
//!   reachable through trigger edges and then an access edge (write access to a queue,
//!   topic, stream or bucket continues through what that store triggers), with the path
//!   and its [`WeakLink`]: the hop that most lowers protection (no authorization > API key
//!   only > wildcard admin grant > admin grant > network access > wildcard grant > write >
//!   read > authenticated route).
//! - [`FunctionInfo`] ([`super::Graph::function_info`]): per function (and state machine)
//!   the stores granted (access edges) vs referenced (environment, other properties, the
//!   sources that trigger it), over-granted stores (granted, never referenced) and missing
//!   grants (named in the environment, reachable only through IAM, no grant).
//! - [`ApiInfo`] ([`super::Graph::api_info`]): stages with their settings, WAF, usage
//!   plans, request validators.

use std::collections::VecDeque;

use crate::smap::{StrMap, StrSet};

use serde::Serialize;

use crate::model::resolve::{resolve, Resolved};
use crate::model::Template;
use crate::span::Span;
use crate::value::Value;

use super::info::ApiInfo;
use super::lookup::{services_of_type, targets};
use super::{AccessLevel, EdgeKind, Graph, NodeKind};

/// What authenticates callers of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    /// Nobody is asked who they are (an API key may still be required).
    #[default]
    None,
    /// IAM signatures (`AWS_IAM`).
    Iam,
    /// A Cognito user pool authorizer.
    Cognito,
    /// A JWT authorizer (HTTP APIs).
    Jwt,
    /// A Lambda (custom) authorizer.
    Lambda,
    /// The template does not fix it (a parameter, an import).
    Unknown,
}

impl AuthKind {
    pub fn from_authorization(a: Option<&str>) -> AuthKind {
        match a.map(str::to_ascii_uppercase).as_deref() {
            None => AuthKind::Unknown,
            Some("NONE" | "") => AuthKind::None,
            Some("AWS_IAM") => AuthKind::Iam,
            Some("COGNITO_USER_POOLS") => AuthKind::Cognito,
            Some("JWT") => AuthKind::Jwt,
            Some("CUSTOM") => AuthKind::Lambda,
            Some(_) => AuthKind::Unknown,
        }
    }
}

/// Effective authorization of a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Auth {
    pub kind: AuthKind,
    /// The authorizer resource or OpenAPI scheme.
    pub authorizer: Option<String>,
    /// An API key is required. Not authentication: keys identify a client app, not a caller.
    pub api_key_required: bool,
}

impl Auth {
    /// Does the route ask callers who they are?
    pub fn is_authenticated(&self) -> bool {
        matches!(
            self.kind,
            AuthKind::Iam | AuthKind::Cognito | AuthKind::Jwt | AuthKind::Lambda
        )
    }
}

/// An API route or a function URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteInfo {
    /// Unique key: `<api> <METHOD> <path> -> <target>`; also the [`EntryPoint::key`].
    pub key: String,
    /// The API (or the function URL node).
    pub api: String,
    /// What the route invokes (usually a function).
    pub target: String,
    pub method: String,
    pub path: String,
    /// The resource to edit to change the route (method, route, the API for OpenAPI
    /// bodies, the URL).
    pub resource: String,
    /// `method`, `route`, `openapi`, `quick`, `appsync`, `alb` or `function_url`.
    pub source: String,
    pub auth: Auth,
    /// Callable from the internet without an identity: authorization known to be `NONE`
    /// (an API key does not count) and the endpoint not private. `false` when the
    /// authorization is [`AuthKind::Unknown`]: never a guess.
    pub public: bool,
    /// What throttles it: `stage <name>`, `usage plan <id>`.
    pub throttled_by: Vec<String>,
    /// Declared stages (`AWS::ApiGateway::Stage`, a deployment's `StageDescription`,
    /// `AWS::ApiGatewayV2::Stage`) that serve the route without throttling it.
    pub unthrottled_stages: Vec<String>,
    /// Web ACLs in front of it.
    pub waf: Vec<String>,
    /// `ReservedConcurrentExecutions` of the target function.
    pub reserved_concurrency: Option<i64>,
    #[serde(skip)]
    pub span: Span,
}

impl RouteInfo {
    /// POST, PUT, PATCH, DELETE, ANY, or a GraphQL mutation.
    pub fn is_write(&self) -> bool {
        matches!(
            self.method.as_str(),
            "POST" | "PUT" | "PATCH" | "DELETE" | "ANY" | "MUTATION"
        )
    }

    /// Throttled on every declared stage (or by a usage plan every call goes through).
    pub fn is_throttled(&self) -> bool {
        !self.throttled_by.is_empty()
            && (self.unthrottled_stages.is_empty()
                || self
                    .throttled_by
                    .iter()
                    .any(|t| t.starts_with("usage plan")))
    }

    /// Some protection against floods: throttling, WAF or reserved concurrency.
    pub fn has_flood_protection(&self) -> bool {
        self.is_throttled() || !self.waf.is_empty() || self.reserved_concurrency.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Route,
    FunctionUrl,
    PublicBucket,
    /// A Cognito identity pool handing AWS credentials to guest (unauthenticated)
    /// identities: anyone can call AWS with its guest role.
    GuestIdentityPool,
    /// A queue, topic or function whose resource policy lets anyone (`Principal: "*"`, no
    /// condition) send, publish or invoke.
    OpenResourcePolicy,
}

/// A way into the service from outside.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryPoint {
    /// Unique key (for routes and URLs the [`RouteInfo::key`], for buckets the bucket id).
    pub key: String,
    pub kind: EntryKind,
    /// The node the entry belongs to (API, URL, bucket).
    pub node: String,
    /// The first node behind it (the route's function), if any.
    pub target: Option<String>,
    pub label: String,
    pub public: bool,
}

/// The hop of a path that most lowers protection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeakLink {
    pub from: String,
    pub to: String,
    /// `no authorization`, `API key only`, `wildcard admin grant`, `admin grant`,
    /// `network access`, `wildcard grant`, `write grant`, `read grant`, `authenticated`.
    pub reason: String,
    /// Higher is weaker (0-100).
    pub score: u8,
}

/// A data store reachable from an entry point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    /// [`EntryPoint::key`].
    pub entry: String,
    pub store: String,
    /// Node ids from the entry node to the store.
    pub path: Vec<String>,
    /// Access level of the last hop.
    pub access: AccessLevel,
    pub wildcard: bool,
    pub network: bool,
    pub weakest: WeakLink,
}

/// What a function is granted vs what it names.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct FunctionInfo {
    pub id: String,
    pub role: Option<String>,
    /// Other functions running as the same role.
    pub shares_role_with: Vec<String>,
    /// Store -> (level, wildcard, network).
    pub granted: StrMap<(AccessLevel, bool, bool)>,
    /// Nodes named in the environment, other properties, or triggering it.
    pub referenced: StrSet,
    /// Granted through IAM, never referenced.
    pub over_granted: Vec<String>,
    /// Named in the environment, gated by IAM, no grant.
    pub missing_grant: Vec<String>,
    pub reserved_concurrency: Option<i64>,
    /// Reachable from a public entry point (its route, or through other functions, queues,
    /// topics or buses), or an authorizer of a non-private API (it runs on every request).
    pub public: bool,
}

/// Everything derived once; see the module docs.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Derived {
    pub routes: Vec<RouteInfo>,
    pub entry_points: Vec<EntryPoint>,
    pub reach: Vec<Reach>,
    pub functions: StrMap<FunctionInfo>,
    pub apis: StrMap<ApiInfo>,
}

fn reserved(t: &Template, id: &str) -> Option<i64> {
    let v = t.resource(id)?.prop("ReservedConcurrentExecutions")?;
    v.as_i64().or_else(|| match resolve(t, v) {
        Resolved::Literal(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// The highest level an open statement (`Allow`, `Principal: "*"`, no `Condition`) of the
/// policy documents `carrier` holds grants anyone.
fn open_statements_level(iam: &crate::iam::IamModel, carrier: &str) -> Option<AccessLevel> {
    let mut level = None;
    for d in iam.carried_by(carrier) {
        for st in &d.statements {
            if st.is_allow() && !st.has_condition() && st.everyone().is_some() {
                let l = st
                    .action_texts()
                    .iter()
                    .map(|a| super::lookup::access_level(a))
                    .max()
                    .unwrap_or(AccessLevel::Read);
                level = level.max(Some(l));
            }
        }
    }
    level
}

/// Nodes anyone can write to or invoke through an open resource policy: queue and topic
/// policies, and Lambda permissions for `*` with no source condition (the public
/// permissions SAM adds for a function URL only work through that URL and are skipped).
pub fn open_resource_policies(t: &Template, g: &Graph) -> Vec<(String, AccessLevel)> {
    let mut out: Vec<(String, AccessLevel)> = Vec::new();
    for p in t.resources.iter().filter(|r| {
        matches!(
            r.type_.as_str(),
            "AWS::SQS::QueuePolicy" | "AWS::SNS::TopicPolicy"
        )
    }) {
        let Some(level) = open_statements_level(&g.iam, &p.id) else {
            continue;
        };
        let key = if p.type_ == "AWS::SQS::QueuePolicy" {
            "Queues"
        } else {
            "Topics"
        };
        for id in p.prop(key).map(|v| targets(t, v)).unwrap_or_default() {
            if g.has(&id) && !out.iter().any(|(x, _)| *x == id) {
                out.push((id, level));
            }
        }
    }
    for p in t.resources_of("AWS::Lambda::Permission") {
        let st = g
            .iam
            .carried_by(&p.id)
            .flat_map(|d| d.statements.iter())
            .next();
        let open = st.is_some_and(|s| s.everyone().is_some());
        let scoped = st.is_some_and(|s| {
            s.has_condition_key(&[
                "aws:sourcearn",
                "aws:sourceaccount",
                "aws:principalorgid",
                "lambda:functionurlauthtype",
                "lambda:invokedviafunctionurl",
            ])
        });
        if !open || scoped {
            continue;
        }
        for id in p
            .prop("FunctionName")
            .map(|v| targets(t, v))
            .unwrap_or_default()
        {
            if g.has(&id) && !out.iter().any(|(x, _)| *x == id) {
                out.push((id, AccessLevel::Write));
            }
        }
    }
    out
}

/// A bucket anyone can read (or write): a public ACL or an open bucket policy, not blocked
/// by the bucket's public access block (absent means AWS's default: all blocked).
pub fn public_bucket(t: &Template, iam: &crate::iam::IamModel, id: &str) -> Option<AccessLevel> {
    let b = t.resource(id)?;
    let pab = b.prop("PublicAccessBlockConfiguration");
    let flag = |k: &str| pab.is_none_or(|p| p.get(k).and_then(Value::as_bool).unwrap_or(false));
    let mut level = None;
    if !(flag("BlockPublicAcls") || flag("IgnorePublicAcls")) {
        match b.prop("AccessControl").and_then(Value::as_str) {
            Some("PublicRead") => level = Some(AccessLevel::Read),
            Some("PublicReadWrite") => level = Some(AccessLevel::Write),
            _ => {}
        }
    }
    if !(flag("BlockPublicPolicy") || flag("RestrictPublicBuckets")) {
        for p in t.resources_of("AWS::S3::BucketPolicy") {
            if !p
                .prop("Bucket")
                .is_some_and(|v| targets(t, v).iter().any(|x| x == id))
            {
                continue;
            }
            level = level.max(open_statements_level(iam, &p.id));
        }
    }
    level
}

fn weak_of_route(r: &RouteInfo) -> WeakLink {
    let (reason, score) = if r.auth.is_authenticated() {
        ("authenticated", 5)
    } else if r.auth.kind == AuthKind::Unknown {
        ("authorization unknown", 60)
    } else if !r.public {
        ("private endpoint", 5)
    } else if r.auth.api_key_required {
        ("API key only", 90)
    } else {
        ("no authorization", 100)
    };
    WeakLink {
        from: r.api.clone(),
        to: r.target.clone(),
        reason: reason.into(),
        score,
    }
}

fn weak_of_access(
    from: &str,
    to: &str,
    level: AccessLevel,
    wildcard: bool,
    network: bool,
) -> WeakLink {
    let (reason, score) = match (level, wildcard, network) {
        (_, _, true) => ("network access", 55),
        (AccessLevel::Admin, true, _) => ("wildcard admin grant", 80),
        (AccessLevel::Admin, false, _) => ("admin grant", 70),
        (_, true, _) => ("wildcard grant", 50),
        (AccessLevel::Write, false, _) => ("write grant", 40),
        (AccessLevel::Read, false, _) => ("read grant", 30),
    };
    WeakLink {
        from: from.to_owned(),
        to: to.to_owned(),
        reason: reason.into(),
        score,
    }
}

pub fn compute(t: &Template, g: &Graph) -> Derived {
    let apis = g.derived.apis.clone();
    let mut d = Derived {
        apis,
        ..Derived::default()
    };
    // Routes from trigger edges that carry one.
    for e in g.edges().filter(|e| e.kind == EdgeKind::Trigger) {
        let Some(r) = &e.route else { continue };
        let auth = Auth {
            kind: AuthKind::from_authorization(r.authorization.as_deref()),
            authorizer: r.authorizer.clone(),
            api_key_required: r.api_key_required,
        };
        let info = d.apis.get(&e.from);
        let private = info.is_some_and(|i| i.private);
        let mut throttled_by = Vec::new();
        let mut unthrottled_stages = Vec::new();
        let mut waf = Vec::new();
        if let Some(info) = info {
            for s in &info.stages {
                if s.throttle_for(&r.method, &r.path).is_some() {
                    throttled_by.push(format!("stage {}", s.name));
                } else {
                    unthrottled_stages.push(s.name.clone());
                }
            }
            if r.api_key_required {
                for p in info.usage_plans.iter().filter(|p| p.throttle.is_some()) {
                    throttled_by.push(format!("usage plan {}", p.id));
                }
            }
            waf.extend(info.waf.iter().cloned());
        }
        d.routes.push(RouteInfo {
            key: format!("{} {} {} -> {}", e.from, r.method, r.path, e.to),
            api: e.from.clone(),
            target: e.to.clone(),
            method: r.method.clone(),
            path: r.path.clone(),
            resource: r.resource.clone(),
            source: r.source.clone(),
            public: !private && auth.kind == AuthKind::None,
            auth,
            throttled_by,
            unthrottled_stages,
            waf,
            reserved_concurrency: reserved(t, &e.to),
            span: e.span,
        });
    }
    // Function URLs.
    for u in t.resources_of("AWS::Lambda::Url") {
        let Some(e) = g.edges_from(&u.id).find(|e| e.kind == EdgeKind::Trigger) else {
            continue;
        };
        let kind = match u.prop("AuthType").map(|v| resolve(t, v)) {
            Some(Resolved::Literal(s)) if s.eq_ignore_ascii_case("AWS_IAM") => AuthKind::Iam,
            Some(Resolved::Literal(s)) if s.eq_ignore_ascii_case("NONE") => AuthKind::None,
            _ => AuthKind::Unknown,
        };
        let auth = Auth {
            kind,
            authorizer: None,
            api_key_required: false,
        };
        d.routes.push(RouteInfo {
            key: format!("{} ANY / -> {}", u.id, e.to),
            api: u.id.clone(),
            target: e.to.clone(),
            method: "ANY".into(),
            path: "/".into(),
            resource: u.id.clone(),
            source: "function_url".into(),
            public: auth.kind == AuthKind::None,
            auth,
            throttled_by: Vec::new(),
            unthrottled_stages: Vec::new(),
            waf: Vec::new(),
            reserved_concurrency: reserved(t, &e.to),
            span: u.span_of(&["AuthType"]),
        });
    }
    crate::sort::sort_by(&mut d.routes, |a, b| a.key.cmp(&b.key));
    for r in &d.routes {
        d.entry_points.push(EntryPoint {
            key: r.key.clone(),
            kind: if r.source == "function_url" {
                EntryKind::FunctionUrl
            } else {
                EntryKind::Route
            },
            node: r.api.clone(),
            target: Some(r.target.clone()),
            label: format!("{} {}", r.method, r.path),
            public: r.public,
        });
    }
    for b in t.resources_of("AWS::S3::Bucket") {
        if public_bucket(t, &g.iam, &b.id).is_some() && g.has(&b.id) {
            d.entry_points.push(EntryPoint {
                key: b.id.clone(),
                kind: EntryKind::PublicBucket,
                node: b.id.clone(),
                target: None,
                label: format!("public bucket {}", b.id),
                public: true,
            });
        }
    }
    for (id, _) in open_resource_policies(t, g) {
        d.entry_points.push(EntryPoint {
            key: format!("open:{id}"),
            kind: EntryKind::OpenResourcePolicy,
            node: id.clone(),
            target: None,
            label: format!("open resource policy on {id}"),
            public: true,
        });
    }
    for p in t.resources_of("AWS::Cognito::IdentityPool") {
        let guests = p
            .prop("AllowUnauthenticatedIdentities")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if guests
            && g.has(&p.id)
            && super::iam::identity_pool_role(t, &p.id, "unauthenticated").is_some()
        {
            d.entry_points.push(EntryPoint {
                key: p.id.clone(),
                kind: EntryKind::GuestIdentityPool,
                node: p.id.clone(),
                target: None,
                label: format!("guest identities of {}", p.id),
                public: true,
            });
        }
    }
    // Reachability.
    let mut publics = StrSet::new();
    for ep in &d.entry_points {
        let route = d.routes.iter().find(|r| r.key == ep.key);
        let (reach, visited) = reach_from(t, g, ep, route);
        if ep.public {
            publics.extend(visited);
        }
        d.reach.extend(reach);
    }
    // Lambda authorizers run on every request, before anyone is authenticated.
    for e in g.edges().filter(|e| e.kind == EdgeKind::Guards) {
        let from_fn = g
            .node(&e.from)
            .is_some_and(|n| n.kind == NodeKind::Function);
        let open_api = d.apis.get(&e.to).is_some_and(|i| !i.private);
        if from_fn && open_api {
            publics.insert(e.from.clone());
        }
    }
    // Functions.
    let mut by_role = crate::smap::StrLists::default();
    for r in &t.resources {
        if g.node(&r.id)
            .is_some_and(|n| matches!(n.kind, NodeKind::Function | NodeKind::StateMachine))
        {
            if let Some(role) = super::lookup::function_role(t, r) {
                by_role.list_mut(&role.id).push(r.id.clone());
            }
        }
    }
    for r in &t.resources {
        let Some(n) = g.node(&r.id) else { continue };
        if !matches!(n.kind, NodeKind::Function | NodeKind::StateMachine) {
            continue;
        }
        let role = super::lookup::function_role(t, r).map(|x| x.id.clone());
        let shares_role_with = role
            .as_ref()
            .and_then(|x| by_role.get(x))
            .map(|v| v.iter().filter(|f| **f != r.id).cloned().collect())
            .unwrap_or_default();
        let mut granted = StrMap::new();
        for e in g.access_from(&r.id) {
            granted.insert(
                e.to.clone(),
                (e.access.unwrap_or(AccessLevel::Read), e.wildcard, e.network),
            );
        }
        let mut referenced = StrSet::new();
        let mut env = StrSet::new();
        for (k, v) in r.properties.as_map().unwrap_or_default() {
            if k.name == "Role" || k.name == "RoleArn" {
                continue;
            }
            for (id, _) in super::iam::named_nodes(t, g, v) {
                if id != r.id {
                    if k.name == "Environment" {
                        env.insert(id.clone());
                    }
                    referenced.insert(id);
                }
            }
        }
        for e in g.edges_to(&r.id).filter(|e| e.kind == EdgeKind::Trigger) {
            referenced.insert(e.from.clone());
        }
        for att in g
            .attachments
            .iter()
            .filter(|(_, hosts)| hosts.contains(&r.id))
            .map(|(a, _)| a)
        {
            if let Some(res) = t.resource(att) {
                if matches!(
                    res.type_.as_str(),
                    "AWS::Lambda::EventInvokeConfig" | "AWS::Lambda::EventSourceMapping"
                ) {
                    for id in targets(t, &res.properties) {
                        if g.has(&id) && id != r.id {
                            referenced.insert(id);
                        }
                    }
                }
            }
        }
        let over_granted = granted
            .iter()
            .filter(|(s, (_, _, network))| {
                !*network && !referenced.contains(s) && !g.node(s).is_some_and(|n| n.unknown)
            })
            .map(|(s, _)| s.clone())
            .collect();
        let missing_grant = env
            .iter()
            .filter(|s| !granted.contains_key(s))
            .filter(|s| {
                t.resource(s)
                    .is_some_and(|x| !services_of_type(&x.type_).is_empty())
                    && g.node(s).is_some_and(|n| n.kind.is_data_store())
            })
            .cloned()
            .collect();
        d.functions.insert(
            r.id.clone(),
            FunctionInfo {
                id: r.id.clone(),
                role,
                shares_role_with,
                granted,
                referenced,
                over_granted,
                missing_grant,
                reserved_concurrency: reserved(t, &r.id),
                public: publics.contains(&r.id),
            },
        );
    }
    d
}

fn is_store(g: &Graph, id: &str) -> bool {
    g.node(id)
        .is_some_and(|n| n.kind.is_data_store() || n.kind == NodeKind::External)
}

/// Breadth-first search from one entry point.
fn reach_from(
    t: &Template,
    g: &Graph,
    ep: &EntryPoint,
    route: Option<&RouteInfo>,
) -> (Vec<Reach>, Vec<String>) {
    // parent[node] = (previous node, weak link of the hop)
    let mut parent: StrMap<(String, WeakLink, AccessLevel, bool, bool)> = StrMap::new();
    let mut queue = VecDeque::new();
    let mut found: Vec<String> = Vec::new();
    let start = ep.node.clone();
    // From a guest identity pool, only the guest role's grants count.
    let mut guest_vias: Option<StrSet> = None;
    match route {
        Some(r) => {
            let weak = weak_of_route(r);
            parent.insert(
                r.target.clone(),
                (start.clone(), weak, route_level(r), false, false),
            );
            if is_store(g, &r.target) {
                found.push(r.target.clone());
            }
            queue.push_back(r.target.clone());
        }
        None if ep.kind == EntryKind::GuestIdentityPool => {
            let weak = WeakLink {
                from: start.clone(),
                to: start.clone(),
                reason: "guest identities".into(),
                score: 100,
            };
            parent.insert(
                start.clone(),
                (start.clone(), weak, AccessLevel::Read, false, false),
            );
            queue.push_back(start.clone());
            guest_vias = super::iam::identity_pool_role(t, &start, "unauthenticated")
                .map(|r| super::iam::role_vias(&g.iam, r));
        }
        None if ep.kind == EntryKind::OpenResourcePolicy => {
            let level = open_resource_policies(t, g)
                .into_iter()
                .find(|(id, _)| *id == start)
                .map_or(AccessLevel::Write, |(_, l)| l);
            let weak = WeakLink {
                from: start.clone(),
                to: start.clone(),
                reason: "open resource policy".into(),
                score: 100,
            };
            parent.insert(start.clone(), (start.clone(), weak, level, false, false));
            if is_store(g, &start) {
                found.push(start.clone());
            }
            queue.push_back(start.clone());
        }
        None => {
            let level = public_bucket(t, &g.iam, &start).unwrap_or(AccessLevel::Read);
            let weak = WeakLink {
                from: start.clone(),
                to: start.clone(),
                reason: "public bucket".into(),
                score: 100,
            };
            parent.insert(start.clone(), (start.clone(), weak, level, false, false));
            found.push(start.clone());
            queue.push_back(start.clone());
        }
    }
    let mut steps = 0usize;
    while let Some(cur) = queue.pop_front() {
        steps += 1;
        if steps > 10_000 {
            break;
        }
        let arrived_writing = parent
            .get(&cur)
            .is_some_and(|(_, _, l, _, _)| *l >= AccessLevel::Write);
        let is_principal = g
            .node(&cur)
            .is_some_and(|n| !n.kind.is_data_store() && n.kind != NodeKind::External);
        for e in g.edges_from(&cur) {
            if e.to == start || parent.contains_key(&e.to) {
                continue;
            }
            if let (true, Some(vias)) = (cur == start, &guest_vias) {
                if !e.via.as_ref().is_some_and(|v| vias.contains(v)) {
                    continue;
                }
            }
            match e.kind {
                EdgeKind::Trigger if is_principal || arrived_writing => {
                    let weak = WeakLink {
                        from: e.from.clone(),
                        to: e.to.clone(),
                        reason: "trigger".into(),
                        score: 0,
                    };
                    parent.insert(
                        e.to.clone(),
                        (cur.clone(), weak, AccessLevel::Write, false, false),
                    );
                    if is_store(g, &e.to) {
                        found.push(e.to.clone());
                    }
                    queue.push_back(e.to.clone());
                }
                EdgeKind::Access if is_principal => {
                    let level = e.access.unwrap_or(AccessLevel::Read);
                    let weak = weak_of_access(&e.from, &e.to, level, e.wildcard, e.network);
                    parent.insert(
                        e.to.clone(),
                        (cur.clone(), weak, level, e.wildcard, e.network),
                    );
                    if is_store(g, &e.to) {
                        found.push(e.to.clone());
                    }
                    queue.push_back(e.to.clone());
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for store in found {
        let mut path = vec![store.clone()];
        let mut weakest: Option<WeakLink> = None;
        let mut cur = store.clone();
        let Some((_, _, access, wildcard, network)) = parent.get(&store).cloned() else {
            continue;
        };
        let mut guard = 0;
        while let Some((prev, weak, _, _, _)) = parent.get(&cur) {
            guard += 1;
            if weakest.as_ref().is_none_or(|w| weak.score > w.score) {
                weakest = Some(weak.clone());
            }
            if *prev == cur || guard > 256 {
                break;
            }
            path.push(prev.clone());
            cur = prev.clone();
        }
        path.reverse();
        let Some(weakest) = weakest else { continue };
        out.push(Reach {
            entry: ep.key.clone(),
            store,
            path,
            access,
            wildcard,
            network,
            weakest,
        });
    }
    (out, parent.into_keys().collect())
}

/// What a route does to a store it reaches directly (a service integration): GET, HEAD,
/// OPTIONS and GraphQL queries read; everything else writes.
fn route_level(r: &RouteInfo) -> AccessLevel {
    match r.method.as_str() {
        "GET" | "HEAD" | "OPTIONS" | "QUERY" => AccessLevel::Read,
        _ => AccessLevel::Write,
    }
}

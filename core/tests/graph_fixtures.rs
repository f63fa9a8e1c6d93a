//! Fixture tests for the service graph: every edge kind and every source of edges.

use pillarlint_core::graph::{
    AccessLevel, AuthKind, EdgeKind, EntryKind, GEdge, Graph, NodeKind, RouteInfo,
};
use pillarlint_core::Analysis;

fn fixture(name: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/graph")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn analyze(name: &str) -> Analysis {
    pillarlint_core::analyze_text(&fixture(name)).expect("fixture analyses")
}

fn edges(g: &Graph, kind: EdgeKind) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = g
        .edges()
        .filter(|e| e.kind == kind)
        .map(|e| (e.from.clone(), e.to.clone(), e.label.clone()))
        .collect();
    v.sort();
    v
}

fn edge<'a>(g: &'a Graph, from: &str, to: &str, kind: EdgeKind) -> &'a GEdge {
    g.edges()
        .find(|e| e.from == from && e.to == to && e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} edge {from} -> {to}; edges: {:#?}", all(g)))
}

fn all(g: &Graph) -> Vec<(String, String, &'static str, String)> {
    let mut v: Vec<_> = g
        .edges()
        .map(|e| {
            (
                e.from.clone(),
                e.to.clone(),
                e.kind.as_str(),
                e.label.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

fn t3(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[test]
fn bookstore_expanded_has_exactly_the_seed_edges() {
    let a = analyze("bookstore_expanded.yaml");
    assert_seed_edges(&a.graph);
}

/// The seed's bookstore graph, exactly. Shared with the SAM example
/// (`core/examples/bookstore.sam.yaml`) once SAM expansion lands.
pub fn assert_seed_edges(g: &Graph) {
    assert_eq!(
        edges(g, EdgeKind::Trigger),
        vec![
            t3("ServerlessRestApi", "authorHandler", "POST /author"),
            t3("ServerlessRestApi", "booksStatistics", "GET /booksStats"),
        ]
    );
    let access: Vec<(String, String)> = edges(g, EdgeKind::Access)
        .into_iter()
        .map(|(a, b, _)| (a, b))
        .collect();
    assert_eq!(
        access,
        vec![
            ("authorHandler".into(), "AuthorsDb".into()),
            ("booksStatistics".into(), "BooksTable".into()),
            ("booksStatistics".into(), "StatsBucket".into()),
        ]
    );
    assert!(
        edges(g, EdgeKind::Reference).is_empty(),
        "granted: no reference edges"
    );
    // No clutter: roles, permissions, stages, deployments and parameter groups are facts.
    let mut ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "AuthorsDb",
            "BooksTable",
            "ServerlessRestApi",
            "StatsBucket",
            "authorHandler",
            "booksStatistics"
        ]
    );
    assert_eq!(g.attached["authorHandlerRole"], "authorHandler");
    assert_eq!(
        g.attached["booksStatisticsGetBooksStatsPermissionProd"],
        "booksStatistics"
    );
    assert_eq!(
        g.attached["ServerlessRestApiProdStage"],
        "ServerlessRestApi"
    );
    assert_eq!(g.attached["AuthorsDbParams"], "AuthorsDb");
    // Edge details.
    let db = edge(g, "authorHandler", "AuthorsDb", EdgeKind::Access);
    assert!(db.network, "DocumentDB is reached through the network");
    let table = edge(g, "booksStatistics", "BooksTable", EdgeKind::Access);
    assert_eq!(table.access, Some(AccessLevel::Admin));
    assert!(table.wildcard);
    let bucket = edge(g, "booksStatistics", "StatsBucket", EdgeKind::Access);
    assert_eq!(bucket.access, Some(AccessLevel::Read));
    assert!(!bucket.wildcard);
    // Both routes are public; each reaches its stores.
    assert_eq!(g.routes().len(), 2);
    assert!(g.routes().iter().all(|r| r.public && r.source == "openapi"));
    let post = g
        .routes()
        .iter()
        .find(|r| r.method == "POST")
        .expect("POST route");
    let reach: Vec<&str> = g.reachable_stores(post).map(|r| r.store.as_str()).collect();
    assert_eq!(reach, ["AuthorsDb"]);
    let get = g
        .routes()
        .iter()
        .find(|r| r.method == "GET")
        .expect("GET route");
    let mut reach: Vec<&str> = g.reachable_stores(get).map(|r| r.store.as_str()).collect();
    reach.sort_unstable();
    assert_eq!(reach, ["BooksTable", "StatsBucket"]);
    for r in g.reachable_stores(get) {
        assert_eq!(r.weakest.reason, "no authorization");
        assert_eq!(
            r.path.first().map(String::as_str),
            Some("ServerlessRestApi")
        );
    }
    // Over-grant bookkeeping: everything granted is referenced.
    let f = g.function_info("booksStatistics").expect("function info");
    assert!(f.over_granted.is_empty(), "{:?}", f.over_granted);
    assert!(f.public);
}

#[test]
fn shared_role_and_wildcard_dynamodb_reach_both_tables() {
    let a = analyze("iam_access.yaml");
    let g = &a.graph;
    for f in ["ReaderFn", "WriterFn"] {
        for table in ["UsersTable", "OrdersTable"] {
            let e = edge(g, f, table, EdgeKind::Access);
            assert!(e.wildcard, "{f} -> {table} comes from dynamodb:* on *");
            assert_eq!(e.access, Some(AccessLevel::Admin));
            assert_eq!(e.via.as_deref(), Some("SharedRole"));
            assert_eq!(e.actions, ["dynamodb:*"]);
        }
    }
    // The shared role is one fact on both functions, not a node.
    assert!(!g.has("SharedRole"));
    assert_eq!(g.attached_to("SharedRole"), ["ReaderFn", "WriterFn"]);
    for f in ["ReaderFn", "WriterFn"] {
        let n = g.node(f).expect("function node");
        assert!(n
            .facts
            .iter()
            .any(|x| x.kind == "role" && x.id.as_deref() == Some("SharedRole")));
    }
    let reader = g.function_info("ReaderFn").expect("info");
    assert_eq!(reader.shares_role_with, ["WriterFn"]);
    assert_eq!(
        reader.over_granted,
        ["OrdersTable"],
        "reads UsersTable only"
    );
    let writer = g.function_info("WriterFn").expect("info");
    assert_eq!(writer.over_granted, ["OrdersTable", "UsersTable"]);
}

#[test]
fn precise_grants_match_by_ref_sub_name_policy_resources_and_managed_policies() {
    let a = analyze("iam_access.yaml");
    let g = &a.graph;
    let users = edge(g, "PreciseFn", "UsersTable", EdgeKind::Access);
    assert_eq!(
        users.access,
        Some(AccessLevel::Write),
        "index ARN (Query) and the table ARN by its Ref (BatchWriteItem)"
    );
    assert_eq!(users.actions, ["dynamodb:Query", "dynamodb:BatchWriteItem"]);
    assert!(!users.wildcard);
    let orders = edge(g, "PreciseFn", "OrdersTable", EdgeKind::Access);
    assert_eq!(
        orders.access,
        Some(AccessLevel::Write),
        "table ARN by its name parameter"
    );
    assert!(!orders.wildcard);
    let secret = edge(g, "PreciseFn", "OtherSecret", EdgeKind::Access);
    assert_eq!(
        secret.via.as_deref(),
        Some("SecretPolicy"),
        "AWS::IAM::Policy on the role"
    );
    let queue = edge(g, "PreciseFn", "JobsQueue", EdgeKind::Access);
    assert_eq!(queue.via.as_deref(), Some("QueueManagedPolicy"));
    assert_eq!(queue.access, Some(AccessLevel::Write));
    let assets = edge(g, "PreciseFn", "AssetsBucket", EdgeKind::Access);
    assert_eq!(
        assets.access,
        Some(AccessLevel::Read),
        "AmazonS3ReadOnlyAccess"
    );
    assert!(assets.wildcard);
    assert_eq!(
        assets.via.as_deref(),
        Some("managed:AmazonS3ReadOnlyAccess")
    );
    let reports = edge(g, "PreciseFn", "ReportsBucket", EdgeKind::Access);
    assert_eq!(
        reports.access,
        Some(AccessLevel::Write),
        "Join of the bucket name"
    );
    assert!(
        reports.wildcard,
        "the managed read-only grant is a wildcard"
    );
    assert!(reports.actions.contains(&"s3:PutObject".to_owned()));
    // Policies are facts of the function their role serves.
    assert_eq!(g.attached["SecretPolicy"], "PreciseFn");
    assert_eq!(g.attached["QueueManagedPolicy"], "PreciseFn");
    // The precise role grants nothing on the secret it names in its environment.
    assert_eq!(
        edge(g, "PreciseFn", "ApiSecret", EdgeKind::Reference).label,
        "SECRET_ARN"
    );
    let info = g.function_info("PreciseFn").expect("info");
    assert_eq!(info.missing_grant, ["ApiSecret"]);
    assert_eq!(
        info.over_granted,
        ["AssetsBucket", "OtherSecret", "ReportsBucket"]
    );
}

#[test]
fn imports_and_outside_arns_become_one_external_node_each() {
    let a = analyze("iam_access.yaml");
    let g = &a.graph;
    let imp = g
        .node("import:shared-sessions-table-arn")
        .expect("import node");
    assert!(imp.unknown);
    assert_eq!(imp.kind.as_str(), "external");
    let arn = g
        .node("arn:aws:sns:us-east-1:111122223333:other-team-topic")
        .expect("outside ARN node");
    assert!(arn.unknown);
    assert_eq!(arn.label, "other-team-topic");
    let e = edge(
        g,
        "PreciseFn",
        "import:shared-sessions-table-arn",
        EdgeKind::Access,
    );
    assert_eq!(e.actions, ["dynamodb:GetItem"]);
    let externals = g.nodes().filter(|n| n.unknown).count();
    assert_eq!(
        externals, 2,
        "log-group ARNs are not stores: no external node"
    );
    // Account-level listing on "*" reads no parameter: no edge to every parameter.
    assert!(g.access_from("PreciseFn").all(|e| e.to != "Config"));
    // Never counted as over-grant: nothing is known about them.
    let info = g.function_info("PreciseFn").expect("info");
    assert!(!info.over_granted.iter().any(|s| s.starts_with("import:")));
}

#[test]
fn every_event_source_triggers_its_function() {
    let a = analyze("event_sources.yaml");
    let g = &a.graph;
    let trig = edges(g, EdgeKind::Trigger);
    let expected = [
        t3("Bus", "OnOrder", "rule"),
        t3("DeviceRule", "TaskFn", "invokes"),
        t3("Flow", "TaskFn", "task"),
        t3("Flow", "WorkerFn", "invoke"),
        t3("Fn", "Flow", "start execution"),
        t3("Fn", "TaskFn", "log subscription"),
        t3("Fn", "WorkerFn", "invoke"),
        t3("FnUrl", "Fn", "URL auth NONE"),
        t3("Hourly", "TaskFn", "rate(1 hour)"),
        t3("Nightly", "WorkerFn", "rate(1 day)"),
        t3("OnOrder", "TaskFn", "event"),
        t3("OnUpload", "TaskFn", "event"),
        t3("OtherTopic", "WorkerFn", "subscription (lambda)"),
        t3("Queue", "WorkerFn", "poll"),
        t3("Stream", "WorkerFn", "records"),
        t3("Table", "TaskFn", "stream"),
        t3("Topic", "TaskFn", "subscription (lambda)"),
        t3("Uploads", "Fn", "s3:ObjectCreated:*"),
        t3("Uploads", "OnUpload", "event"),
        t3("Users", "WorkerFn", "PreSignUp"),
        t3("WorkerFn", "TaskFn", "invoke"),
        t3("import:shared-queue-arn", "TaskFn", "records"),
    ];
    assert_eq!(trig, expected);
    // Invocation between functions is not also drawn as access or reference.
    assert!(
        edges(g, EdgeKind::Reference).is_empty(),
        "{:?}",
        edges(g, EdgeKind::Reference)
    );
    // Kinds: a rule with a schedule is a schedule.
    assert_eq!(g.node("Nightly").map(|n| n.kind.as_str()), Some("schedule"));
    assert_eq!(
        g.node("OnOrder").map(|n| n.kind.as_str()),
        Some("event_rule")
    );
    // Attached: mappings, log group, permission, subscription, roles.
    for (res, host) in [
        ("QueueMapping", "WorkerFn"),
        ("TableMapping", "TaskFn"),
        ("FnLogs", "Fn"),
        ("NamedFnLogGroup", "NamedFn"),
        ("DependingLogs", "DependingFn"),
        ("Permission", "Fn"),
        ("Sub", "OtherTopic"),
        ("FlowRole", "Flow"),
    ] {
        assert_eq!(g.attached.get(res).map(String::as_str), Some(host), "{res}");
    }
    // The function URL is an entry point, public, protected by reserved concurrency.
    let url = g
        .routes()
        .iter()
        .find(|r| r.source == "function_url")
        .expect("function URL route");
    assert!(url.public);
    assert_eq!(url.reserved_concurrency, Some(5));
    assert!(url.has_flood_protection());
    // From the URL, data flows Fn -> WorkerFn/Flow -> TaskFn: no store reached.
    assert_eq!(g.reachable_stores(url).count(), 0);
}

fn route<'a>(g: &'a Graph, api: &str, method: &str, path: &str) -> &'a RouteInfo {
    g.routes()
        .iter()
        .find(|r| r.api == api && r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("no route {api} {method} {path}: {:#?}", g.routes()))
}

#[test]
fn rest_methods_with_and_without_authorizer() {
    let a = analyze("rest_methods.yaml");
    let g = &a.graph;
    assert_eq!(
        edges(g, EdgeKind::Trigger),
        vec![
            t3("Api", "HealthFn", "GET /health"),
            t3("Api", "OrdersFn", "DELETE /orders/{id}"),
            t3("Api", "OrdersFn", "GET /orders/{id}"),
            t3("Api", "OrdersFn", "POST /orders"),
        ],
        "the MOCK method has no target and no edge"
    );
    let post = route(g, "Api", "POST", "/orders");
    assert_eq!(post.auth.kind, AuthKind::Cognito);
    assert_eq!(post.auth.authorizer.as_deref(), Some("PoolAuthorizer"));
    assert!(!post.public);
    assert_eq!(post.resource, "PostOrder");
    assert_eq!(post.source, "method");
    assert_eq!(
        post.throttled_by,
        ["stage prod"],
        "POST /~1orders method setting"
    );
    assert!(post.is_throttled() && post.unthrottled_stages.is_empty());
    assert_eq!(post.waf, ["Acl"]);
    let get = route(g, "Api", "GET", "/orders/{id}");
    assert_eq!(get.auth.kind, AuthKind::Iam);
    assert!(get.throttled_by.is_empty());
    // An API key is not authentication; its usage plan throttles it.
    let del = route(g, "Api", "DELETE", "/orders/{id}");
    assert_eq!(del.auth.kind, AuthKind::None);
    assert!(del.auth.api_key_required);
    assert!(del.public);
    assert_eq!(del.throttled_by, ["usage plan Plan"]);
    let health = route(g, "Api", "GET", "/health");
    assert_eq!(health.unthrottled_stages, ["prod"]);
    assert!(
        g.function_info("HealthFn").is_some_and(|f| f.public),
        "public even though it reaches no store"
    );
    assert!(!health.is_throttled());
    assert!(health.has_flood_protection(), "the stage's web ACL");
    assert_eq!(
        health.auth.kind,
        AuthKind::None,
        "no AuthorizationType means NONE"
    );
    assert!(health.public && !health.auth.api_key_required);
    // The edge's route carries the same authorization for the report.
    let e = edge(g, "Api", "HealthFn", EdgeKind::Trigger);
    assert!(e.route.as_ref().is_some_and(|r| r.public));
    let post_edge = g
        .edges()
        .find(|e| e.label == "POST /orders")
        .expect("POST /orders edge");
    assert!(post_edge.route.as_ref().is_some_and(|r| !r.public));
    assert_eq!(
        e.route.as_ref().and_then(|r| r.authorization.as_deref()),
        Some("NONE")
    );
    // Guards: authorizer's user pool, WAF through the stage, usage plan, KMS key.
    assert_eq!(
        edges(g, EdgeKind::Guards),
        vec![
            t3("Acl", "Api", "WAF"),
            t3("Plan", "Api", "usage plan"),
            t3("Pool", "Api", "authorizer PoolAuthorizer"),
            t3("TableKey", "OrdersTable", "encrypts"),
        ]
    );
    let guarded_by: Vec<&str> = g.guards_of("Api").map(|e| e.from.as_str()).collect();
    assert_eq!(guarded_by.len(), 3, "{guarded_by:?}");
    assert_eq!(g.triggers_of("OrdersFn").count(), 3);
    assert_eq!(g.nodes_of(NodeKind::Function).count(), 2);
    // Stage settings are facts on the API, and structured in ApiInfo.
    let info = g.api_info("Api").expect("api info");
    assert_eq!(info.protocol, "REST");
    let prod = &info.stages[0];
    assert_eq!(prod.name, "prod");
    assert!(prod.access_logs && prod.tracing);
    assert_eq!(prod.execution_logging.as_deref(), Some("ERROR"));
    assert!(prod.throttle.is_none());
    assert_eq!(prod.route_throttles.len(), 1);
    assert_eq!(prod.waf, ["Acl"]);
    assert!(g
        .node("Api")
        .expect("api")
        .facts
        .iter()
        .any(|f| f.kind == "stage" && f.text.contains("access logs")));
    assert!(g
        .node("Api")
        .expect("api")
        .facts
        .iter()
        .any(|f| f.kind == "method"
            && f.id.as_deref() == Some("DeleteOrder")
            && f.text == "DELETE /orders/{id} -> OrdersFn (NONE, API key)"));
    for res in [
        "Orders",
        "PostOrder",
        "Prod",
        "Deployment",
        "PoolAuthorizer",
        "ApiLogs",
        "AclAssociation",
    ] {
        assert_eq!(
            g.attached.get(res).map(String::as_str),
            Some("Api"),
            "{res}"
        );
    }
    // Only the unauthenticated routes are public entry points; DELETE reaches the table.
    let public: Vec<&str> = g.public_entry_points().map(|e| e.label.as_str()).collect();
    assert_eq!(public, ["DELETE /orders/{id}", "GET /health"]);
    let reach: Vec<_> = g.reachable_stores(del).collect();
    assert_eq!(reach.len(), 1);
    assert_eq!(reach[0].store, "OrdersTable");
    assert_eq!(reach[0].access, AccessLevel::Write);
    assert_eq!(reach[0].weakest.reason, "API key only");
    assert_eq!(reach[0].path, ["Api", "OrdersFn", "OrdersTable"]);
}

#[test]
fn openapi_security_including_empty_and_api_key_only() {
    let a = analyze("openapi_security.yaml");
    let g = &a.graph;
    let cases = [
        ("GET", "/private", AuthKind::Cognito, false),
        ("GET", "/open", AuthKind::None, false),
        ("POST", "/sam-none", AuthKind::None, false),
        ("ANY", "/keyed", AuthKind::None, true),
        ("PUT", "/both", AuthKind::Cognito, true),
        ("POST", "/sam-keyed", AuthKind::Cognito, true),
    ];
    for (m, p, kind, key) in cases {
        let r = route(g, "RestApi", m, p);
        assert_eq!(r.auth.kind, kind, "{m} {p}");
        assert_eq!(r.auth.api_key_required, key, "{m} {p}");
        assert_eq!(r.public, !r.auth.is_authenticated(), "{m} {p}");
        assert_eq!(r.source, "openapi");
        assert_eq!(r.resource, "RestApi", "the body is edited on the API");
    }
    // A route to a function outside the template goes to an external node.
    let ext = route(g, "RestApi", "GET", "/elsewhere");
    assert_eq!(
        ext.target,
        "arn:aws:lambda:us-east-1:111122223333:function:legacy"
    );
    assert!(g.node(&ext.target).is_some_and(|n| n.unknown));
    // OpenAPI 3 on an HTTP API: JWT, Lambda authorizer, none; stage default throttling.
    assert_eq!(route(g, "HttpApi", "GET", "/me").auth.kind, AuthKind::Jwt);
    assert_eq!(
        route(g, "HttpApi", "POST", "/custom").auth.kind,
        AuthKind::Lambda
    );
    let ping = route(g, "HttpApi", "GET", "/ping");
    assert_eq!(ping.auth.kind, AuthKind::None);
    assert_eq!(ping.throttled_by, ["stage $default"]);
    // Authorizers in the document guard their API.
    let guards = edges(g, EdgeKind::Guards);
    assert!(guards.contains(&t3("Pool", "RestApi", "authorizer CognitoAuth")));
    assert!(guards.contains(&t3("Pool", "HttpApi", "authorizer Jwt")));
    assert!(guards.contains(&t3("AuthFn", "HttpApi", "authorizer LambdaAuth")));
}

#[test]
fn http_and_websocket_routes() {
    let a = analyze("http_websocket.yaml");
    let g = &a.graph;
    let secure = route(g, "Http", "POST", "/items");
    assert_eq!(secure.auth.kind, AuthKind::Jwt);
    assert_eq!(secure.auth.authorizer.as_deref(), Some("JwtAuth"));
    assert_eq!(secure.resource, "SecureRoute");
    assert_eq!(secure.source, "route");
    assert!(
        secure.throttled_by.is_empty(),
        "only GET /items has route settings"
    );
    let open = route(g, "Http", "GET", "/items");
    assert_eq!(open.auth.kind, AuthKind::None);
    assert_eq!(open.throttled_by, ["stage $default"]);
    // WebSocket: $default inherits $connect's Lambda authorizer.
    let connect = route(g, "Ws", "WS", "$connect");
    assert_eq!(connect.auth.kind, AuthKind::Lambda);
    let default = route(g, "Ws", "WS", "$default");
    assert_eq!(default.auth.kind, AuthKind::Lambda);
    assert!(!default.public);
    // Quick create: a $default route with no authorization.
    let quick = route(g, "Quick", "ANY", "$default");
    assert!(quick.public);
    assert_eq!(quick.source, "quick");
    let guards = edges(g, EdgeKind::Guards);
    assert_eq!(
        guards,
        vec![
            t3("AuthFn", "Ws", "authorizer WsAuth"),
            t3("Pool", "Http", "authorizer JwtAuth"),
        ]
    );
    assert_eq!(
        g.attached.get("PoolClient").map(String::as_str),
        Some("Pool")
    );
    assert!(g.api_info("Http").is_some_and(|i| i.stages[0].access_logs));
    assert_eq!(
        g.api_info("Ws").map(|i| i.protocol.as_str()),
        Some("WEBSOCKET")
    );
    assert!(
        g.function_info("AuthFn").is_some_and(|f| f.public),
        "an authorizer sees every unauthenticated request"
    );
}

#[test]
fn guards_network_access_public_bucket_and_paths_through_queues() {
    let a = analyze("guards_network.yaml");
    let g = &a.graph;
    let guards = edges(g, EdgeKind::Guards);
    for want in [
        t3("EdgeAcl", "Cdn", "WAF"),
        t3("Key", "Data", "encrypts"),
        t3("Key", "Docs", "encrypts"),
        t3("Key", "Queue", "encrypts"),
        t3("SharedLogs", "Api", "logs"),
        t3("SharedLogs", "Front", "logs"),
        t3("Trail", "Data", "data events"),
    ] {
        assert!(guards.contains(&want), "missing {want:?} in {guards:?}");
    }
    // A log group serving two resources stands alone as a node.
    assert_eq!(
        g.node("SharedLogs").map(|n| n.kind.as_str()),
        Some("log_group")
    );
    // A KMS alias is a fact of its key; security groups are facts of what sits in them.
    assert_eq!(g.attached.get("KeyAlias").map(String::as_str), Some("Key"));
    assert!(!g.has("WorkerSg") && !g.has("DbSg"));
    assert_eq!(g.attached_to("WorkerSg"), ["Worker"]);
    // DocumentDB reached through the security group rule, not IAM.
    let docs = edge(g, "Worker", "Docs", EdgeKind::Access);
    assert!(docs.network);
    assert_eq!(docs.via.as_deref(), Some("security group"));
    // The custom resource calls its function at deploy time.
    assert_eq!(
        edge(g, "Unknown", "Front", EdgeKind::Trigger).label,
        "deploy-time call"
    );
    // The public route reaches, through the queue it writes to, what the worker touches.
    let r = route(g, "Api", "POST", "/jobs");
    assert!(r.public);
    assert_eq!(
        r.waf,
        ["EdgeAcl"],
        "the CloudFront distribution in front carries a web ACL"
    );
    let mut reach: Vec<(&str, Vec<&str>)> = g
        .reachable_stores(r)
        .map(|x| {
            (
                x.store.as_str(),
                x.path.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    reach.sort();
    assert_eq!(
        reach,
        vec![
            ("Data", vec!["Api", "Front", "Queue", "Worker", "Data"]),
            ("Docs", vec!["Api", "Front", "Queue", "Worker", "Docs"]),
            ("Queue", vec!["Api", "Front", "Queue"]),
        ]
    );
    // The open bucket is an entry point; the private one is not.
    let buckets: Vec<&str> = g
        .entry_points()
        .iter()
        .filter(|e| e.kind == EntryKind::PublicBucket)
        .map(|e| e.node.as_str())
        .collect();
    assert_eq!(buckets, ["Site"]);
    let front = g.function_info("Front").expect("front");
    assert!(front.public);
    assert!(front.over_granted.is_empty());
}

#[test]
fn appsync_pipes_role_policy_condition_and_unknown_types() {
    let a = analyze("appsync_pipes_misc.yaml");
    let g = &a.graph;
    // AppSync: one route per resolver; an API key provider makes every field reachable
    // without an identity.
    let get = route(g, "Graph", "QUERY", "getThing");
    assert_eq!(get.target, "Fn");
    assert_eq!(get.auth.kind, AuthKind::None);
    assert!(get.auth.api_key_required && get.public);
    let put = route(g, "Graph", "MUTATION", "putThing");
    assert_eq!(put.target, "Table");
    assert!(put.is_write());
    let reach: Vec<&str> = g.reachable_stores(put).map(|r| r.store.as_str()).collect();
    assert_eq!(reach, ["Table"]);
    for res in ["Schema", "LambdaSource", "GetThing"] {
        assert_eq!(
            g.attached.get(res).map(String::as_str),
            Some("Graph"),
            "{res}"
        );
    }
    // Pipe: queue -> pipe -> state machine.
    assert_eq!(
        edge(g, "Queue", "Pipe", EdgeKind::Trigger).label,
        "pipe source"
    );
    assert_eq!(edge(g, "Pipe", "Flow", EdgeKind::Trigger).label, "target");
    // AWS::IAM::RolePolicy statements count for the role; the layer is a fact.
    let e = edge(g, "Fn", "Table", EdgeKind::Access);
    assert_eq!(e.via.as_deref(), Some("FnRolePolicy"));
    assert_eq!(e.access, Some(AccessLevel::Read));
    assert_eq!(
        g.attached.get("FnRolePolicy").map(String::as_str),
        Some("Fn")
    );
    assert_eq!(g.attached.get("Layer").map(String::as_str), Some("Fn"));
    // A statement behind Fn::If still grants on its branch.
    assert_eq!(
        edge(g, "Fn", "Queue", EdgeKind::Access).access,
        Some(AccessLevel::Write)
    );
    // Fn::If on the authorization type: the weakest branch counts.
    let m = route(g, "Api", "GET", "/");
    assert_eq!(m.auth.kind, AuthKind::None);
    // An unknown type is shown plainly, never dropped.
    let mystery = g.node("Mystery").expect("unknown type kept");
    assert_eq!(mystery.kind.as_str(), "resource");
    assert_eq!(mystery.type_, "AWS::Future::Service");
    assert!(!mystery.unknown, "declared in the template: not external");
}

#[test]
fn data_flows_on_through_event_buses_and_delivery_streams() {
    let a = analyze("data_flow.yaml");
    let g = &a.graph;
    assert_eq!(
        edge(g, "Producer", "Bus", EdgeKind::Access).access,
        Some(AccessLevel::Write)
    );
    assert_eq!(
        edge(g, "Delivery", "Archive", EdgeKind::Trigger).label,
        "delivers"
    );
    let url = g.routes().first().expect("the URL");
    let mut reach: Vec<(&str, Vec<&str>)> = g
        .reachable_stores(url)
        .map(|r| {
            (
                r.store.as_str(),
                r.path.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    reach.sort();
    assert_eq!(
        reach,
        vec![
            ("Archive", vec!["Url", "Producer", "Delivery", "Archive"]),
            ("Delivery", vec!["Url", "Producer", "Delivery"]),
            (
                "Table",
                vec!["Url", "Producer", "Bus", "Rule", "Consumer", "Table"]
            ),
        ],
        "the bus is a conduit, not a store"
    );
}

#[test]
fn service_integrations_reach_stores_directly() {
    let a = analyze("service_integration.yaml");
    let g = &a.graph;
    let put = route(g, "Api", "POST", "/music");
    assert_eq!(
        put.target, "MusicTable",
        "through the Credentials role's grant"
    );
    assert!(put.public);
    let reach: Vec<&str> = g.reachable_stores(put).map(|r| r.store.as_str()).collect();
    assert_eq!(reach, ["MusicTable"]);
    let send = route(g, "Http", "POST", "/jobs");
    assert_eq!(
        send.target, "Jobs",
        "the QueueUrl parameter names the queue"
    );
    // Service roles are facts of the API, not nodes.
    assert!(!g.has("ApiRole"));
    assert_eq!(g.attached.get("HttpRole").map(String::as_str), Some("Http"));
}

#[test]
fn load_balancer_rules_are_routes() {
    let a = analyze("alb.yaml");
    let g = &a.graph;
    let open = route(g, "Lb", "POST", "/api/*");
    assert_eq!(open.target, "Fn");
    assert_eq!(open.source, "alb");
    assert_eq!(open.resource, "OpenRule");
    assert!(open.public);
    let admin = route(g, "Lb", "ANY", "/admin/*");
    assert_eq!(admin.auth.kind, AuthKind::Cognito);
    assert!(!admin.public);
    let internal = route(g, "Internal", "ANY", "/*");
    assert!(!internal.public, "an internal load balancer is private");
    for res in ["Listener", "OpenRule", "Tg"] {
        assert_eq!(g.attached.get(res).map(String::as_str), Some("Lb"), "{res}");
    }
    assert_eq!(g.api_info("Lb").map(|i| i.protocol.as_str()), Some("ALB"));
}

#[test]
fn guest_identity_pools_are_public_entry_points() {
    let a = analyze("identity_pool.yaml");
    let g = &a.graph;
    for store in ["Media", "Votes", "Profiles"] {
        edge(g, "Identities", store, EdgeKind::Access);
    }
    assert_eq!(g.attached_to("GuestRole"), ["Identities"]);
    assert_eq!(
        edge(g, "Pool", "Identities", EdgeKind::Guards).label,
        "identity provider"
    );
    assert_eq!(
        g.attached.get("Domain").map(String::as_str),
        Some("Api"),
        "via its mapping"
    );
    let entry = g
        .entry_points()
        .iter()
        .find(|e| e.kind == EntryKind::GuestIdentityPool)
        .expect("guest entry");
    assert!(entry.public);
    let mut reach: Vec<(&str, AccessLevel)> = g
        .reachable_from(&entry.key)
        .map(|r| (r.store.as_str(), r.access))
        .collect();
    reach.sort();
    assert_eq!(
        reach,
        [("Media", AccessLevel::Read), ("Votes", AccessLevel::Write)],
        "only the guest role's grants: Profiles needs a signed-in user"
    );
    assert!(g
        .reachable_from(&entry.key)
        .all(|r| r.weakest.reason == "guest identities"));
}

#[test]
fn open_resource_policies_are_public_entry_points() {
    let a = analyze("open_policies.yaml");
    let g = &a.graph;
    let mut open: Vec<&str> = g
        .entry_points()
        .iter()
        .filter(|e| e.kind == EntryKind::OpenResourcePolicy)
        .map(|e| e.node.as_str())
        .collect();
    open.sort_unstable();
    assert_eq!(
        open,
        ["Other", "Topic"],
        "the URL-only permission is not an open invoke"
    );
    let mut reach: Vec<(&str, Vec<&str>)> = g
        .reachable_from("open:Topic")
        .map(|r| {
            (
                r.store.as_str(),
                r.path.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    reach.sort();
    assert_eq!(
        reach,
        vec![
            ("Table", vec!["Topic", "Handler", "Table"]),
            ("Topic", vec!["Topic"]),
        ]
    );
    assert!(g.function_info("Handler").is_some_and(|f| f.public));
    assert!(g.function_info("Other").is_some_and(|f| f.public));
    assert!(g.function_info("Third").is_some_and(|f| !f.public));
}

#[test]
fn generated_resources_are_grouped_with_their_source() {
    let mut a = analyze("event_sources.yaml");
    let t = &mut a.template;
    for r in t.resources.iter_mut().filter(|r| r.id == "Queue") {
        r.origin = pillarlint_core::model::Origin::Generated {
            by: "WorkerFn".into(),
        };
    }
    let g = Graph::build(t);
    assert_eq!(
        g.node("Queue").and_then(|n| n.group.as_deref()),
        Some("WorkerFn")
    );
    assert_eq!(g.node("Stream").and_then(|n| n.group.as_deref()), None);
}

/// The same seed service, now from the SAM source the web app opens on: the SAM expansion and
/// the graph together must give exactly the seed's edges.
#[test]
fn bookstore_sam_example_has_exactly_the_seed_edges() {
    let a = pillarlint_core::analyze_text(pillarlint_core::example::BOOKSTORE.text)
        .expect("example analyses");
    assert_seed_edges(&a.graph);
}

#[test]
fn sam_default_authorizer_with_a_route_opting_out() {
    let a = analyze("sam_default_authorizer.yaml");
    let g = &a.graph;
    let private = route(g, "ServerlessRestApi", "GET", "/private");
    assert_eq!(private.target, "PrivateFn");
    assert_eq!(private.auth.kind, AuthKind::Cognito);
    assert_eq!(private.auth.authorizer.as_deref(), Some("MyCognitoAuth"));
    assert!(!private.public);
    let public = route(g, "ServerlessRestApi", "GET", "/public");
    assert_eq!(public.target, "PublicFn");
    assert!(!public.auth.is_authenticated());
    assert!(public.public);
    let keyed = route(g, "ServerlessRestApi", "POST", "/keyed");
    assert_eq!(keyed.auth.kind, AuthKind::Cognito);
    assert!(keyed.auth.api_key_required);
    assert!(
        edges(g, EdgeKind::Guards)
            .iter()
            .any(|(f, t, _)| f == "Pool" && t == "ServerlessRestApi"),
        "{:#?}",
        all(g)
    );
    for clutter in [
        "PrivateFnRole",
        "PublicFnRole",
        "ServerlessRestApiProdStage",
    ] {
        assert!(
            g.node(clutter).is_none(),
            "{clutter} should be a fact, not a node"
        );
    }
}

#[test]
fn serverless_http_events_with_and_without_authorizer() {
    let a = analyze("serverless_http_authorizer.yml");
    let g = &a.graph;
    let create = route(g, "ApiGatewayRestApi", "POST", "/items");
    assert_eq!(create.target, "create");
    assert_eq!(create.auth.kind, AuthKind::Cognito);
    let list = route(g, "ApiGatewayRestApi", "GET", "/items");
    assert_eq!(list.target, "list");
    assert!(list.public && !list.auth.is_authenticated());
    let keyed = route(g, "ApiGatewayRestApi", "GET", "/items/{id}");
    assert!(
        keyed.auth.api_key_required && !keyed.auth.is_authenticated(),
        "private: true is an API key, not authentication"
    );
    for f in ["create", "list"] {
        let e = edge(g, f, "ItemsTable", EdgeKind::Access);
        assert_eq!(e.access, Some(AccessLevel::Write));
    }
    let shared = &g
        .function_info("create")
        .expect("create info")
        .shares_role_with;
    assert_eq!(shared, &vec!["list".to_owned()]);
}

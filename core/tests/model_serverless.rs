//! Serverless Framework expansion checked against the Framework's naming and compilers
//! (v3.40.0 `lib/plugins/aws/lib/naming.js` and `lib/plugins/aws/package/compile/`).

use pillarlint_core::model::Template;
use pillarlint_core::parse::{detect, load, Format, Limits};
use serde_json::json;

fn model(text: &str) -> Template {
    let root = load(text, &Limits::default()).expect("loads");
    let format = detect(&root).expect("detects");
    assert_eq!(format, Format::Serverless);
    Template::build(root, format).expect("builds")
}

fn fixture() -> Template {
    model(include_str!("fixtures/model/serverless_auth.yml"))
}

fn ids(t: &Template) -> Vec<(&str, &str)> {
    t.resources
        .iter()
        .map(|r| (r.id.as_str(), r.type_.as_str()))
        .collect()
}

fn props(t: &Template, id: &str) -> serde_json::Value {
    t.resource(id)
        .unwrap_or_else(|| panic!("no resource {id}; have {:?}", ids(t)))
        .properties
        .to_json()
}

#[test]
fn functions_keep_their_key_as_id_with_the_framework_alias() {
    let t = fixture();
    for key in ["create-book", "authFn", "list_books"] {
        let f = t.resource(key).expect("function");
        assert_eq!(f.type_, "AWS::Lambda::Function");
        assert_eq!(f.id, key);
    }
    assert_eq!(
        t.aliases
            .get("CreateDashbookLambdaFunction")
            .map(String::as_str),
        Some("create-book")
    );
    assert_eq!(
        t.resource("ListUnderscorebooksLambdaFunction")
            .map(|r| r.id.as_str()),
        Some("list_books")
    );
    // References by the Framework's name are rewritten to the key.
    assert_eq!(
        props(&t, "Alarm")["AlarmActions"],
        json!([{"Fn::GetAtt": ["create-book", "Arn"]}])
    );
    // resources.Resources with a generated id is merged into it.
    assert_eq!(
        props(&t, "list_books")["Description"],
        json!("overridden by resources")
    );
    let f = props(&t, "create-book");
    assert_eq!(f["FunctionName"], json!("bookstore-prod-create-book"));
    assert_eq!(f["Runtime"], json!("nodejs20.x"));
    assert_eq!(f["MemorySize"], json!(1024));
    assert_eq!(f["Timeout"], json!(6));
    assert_eq!(f["ReservedConcurrentExecutions"], json!(5));
    assert_eq!(f["TracingConfig"], json!({"Mode": "Active"}));
    assert_eq!(
        f["Environment"]["Variables"],
        json!({"TABLE": "bookstore-books-prod", "SHARED": "fn", "SECRET": "fallback"})
    );
    assert_eq!(
        f["Role"],
        json!({"Fn::GetAtt": ["IamRoleLambdaExecution", "Arn"]})
    );
    assert!(t.resource("CreateDashbookLogGroup").is_some());
    assert_eq!(t.outputs.len(), 1);
}

#[test]
fn shared_and_per_function_roles() {
    let t = fixture();
    let shared = props(&t, "IamRoleLambdaExecution");
    let st = &shared["Policies"][0]["PolicyDocument"]["Statement"];
    let all = st.as_array().expect("statements");
    // Two default log statements, then the user's.
    assert_eq!(all[0]["Action"][0], json!("logs:CreateLogStream"));
    assert_eq!(all[1]["Action"], json!(["logs:PutLogEvents"]));
    assert_eq!(all[2]["Action"], json!("dynamodb:*"));
    assert_eq!(all.len(), 3, "{all:#?}");
    // list_books has its own role (serverless-iam-roles-per-function), which also gets the
    // SQS statement of its event; provider statements are not inherited by default.
    let own = props(&t, "ListUnderscorebooksIamRoleLambdaExecution");
    let st = own["Policies"][0]["PolicyDocument"]["Statement"]
        .as_array()
        .expect("statements")
        .clone();
    assert!(st.iter().any(|s| s["Action"] == json!("dynamodb:Query")));
    assert!(st
        .iter()
        .any(|s| s["Action"].to_string().contains("sqs:ReceiveMessage")));
    assert!(!st.iter().any(|s| s["Action"] == json!("dynamodb:*")));
    assert_eq!(
        props(&t, "list_books")["Role"],
        json!({"Fn::GetAtt": ["ListUnderscorebooksIamRoleLambdaExecution", "Arn"]})
    );
}

#[test]
fn http_routes_with_authorizers_in_the_rest_body() {
    let t = fixture();
    let api = props(&t, "ApiGatewayRestApi");
    assert_eq!(api["Name"], json!("prod-bookstore"));
    assert_eq!(
        api["Policy"]["Statement"][0]["Action"],
        json!("execute-api:Invoke")
    );
    let paths = &api["Body"]["paths"];
    assert_eq!(
        paths["/books"]["post"]["security"],
        json!([{"AWS_IAM": []}])
    );
    assert!(paths["/books/{id}"]["get"].get("security").is_none());
    assert_eq!(
        paths["/books/{id}"]["get"]["x-pillarlint-logical-id"],
        json!("ApiGatewayMethodBooksIdVarGet")
    );
    let uri = paths["/books/{id}"]["get"]["x-amazon-apigateway-integration"]["uri"]["Fn::Sub"]
        .as_str()
        .expect("uri");
    assert!(uri.contains("${create-book.Arn}"), "{uri}");
    let admin = paths["/admin"]["delete"]["security"]
        .as_array()
        .expect("sec");
    assert_eq!(admin.len(), 2);
    assert_eq!(admin[1], json!({"api_key": []}));
    let cognito_name = admin[0]
        .as_object()
        .expect("o")
        .keys()
        .next()
        .expect("k")
        .clone();
    // naming.js: the authorizer name is the ARN's last `:` part, then its last `-` part.
    assert_eq!(cognito_name, "1UnderscoreabcApiGatewayAuthorizer");
    let defs = &api["Body"]["securityDefinitions"];
    assert_eq!(
        defs[&cognito_name]["x-amazon-apigateway-authtype"],
        json!("cognito_user_pools")
    );
    assert_eq!(
        paths["/custom"]["get"]["security"],
        json!([{"AuthFnApiGatewayAuthorizer": []}])
    );
    let custom = &defs["AuthFnApiGatewayAuthorizer"];
    assert_eq!(custom["x-amazon-apigateway-authtype"], json!("custom"));
    assert!(custom["x-amazon-apigateway-authorizer"]["authorizerUri"]
        .to_string()
        .contains("${authFn.Arn}"));
    assert!(defs["api_key"].is_object());
    assert!(t
        .resource("CreateDashbookLambdaPermissionApiGateway")
        .is_some());
    assert!(t.resource("AuthFnLambdaPermissionApiGateway").is_some());
    // API keys, usage plan, stage settings recorded for after deploy.
    for id in [
        "ApiGatewayApiKey1",
        "ApiGatewayUsagePlan",
        "ApiGatewayUsagePlanKey1",
        "ApiGatewayLogGroup",
    ] {
        assert!(t.resource(id).is_some(), "{id} in {:?}", ids(&t));
    }
    assert_eq!(
        props(&t, "ApiGatewayUsagePlan")["Throttle"]["RateLimit"],
        json!(10)
    );
    let dep = t.resource("ApiGatewayDeployment").expect("deployment");
    let settings = dep.metadata.as_ref().expect("metadata").to_json();
    assert_eq!(
        settings["StageSettingsAppliedAfterDeploy"]["TracingEnabled"],
        json!(true)
    );
    assert_eq!(
        settings["StageSettingsAppliedAfterDeploy"]["AccessLogSetting"]["DestinationArn"],
        json!({"Fn::GetAtt": ["ApiGatewayLogGroup", "Arn"]})
    );
}

#[test]
fn http_api_routes_and_event_sources() {
    let t = fixture();
    let body = &props(&t, "HttpApi")["Body"];
    assert_eq!(
        body["paths"]["/books"]["get"]["security"],
        json!([{"jwtAuth": ["read"]}])
    );
    assert_eq!(
        body["paths"]["/books"]["get"]["x-pillarlint-logical-id"],
        json!("HttpApiRouteGetBooks")
    );
    assert!(body["paths"]["/open"]["get"].get("security").is_none());
    let scheme = &body["components"]["securitySchemes"]["jwtAuth"];
    assert_eq!(
        scheme["x-amazon-apigateway-authorizer"]["type"],
        json!("jwt")
    );
    let stage = props(&t, "HttpApiStage");
    assert_eq!(
        stage["AccessLogSettings"]["DestinationArn"],
        json!({"Fn::GetAtt": ["HttpApiLogGroup", "Arn"]})
    );
    for (id, ty) in [
        (
            "ListUnderscorebooksLambdaPermissionHttpApi",
            "AWS::Lambda::Permission",
        ),
        (
            "ListUnderscorebooksEventSourceMappingSQSQueue",
            "AWS::Lambda::EventSourceMapping",
        ),
        ("S3BucketUploads", "AWS::S3::Bucket"),
        (
            "ListUnderscorebooksLambdaPermissionUploadsS3",
            "AWS::Lambda::Permission",
        ),
        (
            "ListUnderscorebooksEventsRuleSchedule1",
            "AWS::Events::Rule",
        ),
        (
            "ListUnderscorebooksLambdaPermissionEventsRuleSchedule1",
            "AWS::Lambda::Permission",
        ),
        (
            "ListUnderscorebooksSnsSubscriptionNews",
            "AWS::SNS::Subscription",
        ),
        (
            "ListUnderscorebooksLambdaPermissionNewsSNS",
            "AWS::Lambda::Permission",
        ),
        ("ListUnderscorebooksLambdaFunctionUrl", "AWS::Lambda::Url"),
        (
            "ListUnderscorebooksLambdaPermissionFnUrl",
            "AWS::Lambda::Permission",
        ),
    ] {
        assert!(
            ids(&t).contains(&(id, ty)),
            "missing {id} {ty} in {:?}",
            ids(&t)
        );
    }
    let m = props(&t, "ListUnderscorebooksEventSourceMappingSQSQueue");
    assert_eq!(m["EventSourceArn"], json!({"Fn::GetAtt": ["Queue", "Arn"]}));
    assert_eq!(
        m["FunctionName"],
        json!({"Fn::GetAtt": ["list_books", "Arn"]})
    );
    let b = props(&t, "S3BucketUploads");
    assert_eq!(
        b["NotificationConfiguration"]["LambdaConfigurations"][0]["Function"],
        json!({"Fn::GetAtt": ["list_books", "Arn"]})
    );
    assert_eq!(
        props(&t, "ListUnderscorebooksLambdaFunctionUrl")["AuthType"],
        json!("NONE")
    );
}

#[test]
fn variables_resolve_or_stay_visible_with_a_diagnostic() {
    let t = fixture();
    assert_eq!(
        props(&t, "BooksTable")["TableName"],
        json!("bookstore-books-prod")
    );
    let msgs: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    // The self-reference loop terminates with a diagnostic.
    assert!(
        msgs.iter().any(|m| m.contains("refers to itself")),
        "{msgs:#?}"
    );
    // SSM lives outside the file: kept as written, reported.
    assert!(
        msgs.iter().any(|m| m.contains("${ssm:/books/key}")),
        "{msgs:#?}"
    );
    // The env fallback resolved: no diagnostic about BOOKS_SECRET.
    assert!(
        !msgs.iter().any(|m| m.contains("BOOKS_SECRET")),
        "{msgs:#?}"
    );
    let ssm = t
        .root
        .get_path(&["custom", "external"])
        .and_then(|v| v.as_str())
        .expect("kept");
    assert_eq!(ssm, "${ssm:/books/key}");
    // The template keeps the resolved configuration.
    assert_eq!(
        t.root
            .get_path(&["custom", "tableName"])
            .and_then(|v| v.as_str()),
        Some("bookstore-books-prod")
    );
}

#[test]
fn stage_defaults_to_dev_and_env_is_never_read() {
    std::env::set_var("PILLARLINT_TEST_SECRET", "leaked");
    let t = model(
        r#"
service: svc
provider:
  name: aws
  environment:
    S: ${sls:stage}
    R: ${aws:region}
    E: ${env:PILLARLINT_TEST_SECRET}
    D: ${opt:stage, self:custom.deep}
custom:
  deep: ${self:custom.deeper}
  deeper: '${strToBool(true)}'
functions:
  f:
    handler: h
"#,
    );
    let env = props(&t, "f")["Environment"]["Variables"].clone();
    assert_eq!(env["S"], json!("dev"));
    assert_eq!(env["R"], json!("us-east-1"));
    assert_eq!(env["E"], json!("${env:PILLARLINT_TEST_SECRET}"));
    assert_eq!(env["D"], json!(true));
    assert_eq!(props(&t, "f")["FunctionName"], json!("svc-dev-f"));
    assert!(t
        .diagnostics
        .iter()
        .any(|d| d.message.contains("environment is never read")));
}

#[test]
fn malformed_serverless_shapes_are_diagnostics() {
    let t = model(
        r#"
service: svc
provider: {name: aws}
functions:
  f:
    handler: h
    events:
      - http: {}
      - just-a-string
      - unknownEvent: {}
  g: not-a-map
resources:
  Resources:
    FromFile: ${file(./x.yml)}
"#,
    );
    let msgs: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    let has = |w: &str| msgs.iter().any(|m| m.contains(w));
    assert!(has("needs a path and a method"), "{msgs:#?}");
    assert!(has("must be a map like"), "{msgs:#?}");
    assert!(has("`unknownEvent`"), "{msgs:#?}");
    assert!(has("function `g` must be a map"), "{msgs:#?}");
    assert!(has("does not read; skipped"), "{msgs:#?}");
}

#[test]
fn per_function_mode_and_resource_extensions() {
    let t = model(
        r#"
service: svc
provider:
  name: aws
  iam:
    role:
      mode: perFunction
      statements:
        - Effect: Allow
          Action: s3:GetObject
          Resource: '*'
functions:
  a:
    handler: a.h
  b:
    handler: b.h
resources:
  extensions:
    ALambdaFunction:
      Properties:
        ReservedConcurrentExecutions: 3
      DependsOn: [Extra]
    Missing:
      Properties: {}
"#,
    );
    // Every function has its own role; no shared role is needed.
    assert!(t.resource("IamRoleLambdaExecution").is_none());
    let ra = props(&t, "AIamRoleLambdaExecution");
    // perFunction mode inherits the provider statements.
    assert!(ra["Policies"][0]["PolicyDocument"]
        .to_string()
        .contains("s3:GetObject"));
    assert!(t.resource("BIamRoleLambdaExecution").is_some());
    // extensions by the Framework's id land on the function keyed `a`.
    let a = t.resource("a").expect("a");
    assert_eq!(props(&t, "a")["ReservedConcurrentExecutions"], json!(3));
    assert!(a.depends_on.contains(&"Extra".to_owned()));
    assert!(t
        .diagnostics
        .iter()
        .any(|d| d.message.contains("resources.extensions.Missing")));
}

#[test]
fn stage_params_resolve() {
    let t = model(
        r#"
service: svc
provider:
  name: aws
  stage: prod
  environment:
    A: ${param:tableName}
    B: ${param:onlyDefault}
    C: ${param:nowhere, 'fallback'}
stages:
  prod:
    params:
      tableName: prod-table
  default:
    params:
      onlyDefault: dflt
functions:
  f:
    handler: h
"#,
    );
    let env = props(&t, "f")["Environment"]["Variables"].clone();
    assert_eq!(
        env,
        json!({"A": "prod-table", "B": "dflt", "C": "fallback"})
    );
    assert!(t.diagnostics.is_empty(), "{:?}", t.diagnostics);
}

#[test]
fn nested_and_embedded_variables() {
    let t = model(
        r#"
service: svc
custom:
  tables:
    dev: dev-table
    prod: prod-table
  region: eu-west-1
  a: ${self:custom.b}
  b: ${self:custom.c}
  c: ${self:custom.a}
provider:
  name: aws
  environment:
    NESTED: ${self:custom.tables.${sls:stage}}
    EMBEDDED: arn:aws:dynamodb:${self:custom.region}:123:table/${self:custom.tables.dev}
    CFN: ${AWS::Region}
    LOOP: ${self:custom.a}
    MISSING: ${self:custom.nope}
functions:
  f:
    handler: h
"#,
    );
    let env = props(&t, "f")["Environment"]["Variables"].clone();
    assert_eq!(env["NESTED"], json!("dev-table"));
    assert_eq!(
        env["EMBEDDED"],
        json!("arn:aws:dynamodb:eu-west-1:123:table/dev-table")
    );
    // CloudFormation pseudo parameters are not Framework variables.
    assert_eq!(env["CFN"], json!("${AWS::Region}"));
    assert_eq!(env["LOOP"], json!("${self:custom.a}"));
    assert_eq!(env["MISSING"], json!("${self:custom.nope}"));
    let msgs: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(
        msgs.iter().any(|m| m.contains("refers to itself")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("${self:custom.nope}")),
        "{msgs:#?}"
    );
    assert!(!msgs.iter().any(|m| m.contains("AWS::Region")), "{msgs:#?}");
    // Every diagnostic has a position in the file.
    assert!(t.diagnostics.iter().all(|d| d.line > 1));
}

#[test]
fn kafka_and_mq_event_sources() {
    let t = model(
        r#"
service: svc
provider: {name: aws}
functions:
  consumer:
    handler: h
    events:
      - msk:
          arn: arn:aws:kafka:us-east-1:111111111111:cluster/my-cluster/abc-123
          topic: orders
      - kafka:
          topic: clicks
          bootstrapServers: [b1:9092]
      - activemq:
          arn: arn:aws:mq:us-east-1:111111111111:broker:b:b-1
          queue: jobs
"#,
    );
    let m = props(&t, "ConsumerEventSourceMappingMSKMyclusterOrders");
    assert_eq!(m["Topics"], json!(["orders"]));
    assert_eq!(
        m["FunctionName"],
        json!({"Fn::GetAtt": ["consumer", "Arn"]})
    );
    let k = props(&t, "ConsumerEventSourceMappingKafkaClicks");
    assert_eq!(
        k["SelfManagedEventSource"]["Endpoints"]["KafkaBootstrapServers"],
        json!(["b1:9092"])
    );
    assert!(t
        .resource("ConsumerEventSourceMappingActiveMQJobs")
        .is_some());
}

#[test]
fn generated_parts_point_at_their_serverless_source() {
    let text = include_str!("fixtures/model/serverless_auth.yml");
    let t = fixture();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
            .expect("needle")
    };
    assert_eq!(
        t.resource("create-book").expect("f").span.start.line,
        line_of("create-book:")
    );
    // The user's statement inside the shared role keeps its own position.
    let role = t.resource("IamRoleLambdaExecution").expect("role");
    let st = role
        .prop("Policies")
        .and_then(|p| p.as_seq())
        .and_then(|p| p.first())
        .and_then(|p| p.get_path(&["PolicyDocument", "Statement"]))
        .and_then(|s| s.as_seq())
        .and_then(|s| s.get(2))
        .and_then(|s| s.get("Action"))
        .expect("user action");
    assert_eq!(st.span.start.line, line_of("Action: dynamodb:*"));
    // A route's position is its `path:`.
    let api = t.resource("ApiGatewayRestApi").expect("api");
    let routes = pillarlint_core::model::openapi::routes(&t, api);
    let r = routes
        .iter()
        .find(|r| r.path == "/books/{id}")
        .expect("route");
    assert_eq!(r.span.start.line, line_of("path: books/{id}"));
}

//! SAM expansion checked against what the SAM translator generates (expected ids and shapes
//! taken from the translator's own test outputs, samtranslator 1.110.0 `tests/translator/output`).

use pillarlint_core::model::Template;
use pillarlint_core::parse::{detect, load, Limits};
use serde_json::json;

fn model(text: &str) -> Template {
    let root = load(text, &Limits::default()).expect("loads");
    let format = detect(&root).expect("detects");
    Template::build(root, format).expect("builds")
}

fn fixture(name: &str) -> Template {
    let path = format!("{}/tests/fixtures/model/{name}", env!("CARGO_MANIFEST_DIR"));
    model(&std::fs::read_to_string(path).expect("fixture"))
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
fn bookstore_example_expands_like_sam() {
    let t = model(include_str!("../examples/bookstore.sam.yaml"));
    let have = ids(&t);
    for (id, ty) in [
        ("authorHandler", "AWS::Lambda::Function"),
        ("authorHandlerRole", "AWS::IAM::Role"),
        (
            "authorHandlerPostAuthorPermissionProd",
            "AWS::Lambda::Permission",
        ),
        ("booksStatistics", "AWS::Lambda::Function"),
        ("booksStatisticsRole", "AWS::IAM::Role"),
        (
            "booksStatisticsGetBooksStatsPermissionProd",
            "AWS::Lambda::Permission",
        ),
        ("ServerlessRestApi", "AWS::ApiGateway::RestApi"),
        ("ServerlessRestApiProdStage", "AWS::ApiGateway::Stage"),
    ] {
        assert!(have.contains(&(id, ty)), "missing {id} {ty} in {have:?}");
    }
    assert!(have
        .iter()
        .any(|(id, ty)| id.starts_with("ServerlessRestApiDeployment")
            && id.len() == "ServerlessRestApiDeployment".len() + 10
            && *ty == "AWS::ApiGateway::Deployment"));
    // No SAM types remain.
    assert!(!have
        .iter()
        .any(|(_, ty)| ty.starts_with("AWS::Serverless::")));

    let f = t.resource("authorHandler").expect("fn");
    assert_eq!(f.source_type.as_deref(), Some("AWS::Serverless::Function"));
    let fp = props(&t, "authorHandler");
    assert_eq!(
        fp["Role"],
        json!({"Fn::GetAtt": ["authorHandlerRole", "Arn"]})
    );
    // Globals merged.
    assert_eq!(fp["Runtime"], json!("nodejs20.x"));
    assert_eq!(fp["MemorySize"], json!(256));
    assert_eq!(fp["Handler"], json!("author.handler"));

    let body = &props(&t, "ServerlessRestApi")["Body"];
    assert_eq!(body["swagger"], json!("2.0"));
    let uri = &body["paths"]["/author"]["post"]["x-amazon-apigateway-integration"]["uri"];
    assert!(uri["Fn::Sub"]
        .as_str()
        .expect("sub")
        .contains("${authorHandler.Arn}"));
    let uri = &body["paths"]["/booksStats"]["get"]["x-amazon-apigateway-integration"]["uri"];
    assert!(uri["Fn::Sub"]
        .as_str()
        .expect("sub")
        .contains("${booksStatistics.Arn}"));
    // No auth anywhere in the bookstore.
    assert!(body["paths"]["/author"]["post"].get("security").is_none());

    // Roles: basic execution + inline policies named <Fn>RolePolicy<i>.
    let role = props(&t, "booksStatisticsRole");
    assert_eq!(
        role["ManagedPolicyArns"][0],
        json!("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    );
    let pols = role["Policies"].as_array().expect("policies");
    assert_eq!(pols[0]["PolicyName"], json!("booksStatisticsRolePolicy0"));
    assert_eq!(pols[1]["PolicyName"], json!("booksStatisticsRolePolicy1"));
    // S3ReadPolicy expanded with the user's `!Ref StatsBucket` kept inside the Sub variables.
    let st = &pols[0]["PolicyDocument"]["Statement"][0];
    assert!(st["Action"]
        .as_array()
        .expect("actions")
        .contains(&json!("s3:GetObject")));
    let text = st["Resource"].to_string();
    assert!(text.contains("\"Ref\":\"StatsBucket\""), "{text}");
    assert_eq!(
        pols[1]["PolicyDocument"]["Statement"][0]["Action"],
        json!("dynamodb:*")
    );

    // Permission SourceArn names the API and the route.
    let perm = props(&t, "authorHandlerPostAuthorPermissionProd");
    assert_eq!(perm["Principal"], json!("apigateway.amazonaws.com"));
    assert_eq!(perm["FunctionName"], json!({"Ref": "authorHandler"}));
    assert!(perm["SourceArn"]["Fn::Sub"][0]
        .as_str()
        .expect("arn")
        .ends_with("/${__Stage__}/POST/author"));
    assert_eq!(perm["SourceArn"]["Fn::Sub"][1]["__Stage__"], json!("*"));
    assert_eq!(
        perm["SourceArn"]["Fn::Sub"][1]["__ApiId__"],
        json!({"Ref": "ServerlessRestApi"})
    );
    // Generated parts point at their SAM source.
    let role = t.resource("authorHandlerRole").expect("role");
    assert!(role.is_generated());
    assert_eq!(role.span.start.line, f.span.start.line);
    let api = t.resource("ServerlessRestApi").expect("api");
    assert!(api.is_generated());
}

#[test]
fn explicit_api_auth_is_written_as_openapi_security() {
    let t = fixture("sam_auth.yaml");
    let have = ids(&t);
    // Stage name `prod-v1` is not alphanumeric: rule B hash (sha1("prod-v1")[..10]).
    for (id, ty) in [
        ("MyApi", "AWS::ApiGateway::RestApi"),
        ("MyApiStage96a67e64af", "AWS::ApiGateway::Stage"),
        ("FnItemsPermission96a67e64af", "AWS::Lambda::Permission"),
        ("FnHealthPermission96a67e64af", "AWS::Lambda::Permission"),
        (
            "MyApiMyLambdaAuthAuthorizerPermission",
            "AWS::Lambda::Permission",
        ),
        ("MyApiUsagePlan", "AWS::ApiGateway::UsagePlan"),
        ("MyApiApiKey", "AWS::ApiGateway::ApiKey"),
        ("MyApiUsagePlanKey", "AWS::ApiGateway::UsagePlanKey"),
    ] {
        assert!(have.contains(&(id, ty)), "missing {id} {ty} in {have:?}");
    }
    let body = &props(&t, "MyApi")["Body"];
    let paths = &body["paths"];
    // DefaultAuthorizer reaches the route without its own Auth.
    assert_eq!(
        paths["/items"]["get"]["security"],
        json!([{"MyCognitoAuth": []}])
    );
    // `Authorizer: NONE` → explicitly no security.
    assert_eq!(paths["/health"]["get"]["security"], json!([]));
    // Per-route authorizer plus API key (not authentication; a separate entry).
    assert_eq!(
        paths["/admin"]["post"]["security"],
        json!([{"MyLambdaAuth": []}, {"api_key": []}])
    );
    assert_eq!(
        paths["/signed/{id}"]["x-amazon-apigateway-any-method"]["security"],
        json!([{"AWS_IAM": []}])
    );
    let defs = &body["securityDefinitions"];
    assert_eq!(
        defs["MyCognitoAuth"]["x-amazon-apigateway-authtype"],
        json!("cognito_user_pools")
    );
    assert_eq!(
        defs["MyCognitoAuth"]["x-amazon-apigateway-authorizer"]["providerARNs"],
        json!([{"Fn::GetAtt": ["UserPool", "Arn"]}])
    );
    assert_eq!(
        defs["MyLambdaAuth"]["x-amazon-apigateway-authtype"],
        json!("custom")
    );
    assert_eq!(
        defs["MyLambdaAuth"]["x-amazon-apigateway-authorizer"]["type"],
        json!("token")
    );
    assert_eq!(
        defs["AWS_IAM"]["x-amazon-apigateway-authtype"],
        json!("awsSigv4")
    );
    assert_eq!(defs["api_key"]["name"], json!("x-api-key"));
    // Stage settings (and Globals.Api) land on the stage.
    let stage = props(&t, "MyApiStage96a67e64af");
    assert_eq!(stage["StageName"], json!("prod-v1"));
    assert_eq!(stage["TracingEnabled"], json!(true));
    assert_eq!(
        stage["AccessLogSetting"]["Format"],
        json!("$context.requestId")
    );
    assert_eq!(
        stage["MethodSettings"][0]["ThrottlingRateLimit"],
        json!(100)
    );
    // Usage plan throttle.
    assert_eq!(
        props(&t, "MyApiUsagePlan")["Throttle"]["RateLimit"],
        json!(5)
    );
}

#[test]
fn function_role_policies_and_templates() {
    let t = fixture("sam_auth.yaml");
    let role = props(&t, "FnRole");
    let managed = role["ManagedPolicyArns"].as_array().expect("managed");
    let arn = |s: &str| json!(format!("arn:aws:iam::aws:policy/{s}"));
    assert_eq!(
        managed,
        &vec![
            arn("service-role/AWSLambdaBasicExecutionRole"),
            arn("AWSXrayWriteOnlyAccess"),
            arn("AmazonDynamoDBReadOnlyAccess"),
            arn("service-role/AWSLambdaSQSQueueExecutionRole"),
        ]
    );
    let pols = role["Policies"].as_array().expect("inline");
    let names: Vec<&str> = pols
        .iter()
        .map(|p| p["PolicyName"].as_str().expect("name"))
        .collect();
    // Index in the Policies list, counting the managed entry at 0.
    assert_eq!(
        names,
        vec!["FnRolePolicy1", "FnRolePolicy2", "FnRolePolicy3"]
    );
    // DynamoDBCrudPolicy: its TableName parameter replaced by the user's `!Ref Table`.
    let crud = &pols[0]["PolicyDocument"]["Statement"][0];
    let actions = crud["Action"].as_array().expect("actions");
    assert!(actions.contains(&json!("dynamodb:PutItem")));
    assert!(actions.contains(&json!("dynamodb:DeleteItem")));
    let res = crud["Resource"].to_string();
    assert!(res.contains(r#"{"Ref":"Table"}"#), "{res}");
    assert!(
        !res.contains(r#""Ref":"TableName""#),
        "parameter left: {res}"
    );
    // SQSSendMessagePolicy with a GetAtt value.
    let sqs = pols[1]["PolicyDocument"]["Statement"][0].to_string();
    assert!(sqs.contains("sqs:SendMessage"));
    assert!(
        sqs.contains(r#"{"Fn::GetAtt":["Queue","QueueName"]}"#),
        "{sqs}"
    );
    // Trust policy and SAM's tag.
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        json!(["lambda.amazonaws.com"])
    );
    assert_eq!(
        role["Tags"][0],
        json!({"Key": "lambda:createdBy", "Value": "SAM"})
    );
    // A function with its own Role gets no generated role.
    assert!(t.resource("AuthFnRole").is_none());
    assert_eq!(
        props(&t, "AuthFn")["Role"],
        json!("arn:aws:iam::123456789012:role/existing")
    );
    assert_eq!(
        props(&t, "AuthFn")["Code"],
        json!({"ZipFile": "exports.handler = async () => ({isAuthorized: true});"})
    );
}

#[test]
fn globals_merge_by_sam_rules() {
    let t = fixture("sam_auth.yaml");
    let f = props(&t, "Fn");
    assert_eq!(f["Runtime"], json!("python3.12"));
    assert_eq!(f["Timeout"], json!(10));
    // Maps merge.
    assert_eq!(f["Environment"]["Variables"], json!({"A": "1", "B": "2"}));
    // Lists concatenate, global first.
    assert_eq!(
        f["Layers"],
        json!([
            "arn:aws:lambda:us-east-1:123456789012:layer:base:1",
            "arn:aws:lambda:us-east-1:123456789012:layer:extra:2"
        ])
    );
    assert_eq!(
        f["Tags"],
        json!([
            {"Key": "lambda:createdBy", "Value": "SAM"},
            {"Key": "team", "Value": "core"},
            {"Key": "owner", "Value": "me"}
        ])
    );
    assert_eq!(f["TracingConfig"], json!({"Mode": "Active"}));
    assert_eq!(
        f["Code"],
        json!({"S3Bucket": "my-bucket", "S3Key": "code.zip"})
    );
    // IgnoreGlobals: '*' keeps AuthFn untouched.
    let a = props(&t, "AuthFn");
    assert!(a.get("Timeout").is_none());
    assert!(a.get("Layers").is_none());
}

#[test]
fn event_sources_generate_sam_ids() {
    let t = fixture("sam_auth.yaml");
    let have = ids(&t);
    for (id, ty) in [
        ("FnWork", "AWS::Lambda::EventSourceMapping"),
        ("FnUploadPermission", "AWS::Lambda::Permission"),
        ("FnNightly", "AWS::Events::Rule"),
        ("FnNightlyPermission", "AWS::Lambda::Permission"),
        ("FnNews", "AWS::SNS::Subscription"),
        ("FnNewsPermission", "AWS::Lambda::Permission"),
        ("FnUrl", "AWS::Lambda::Url"),
        ("FnUrlPublicPermissions", "AWS::Lambda::Permission"),
        ("FnURLInvokeAllowPublicAccess", "AWS::Lambda::Permission"),
        ("Table", "AWS::DynamoDB::Table"),
    ] {
        assert!(have.contains(&(id, ty)), "missing {id} {ty} in {have:?}");
    }
    let m = props(&t, "FnWork");
    assert_eq!(m["EventSourceArn"], json!({"Fn::GetAtt": ["Queue", "Arn"]}));
    assert_eq!(m["FunctionName"], json!({"Ref": "Fn"}));
    assert_eq!(m["BatchSize"], json!(5));
    // S3: the bucket itself is rewritten, and depends on the permission.
    let b = t.resource("Bucket").expect("bucket");
    assert_eq!(
        b.properties.to_json()["NotificationConfiguration"]["LambdaConfigurations"],
        json!([{"Event": "s3:ObjectCreated:*", "Function": {"Fn::GetAtt": ["Fn", "Arn"]}}])
    );
    assert!(b.depends_on.contains(&"FnUploadPermission".to_owned()));
    let perm = props(&t, "FnUploadPermission");
    assert_eq!(perm["Principal"], json!("s3.amazonaws.com"));
    assert!(perm.get("SourceArn").is_none());
    let rule = props(&t, "FnNightly");
    assert_eq!(rule["ScheduleExpression"], json!("rate(1 day)"));
    assert_eq!(rule["Targets"][0]["Id"], json!("FnNightlyLambdaTarget"));
    let sub = props(&t, "FnNews");
    assert_eq!(sub["Protocol"], json!("lambda"));
    assert_eq!(sub["TopicArn"], json!({"Ref": "Topic"}));
    let url = props(&t, "FnUrl");
    assert_eq!(url["AuthType"], json!("NONE"));
    let table = props(&t, "Table");
    assert_eq!(table["BillingMode"], json!("PAY_PER_REQUEST"));
    assert_eq!(
        table["KeySchema"],
        json!([{"AttributeName": "id", "KeyType": "HASH"}])
    );
    assert!(table.get("SSESpecification").is_none());
    // Generated event resources point at the event key in the source.
    let rule = t.resource("FnNightly").expect("rule");
    let text = include_str!("fixtures/model/sam_auth.yaml");
    let line = text
        .lines()
        .nth(rule.span.start.line as usize - 1)
        .expect("line");
    assert!(line.contains("Nightly:"), "{line}");
}

#[test]
fn http_api_jwt_and_implicit_http_api() {
    let t = fixture("sam_auth.yaml");
    let have = ids(&t);
    for (id, ty) in [
        ("MyHttp", "AWS::ApiGatewayV2::Api"),
        ("MyHttpApiGatewayDefaultStage", "AWS::ApiGatewayV2::Stage"),
        ("HttpFnListPermission", "AWS::Lambda::Permission"),
        ("ServerlessHttpApi", "AWS::ApiGatewayV2::Api"),
        (
            "ServerlessHttpApiApiGatewayDefaultStage",
            "AWS::ApiGatewayV2::Stage",
        ),
        ("HttpFnImplicitPermission", "AWS::Lambda::Permission"),
    ] {
        assert!(have.contains(&(id, ty)), "missing {id} {ty} in {have:?}");
    }
    let body = &props(&t, "MyHttp")["Body"];
    assert_eq!(body["openapi"], json!("3.0.1"));
    assert_eq!(
        body["paths"]["/things"]["get"]["security"],
        json!([{"OAuth": ["read"]}])
    );
    assert_eq!(body["paths"]["/open"]["get"]["security"], json!([]));
    let scheme = &body["components"]["securitySchemes"]["OAuth"];
    assert_eq!(scheme["type"], json!("oauth2"));
    assert_eq!(
        scheme["x-amazon-apigateway-authorizer"]["type"],
        json!("jwt")
    );
    assert_eq!(
        scheme["x-amazon-apigateway-authorizer"]["jwtConfiguration"]["issuer"],
        json!("https://issuer.example.com")
    );
    let op = &body["paths"]["/things"]["get"]["x-amazon-apigateway-integration"];
    assert_eq!(op["payloadFormatVersion"], json!("2.0"));
    // An HttpApi event without Path/Method is the `$default` route of the implicit API.
    let implicit = &props(&t, "ServerlessHttpApi")["Body"];
    assert!(implicit["paths"]["$default"]["x-amazon-apigateway-any-method"].is_object());
    assert!(
        implicit["paths"]["$default"]["x-amazon-apigateway-any-method"]
            .get("security")
            .is_none()
    );
}

#[test]
fn implicit_api_takes_globals_auth_and_none_overrides() {
    // globals_for_api: Globals.Api is the only way to configure the implicit API.
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      DefaultAuthorizer: MyCognitoAuth
      Authorizers:
        MyCognitoAuth:
          UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
      Events:
        Private:
          Type: Api
          Properties: {Path: /private, Method: get}
        Public:
          Type: Api
          Properties:
            Path: /public
            Method: get
            Auth: {Authorizer: NONE}
"#,
    );
    let body = &props(&t, "ServerlessRestApi")["Body"];
    assert_eq!(
        body["paths"]["/private"]["get"]["security"],
        json!([{"MyCognitoAuth": []}])
    );
    assert_eq!(body["paths"]["/public"]["get"]["security"], json!([]));
    assert!(t.resource("ServerlessRestApiProdStage").is_some());
    assert!(t.resource("FnPrivatePermissionProd").is_some());
    assert!(t.resource("FnPublicPermissionProd").is_some());
}

#[test]
fn alias_state_machine_layer_and_cognito() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: {Bucket: sam-demo-bucket, Key: hello.zip}
      AutoPublishAlias: live
      Layers: [!Ref Deps]
      Events:
        Signup:
          Type: Cognito
          Properties:
            UserPool: !Ref Pool
            Trigger: [PreSignUp, PostConfirmation]
        Q:
          Type: SQS
          Properties: {Queue: !GetAtt Q.Arn}
  Deps:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: s3://b/layer.zip
  Pool:
    Type: AWS::Cognito::UserPool
  Q:
    Type: AWS::SQS::Queue
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
      Policies:
        - LambdaInvokePolicy: {FunctionName: !Ref Fn}
      Events:
        Hourly:
          Type: Schedule
          Properties: {Schedule: rate(1 hour)}
"#,
    );
    // function_with_alias: MinimalFunctionVersion640128d35d for this exact Code.
    assert!(t.resource("FnVersion640128d35d").is_some(), "{:?}", ids(&t));
    assert!(t.resource("FnAliaslive").is_some());
    // Event sources target the alias.
    assert_eq!(
        props(&t, "FnQ")["FunctionName"],
        json!({"Ref": "FnAliaslive"})
    );
    // One Cognito permission per function; the user pool is rewritten.
    assert!(t.resource("FnCognitoPermission").is_some());
    let pool = props(&t, "Pool");
    assert_eq!(
        pool["LambdaConfig"],
        json!({"PreSignUp": {"Ref": "FnAliaslive"}, "PostConfirmation": {"Ref": "FnAliaslive"}})
    );
    // Layer gets a hashed id and references follow it.
    let layer = t
        .resources
        .iter()
        .find(|r| r.type_ == "AWS::Lambda::LayerVersion")
        .expect("layer");
    assert!(
        layer.id.starts_with("Deps") && layer.id.len() == 14,
        "{}",
        layer.id
    );
    assert_eq!(props(&t, "Fn")["Layers"], json!([{"Ref": layer.id}]));
    // State machine: role with the expanded template, and a rule with its own role.
    let sm = props(&t, "Flow");
    assert_eq!(sm["RoleArn"], json!({"Fn::GetAtt": ["FlowRole", "Arn"]}));
    let role = props(&t, "FlowRole");
    assert_eq!(role["Policies"][0]["PolicyName"], json!("FlowRolePolicy0"));
    assert!(role["Policies"][0]["PolicyDocument"]
        .to_string()
        .contains("lambda:InvokeFunction"));
    assert_eq!(
        role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"],
        json!(["states.amazonaws.com"])
    );
    assert!(t.resource("FlowHourly").is_some());
    assert!(t.resource("FlowHourlyRole").is_some());
}

#[test]
fn wrong_shapes_become_diagnostics_not_panics() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Globals: [oops]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Events: not-a-map
      Policies:
        - NoSuchPolicyTemplate: {X: 1}
        - DynamoDBCrudPolicy: {}
  Fn3:
    Type: AWS::Serverless::Function
    Properties: [not, a, map]
  Fn2:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        E: {Type: Api, Properties: {Method: get}}
        S3: {Type: S3, Properties: {Bucket: nope, Events: s3:ObjectCreated:*}}
"#,
    );
    let msgs: Vec<&str> = t.diagnostics.iter().map(|d| d.message.as_str()).collect();
    let has = |w: &str| msgs.iter().any(|m| m.contains(w));
    assert!(has("`Globals` must be a map"), "{msgs:#?}");
    assert!(has("`Events` must be a map"), "{msgs:#?}");
    assert!(
        has("`NoSuchPolicyTemplate` is not a SAM policy template"),
        "{msgs:#?}"
    );
    assert!(has("needs parameter `TableName`"), "{msgs:#?}");
    assert!(has("needs `Path` and `Method`"), "{msgs:#?}");
    assert!(has("must reference an AWS::S3::Bucket"), "{msgs:#?}");
    assert!(has("the `Properties` of `Fn3` must be a map"), "{msgs:#?}");
    assert_eq!(
        t.resource("Fn3").map(|r| r.type_.as_str()),
        Some("AWS::Lambda::Function")
    );
    assert!(t.diagnostics.iter().all(|d| d.line > 0));
}

#[test]
fn every_policy_template_expands_with_its_parameters() {
    let templates = pillarlint_core::model::sam::policy_templates();
    // the template loader reads the embedded data file exactly as a JSON parser does (that
    // it is the published file less descriptions: core's `sam_policy_templates_min_is_derived`)
    let file: serde_json::Value = serde_json::from_str(include_str!(
        "../src/model/sam/data/sam-policy-templates.min.json"
    ))
    .expect("json");
    assert_eq!(templates.to_json(), file["Templates"]);
    let all = templates.as_map().expect("templates");
    assert_eq!(all.len(), 81);
    for (name, tpl) in all {
        let name = name.name.as_str();
        let keys: Vec<&str> = tpl
            .get("Parameters")
            .and_then(|p| p.as_map())
            .expect("params")
            .iter()
            .map(|(k, _)| k.name.as_str())
            .collect();
        let params: Vec<String> = keys.iter().map(|p| format!("{p}: !Ref P{p}")).collect();
        let yaml = format!("{{{}}}", params.join(", "));
        let v = pillarlint_core::parse::load(&yaml, &Limits::default()).expect("params load");
        let doc = pillarlint_core::model::sam::expand_policy_template(name, &v, v.span)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let text = doc.to_json().to_string();
        assert!(text.contains("Statement"), "{name}");
        for p in &keys {
            assert!(
                !text.contains(&format!(r#"{{"Ref":"{p}"}}"#)),
                "{name}: {p} left"
            );
        }
    }
}

#[test]
fn conditional_policies_keep_both_branches() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Conditions:
  IsProd: !Equals [a, b]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
      Policies:
        - !If
          - IsProd
          - S3ReadPolicy: {BucketName: prod-bucket}
          - !Ref AWS::NoValue
        - !If [IsProd, AmazonS3FullAccess, !Ref AWS::NoValue]
"#,
    );
    let role = props(&t, "FnRole");
    let inline = &role["Policies"][0]["Fn::If"];
    assert_eq!(inline[0], json!("IsProd"));
    assert_eq!(inline[1]["PolicyName"], json!("FnRolePolicy0"));
    assert!(inline[1]["PolicyDocument"]
        .to_string()
        .contains("s3:GetObject"));
    assert_eq!(inline[2], json!({"Ref": "AWS::NoValue"}));
    let managed = &role["ManagedPolicyArns"][1]["Fn::If"];
    assert_eq!(
        managed[1],
        json!("arn:aws:iam::aws:policy/AmazonS3FullAccess")
    );
    // The resolve helpers see both branches.
    let v = t
        .resource("FnRole")
        .and_then(|r| r.prop("Policies"))
        .and_then(|p| p.as_seq())
        .and_then(|s| s.first())
        .expect("policy");
    let br = pillarlint_core::model::resolve::branches(v);
    assert_eq!(br.len(), 2);
    assert!(pillarlint_core::model::resolve::is_no_value(br[1].1));
}

#[test]
fn resource_policies_are_written_to_the_body() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Auth:
      ResourcePolicy:
        IpRangeWhitelist: [10.0.0.0/8]
        CustomStatements:
          - Effect: Deny
            Principal: '*'
            Action: execute-api:Invoke
            Resource: execute-api:/*/DELETE/*
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
      Events:
        Get:
          Type: Api
          Properties: {Path: /x, Method: get}
"#,
    );
    let body = &props(&t, "ServerlessRestApi")["Body"];
    let st = body["x-amazon-apigateway-policy"]["Statement"]
        .as_array()
        .expect("statements");
    assert_eq!(st.len(), 3, "{st:#?}");
    assert_eq!(st[0]["Effect"], json!("Allow"));
    assert_eq!(st[1]["Effect"], json!("Deny"));
    assert_eq!(
        st[1]["Condition"],
        json!({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}})
    );
    assert_eq!(
        st[1]["Resource"][0]["Fn::Sub"][0],
        json!("execute-api:/${__Stage__}/GET/x")
    );
    assert_eq!(st[2]["Resource"], json!("execute-api:/*/DELETE/*"));
}

#[test]
fn connectors_attach_managed_policies_to_the_source_role() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Connectors:
      TableConn:
        Properties:
          Destination:
            Id: Table
          Permissions: [Read, Write]
    Properties:
      Handler: a.h
      Runtime: python3.12
      CodeUri: .
  Table:
    Type: AWS::DynamoDB::Table
  Bucket:
    Type: AWS::S3::Bucket
  Q:
    Type: AWS::SQS::Queue
  BucketConn:
    Type: AWS::Serverless::Connector
    Properties:
      Source: {Id: Fn}
      Destination:
        - Id: Bucket
        - Id: Q
      Permissions: [Read]
"#,
    );
    let p = props(&t, "FnTableConnPolicy");
    assert_eq!(p["Roles"], json!([{"Ref": "FnRole"}]));
    let st = &p["PolicyDocument"]["Statement"];
    assert!(st[0]["Action"]
        .as_array()
        .expect("a")
        .contains(&json!("dynamodb:GetItem")));
    assert!(st[1]["Action"]
        .as_array()
        .expect("a")
        .contains(&json!("dynamodb:PutItem")));
    assert_eq!(
        st[0]["Resource"][0],
        json!({"Fn::GetAtt": ["Table", "Arn"]})
    );
    // A table's indexes and a bucket's objects are reached with it; a queue alone.
    assert_eq!(
        st[0]["Resource"][1],
        json!({"Fn::Sub": ["${DestinationArn}/index/*", {"DestinationArn": {"Fn::GetAtt": ["Table", "Arn"]}}]})
    );
    // Several destinations: one policy each.
    let b = props(&t, "BucketConnPolicyDestination0");
    assert!(b["PolicyDocument"].to_string().contains("s3:GetObject"));
    assert_eq!(
        b["PolicyDocument"]["Statement"][0]["Resource"][1]["Fn::Sub"][0],
        json!("${DestinationArn}/*")
    );
    let q = props(&t, "BucketConnPolicyDestination1");
    assert_eq!(
        q["PolicyDocument"]["Statement"][0]["Resource"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert!(q["PolicyDocument"]
        .to_string()
        .contains("sqs:ReceiveMessage"));
    assert!(t.resource("BucketConn").is_none());
}

#[test]
fn generated_parts_point_at_their_sam_source() {
    let text = include_str!("../examples/bookstore.sam.yaml");
    let t = model(text);
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map(|i| i as u32 + 1)
            .expect("needle")
    };
    let role = t.resource("booksStatisticsRole").expect("role");
    let policies = role
        .prop("Policies")
        .and_then(|p| p.as_seq())
        .expect("policies");
    // The expanded S3ReadPolicy statement points at the template's key in the source...
    let st = policies[0]
        .get_path(&["PolicyDocument", "Statement"])
        .and_then(|s| s.as_seq())
        .and_then(|s| s.first())
        .expect("statement");
    assert_eq!(st.span.start.line, line_of("- S3ReadPolicy:"));
    // ...its parameter value at the user's `!Ref StatsBucket`...
    let text_json = st.to_json().to_string();
    assert!(text_json.contains("StatsBucket"));
    // ...and an inline statement at the user's own `Action: dynamodb:*`.
    let action = policies[1]
        .get_path(&["PolicyDocument", "Statement"])
        .and_then(|s| s.as_seq())
        .and_then(|s| s.first())
        .and_then(|s| s.get("Action"))
        .expect("action");
    assert_eq!(action.span.start.line, line_of("Action: dynamodb:*"));
    // The permission points at the event key.
    let perm = t
        .resource("booksStatisticsGetBooksStatsPermissionProd")
        .expect("perm");
    assert_eq!(perm.span.start.line, line_of("GetBooksStats:"));
}

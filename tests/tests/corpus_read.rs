//! Every corpus template is read (parsed, detected, modelled) without a panic; exactly the
//! genuinely broken ones fail, each with a positioned error of the expected kind.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::json;

use pillarlint_core::model::Template;
use pillarlint_core::parse::{self, Limits, ParseError};
use pillarlint_tests::paths::{corpus, corpus_files};

fn read(bytes: &[u8]) -> Result<Template, ParseError> {
    let text = parse::decode(bytes)?;
    let root = parse::load(text, &Limits::default())?;
    let format = parse::detect(&root)?;
    Template::build(root, format)
}

/// The files that must fail, and a word their error must contain.
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    // Rain-module templates: a resource whose Type is a module needs `rain pkg` first.
    (
        "cfn/aws-cloudformation__aws-cloudformation-templates__CloudFormation__StackSets__common-resources.json",
        "Rain module",
    ),
    (
        "cfn/aws-cloudformation__aws-cloudformation-templates__CloudFormation__StackSets__common-resources.yaml",
        "Rain module",
    ),
    // YAML syntax errors.
    (
        "sam/aws-samples__serverless-patterns__apigw-custom-domain-edge__template.yaml",
        "invalid YAML",
    ),
    (
        "sam/aws-samples__serverless-patterns__rds-sns-event-notification__template.yaml",
        "invalid YAML",
    ),
    // Duplicate keys (CloudFormation rejects them).
    (
        "sam/aws-samples__serverless-patterns__appsync-dynamodb-singletable__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__cognito-sns-sms-origination-id-sam__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__sam-webapp-cognito__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__vpc-lattice-lambda__template.yaml",
        "duplicate key",
    ),
];

#[test]
fn whole_corpus_reads_without_panic_and_only_broken_files_fail() {
    let base = corpus();
    let files = corpus_files();
    assert!(
        files.len() >= 353,
        "corpus not found or incomplete at {}: {} files",
        base.display(),
        files.len()
    );
    let mut failures: BTreeMap<String, ParseError> = BTreeMap::new();
    let mut panics = Vec::new();
    let mut resources = 0usize;
    for path in &files {
        let rel = path
            .strip_prefix(&base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).expect("corpus file is readable");
        match catch_unwind(AssertUnwindSafe(|| read(&bytes))) {
            Ok(Ok(t)) => resources += t.resources.len(),
            Ok(Err(e)) => {
                failures.insert(rel, e);
            }
            Err(_) => panics.push(rel),
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:#?}");
    let got: Vec<&str> = failures.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = EXPECTED_FAILURES.iter().map(|(f, _)| *f).collect();
    want.sort_unstable();
    assert_eq!(
        got, want,
        "unexpected set of failing files; errors: {failures:#?}"
    );
    for (file, word) in EXPECTED_FAILURES {
        let e = &failures[*file];
        assert!(
            e.message.contains(word),
            "{file}: expected an error about `{word}`, got {e}"
        );
        assert!(e.line >= 1 && e.column >= 1, "{file}: unpositioned {e}");
    }
    // The corpus is real: thousands of resources come out of it.
    assert!(resources > 3000, "only {resources} resources read");
}

#[test]
fn whole_corpus_analyzes_without_panic() {
    // The full pipeline (graph + rules) must not panic on anything the model accepts.
    let mut panics = Vec::new();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        if catch_unwind(AssertUnwindSafe(|| {
            let _ = pillarlint_core::analyze_bytes(&bytes);
        }))
        .is_err()
        {
            panics.push(path.display().to_string());
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:#?}");
}

#[test]
fn mangled_corpus_files_never_panic() {
    // Cut SAM and Serverless files at many points (mid-key, mid-tag, mid-flow) and swap
    // shapes: every result is a value or a positioned error, never a panic.
    let mut panics = Vec::new();
    let files: Vec<_> = corpus_files()
        .into_iter()
        .filter(|p| {
            let s = p.to_string_lossy();
            s.contains("/sam/") || s.contains("/serverless-framework/")
        })
        .collect();
    assert!(files.len() > 100, "{} files", files.len());
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let mut variants: Vec<String> = Vec::new();
        let len = text.len();
        for k in 1..8 {
            let mut cut = len * k / 8;
            while cut < len && !text.is_char_boundary(cut) {
                cut += 1;
            }
            variants.push(text[..cut].to_owned());
        }
        variants.push(text.replace("Properties:", "Properties: [1, 2]\n  x-Properties:"));
        variants.push(text.replace("Events:", "Events: 42\n      x-Events:"));
        variants.push(text.replace("events:", "events: {}\n    x-events:"));
        variants.push(text.replace("${", "${self:"));
        for v in variants {
            if let Err(e) = catch_unwind(AssertUnwindSafe(|| {
                if let Err(e) = read(v.as_bytes()) {
                    assert!(e.line >= 1, "unpositioned error {e}");
                }
            })) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                panics.push(format!("{}: {msg}", path.display()));
                break;
            }
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:#?}");
}

/// Read one SAM translator test input of the corpus.
fn translator_input(name: &str) -> Template {
    let path = corpus().join("sam").join(format!(
        "aws__serverless-application-model__tests__translator__input__{name}.yaml"
    ));
    let bytes = std::fs::read(&path).expect("translator input in the corpus");
    read(&bytes).expect("reads")
}

fn ids_of(t: &Template) -> Vec<String> {
    let mut v: Vec<String> = t.resources.iter().map(|r| r.id.clone()).collect();
    v.sort();
    v
}

/// Deployment ids carry a hash of Python's repr of the body: compare by prefix + 10 hex.
fn normalize_deployment(ids: Vec<String>) -> Vec<String> {
    ids.into_iter()
        .map(|id| match id.find("Deployment") {
            Some(i)
                if id.len() == i + "Deployment".len() + 10
                    && id[i + 10..].chars().all(|c| c.is_ascii_hexdigit()) =>
            {
                format!("{}<h10>", &id[..i + 10])
            }
            _ => id,
        })
        .collect()
}

#[test]
fn sam_translator_outputs_are_matched() {
    // Expected ids and shapes read from aws/serverless-application-model
    // `tests/translator/output/<name>.json` (the real transform's output for the same input).

    // api_with_cors_and_apikey_defined_at_api_level.json
    let t = translator_input("api_with_cors_and_apikey_defined_at_api_level");
    assert_eq!(
        normalize_deployment(ids_of(&t)),
        vec![
            "ApiGatewayLambdaRole",
            "MyApi",
            "MyApiDeployment<h10>",
            "MyApidevStage",
            "MyFunction",
            "MyFunctionRole"
        ]
    );
    let body = t.resource("MyApi").expect("api").properties.to_json()["Body"].clone();
    assert_eq!(
        body["paths"]["/hello"]["get"]["security"],
        json!([{"api_key": []}])
    );
    assert_eq!(
        body["components"]["securitySchemes"]["api_key"],
        json!({"type": "apiKey", "name": "x-api-key", "in": "header"})
    );
    // AddApiKeyRequiredToCorsPreflight: false → the preflight has no security.
    assert_eq!(
        body["paths"]["/hello"]["options"]["x-amazon-apigateway-integration"]["type"],
        json!("mock")
    );
    assert!(body["paths"]["/hello"]["options"].get("security").is_none());

    // function_with_event_source_mapping.json (ids of the events present in that output, and
    // the role's inline policies for on-failure destinations).
    let t = translator_input("function_with_event_source_mapping");
    let ids = ids_of(&t);
    for id in [
        "MyFunctionForBatchingExample",
        "MyFunctionForBatchingExampleRole",
        "MyFunctionForBatchingExampleStream",
        "MyFunctionForBatchingExampleStreamEvent",
        "MyFunctionForBatchingExampleDynamoDBStreamEvent",
    ] {
        assert!(ids.contains(&id.to_owned()), "{id} not in {ids:?}");
    }
    let role = t
        .resource("MyFunctionForBatchingExampleRole")
        .expect("role")
        .properties
        .to_json();
    let names: Vec<&str> = role["Policies"]
        .as_array()
        .expect("policies")
        .iter()
        .filter_map(|p| p["PolicyName"].as_str())
        .collect();
    for n in [
        "MyFunctionForBatchingExampleRolePolicy0",
        "MyFunctionForBatchingExampleDynamoDBStreamEventSQSPolicy",
        "MyFunctionForBatchingExampleStreamEventSNSPolicy",
    ] {
        assert!(names.contains(&n), "{n} not in {names:?}");
    }
    let managed = role["ManagedPolicyArns"].to_string();
    assert!(managed.contains("service-role/AWSLambdaDynamoDBExecutionRole"));
    assert!(managed.contains("service-role/AWSLambdaKinesisExecutionRole"));
    let m = t
        .resource("MyFunctionForBatchingExampleDynamoDBStreamEvent")
        .expect("mapping")
        .properties
        .to_json();
    assert_eq!(
        m["EventSourceArn"],
        json!({"Fn::GetAtt": ["DynamoDBTable", "StreamArn"]})
    );
    assert_eq!(
        m["FunctionName"],
        json!({"Ref": "MyFunctionForBatchingExample"})
    );
}

#[test]
fn sam_translator_http_api_output_is_matched_exactly() {
    // function_with_tenancy_and_httpapi_event.json, compared property by property.
    let t = translator_input("function_with_tenancy_and_httpapi_event");
    assert_eq!(
        ids_of(&t),
        vec![
            "MyFunction",
            "MyFunctionMyHttpApiEventPermission",
            "MyFunctionRole",
            "ServerlessHttpApi",
            "ServerlessHttpApiApiGatewayDefaultStage"
        ]
    );
    let p = |id: &str| t.resource(id).expect("resource").properties.to_json();
    assert_eq!(
        p("ServerlessHttpApi"),
        json!({"Body": {
            "info": {"title": {"Ref": "AWS::StackName"}, "version": "1.0"},
            "openapi": "3.0.1",
            "paths": {"/hello": {"get": {
                "responses": {},
                "x-amazon-apigateway-integration": {
                    "httpMethod": "POST",
                    "payloadFormatVersion": "2.0",
                    "type": "aws_proxy",
                    "uri": {"Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${MyFunction.Arn}/invocations"}
                }
            }}},
            "tags": [{"name": "httpapi:createdBy", "x-amazon-apigateway-tag-value": "SAM"}]
        }})
    );
    assert_eq!(
        p("ServerlessHttpApiApiGatewayDefaultStage"),
        json!({"ApiId": {"Ref": "ServerlessHttpApi"}, "AutoDeploy": true, "StageName": "$default", "Tags": {"httpapi:createdBy": "SAM"}})
    );
    assert_eq!(
        p("MyFunctionMyHttpApiEventPermission"),
        json!({
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "MyFunction"},
            "Principal": "apigateway.amazonaws.com",
            "SourceArn": {"Fn::Sub": [
                "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/${__Stage__}/GET/hello",
                {"__ApiId__": {"Ref": "ServerlessHttpApi"}, "__Stage__": "*"}
            ]}
        })
    );
    let f = p("MyFunction");
    assert_eq!(f["Role"], json!({"Fn::GetAtt": ["MyFunctionRole", "Arn"]}));
    assert_eq!(
        f["TenancyConfig"],
        json!({"TenantIsolationMode": "PER_TENANT"})
    );
    assert_eq!(
        f["Tags"],
        json!([{"Key": "lambda:createdBy", "Value": "SAM"}])
    );
}

#[test]
fn sam_graphql_api_auth_modes_are_expanded() {
    // graphqlapi_multiple_auth: the primary AppSync API keeps its id and every auth mode;
    // the additional Cognito mode loses `DefaultAction` (as the input's own comment says).
    let t = translator_input("graphqlapi_multiple_auth");
    let api = t.resource("SuperCoolAPI").expect("api");
    assert_eq!(api.type_, "AWS::AppSync::GraphQLApi");
    let p = api.properties.to_json();
    assert_eq!(p["AuthenticationType"], json!("AWS_LAMBDA"));
    let add = p["AdditionalAuthenticationProviders"]
        .as_array()
        .expect("additional");
    let types: Vec<&str> = add
        .iter()
        .filter_map(|a| a["AuthenticationType"].as_str())
        .collect();
    assert_eq!(
        types,
        vec![
            "AWS_IAM",
            "API_KEY",
            "AWS_LAMBDA",
            "OPENID_CONNECT",
            "AMAZON_COGNITO_USER_POOLS"
        ]
    );
    assert!(add[4]["UserPoolConfig"].get("DefaultAction").is_none());
}

#[test]
fn sam_translator_event_bridge_output_is_matched_exactly() {
    // function_with_event_bridge_rule_state.json: every resource, every property.
    let t = translator_input("function_with_event_bridge_rule_state");
    let got: serde_json::Map<String, serde_json::Value> = t
        .resources
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                json!({"Type": r.type_, "Properties": r.properties.to_json()}),
            )
        })
        .collect();
    let lambda_trust = json!({"Statement": [{"Action": ["sts:AssumeRole"], "Effect": "Allow",
        "Principal": {"Service": ["lambda.amazonaws.com"]}}], "Version": "2012-10-17"});
    let sam_tag = json!([{"Key": "lambda:createdBy", "Value": "SAM"}]);
    let want = json!({
        "TestBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "test-bucket"}},
        "TestFunction": {"Type": "AWS::Lambda::Function", "Properties": {
            "Code": {"ZipFile": "exports.handler = async (event) => {\n  return 'Hello from Lambda!';\n};\n"},
            "FunctionName": "test-function",
            "Handler": "index.handler",
            "Role": {"Fn::GetAtt": ["TestFunctionRole", "Arn"]},
            "Runtime": "nodejs16.x",
            "Tags": sam_tag
        }},
        "TestFunctionRole": {"Type": "AWS::IAM::Role", "Properties": {
            "AssumeRolePolicyDocument": lambda_trust,
            "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
            "Tags": sam_tag
        }},
        "TestFunctionTestEventBridgeRule": {"Type": "AWS::Events::Rule", "Properties": {
            "EventPattern": {
                "detail": {"bucket": {"name": ["test-bucket"]}, "object": {"key": [{"prefix": "/"}]}},
                "detail-type": ["Object Created"],
                "source": ["aws.s3"]
            },
            "State": "ENABLED",
            "Targets": [{"Arn": {"Fn::GetAtt": ["TestFunction", "Arn"]},
                         "Id": "TestFunctionTestEventBridgeRuleLambdaTarget"}]
        }},
        "TestFunctionTestEventBridgeRulePermission": {"Type": "AWS::Lambda::Permission", "Properties": {
            "Action": "lambda:InvokeFunction",
            "FunctionName": {"Ref": "TestFunction"},
            "Principal": "events.amazonaws.com",
            "SourceArn": {"Fn::GetAtt": ["TestFunctionTestEventBridgeRule", "Arn"]}
        }}
    });
    assert_eq!(serde_json::Value::Object(got), want);
}

#[test]
fn implicit_api_is_conditional_when_all_its_functions_are() {
    // implicit_api_with_many_conditions: eleven conditional functions feed the implicit API,
    // so it (and its stage/deployment) only exist when one of their conditions holds; more than
    // ten conditions are grouped because `Fn::Or` takes at most ten.
    let t = translator_input("implicit_api_with_many_conditions");
    let api = t.resource("ServerlessRestApi").expect("api");
    let cond = api.condition.clone().expect("conditional");
    assert_eq!(cond, "ServerlessRestApiCondition");
    let stage = t.resource("ServerlessRestApiProdStage").expect("stage");
    assert_eq!(stage.condition.as_deref(), Some(cond.as_str()));
    let (_, or) = t
        .conditions
        .iter()
        .find(|(n, _)| *n == cond)
        .expect("condition added");
    let parts = or.get("Fn::Or").and_then(|v| v.as_seq()).expect("or");
    assert!(parts.len() <= 10);
    // At default parameter values every one of those conditions is false, and so is the API's.
    assert_eq!(
        pillarlint_core::model::resolve::condition_value(&t, &cond),
        Some(false)
    );
    // Each permission carries its function's condition.
    let p = t
        .resource("helloApiEventPermissionProd")
        .expect("permission");
    assert_eq!(p.condition.as_deref(), Some("MyCondition"));
}

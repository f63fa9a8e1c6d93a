//! SAM expansion checked against what the SAM translator generates (expected ids and shapes
//! taken from `sam-generated-ids.md`, which cites the translator's own test outputs).

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
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"})
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
        .ends_with("/*/POST/author"));
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

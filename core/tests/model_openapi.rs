//! One route reader for every source: SAM (implicit and explicit), Serverless, and a
//! CloudFormation `Body` written by hand.

use pillarlint_core::model::openapi::{routes, AuthKind, OpenApiRoute};
use pillarlint_core::model::Template;
use pillarlint_core::parse::{detect, load, Limits};

fn model(text: &str) -> Template {
    let root = load(text, &Limits::default()).expect("loads");
    let format = detect(&root).expect("detects");
    Template::build(root, format).expect("builds")
}

fn api_routes(t: &Template, api: &str) -> Vec<OpenApiRoute> {
    routes(t, t.resource(api).expect("api"))
}

fn route<'a>(rs: &'a [OpenApiRoute], method: &str, path: &str) -> &'a OpenApiRoute {
    rs.iter()
        .find(|r| r.method == method && r.path == path)
        .unwrap_or_else(|| panic!("no {method} {path} in {rs:#?}"))
}

#[test]
fn bookstore_routes_reach_their_functions_without_auth() {
    let t = model(include_str!("../examples/bookstore.sam.yaml"));
    let rs = api_routes(&t, "ServerlessRestApi");
    assert_eq!(rs.len(), 2);
    let post = route(&rs, "POST", "/author");
    assert_eq!(post.target.as_deref(), Some("authorHandler"));
    assert!(post.unauthenticated);
    let get = route(&rs, "GET", "/booksStats");
    assert_eq!(get.target.as_deref(), Some("booksStatistics"));
    assert!(get.unauthenticated && !get.api_key_required);
    // The route points at the event's `Path` in the source.
    let text = include_str!("../examples/bookstore.sam.yaml");
    let line = text
        .lines()
        .nth(post.span.start.line as usize - 1)
        .expect("line");
    assert!(line.contains("Path: /author"), "{line}");
}

#[test]
fn sam_effective_auth_per_route() {
    let t = model(include_str!("fixtures/model/sam_auth.yaml"));
    let rs = api_routes(&t, "MyApi");
    let items = route(&rs, "GET", "/items");
    assert!(!items.unauthenticated);
    assert_eq!(items.security[0][0].kind, AuthKind::Cognito);
    assert_eq!(items.target.as_deref(), Some("Fn"));
    assert!(route(&rs, "GET", "/health").unauthenticated);
    let admin = route(&rs, "POST", "/admin");
    assert!(!admin.unauthenticated);
    assert!(admin.api_key_required);
    assert_eq!(admin.security[0][0].kind, AuthKind::Lambda);
    assert_eq!(
        route(&rs, "ANY", "/signed/{id}").security[0][0].kind,
        AuthKind::Iam
    );
    let http = api_routes(&t, "MyHttp");
    let things = route(&http, "GET", "/things");
    assert_eq!(things.security[0][0].kind, AuthKind::Jwt);
    assert_eq!(things.security[0][0].scopes, vec!["read"]);
    assert!(route(&http, "GET", "/open").unauthenticated);
    let implicit = api_routes(&t, "ServerlessHttpApi");
    assert_eq!(
        route(&implicit, "ANY", "$default").target.as_deref(),
        Some("HttpFn")
    );
}

#[test]
fn serverless_routes_with_authorizers() {
    let t = model(include_str!("fixtures/model/serverless_auth.yml"));
    let rs = api_routes(&t, "ApiGatewayRestApi");
    let post = route(&rs, "POST", "/books");
    assert_eq!(post.security[0][0].kind, AuthKind::Iam);
    assert_eq!(post.target.as_deref(), Some("create-book"));
    let get = route(&rs, "GET", "/books/{id}");
    assert!(get.unauthenticated);
    assert_eq!(
        get.logical_id.as_deref(),
        Some("ApiGatewayMethodBooksIdVarGet")
    );
    let admin = route(&rs, "DELETE", "/admin");
    assert_eq!(admin.security[0][0].kind, AuthKind::Cognito);
    assert!(admin.api_key_required && !admin.unauthenticated);
    assert_eq!(
        route(&rs, "GET", "/custom").security[0][0].kind,
        AuthKind::Lambda
    );
    let http = api_routes(&t, "HttpApi");
    assert_eq!(
        route(&http, "GET", "/books").security[0][0].kind,
        AuthKind::Jwt
    );
    assert_eq!(
        route(&http, "GET", "/books").target.as_deref(),
        Some("list_books")
    );
    assert!(route(&http, "GET", "/open").unauthenticated);
}

#[test]
fn handwritten_cloudformation_body_and_api_key_only() {
    let t = model(
        r#"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        security:
          - Cognito: []
        securityDefinitions:
          Cognito:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer:
              type: cognito_user_pools
              providerARNs: [arn:aws:cognito-idp:us-east-1:1:userpool/x]
          api_key:
            type: apiKey
            name: x-api-key
            in: header
        paths:
          /a:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
          /b:
            get:
              security:
                - api_key: []
              x-amazon-apigateway-integration:
                type: mock
            post:
              x-amazon-apigateway-auth:
                type: AWS_IAM
              security: []
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: x
"#,
    );
    let rs = api_routes(&t, "Api");
    // Top-level security applies to operations without their own.
    let a = route(&rs, "GET", "/a");
    assert_eq!(a.security[0][0].kind, AuthKind::Cognito);
    assert_eq!(a.target.as_deref(), Some("Fn"));
    // An API key alone is not authentication.
    let b = route(&rs, "GET", "/b");
    assert!(b.unauthenticated && b.api_key_required);
    assert_eq!(b.integration.as_deref(), Some("mock"));
    assert_eq!(route(&rs, "POST", "/b").security[0][0].kind, AuthKind::Iam);
}

#[test]
fn direct_service_integrations_name_their_resources() {
    let t = model(
        r#"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: "3.0.1"
        paths:
          /inbox:
            post:
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                credentials: !GetAtt ApiRole.Arn
                uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Inbox.QueueName}
  Inbox:
    Type: AWS::SQS::Queue
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
"#,
    );
    let rs = api_routes(&t, "Api");
    let r = route(&rs, "POST", "/inbox");
    assert!(r.target.is_none());
    assert_eq!(r.integration.as_deref(), Some("aws"));
    assert!(r.integration_refs.contains(&"Inbox".to_owned()), "{r:#?}");
    assert!(r.integration_refs.contains(&"ApiRole".to_owned()), "{r:#?}");
    assert!(r.unauthenticated);
}

//! Built-in example templates (the web app opens on the first; the CLI checks it when
//! given no path).

/// One example.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub file_name: &'static str,
    /// The file under `core/examples/` (the web app's `dist/examples/`).
    pub source: &'static str,
    /// The template. Empty in `lean` builds for every example but the bookstore: the web app
    /// loads the others from `examples/<source>` when asked (about 3.5 KB gzip less).
    pub text: &'static str,
}

#[cfg(not(feature = "lean"))]
mod texts {
    pub const BOOKSTORE_TF: &str = include_str!("../examples/bookstore.tf");
    pub const ORDERS: &str = include_str!("../examples/orders.cfn.yaml");
    pub const TODO: &str = include_str!("../examples/todo.serverless.yml");
    pub const CLEAN: &str = include_str!("../examples/clean.cfn.yaml");
}

#[cfg(feature = "lean")]
mod texts {
    pub const BOOKSTORE_TF: &str = "";
    pub const ORDERS: &str = "";
    pub const TODO: &str = "";
    pub const CLEAN: &str = "";
}

/// The seed article's bookstore service, with its problems.
pub const BOOKSTORE: Example = Example {
    id: "bookstore",
    title: "Bookstore (SAM) — the article's example service",
    file_name: "bookstore.sam.yaml",
    source: "bookstore.sam.yaml",
    text: include_str!("../examples/bookstore.sam.yaml"),
};

/// The same bookstore written in Terraform (HCL): the same diagram and findings, at `.tf`
/// lines.
pub const BOOKSTORE_TF: Example = Example {
    id: "bookstore-terraform",
    title: "Bookstore (Terraform) — the same service in HCL",
    file_name: "main.tf",
    source: "bookstore.tf",
    text: texts::BOOKSTORE_TF,
};

/// An orders service in plain CloudFormation (REST API, queue-driven worker, stores).
pub const ORDERS: Example = Example {
    id: "orders",
    title: "Orders (CloudFormation) — API, queue worker, table, bucket",
    file_name: "orders.cfn.yaml",
    source: "orders.cfn.yaml",
    text: texts::ORDERS,
};

/// A to-do API written for the Serverless Framework.
pub const TODO: Example = Example {
    id: "todo",
    title: "To-do API (Serverless Framework)",
    file_name: "serverless.yml",
    source: "todo.serverless.yml",
    text: texts::TODO,
};

/// A small service with its guards in place: what clean looks like.
pub const CLEAN: Example = Example {
    id: "clean",
    title: "Notes (CloudFormation) — a clean service",
    file_name: "notes.cfn.yaml",
    source: "clean.cfn.yaml",
    text: texts::CLEAN,
};

/// Every built-in example, the default first.
pub const EXAMPLES: &[Example] = &[BOOKSTORE, BOOKSTORE_TF, ORDERS, TODO, CLEAN];

/// Look an example up by id.
pub fn example(id: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.id == id)
}

/// A synthetic CloudFormation service of about `resources` resources, for benchmarks and
/// scaling tests: one REST API and groups of an unauthenticated route, a function, its role
/// and the table it reads and writes. The web app's `#/bench` page and the native benchmark
/// analyse the same text, so their figures compare.
pub fn generated(resources: usize) -> String {
    generated_padded(resources, 0)
}

/// [`generated`] with each function carrying a `Description` of `pad` bytes (for inputs of a
/// given size: the hostile-input suite's 5 MB and 50 MB templates).
pub fn generated_padded(resources: usize, pad: usize) -> String {
    let groups = resources.div_ceil(5).max(1);
    let mut s = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n",
    );
    for i in 0..groups {
        s.push_str(&format!(
            concat!(
                "  Fn{i}:\n    Type: AWS::Lambda::Function\n    Properties:\n{description}",
                "      Runtime: python3.12\n      Handler: a.h\n      Code: {{ZipFile: x}}\n      Role: !GetAtt Role{i}.Arn\n",
                "      Environment: {{Variables: {{TABLE: !Ref Table{i}}}}}\n",
                "  Role{i}:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n",
                "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Statement:\n",
                "              - {{Effect: Allow, Action: [\"dynamodb:GetItem\", \"dynamodb:PutItem\"], Resource: !GetAtt Table{i}.Arn}}\n",
                "  Table{i}:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n",
                "      KeySchema: [{{AttributeName: id, KeyType: HASH}}]\n      AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]\n",
                "  Res{i}:\n    Type: AWS::ApiGateway::Resource\n",
                "    Properties: {{RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: p{i}}}\n",
                "  Get{i}:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n",
                "      ResourceId: !Ref Res{i}\n      HttpMethod: GET\n      AuthorizationType: NONE\n",
                "      Integration: {{Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub \"arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{Fn{i}.Arn}}/invocations\"}}\n",
            ),
            i = i,
            description = if pad == 0 {
                String::new()
            } else {
                format!("      Description: \"{}\"\n", "x".repeat(pad))
            }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_ids_are_unique() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            crate::analyze_text(e.text).unwrap_or_else(|err| panic!("{}: {err}", e.id));
            assert!(
                EXAMPLES[..i].iter().all(|o| o.id != e.id),
                "duplicate {}",
                e.id
            );
            assert_eq!(example(e.id).map(|x| x.id), Some(e.id));
        }
    }

    #[test]
    fn the_clean_example_is_clean_and_the_others_are_not() {
        for e in EXAMPLES {
            let a = crate::analyze_text(e.text).expect("parses");
            let active: Vec<_> = a
                .findings
                .iter()
                .filter(|f| f.suppressed.is_none())
                .map(|f| (f.rule, f.resource.clone()))
                .collect();
            if e.id == CLEAN.id {
                assert!(active.is_empty(), "{}: {active:?}", e.id);
            } else {
                assert!(!active.is_empty(), "{} should show problems", e.id);
            }
        }
    }
}

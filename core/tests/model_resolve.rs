//! Resolution: conditions at default parameter values, Mappings, Select/Split, both branches
//! of `Fn::If`, dynamic references, imports as explicit unknowns.

use pillarlint_core::model::resolve::{
    branches, condition_value, default_branch, dynamic_refs, is_no_value, resolve, variants,
    Resolved,
};
use pillarlint_core::model::Template;
use pillarlint_core::parse::{detect, load, Limits};
use serde_json::json;

const TEMPLATE: &str = r#"
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [dev, prod]
  Secret:
    Type: String
    NoEcho: true
  Subnets:
    Type: CommaDelimitedList
    Default: subnet-a,subnet-b
Mappings:
  Sizes:
    prod:
      Memory: "1024"
    dev:
      Memory: "128"
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [x, y]]
  Unknown: !Equals [!Ref AWS::Region, us-east-1]
  NoDefault: !Equals [!Ref Secret, x]
  Loop1: !Condition Loop2
  Loop2: !Condition Loop1
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Join ["-", [!Ref Env, !Select [1, !Split [",", "a,b,c"]]]]
      Memory: !FindInMap [Sizes, !Ref Env, Memory]
      Second: !Select [1, !Ref Subnets]
      Encryption: !If
        - IsProd
        - {SSEAlgorithm: aws:kms}
        - !If [IsDev, !Ref AWS::NoValue, {SSEAlgorithm: AES256}]
      Imported: !ImportValue shared-vpc
      Password: '{{resolve:secretsmanager:MySecret:SecretString:password}}'
      Plain: 'x-{{resolve:ssm:/app/name:3}}'
      Tags:
        - Key: a
          Value: b
        - !If [IsDev, {Key: dev, Value: "1"}, !Ref AWS::NoValue]
"#;

fn model() -> Template {
    let root = load(TEMPLATE, &Limits::default()).expect("loads");
    let f = detect(&root).expect("format");
    Template::build(root, f).expect("builds")
}

#[test]
fn conditions_evaluate_at_default_values() {
    let t = model();
    assert_eq!(condition_value(&t, "IsProd"), Some(true));
    assert_eq!(condition_value(&t, "IsDev"), Some(false));
    assert_eq!(condition_value(&t, "Both"), Some(true));
    assert_eq!(condition_value(&t, "Either"), Some(false));
    // Pseudo parameters and parameters without defaults are not fixed by the template.
    assert_eq!(condition_value(&t, "Unknown"), None);
    assert_eq!(condition_value(&t, "NoDefault"), None);
    // Cycles terminate.
    assert_eq!(condition_value(&t, "Loop1"), None);
    assert_eq!(condition_value(&t, "Missing"), None);
}

#[test]
fn join_select_split_and_find_in_map() {
    let t = model();
    let b = t.resource("Bucket").expect("bucket");
    let p = |k: &str| b.prop(k).expect("prop");
    assert_eq!(
        resolve(&t, p("BucketName")),
        Resolved::Literal("prod-b".into())
    );
    assert_eq!(resolve(&t, p("Memory")), Resolved::Literal("1024".into()));
    assert_eq!(
        resolve(&t, p("Second")),
        Resolved::Literal("subnet-b".into())
    );
    match resolve(&t, p("Imported")) {
        Resolved::Unknown(why) => assert!(why.contains("ImportValue"), "{why}"),
        other => panic!("import must stay unknown, got {other:?}"),
    }
}

#[test]
fn both_branches_of_if_are_visible() {
    let t = model();
    let enc = t
        .resource("Bucket")
        .and_then(|b| b.prop("Encryption"))
        .expect("enc");
    let br = branches(enc);
    let conds: Vec<Option<&str>> = br.iter().map(|(c, _)| c.as_deref()).collect();
    assert_eq!(
        conds,
        vec![
            Some("IsProd"),
            Some("!IsProd && IsDev"),
            Some("!IsProd && !IsDev")
        ]
    );
    assert_eq!(br[0].1.to_json(), json!({"SSEAlgorithm": "aws:kms"}));
    assert!(is_no_value(br[1].1));
    assert_eq!(br[2].1.to_json(), json!({"SSEAlgorithm": "AES256"}));
    // The branch CloudFormation takes at defaults.
    assert_eq!(
        default_branch(&t, enc).to_json(),
        json!({"SSEAlgorithm": "aws:kms"})
    );
    // A plain value is its own single branch.
    let name = t
        .resource("Bucket")
        .and_then(|b| b.prop("Memory"))
        .expect("m");
    assert_eq!(branches(name).len(), 1);
    assert!(branches(name)[0].0.is_none());
}

#[test]
fn variants_choose_every_if_and_drop_no_value() {
    let t = model();
    let tags = t
        .resource("Bucket")
        .and_then(|b| b.prop("Tags"))
        .expect("tags");
    let vs = variants(tags, 16);
    assert_eq!(vs.len(), 2);
    assert_eq!(vs[0].0, vec![("IsDev".to_owned(), true)]);
    assert_eq!(
        vs[0].1.to_json(),
        json!([{"Key": "a", "Value": "b"}, {"Key": "dev", "Value": "1"}])
    );
    assert_eq!(vs[1].1.to_json(), json!([{"Key": "a", "Value": "b"}]));
    // The cap holds.
    let enc = t
        .resource("Bucket")
        .and_then(|b| b.prop("Encryption"))
        .expect("enc");
    assert_eq!(variants(enc, 2).len(), 2);
}

#[test]
fn dynamic_references_are_recognised() {
    let refs = dynamic_refs("{{resolve:secretsmanager:MySecret:SecretString:password}}");
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].service, "secretsmanager");
    assert_eq!(refs[0].reference, "MySecret:SecretString:password");
    assert!(refs[0].is_secret());
    let refs = dynamic_refs("x-{{resolve:ssm:/app/name:3}}-{{resolve:ssm-secure:/db/pw:1}}");
    assert_eq!(refs.len(), 2);
    assert!(!refs[0].is_secret());
    assert!(refs[1].is_secret());
    assert!(dynamic_refs("plain").is_empty());
    let t = model();
    let p = t.parameter("Secret").expect("param");
    assert!(p.no_echo);
    assert_eq!(
        t.parameter("Env").expect("env").allowed_values,
        vec!["dev", "prod"]
    );
}

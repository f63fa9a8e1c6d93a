//! The seed article's bookstore service, rendered as CloudFormation: the findings must cover
//! every concern the article raises for it.

use pillarlint_core::rules::{Finding, Pillar};

fn findings() -> Vec<Finding> {
    let text = include_str!("examples/bookstore.cfn.yaml");
    pillarlint_core::analyze_text(text)
        .expect("bookstore parses")
        .findings
}

fn has(f: &[Finding], rule: &str, resource: &str) -> bool {
    f.iter()
        .any(|x| x.rule == rule && x.resource.as_deref() == Some(resource))
}

#[test]
fn unauthenticated_routes() {
    let f = findings();
    assert!(has(&f, "AUTH001", "PostAuthor"));
    assert!(has(&f, "AUTH001", "GetBooksStats"));
    // POST /author reaches DocumentDB with admin rights: the whole path is reported.
    let blast = f
        .iter()
        .find(|x| x.rule == "AUTH012" && x.resource.as_deref() == Some("PostAuthor"))
        .expect("blast radius of POST /author");
    for id in ["ServerlessRestApi", "authorHandler", "AuthorsDb"] {
        assert!(
            blast.related.iter().any(|r| r == id),
            "{id} in {:?}",
            blast.related
        );
    }
}

#[test]
fn secrets_in_env_and_plaintext_master_password() {
    let f = findings();
    let env = f
        .iter()
        .find(|x| x.rule == "AUTH008" && x.resource.as_deref() == Some("authorHandler"))
        .expect("DB_PASSWORD in the environment");
    assert_eq!(env.span.start.line, 23, "points at the DB_PASSWORD value");
    let pw = f
        .iter()
        .find(|x| x.rule == "AUTH009" && x.resource.as_deref() == Some("AuthorsDb"))
        .expect("plaintext MasterUserPassword");
    assert_eq!(pw.span.start.line, 133);
}

#[test]
fn encryption_in_transit_and_at_rest() {
    let f = findings();
    assert!(has(&f, "DATA005", "AuthorsDbParams"), "tls: disabled");
    assert!(f.iter().any(|x| x.rule == "DATA013"
        && x.edge
            .as_ref()
            .is_some_and(|e| e.from == "authorHandler" && e.to == "AuthorsDb")));
    let at_rest = f
        .iter()
        .find(|x| x.rule == "DATA004" && x.resource.as_deref() == Some("AuthorsDb"))
        .expect("StorageEncrypted: false");
    assert_eq!(at_rest.span.start.line, 134);
}

#[test]
fn input_validation_on_post_author() {
    let f = findings();
    let v = f
        .iter()
        .find(|x| x.rule == "DATA011")
        .expect("write route without validation");
    assert_eq!(v.resource.as_deref(), Some("PostAuthor"));
    assert!(v.message.contains("POST /author"));
    assert!(v.related.iter().any(|r| r == "AuthorsDb"));
    // GET /booksStats is not a write route.
    assert!(!has(&f, "DATA011", "GetBooksStats"));
}

#[test]
fn tracing_access_logs_throttling_and_waf() {
    let f = findings();
    assert!(has(&f, "LOG001", "authorHandler"));
    assert!(has(&f, "LOG001", "booksStatistics"));
    assert!(has(&f, "LOG002", "ServerlessRestApiProdStage"));
    assert!(has(&f, "LOG004", "ServerlessRestApiProdStage"));
    assert!(has(&f, "DOS001", "ServerlessRestApiProdStage"));
    assert!(has(&f, "DOS003", "ServerlessRestApiProdStage"));
    for p in Pillar::ALL {
        assert!(f.iter().any(|x| x.pillar == p), "no {p:?} finding");
    }
}

#[test]
fn nothing_flags_what_is_fine() {
    let f = findings();
    // SAM-style permissions are bound to their routes.
    assert!(!f.iter().any(|x| x.rule == "AUTH004" || x.rule == "AUTH013"));
    // The bucket and table use default encryption: not "unencrypted" findings.
    assert!(!f.iter().any(|x| x.rule == "DATA003" || x.rule == "DATA014"));
}

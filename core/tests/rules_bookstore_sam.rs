//! The seed example as written (SAM): after the SAM expansion merge, the findings must cover
//! every concern the article raises. Ids are the SAM transform's.

use pillarlint_core::rules::Finding;

fn findings() -> Vec<Finding> {
    let text = include_str!("../examples/bookstore.sam.yaml");
    pillarlint_core::analyze_text(text)
        .expect("parses")
        .findings
}

fn rules_on(f: &[Finding], resource: &str) -> Vec<&'static str> {
    f.iter()
        .filter(|x| x.resource.as_deref() == Some(resource))
        .map(|x| x.rule)
        .collect()
}

#[test]
fn bookstore_sam_covers_the_article() {
    let f = findings();
    // Unauthenticated routes (the route resource is whatever the graph names for the SAM event).
    assert!(f.iter().filter(|x| x.rule == "AUTH001").count() >= 2);
    // DB password in an env var, plaintext master password.
    assert!(rules_on(&f, "authorHandler").contains(&"AUTH008"));
    assert!(rules_on(&f, "AuthorsDb").contains(&"AUTH009"));
    // Encryption at rest and in transit.
    assert!(rules_on(&f, "AuthorsDb").contains(&"DATA004"));
    assert!(rules_on(&f, "AuthorsDbParams").contains(&"DATA005"));
    // Input validation on POST /author.
    assert!(f
        .iter()
        .any(|x| x.rule == "DATA011" && x.message.contains("POST /author")));
    // Tracing and access logs; throttling and WAF on the implicit API's stage.
    assert!(rules_on(&f, "authorHandler").contains(&"LOG001"));
    assert!(rules_on(&f, "ServerlessRestApiProdStage").contains(&"LOG002"));
    assert!(rules_on(&f, "ServerlessRestApiProdStage").contains(&"DOS001"));
    assert!(rules_on(&f, "ServerlessRestApiProdStage").contains(&"DOS003"));
}

//! Built-in example templates (the web app opens on the first; the CLI checks it when
//! given no path).

/// One example.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub file_name: &'static str,
    pub text: &'static str,
}

/// The seed article's bookstore service, with its problems.
pub const BOOKSTORE: Example = Example {
    id: "bookstore",
    title: "Bookstore (SAM) — the article's example service",
    file_name: "bookstore.sam.yaml",
    text: include_str!("../examples/bookstore.sam.yaml"),
};

/// Every built-in example, the default first.
pub const EXAMPLES: &[Example] = &[BOOKSTORE];

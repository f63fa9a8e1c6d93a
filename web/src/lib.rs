//! pillarlint's web app (Yew, client-side rendered): paste a template, see the service
//! drawn and coloured by pillar, fix it line by line. Everything runs in the page.

// Yew props, actions and state are UI plumbing that is never printed.
#![allow(missing_debug_implementations)]

pub mod app;
pub mod appdoc;
pub mod components;
pub mod docs;
pub mod documents;
pub mod export;
pub mod hooks;
pub mod lazy;
pub mod pages;
pub mod pwa;
pub mod share;
pub mod state;
pub mod terraform;
pub mod tools;

/// Mount the benchmark page (`bench.html`, its own bundle: the app's users do not download
/// it) on `<body>`. Its "editor" case reads the playground's saved draft.
pub fn start_bench() {
    yew::Renderer::<pages::bench::BenchRoot>::new().render();
}

/// Mount the read-only embed view (`embed.html`, its own bundle: no editor, no share
/// dialog, no rule pages) on `<body>`.
pub fn start_embed() {
    yew::Renderer::<pages::embed::EmbedApp>::new().render();
}

/// Mount the rule pages (`rules.html`, their own bundle: the docs reader and renderer are
/// not in the app's first load) on `<body>`.
pub fn start_rules() {
    yew::Renderer::<pages::rule::RulesApp>::new().render();
}

/// Mount the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

//! pillarlint's web app (Yew, client-side rendered): paste a template, see the service
//! drawn and coloured by pillar, fix it line by line. Everything runs in the page.

// Yew props, actions and state are UI plumbing that is never printed.
#![allow(missing_debug_implementations)]

pub mod app;
pub mod components;
pub mod docs;
pub mod export;
pub mod hooks;
pub mod pages;
pub mod share;
pub mod state;

/// Mount the app on `<body>`.
pub fn start() {
    // `embed.html` is a copy of `index.html`: the path picks the read-only embed view.
    if share::is_embed_path(&share::location().0) {
        yew::Renderer::<pages::embed::EmbedApp>::new().render();
    } else {
        yew::Renderer::<app::App>::new().render();
    }
}

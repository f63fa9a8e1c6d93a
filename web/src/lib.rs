//! pillarlint's web app (Yew, client-side rendered).

pub mod app;

/// Mount the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

//! `share/`: the share dialog and the exports, a bundle the app loads after its first
//! diagram (`pillarlint_web::lazy`); `share/boot.js` hands `run` to the app.

use wasm_bindgen::prelude::wasm_bindgen;

/// What the app's Share and Export buttons do (`pillarlint_web::tools::run`).
#[wasm_bindgen]
pub fn run(action: &str, state_json: &str, link: &str) {
    pillarlint_web::tools::run(action, state_json, link);
}

fn main() {}

//! Terraform in the browser. The Terraform reader costs some 70 KB gzip of Wasm, more than
//! the app's first load may grow, so `index.html` is built without it and `terraform.html`
//! is the same app with it (scripts/build-pages.sh). Given Terraform, the first bundle moves
//! to the second, keeping the route or link in the hash; the text is already the saved
//! draft (or in the link), so nothing the user typed is lost.

use pillarlint_core::model::terraform::{AVAILABLE, NOT_IN_THIS_BUILD};
use pillarlint_core::report::ErrorOut;

/// The page with the Terraform reader, beside this one.
pub const PAGE: &str = "terraform.html";

/// If `err` says this bundle cannot read Terraform, go to the one that can; true when the
/// page is being replaced.
pub fn move_if_needed(err: &ErrorOut) -> bool {
    if AVAILABLE || !err.message.starts_with(NOT_IN_THIS_BUILD) {
        return false;
    }
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let hash = location.hash().unwrap_or_default();
    location.replace(&format!("{PAGE}{hash}")).is_ok()
}

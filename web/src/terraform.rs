//! The full app. The Terraform reader costs some 70 KB gzip of Wasm and the Serverless
//! Framework reader some 25 KB, more than the app's first load may grow, so `index.html` is
//! built without them and `terraform.html` is the same app with both (scripts/build-pages.sh).
//! Given Terraform or a `serverless.yml`, the first bundle moves to the second, keeping the
//! route or link in the hash; the text is already the saved draft (or in the link), so nothing
//! the user typed is lost.

use pillarlint_core::report::ErrorOut;

/// The page with every reader, beside this one.
pub const PAGE: &str = "terraform.html";

/// Does `err` say this bundle lacks the reader the input needs?
pub fn needs_full_bundle(err: &ErrorOut) -> bool {
    pillarlint_core::model::needs_other_build(&err.message)
}

/// If `err` says this bundle cannot read the input, go to the one that can; true when the
/// page is being replaced.
pub fn move_if_needed(err: &ErrorOut) -> bool {
    if !needs_full_bundle(err) {
        return false;
    }
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let hash = location.hash().unwrap_or_default();
    location.replace(&format!("{PAGE}{hash}")).is_ok()
}

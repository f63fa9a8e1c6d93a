//! Analyse the text as the user types: the latest text wins after a quiet period, input is
//! never blocked, and the document is saved to localStorage at the same moment.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::documents;
use crate::state::{analyse, Action, AppContext};

/// Quiet period before analysing, in milliseconds.
pub const DEBOUNCE_MS: u32 = 150;

/// Schedule an analysis of `state.text` whenever its revision changes. A document that was
/// just opened is analysed at once (no wait on first paint).
#[hook]
pub fn use_debounced_analysis(state: AppContext) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let revision = state.revision;
    use_effect_with(revision, move |&revision| {
        let text = state.text.clone();
        let doc = state.doc.clone();
        let dirty = state.dirty;
        let dispatch = state.dispatcher();
        let shown = crate::state::with_filter(&state.shown, &state.filter);
        let files = state.files.clone();
        // an app: the file in the editor (the app holding it is drawn, among equals)
        #[cfg(feature = "apps")]
        let editing = state.shown_path().map(str::to_owned);
        let saved_ok = state.storage_error.is_none();
        let run = move || {
            let name = (!doc.name_follows_text()).then(|| doc.name.clone());
            // An app (a dropped folder or zip, a link to an app): the first bundle moves to
            // the page that reads apps, once the document is saved (it opens the active
            // document, or the link in the hash); that page analyses every file as one app.
            if doc.origin == crate::documents::Origin::App && files.is_none() {
                if saved_ok && !dirty && crate::appdoc::move_to_apps_page() {
                    return;
                }
                let message = "this app is not saved (see above) or damaged".to_owned();
                let result = Err(pillarlint_core::report::ErrorOut {
                    message,
                    line: 1,
                    column: 1,
                    file: None,
                });
                dispatch.dispatch(Action::Analysed { revision, result });
                return;
            }
            #[cfg(feature = "apps")]
            let result = match &files {
                Some(f) => crate::state::analyse_app(f, &shown, editing.as_deref()),
                None => analyse(&text, name.as_deref(), &shown),
            };
            #[cfg(not(feature = "apps"))]
            let result = analyse(&text, name.as_deref(), &shown);
            if dirty {
                // saved under the name the analysis found (it follows the text)
                let mut d = (*doc).clone();
                if let (Ok(v), true, None) = (&result, d.name_follows_text(), &files) {
                    d.name.clone_from(&v.report.path);
                }
                d.updated = js_sys::Date::now();
                let saved = documents::save(&d, &text);
                dispatch.dispatch(Action::Saved {
                    revision,
                    result: saved,
                });
            }
            // Terraform in the first bundle: on to terraform.html, the document saved above
            // (it opens the active document, or the link in the hash)
            if let Err(e) = &result {
                if crate::terraform::move_if_needed(e) {
                    return;
                }
            }
            dispatch.dispatch(Action::Analysed { revision, result });
        };
        // dropping the previous timeout cancels it
        *timer.borrow_mut() = if state.now {
            run();
            None
        } else {
            Some(Timeout::new(DEBOUNCE_MS, run))
        };
    });
}

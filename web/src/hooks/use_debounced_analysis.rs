//! Analyse the text as the user types: the latest text wins after a quiet period, input is
//! never blocked, and the draft is saved to localStorage at the same moment.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::state::{analyse, Action, AppContext, DRAFT_KEY};

/// Quiet period before analysing, in milliseconds.
pub const DEBOUNCE_MS: u32 = 150;

/// Schedule an analysis of `state.text` whenever its revision changes. The first revision is
/// analysed at once (no wait on first paint).
#[hook]
pub fn use_debounced_analysis(state: AppContext) {
    let timer = use_mut_ref(|| None::<Timeout>);
    let revision = state.revision;
    use_effect_with(revision, move |&revision| {
        let text = state.text.clone();
        let path = state.file_name.clone();
        let dispatch = state.dispatcher();
        let run = move || {
            save_draft(&text);
            let result = analyse(revision, &text, &path);
            if let Err(e) = &result {
                if crate::terraform::move_if_needed(e) {
                    return;
                }
            }
            dispatch.dispatch(Action::Analysed { revision, result });
        };
        // dropping the previous timeout cancels it
        *timer.borrow_mut() = if revision <= 1 {
            run();
            None
        } else {
            Some(Timeout::new(DEBOUNCE_MS, run))
        };
    });
}

/// Keep the user's text across reloads and crashes.
pub fn save_draft(text: &str) {
    // a template opened from someone's link is not the user's draft until they edit it
    if crate::share::is_link_text(text) {
        return;
    }
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        // quota errors leave the previous draft in place; nothing else to do
        let _ = storage.set_item(DRAFT_KEY, text);
    }
}

/// The saved draft, if any.
pub fn load_draft() -> Option<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
        .filter(|t| !t.trim().is_empty())
}

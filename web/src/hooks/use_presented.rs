//! A read-only view (an embed, a findings-only link) presented as its diagram pane asks:
//! the pane's size, the view, opened boxes. The playground keeps the same in its state.

use std::rc::Rc;

use pillarlint_core::diagram::present::Options as Shown;
use pillarlint_core::diagram::Filter;
use yew::prelude::*;

use crate::state::{with_filter, View};

/// `base` presented for its diagram, and the callback the diagram asks through.
#[hook]
pub fn use_presented(
    base: Option<Rc<View>>,
    filter: Filter,
) -> (Option<Rc<View>>, Callback<Shown>) {
    let shown = use_state(Shown::default);
    let view = use_memo((base, (*shown).clone(), filter), |(base, shown, filter)| {
        base.as_ref().map(|v| {
            let want = with_filter(shown, filter);
            if v.shown == want {
                v.clone()
            } else {
                v.present(&want)
            }
        })
    });
    let on_present = Callback::from(move |s: Shown| shown.set(s));
    ((*view).clone(), on_present)
}

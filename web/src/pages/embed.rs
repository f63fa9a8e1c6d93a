//! Read-only views of a shared analysis: the compact embed (`embed.html#v1.…`,
//! `index.html#/embed/v1.…`) meant for an `<iframe>` in docs, and the full-size view of a
//! findings-only link (no template text to edit).

use std::rc::Rc;

use gloo::events::EventListener;
use pillarlint_core::diagram::Filter;
use pillarlint_core::permalink::{self, PermalinkError, State};
use pillarlint_core::rules::Pillar;
use yew::prelude::*;

use crate::components::diagram::Diagram;
use crate::components::findings_list::FindingsList;
use crate::components::glyph::pillar_icon;
use crate::components::legend::pillar_short;
use crate::components::node_details::{node_details, NodeDetailsProps};
use crate::components::share_dialog::export_menu;
use crate::hooks::use_presented::use_presented;
use crate::share;
use crate::state::View;

/// Mark the document as the embed (transparent background, compact layout).
fn mark_embed_document() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.class_list().add_1("embed-mode");
    }
}

/// Root of `embed.html`: follows the fragment (and `?src=` when there is none).
#[function_component(EmbedApp)]
pub fn embed_app() -> Html {
    let hash = use_state(|| share::location().1);
    {
        let hash = hash.clone();
        use_effect_with((), move |()| {
            mark_embed_document();
            let l = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| hash.set(share::location().1))
            });
            move || drop(l)
        });
    }
    let fetched = use_state(|| None::<Result<State, String>>);
    {
        let fetched = fetched.clone();
        let no_link = share::payload_of(&hash).is_empty();
        use_effect_with((), move |()| {
            if let (true, Some(src)) = (no_link, share::src_param()) {
                wasm_bindgen_futures::spawn_local(async move {
                    fetched.set(Some(share::fetch_src(&src).await.map(|(text, name)| {
                        let mut s = State::with_text(text);
                        s.path = Some(name);
                        s
                    })));
                });
            }
        });
    }
    let link = match &*fetched {
        Some(Ok(s)) => Ok(s.clone()),
        Some(Err(e)) => {
            return embed_error(&EmbedErrorProps {
                message: format!("The template could not be loaded: {e}"),
                open_url: None,
            })
        }
        None => permalink::decode(&hash),
    };
    html! { <EmbedView link={Rc::new(link)} fragment={share::payload_of(&hash).to_owned()} /> }
}

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub link: Rc<Result<State, PermalinkError>>,
    /// The `v1.…` payload, for the "open in pillarlint" link.
    pub fragment: String,
}

struct EmbedErrorProps {
    message: String,
    open_url: Option<String>,
}

fn embed_error(p: &EmbedErrorProps) -> Html {
    let app = p.open_url.clone().unwrap_or_else(share::page_base);
    html! {
        <main class="embed embed-failed">
            <div id="permalink-error" class="notice" role="alert">
                <strong>{"This pillarlint embed cannot be shown."}</strong>
                <span class="notice-msg">{ p.message.clone() }</span>
                <a href={app} target="_blank" rel="noopener">{"Open pillarlint"}</a>
            </div>
        </main>
    }
}

/// The compact, read-only view: diagram, per-pillar summary, findings count, open link.
#[function_component(EmbedView)]
pub fn embed_view(p: &EmbedViewProps) -> Html {
    let selected = use_state(|| None::<String>);
    let view = use_memo(p.link.clone(), |link| match &**link {
        Ok(s) => share::view_of(s).map(|v| (v, share::filter_of(s))),
        Err(e) => Err(e.to_string()),
    });
    {
        use_effect_with((), |()| mark_embed_document());
    }
    let open_url = {
        let base = permalink::page_url(&share::page_base(), false);
        if p.fragment.is_empty() {
            // a `?src=` embed: the app opens the same template by the same `?src=`
            match share::src_param() {
                Some(src) => format!(
                    "{base}?src={}",
                    String::from(js_sys::encode_uri_component(&src))
                ),
                None => base,
            }
        } else {
            format!("{base}#{}", p.fragment)
        }
    };
    let (presented, on_present) = use_presented(
        (*view).as_ref().ok().map(|(v, _)| v.clone()),
        (*view).as_ref().map(|(_, f)| f.clone()).unwrap_or_default(),
    );
    let (v, filter) = match (&*view, presented) {
        (Ok((_, f)), Some(v)) => (v, f.clone()),
        (Err(e), _) => {
            return embed_error(&EmbedErrorProps {
                message: e.clone(),
                open_url: Some(share::page_base()),
            });
        }
        _ => return html! {},
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |id: String| {
            selected.set(if selected.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id)
            })
        })
    };
    let on_clear = {
        let selected = selected.clone();
        Callback::from(move |()| selected.set(None))
    };
    let total = v.report.active().count();
    html! {
        <main class="embed" data-embed="true">
            <header class="embed-head">
                <span class="embed-brand" aria-hidden="true">{ crate::components::glyph::logo(16) }</span>
                <h1 class="embed-file" title={v.report.path.clone()}>{ v.report.path.clone() }</h1>
                <span id="embed-count" class="embed-count" data-findings={total.to_string()}>
                    { format!("{total} finding{}", if total == 1 { "" } else { "s" }) }
                </span>
                { pillar_summary(&SummaryProps { view: v.clone(), filter: filter.clone() }) }
                <span class="spacer" />
                <a id="embed-open" class="button" href={open_url} target="_blank" rel="noopener"
                   title="Open this analysis in the full pillarlint app">{"Open in pillarlint ↗"}</a>
            </header>
            <Diagram view={v} filter={filter} selected_node={(*selected).clone()} selected_edge={None::<(String, String)>}
                     on_select_node={on_select} on_clear={on_clear} {on_present} />
        </main>
    }
}

pub struct SummaryProps {
    pub view: Rc<View>,
    pub filter: Filter,
}

/// Findings per pillar with the pillar's glyph and worst severity.
pub fn pillar_summary(p: &SummaryProps) -> Html {
    let items = Pillar::ALL.iter().map(|pl| {
        let of: Vec<_> = p.view.report.active().filter(|f| f.pillar == *pl).collect();
        let worst = of.iter().map(|f| f.severity).max();
        let shown = p.filter.pillars.contains(pl);
        html! {
            <li class={classes!("embed-pillar", (!shown).then_some("off"), of.is_empty().then_some("clean"))}
                data-pillar={pl.as_str()} data-count={of.len().to_string()}
                style={format!("--c: var(--{})", pl.as_str())}
                title={format!("{}: {} finding{}{}", pl.title(), of.len(), if of.len() == 1 { "" } else { "s" },
                               worst.map(|s| format!(", worst {}", s.as_str())).unwrap_or_default())}>
                { pillar_icon(*pl) }
                <span class="name">{ pillar_short(*pl) }</span>
                <span class="count">{ of.len() }</span>
            </li>
        }
    });
    html! { <ul class="embed-summary" aria-label="Findings per pillar">{ for items }</ul> }
}

#[derive(Properties, PartialEq)]
pub struct SnapshotProps {
    pub state: Rc<State>,
    pub on_leave: Callback<()>,
}

/// A findings-only link in the full app: the diagram and findings, read-only.
#[function_component(SnapshotPage)]
pub fn snapshot_page(p: &SnapshotProps) -> Html {
    let base = use_memo(p.state.clone(), |s| share::view_of(s));
    let filter = use_state(|| share::filter_of(&p.state));
    let (view, on_present) = use_presented((*base).as_ref().ok().cloned(), (*filter).clone());
    let selected = use_state(|| p.state.selected.clone());
    let sel_finding = use_state(|| None::<usize>);
    let leave = {
        let cb = p.on_leave.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let v = match (view, &*base) {
        (Some(v), _) => v,
        (None, Err(e)) => {
            return html! {
                <div id="permalink-error" class="notice" role="alert">
                    <strong>{"This link cannot be shown."}</strong>
                    <span class="notice-msg">{ e.clone() }</span>
                    <button type="button" onclick={leave}>{"Open your draft"}</button>
                </div>
            }
        }
        (None, Ok(_)) => return html! {},
    };
    let on_select_node = {
        let selected = selected.clone();
        let sf = sel_finding.clone();
        Callback::from(move |id: String| {
            sf.set(None);
            selected.set(if selected.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id)
            })
        })
    };
    let on_clear = {
        let selected = selected.clone();
        let sf = sel_finding.clone();
        Callback::from(move |()| {
            selected.set(None);
            sf.set(None);
        })
    };
    let on_select_finding = {
        let selected = selected.clone();
        let sf = sel_finding.clone();
        let v = v.clone();
        Callback::from(move |i: usize| {
            sf.set(Some(i));
            selected.set(v.report.findings.get(i).and_then(|f| v.node_of(f)));
        })
    };
    let sel_edge = sel_finding
        .and_then(|i| v.report.findings.get(i))
        .and_then(|f| f.edge.as_ref().map(|e| (e.from.clone(), e.to.clone())));
    // Export acts on the link itself (the share bundle lays it out again)
    crate::lazy::set_current(crate::lazy::Shared {
        link: Some(share::location().1),
        name: v.report.path.clone(),
        filter: (*filter).clone(),
        ..Default::default()
    });
    html! {
        <div class="app snapshot" data-readonly="true">
            <header class="topbar">
                <h1 class="brand-h"><a class="brand" href="#/">{ crate::components::glyph::logo(22) }<span>{"pillarlint"}</span></a></h1>
                <span id="readonly-note" class="format-badge" title="The person who shared this link left the template text out">
                    { format!("Findings-only link: {}", v.report.path) }
                </span>
                <span class="spacer" />
                { export_menu(true) }
                <button type="button" onclick={leave}>{"Open your own draft"}</button>
            </header>
            <main class="workspace snapshot-workspace">
                <div class="center">
                    <Diagram view={v.clone()} filter={(*filter).clone()} selected_node={(*selected).clone()}
                             selected_edge={sel_edge} on_select_node={on_select_node} on_clear={on_clear.clone()} {on_present} />
                </div>
                <div class="side">
                    <h2 class="visually-hidden">{"Details and findings"}</h2>
                    if let Some(id) = &*selected {
                        { node_details(&NodeDetailsProps { view: v.clone(), id: id.clone(), on_select_finding: on_select_finding.clone(), on_close: on_clear }) }
                    }
                    <FindingsList view={v.clone()} filter={(*filter).clone()} selected={*sel_finding} on_select={on_select_finding} />
                </div>
            </main>
        </div>
    }
}

//! Sharing: the Share button and its dialog (copy link, both lengths, findings-only and
//! redaction options, the embed `<iframe>` snippet), the Export menu, and the notice shown
//! when a link cannot be opened. The buttons are the app's; the dialog and the exports run
//! in the share bundle (`crate::tools`, loaded after the first diagram: `crate::lazy`).

use std::rc::Rc;

use pillarlint_core::permalink::LONG_LINK_WARNING;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::share::{self, ShareOptions};
use crate::state::AppState;

/// The Share button: the dialog opens from the share bundle.
pub fn share_button() -> Html {
    html! {
        <button id="share-button" type="button" aria-haspopup="dialog"
                onclick={Callback::from(|_: MouseEvent| crate::lazy::run("share"))}
                title="Share this analysis as a link or an embed">{"Share"}</button>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub state: Rc<AppState>,
}

/// Copy `text` with the Clipboard API; when that is refused (no permission, insecure
/// context), select the text in `field` and try `execCommand('copy')`. Reports the outcome.
fn copy(text: String, field: NodeRef, status: UseStateHandle<String>) {
    let select_fallback = move |status: UseStateHandle<String>| {
        let copied = field
            .cast::<web_sys::HtmlInputElement>()
            .map(|i| {
                i.select();
                true
            })
            .or_else(|| {
                field.cast::<web_sys::HtmlTextAreaElement>().map(|t| {
                    t.select();
                    true
                })
            })
            .unwrap_or(false)
            && web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
                .and_then(|d| d.exec_command("copy").ok())
                .unwrap_or(false);
        status.set(if copied {
            "Copied.".to_owned()
        } else {
            "Selected: press Ctrl+C (⌘C) to copy.".to_owned()
        });
    };
    // `navigator.clipboard` is undefined outside secure contexts: check before calling it
    let Some(clip) = web_sys::window()
        .map(|w| w.navigator())
        .filter(|n| {
            js_sys::Reflect::get(n, &wasm_bindgen::JsValue::from_str("clipboard"))
                .is_ok_and(|c| !c.is_undefined() && !c.is_null())
        })
        .map(|n| n.clipboard())
    else {
        select_fallback(status);
        return;
    };
    let promise = clip.write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set("Copied to the clipboard.".to_owned()),
            Err(_) => select_fallback(status),
        }
    });
}

/// `7086` as `7,086`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The share dialog (in the share bundle), open from the moment it is mounted.
#[function_component(ShareDialog)]
pub fn share_dialog(p: &ShareDialogProps) -> Html {
    let dialog = use_node_ref();
    let open = use_state(|| true);
    let findings_only = use_state(|| false);
    let redact = use_state(|| true);
    let status = use_state(String::new);
    let link_ref = use_node_ref();
    let embed_ref = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |()| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                if d.show_modal().is_err() {
                    d.set_open(true);
                }
            }
        });
    }

    let on_close = {
        let dialog = dialog.clone();
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                d.close();
            }
            open.set(false);
        })
    };
    let on_dialog_close = {
        let open = open.clone();
        Callback::from(move |_: Event| open.set(false))
    };
    let toggle = |h: UseStateHandle<bool>, status: UseStateHandle<String>| {
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                h.set(i.checked());
                status.set(String::new());
            }
        })
    };

    let opts = ShareOptions {
        findings_only: *findings_only,
        redact: *redact,
    };
    // Links are made only while the dialog is open (not on every keystroke); the browser
    // compresses them, asynchronously (`share::links`). The other kind of link (findings
    // only, or with the text) is made too, so the dialog can say which is shorter.
    let made = use_state(|| None::<Result<(String, String), String>>);
    let other_len = use_state(|| None::<usize>);
    {
        let made = made.clone();
        let other_len = other_len.clone();
        let st = (*open).then(|| share::state_of(&p.state, opts));
        let other = (*open)
            .then(|| {
                share::state_of(
                    &p.state,
                    ShareOptions {
                        findings_only: !opts.findings_only,
                        ..opts
                    },
                )
            })
            .flatten();
        use_effect_with((*open, *findings_only, *redact), move |_| {
            made.set(None);
            other_len.set(None);
            match st {
                None => {}
                Some(None) => made.set(Some(Err(
                    "Nothing to share yet: the template has not been analysed.".to_owned(),
                ))),
                Some(Some(st)) => wasm_bindgen_futures::spawn_local(async move {
                    made.set(Some(share::links(&st).await));
                    if let Some(o) = other {
                        if let Ok((link, _)) = share::links(&o).await {
                            other_len.set(Some(link.chars().count()));
                        }
                    }
                }),
            }
        });
    }
    let (link, embed_url, error) = match &*made {
        Some(Ok((a, e))) => (a.clone(), e.clone(), None),
        Some(Err(e)) => (String::new(), String::new(), Some(e.clone())),
        None => (String::new(), String::new(), None),
    };
    let snippet = if embed_url.is_empty() {
        String::new()
    } else {
        share::iframe_snippet(&embed_url, p.state.file_name())
    };
    let len = link.chars().count();
    let on_copy = {
        let link = link.clone();
        let status = status.clone();
        let field = link_ref.clone();
        Callback::from(move |_: MouseEvent| copy(link.clone(), field.clone(), status.clone()))
    };
    let on_copy_embed = {
        let snippet = snippet.clone();
        let status = status.clone();
        let field = embed_ref.clone();
        Callback::from(move |_: MouseEvent| copy(snippet.clone(), field.clone(), status.clone()))
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            i.select();
        } else if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            t.select();
        }
    });

    html! {
        <>
            <dialog id="share-dialog" ref={dialog} class="share-dialog" aria-labelledby="share-title"
                    onclose={on_dialog_close}>
                <header class="share-head">
                    <h2 id="share-title">{"Share this analysis"}</h2>
                    <button type="button" class="close" onclick={on_close} aria-label="Close">{"✕"}</button>
                </header>
                <p class="muted small">{"The analysis travels in the link's #fragment: no server sees it. Anyone with the link sees what it holds."}</p>
                <fieldset class="share-options">
                    <legend class="visually-hidden">{"Link options"}</legend>
                    <label>
                        <input id="share-findings-only" type="checkbox" checked={*findings_only}
                               onchange={toggle(findings_only.clone(), status.clone())} />
                        {" Findings only "}<span class="muted small">{"(the diagram and findings, without the template text)"}</span>
                    </label>
                    <label class={classes!(findings_only.then_some("disabled"))}>
                        <input id="share-redact" type="checkbox" checked={*redact} disabled={*findings_only}
                               onchange={toggle(redact.clone(), status.clone())} />
                        {" Redact secret-looking values "}<span class="muted small">{"(passwords, keys, tokens become REDACTED)"}</span>
                    </label>
                </fieldset>
                if let Some(e) = &error {
                    <p class="share-error" role="alert">{ e.clone() }</p>
                }
                <label class="share-field" for="share-link">{"Link"}</label>
                <div class="share-row">
                    <input id="share-link" ref={link_ref} type="text" readonly=true value={link.clone()}
                           onfocus={select_all.clone()} spellcheck="false" />
                    <button id="share-copy" type="button" onclick={on_copy} disabled={link.is_empty()}>{"Copy link"}</button>
                </div>
                <p id="share-length" class={classes!("small", (len > LONG_LINK_WARNING).then_some("warn"))}
                   data-length={len.to_string()}>
                    { format!("{} characters", thousands(len)) }
                    if let Some(o) = *other_len {
                        <span id="share-other-length" data-length={o.to_string()}>
                            { format!(" · {} {} characters", if *findings_only { "with the template:" } else { "findings only:" }, thousands(o)) }
                        </span>
                    }
                    if len > LONG_LINK_WARNING {
                        <span id="share-length-warning">
                            { format!(" — longer than {}: chat tools and some browsers cut such links.", thousands(LONG_LINK_WARNING)) }
                            // suggested only when it is actually shorter
                            if !*findings_only && other_len.is_some_and(|o| o < len) {
                                <span id="share-advice">{" A findings-only link is shorter."}</span>
                            }
                        </span>
                    }
                </p>
                <label class="share-field" for="share-embed">{"Embed in docs"}</label>
                <div class="share-row">
                    <textarea id="share-embed" ref={embed_ref} readonly=true rows="3" value={snippet.clone()}
                              onfocus={select_all} spellcheck="false" />
                    <button id="share-copy-embed" type="button" onclick={on_copy_embed} disabled={snippet.is_empty()}>{"Copy"}</button>
                </div>
                if !embed_url.is_empty() {
                    <p class="small"><a id="share-embed-preview" href={embed_url.clone()} target="_blank" rel="noopener noreferrer">{"Preview the embed"}</a></p>
                }
                <p id="share-status" class="small muted" role="status" aria-live="polite">{ (*status).clone() }</p>
            </dialog>
        </>
    }
}

/// The Export menu: the diagram as SVG or PNG (when there is one), the report as Markdown,
/// JSON or SARIF. It closes once a choice is made; the file is made by the share bundle, which
/// reports a failure in `#export-status`.
pub fn export_menu(drawn: bool) -> Html {
    let pick = |kind: &'static str| {
        Callback::from(move |e: MouseEvent| {
            crate::components::documents_menu::close_menu(&e);
            crate::lazy::run(kind);
        })
    };
    html! {
        <>
        <details class="export-menu">
            <summary class="button" id="export-button" title="Export the diagram or the report">{"Export"}</summary>
            <div class="menu">
                if drawn {
                    <button id="export-svg" type="button" onclick={pick("svg")}>{"Diagram as SVG"}</button>
                    <button id="export-png" type="button" onclick={pick("png")}>{"Diagram as PNG"}</button>
                }
                <button id="export-md" type="button" onclick={pick("md")}>{"Report as Markdown"}</button>
                <button id="export-json" type="button" onclick={pick("json")}>{"Report as JSON"}</button>
                <button id="export-sarif" type="button" onclick={pick("sarif")} title="SARIF 2.1.0, as `pillarlint check --format sarif` writes it (GitHub code scanning)">{"Report as SARIF"}</button>
            </div>
        </details>
        <span id="export-status" class="small share-error" role="status" aria-live="polite"></span>
        </>
    }
}

pub struct NoticeProps {
    pub id: AttrValue,
    pub title: AttrValue,
    pub message: AttrValue,
    pub on_dismiss: Callback<()>,
}

/// A dismissible message over the app (a link that could not be opened, a failed fetch).
pub fn notice(p: &NoticeProps) -> Html {
    let dismiss = {
        let cb = p.on_dismiss.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div id={p.id.clone()} class="notice" role="alert">
            <strong>{ p.title.clone() }</strong>
            <span class="notice-msg">{ p.message.clone() }</span>
            <span class="muted small">{"Your own draft is untouched."}</span>
            <button type="button" class="close" onclick={dismiss} aria-label="Dismiss">{"✕"}</button>
        </div>
    }
}

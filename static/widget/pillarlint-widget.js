// <pillarlint-diagram>: the compact pillarlint embed view as a web component (issue 10).
//
//   <script type="module" src="https://lint.example.org/widget/pillarlint-widget.js"></script>
//   <pillarlint-diagram template-src="template.yaml" theme="auto" pillars="auth,data" height="420px"></pillarlint-diagram>
//   <pillarlint-diagram><script type="text/yaml">Resources: ...</script></pillarlint-diagram>
//
// The wasm module is the JS API's lean widget build (dist/js/widget/: analyze, renderSvg,
// permalink; no rules() or rule docs), next to this file's folder. All
// rendering happens inside an open shadow root; template text only reaches the page through
// the core's SVG renderer (which XML-escapes it) or textContent — never innerHTML.
import init, { analyze, renderSvg, permalink } from "../js/widget/pillarlint_js.js";

const PILLARS = ["auth", "data", "logging", "dos"];
const APP = new URL("../", import.meta.url).href;
let ready = null;
const boot = () => (ready ??= init({ module_or_path: new URL("../js/widget/pillarlint_js_bg.wasm", import.meta.url) }));

const STYLE = `
:host { display: block; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  border: 1px solid #cbd5e1; border-radius: 8px; overflow: hidden; background: #f8fafc; color: #0f172a; }
:host([data-dark]) { background: #0b1120; color: #e2e8f0; border-color: #334155; }
.svg { display: flex; justify-content: center; overflow: hidden; }
.svg svg { display: block; max-width: 100%; max-height: var(--pl-height, 480px); width: auto; height: auto; }
.svg [data-collapsed] { cursor: pointer; }
.bar { display: flex; flex-wrap: wrap; gap: .5em 1em; align-items: center; padding: .5em .75em;
  border-top: 1px solid rgba(100,116,139,.35); }
.p { font-weight: 600; } .n { opacity: .8; } .err { color: #b91c1c; padding: .75em; white-space: pre-wrap; }
:host([data-dark]) .err { color: #fca5a5; }
a { color: inherit; margin-left: auto; }
`;

class PillarlintDiagram extends HTMLElement {
  static observedAttributes = ["template-src", "theme", "pillars", "height"];

  constructor() {
    super();
    this.root = this.attachShadow({ mode: "open" });
    this.seq = 0;
    // collapsed boxes the reader opened (cleared when the template changes)
    this.expanded = [];
    this.root.addEventListener("click", (e) => {
      const box = e.target.closest?.("[data-collapsed]");
      if (!box) return;
      this.expanded.push(box.getAttribute("data-node-id"));
      this.schedule();
    });
    this.observer = new MutationObserver(() => this.schedule());
    this.media = window.matchMedia?.("(prefers-color-scheme: dark)");
    this.onMedia = () => this.getAttribute("theme") === "auto" && this.schedule();
  }
  connectedCallback() {
    this.observer.observe(this, { childList: true, subtree: true, characterData: true });
    this.media?.addEventListener?.("change", this.onMedia);
    this.schedule();
  }
  disconnectedCallback() {
    this.observer.disconnect();
    this.media?.removeEventListener?.("change", this.onMedia);
  }
  attributeChangedCallback() { if (this.isConnected) this.schedule(); }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => { this.pending = false; this.render(); });
  }

  async source() {
    const src = this.getAttribute("template-src");
    if (src) {
      const url = new URL(src, document.baseURI);
      let res;
      try {
        res = await fetch(url, { mode: "cors", credentials: "same-origin" });
      } catch (e) {
        throw new Error(`could not fetch ${url.href}: ` + (url.origin !== location.origin
          ? "the server does not allow cross-origin reads (CORS); serve the template from this site or send Access-Control-Allow-Origin"
          : String(e.message || e)));
      }
      if (!res.ok) throw new Error(`could not fetch ${url.href}: HTTP ${res.status}`);
      return { text: await res.text(), path: url.pathname.split("/").pop() || "template.yaml" };
    }
    const s = this.querySelector('script[type="text/yaml"], script[type="application/json"], script[type="application/x-yaml"]');
    if (!s) throw new Error("no template: set template-src or add a <script type=\"text/yaml\"> child");
    return { text: s.textContent.replace(/^\n/, ""), path: s.type === "application/json" ? "template.json" : "template.yaml" };
  }

  dark() {
    const t = (this.getAttribute("theme") || "auto").toLowerCase();
    return t === "dark" || (t === "auto" && !!this.media?.matches);
  }

  pillars() {
    const a = this.getAttribute("pillars");
    if (a == null || a.trim() === "") return PILLARS;
    return a.split(",").map((p) => p.trim().toLowerCase()).filter((p) => PILLARS.includes(p));
  }

  async render() {
    const seq = ++this.seq;
    const dark = this.dark();
    this.toggleAttribute("data-dark", dark);
    const h = this.getAttribute("height");
    if (h) this.style.setProperty("--pl-height", /^\d+$/.test(h) ? h + "px" : h);
    else this.style.removeProperty("--pl-height");
    const frag = document.createDocumentFragment();
    const style = document.createElement("style");
    style.textContent = STYLE;
    frag.append(style);
    try {
      await boot();
      const { text, path } = await this.source();
      if (seq !== this.seq) return;
      if (text !== this.text) this.expanded = [];
      this.text = text;
      const pillars = this.pillars();
      const file = analyze(text, { path }).files[0];
      if (file.error) throw new Error(`${path}:${file.error.line}:${file.error.column}: ${file.error.message}`);
      const box = document.createElement("div");
      box.className = "svg";
      box.part = "diagram";
      // The diagram is laid out for this frame (collapsed until names are legible when it
      // fits, as in the app); the frame's height is the `height` attribute (480 px).
      const probe = document.createElement("div");
      probe.style.cssText = "height: var(--pl-height, 480px)";
      this.root.append(probe);
      const width = probe.getBoundingClientRect().width || 640;
      const height = probe.getBoundingClientRect().height || 480;
      probe.remove();
      // The core's SVG renderer XML-escapes every piece of template text; colours are
      // presentation attributes, which host CSS cannot reach through the shadow boundary.
      const svg = renderSvg(text, { theme: dark ? "dark" : "light", pillars, width, height, expanded: this.expanded });
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      box.append(document.importNode(doc.documentElement, true));
      const bar = document.createElement("div");
      bar.className = "bar";
      bar.part = "summary";
      const active = file.findings.filter((f) => !f.suppressed && pillars.includes(f.pillar));
      for (const p of pillars) {
        const s = document.createElement("span");
        const b = document.createElement("span");
        b.className = "p";
        b.textContent = p;
        const n = active.filter((f) => f.pillar === p).length;
        s.dataset.pillar = p;
        s.append(b, ` ${n}`);
        bar.append(s);
      }
      const total = document.createElement("span");
      total.className = "n";
      total.dataset.findings = String(active.length);
      total.textContent = `${active.length} finding${active.length === 1 ? "" : "s"} · ${file.nodes.length} resources`;
      const a = document.createElement("a");
      a.href = permalink(text, { base: APP, path, pillars });
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "open in pillarlint";
      bar.append(total, a);
      frag.append(box, bar);
    } catch (e) {
      if (seq !== this.seq) return;
      const err = document.createElement("div");
      err.className = "err";
      err.setAttribute("role", "alert");
      err.textContent = "pillarlint: " + (e && e.message ? e.message : String(e));
      frag.append(err);
    }
    if (seq !== this.seq) return;
    this.root.replaceChildren(frag);
    this.dispatchEvent(new CustomEvent("pillarlint-render", { bubbles: true }));
  }
}

if (!customElements.get("pillarlint-diagram")) customElements.define("pillarlint-diagram", PillarlintDiagram);
export { PillarlintDiagram };

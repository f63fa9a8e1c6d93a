// The share bundle's loader (the CSP allows no inline script), added by the app after its
// first diagram: it links the dialog's styles (a page that has them already, terraform.html
// or the embed view, keeps its own), hands the bundle's entry point to the app and says it is
// ready.
import init, { run } from "./pillarlint-share.js";
const styled = [...document.styleSheets].some((s) => s.href && /\/share(-[0-9a-f]+)?\.css$/.test(s.href));
const css = styled
  ? Promise.resolve()
  : new Promise((done) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = new URL("./share.css", import.meta.url).href;
      // a stylesheet that fails to load leaves the dialog plain, not broken
      link.onload = link.onerror = done;
      document.head.append(link);
    });
await Promise.all([init(), css]);
window.pillarlintShare = run;
dispatchEvent(new Event("pillarlint-share-ready"));

// The share bundle's loader (the CSP allows no inline script), added by the app after its
// first diagram: it hands the bundle's entry point to the app and says it is ready.
import init, { run } from "./pillarlint-share.js";
await init();
window.pillarlintShare = run;
dispatchEvent(new Event("pillarlint-share-ready"));

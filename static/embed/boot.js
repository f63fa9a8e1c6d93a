// embed.html's loader (the CSP allows no inline script): the embed view's own bundle.
import init from "./pillarlint-embed.js";
init();

// rules.html's loader (the CSP allows no inline script): the rule pages' own bundle.
import init from "./pillarlint-rules.js";
init();

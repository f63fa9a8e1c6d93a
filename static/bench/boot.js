// bench.html's loader (the CSP allows no inline script): the benchmark's own bundle.
import init from "./pillarlint-bench.js";
init();

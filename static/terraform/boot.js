// terraform.html's loader (the CSP allows no inline script): the app with the Terraform
// reader, a bundle of its own so that index.html's first load stays small.
import init from "./pillarlint-web.js";
init();

// The JavaScript API (dist/js/node, built by scripts/build-js.sh) gives the same analysis as
// the CLI: analyze() on corpus templates equals `pillarlint check --format json` for the
// same files (nodes, edges, findings, and the error of a broken one).
//
//   ./scripts/build-js.sh && cargo build -p pillarlint-cli && node --test tests/js/
//
// PILLARLINT_BIN overrides the CLI binary; PILLARLINT_CORPUS the corpus directory.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const modPath = join(root, "dist", "js", "node", "pillarlint_js.js");
assert.ok(existsSync(modPath), `${modPath} is missing: run scripts/build-js.sh first`);
const pl = require(modPath);

const corpus = process.env.PILLARLINT_CORPUS ?? join(root, "..", "shared", "corpus");

function cliBinary() {
  if (process.env.PILLARLINT_BIN) return process.env.PILLARLINT_BIN;
  const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  for (const p of ["debug", "release-native", "release"]) {
    const b = join(target, p, "pillarlint");
    if (existsSync(b)) return b;
  }
  throw new Error("no pillarlint binary: run `cargo build -p pillarlint-cli` first");
}

function cliReport(file) {
  let out;
  try {
    out = execFileSync(
      cliBinary(),
      ["check", "--format", "json", "--no-config", "--fail-on", "never", "--quiet", file],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (e) {
    // Exit 2 (a broken file) still prints the report.
    if (e.status === 2 && e.stdout) out = e.stdout;
    else throw e;
  }
  return JSON.parse(out);
}

// Several templates of every format: with AUTH001, with AUTH002, SAM, Serverless, JSON, a
// large one, and broken ones.
const pick = [
  "cfn/aws-cloudformation__aws-cloudformation-templates__Solutions__WebApp__webapp.yaml",
  "cfn/aws-cloudformation__aws-cloudformation-templates__Config__Config.json",
  "cfn/aws-cloudformation__aws-cloudformation-templates__APIGateway__apigateway_lambda_integration.json",
  "sam/aws-samples__serverless-patterns__apigw-lambda-sfn-transcribe-translate-polly-sam__template.yaml",
  "sam/aws-samples__serverless-patterns__docdb-lambda-nodejs-sam__template.yaml",
  "serverless-framework/aws-samples__serverless-patterns__alb-lambda-serverless__serverless.yml",
  "serverless-framework/aws-samples__serverless-patterns__apigw-http-api-sqs-lambda-sls__serverless.yml",
  "large/aws-solutions__aws-waf-security-automations__deployment__aws-waf-security-automations.template",
  "sam/aws-samples__serverless-patterns__vpc-lattice-lambda__template.yaml",
  "sam/aws-samples__serverless-patterns__rds-sns-event-notification__template.yaml",
];

for (const rel of pick) {
  test(`analyze() equals the CLI on ${rel}`, () => {
    const file = join(corpus, rel);
    const text = readFileSync(file, "utf8");
    const fromCli = cliReport(file);
    const fromJs = pl.analyze(text, { path: file });
    assert.equal(fromJs.tool.name, "pillarlint");
    assert.equal(fromJs.tool.version, fromCli.tool.version);
    assert.equal(fromJs.files.length, 1);
    const [a] = fromJs.files;
    const [b] = fromCli.files;
    assert.equal(a.path, b.path);
    assert.equal(a.format, b.format);
    assert.deepEqual(a.error, b.error);
    assert.deepEqual(a.nodes, b.nodes);
    assert.deepEqual(a.edges, b.edges);
    assert.deepEqual(a.findings, b.findings);
    // And the whole file report, field for field, but for what only a reader of the disk can
    // say: the CLI reads a Serverless service's `${file(...)}` includes from beside it (an
    // app of several files) and warns about those it cannot; analyze() is given one text.
    const onDisk = (w) => / is not among the files read$/.test(w.message);
    assert.deepEqual(a, { ...b, warnings: b.warnings.filter((w) => !onDisk(w)) });
  });
}

test("the picked templates cover findings, every format and errors", () => {
  const reports = pick.map((rel) => {
    const file = join(corpus, rel);
    return pl.analyze(readFileSync(file, "utf8"), { path: file }).files[0];
  });
  const rules = new Set(reports.flatMap((r) => r.findings.map((f) => f.rule)));
  assert.ok(rules.has("AUTH001") && rules.has("AUTH002"), [...rules].join(","));
  const formats = new Set(reports.map((r) => r.format).filter(Boolean));
  assert.deepEqual([...formats].sort(), ["cloudformation", "sam", "serverless"]);
  assert.ok(reports.some((r) => r.error && r.error.line > 0));
});

test("analyze() defaults the path and reports errors without throwing", () => {
  const r = pl.analyze("Resources: [");
  assert.equal(r.files[0].path, "template.yaml");
  assert.equal(r.files[0].format, null);
  assert.ok(r.files[0].error.message.length > 0);
  assert.throws(() => pl.analyze("Resources: {}", { pth: "x" }), /unknown field `pth`/);
});

test("rules() lists every rule with docs", () => {
  const list = pl.rules();
  const cli = JSON.parse(
    execFileSync(cliBinary(), ["rules", "--json"], { encoding: "utf8" }),
  );
  assert.deepEqual(
    list.map((r) => r.id),
    cli.map((r) => r.id),
  );
  for (const r of list) {
    assert.match(r.id, /^(AUTH|DATA|LOG|DOS)\d{3}$/);
    assert.ok(["auth", "data", "logging", "dos"].includes(r.pillar));
    assert.ok(r.docs.includes("## What it does"));
  }
});

test("permalink() makes the same link as the CLI", () => {
  const file = join(corpus, pick[0]);
  const text = readFileSync(file, "utf8");
  const base = "https://lint.example.test/";
  const fromCli = execFileSync(
    cliBinary(),
    ["permalink", "--base", base, "--embed", file],
    { encoding: "utf8" },
  ).trim();
  const name = file.split("/").pop();
  const fromJs = pl.permalink(text, { base, embed: true, path: name });
  assert.equal(fromJs, fromCli);
  assert.ok(fromJs.startsWith(`${base}embed.html#v1.`));
  const plain = pl.permalink(text, { base });
  assert.ok(plain.startsWith(`${base}#v1.`));
  assert.throws(() => pl.permalink("hello: world", { findingsOnly: true }), /does not look like a template/);
  assert.equal(pl.redactSecrets("Password: hunter2\n"), "Password: REDACTED\n");
  assert.equal(typeof pl.version(), "string");
});

test("renderSvg() draws every node and equals `pillarlint graph --format svg`", () => {
  let drawnAny = 0;
  for (const rel of pick) {
    const file = join(corpus, rel);
    const text = readFileSync(file, "utf8");
    const r = pl.analyze(text).files[0];
    if (r.error) {
      assert.throws(() => pl.renderSvg(text), /pillarlint: template\.yaml:\d+:\d+: /);
      continue;
    }
    const name = file.split("/").pop();
    const svg = pl.renderSvg(text, { title: `pillarlint — ${file}` });
    assert.ok(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg.slice(0, 80));
    const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    for (const n of r.nodes) assert.ok(svg.includes(`data-node-id="${esc(n.id)}"`), `${name}: ${n.id}`);
    assert.equal(svg.match(/data-node-id="/g)?.length ?? 0, r.nodes.length);
    // The CLI's SVG is the same renderer (light theme, titled with the file name).
    const cli = execFileSync(cliBinary(), ["graph", "--format", "svg", file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    assert.equal(svg, cli.replace(/\n$/, ""));
    drawnAny += 1;
  }
  assert.ok(drawnAny >= 5);
  const text = readFileSync(join(corpus, pick[3]), "utf8");
  assert.notEqual(pl.renderSvg(text, { theme: "dark" }), pl.renderSvg(text));
  assert.notEqual(pl.renderSvg(text, { pillars: [] }), pl.renderSvg(text));
  assert.throws(() => pl.renderSvg(text, { theme: "blue" }), /bad renderSvg options/);
  const hostile = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: \"<img src=x onerror=alert(1)>\", Runtime: python3.12}\n";
  const svg = pl.renderSvg(hostile, { title: "<script>" });
  assert.ok(!svg.includes("<script>") && !svg.includes("<img"), svg);
});

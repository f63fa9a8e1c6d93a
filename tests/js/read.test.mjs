// static/apps/read.js, the web app's reader of dropped folders and .zip files, in Node: a
// zip of stored and deflated entries, a folder of directory entries, what is left out, the
// caps and damaged archives (the app's own document format is checked by web/src/appdoc.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";

const notices = [];
globalThis.window = globalThis;
globalThis.CustomEvent = class { constructor(type, o) { this.type = type; this.detail = o.detail; } };
globalThis.document = {
  getElementById: () => null,
  querySelector: () => null,
  body: { prepend() {} },
  createElement: () => ({ setAttribute() {}, append(...x) { notices.push(x[1]); }, before() {} }),
};
const { wanted, encode, MAX_FILES } = await import("../../static/apps/read.js");

function file(name, text, relative = "") {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  return { name, webkitRelativePath: relative, size: bytes.length,
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    text: async () => new TextDecoder().decode(bytes) };
}

function zip(entries) {
  const parts = [], dir = [];
  let off = 0;
  for (const [name, text, deflate] of entries) {
    const data = Buffer.from(text);
    const body = deflate ? deflateRawSync(data) : data;
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
    local.writeUInt16LE(deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(deflate ? 8 : 0, 10);
    cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(n.length, 28); cd.writeUInt32LE(off, 42);
    parts.push(local, n, body); dir.push(cd, n);
    off += 30 + n.length + body.length;
  }
  const d = Buffer.concat(dir);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10); end.writeUInt32LE(d.length, 12); end.writeUInt32LE(off, 16);
  return new Uint8Array(Buffer.concat([...parts, d, end]));
}

function read(what) {
  return new Promise((ok) => {
    const before = notices.length;
    window.dispatchEvent = (e) => ok({ name: e.detail[0], files: JSON.parse(e.detail[1]).files });
    window.pillarlintRead(what);
    setTimeout(() => notices.length > before && ok({ error: notices[notices.length - 1] }), 200);
  });
}

test("wanted keeps templates and leaves out dependencies, caches and assets", () => {
  for (const yes of ["app/template.yaml", "cdk.out/manifest.json", "serverless.yml", "a/b.template",
    "infra/main.tf", "infra/extra.tf.json"]) {
    assert.ok(wanted(yes), yes);
  }
  for (const no of ["app/node_modules/x/template.yaml", "cdk.out/asset.1234abcd/lib/config.json",
    "__MACOSX/app/._template.yaml", "app/.aws-sam/build/template.yaml", "app/.github/workflows/ci.yml",
    "app/handler.py", "README.md", "infra/.terraform/modules/modules.json"]) {
    assert.ok(!wanted(no), no);
  }
});

test("a zip of stored and deflated entries is one app document", async () => {
  const z = zip([["app/template.yaml", "Resources: {}\n", false], ["app/stacks/data.yaml", "a: 1\n".repeat(50), true],
    ["app/node_modules/x.json", "{}", true], ["app/", "", false]]);
  const r = await read([file("app.zip", z)]);
  assert.equal(r.name, "app");
  assert.deepEqual(r.files, [["app/stacks/data.yaml", "a: 1\n".repeat(50)], ["app/template.yaml", "Resources: {}\n"]]);
  const text = encode(r.files);
  assert.ok(text.startsWith('{"pillarlint-app":1,'), "the app document's mark (web/src/appdoc.rs MARK)");
});

test("a folder's entries are walked, skipped directories are not", async () => {
  const f = (fullPath, text) => ({ isFile: true, isDirectory: false, name: fullPath.split("/").pop(), fullPath,
    file: (ok) => ok(file(fullPath, text)) });
  const d = (name, children) => {
    let done = false;
    return { isFile: false, isDirectory: true, name, createReader: () => ({
      readEntries: (ok) => { ok(done ? [] : children); done = true; } }) };
  };
  let walked = false;
  const nm = { isFile: false, isDirectory: true, name: "node_modules", createReader: () => { walked = true; } };
  const r = await read([d("svc", [f("/svc/serverless.yml", "service: a\n"), f("/svc/handler.js", "x"), nm,
    d("config", [f("/svc/config/stages.yml", "dev: {}\n")])])]);
  assert.equal(walked, false, "node_modules is never read");
  assert.deepEqual(r.files.map((x) => x[0]), ["svc/config/stages.yml", "svc/serverless.yml"]);
  assert.equal(r.name, "svc");
});

test("a drop of one template is left to the app; a drop of a folder is read", async () => {
  const one = { files: [file("t.yaml", "a: 1\n")], items: [{ webkitGetAsEntry: () => ({ isFile: true, isDirectory: false, name: "t.yaml" }) }] };
  assert.equal(window.pillarlintRead(one), false);
  const scripted = { files: [file("a.yaml", "a: 1\n", ""), file("b.yaml", "b: 1\n", "")], items: [{}, {}] };
  const r = await read(scripted);
  assert.deepEqual(r.files.map((x) => x[0]), ["a.yaml", "b.yaml"]);
});

test("damaged zips, empty drops and too many files are said, not thrown", async () => {
  assert.match((await read([file("broken.zip", "not a zip")])).error, /broken\.zip is not a zip archive/);
  assert.match((await read([file("notes.txt", "hi")])).error, /no templates/);
  const z = zip([["t.yaml", "a", false]]);
  z[z.length - 22 + 16] = 0xee; // the central directory's offset points nowhere
  assert.match((await read([file("x.zip", z)])).error, /damaged/);
  const many = Array.from({ length: MAX_FILES + 1 }, (_, i) => file(`t${i}.yaml`, "a: 1\n", `app/t${i}.yaml`));
  assert.match((await read(many)).error, /more than 500 template files/);
});

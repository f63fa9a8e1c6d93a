// Reading a dropped folder, several files or a .zip in the browser: nothing is uploaded.
// Loaded by the app only when such a drop (or "Open folder…") happens (web/src/appdoc.rs),
// so the first bundle does not carry it. It keeps the files core's `app::wanted` keeps
// (the same extensions and skipped directories: core/src/app/mod.rs), caps what it reads,
// and hands the app's name and its document's text (every file: web/src/appdoc.rs's
// format) to the app in a `pillarlint-app` event; what goes wrong it says in a notice
// above the panes.
// Zip entries are stored or raw DEFLATE, inflated by DecompressionStream("deflate-raw"),
// as core/src/app/zip.rs reads them (offsets checked, encrypted entries refused).
const SKIP = [".git", ".hg", ".svn", "node_modules", ".aws-sam", "target", ".venv", "venv",
  "__pycache__", ".terraform", ".idea", ".vscode", "__MACOSX", ".serverless"];
const EXT = [".yaml", ".yml", ".json", ".template", ".cfn", ".sam", ".tf"];
export const MAX_FILES = 500;
export const MAX_BYTES = 5 * 1024 * 1024;

function normalize(p) {
  const out = [];
  for (const s of p.replace(/\\/g, "/").split("/")) {
    if (s === "" || s === ".") continue;
    if (s === ".." && out.length && out[out.length - 1] !== "..") out.pop();
    else out.push(s);
  }
  return out.join("/");
}

function skippedDir(seg) {
  return seg.startsWith(".") && seg !== ".." || SKIP.includes(seg) || seg.startsWith("asset.");
}

export function wanted(path) {
  const parts = normalize(path).split("/");
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    if (parts[i].startsWith(".") && parts[i] !== ".." || !last && skippedDir(parts[i])) return false;
  }
  const lower = path.toLowerCase();
  return EXT.some((x) => lower.endsWith(x));
}

class Reader {
  constructor() { this.files = []; this.bytes = 0; }
  take(size) {
    this.bytes += size;
    if (this.files.length >= MAX_FILES) {
      throw new Error(`more than ${MAX_FILES} template files: drop the app's own folder (its templates, or its cdk.out)`);
    }
    if (this.bytes > MAX_BYTES) {
      throw new Error(`more than ${MAX_BYTES / 1024 / 1024} MB of templates: drop the app's own folder (its templates, or its cdk.out)`);
    }
  }
  async file(path, file) {
    path = normalize(path);
    if (/\.zip$/i.test(path)) return this.zip(path, new Uint8Array(await file.arrayBuffer()));
    if (!wanted(path)) return;
    this.take(file.size);
    this.files.push([path, await file.text()]);
  }
  async entry(e) {
    if (e.isFile) {
      const f = await new Promise((ok, no) => e.file(ok, no));
      return this.file(e.fullPath || e.name, f);
    }
    if (!e.isDirectory || skippedDir(e.name)) return;
    const r = e.createReader();
    for (;;) {
      const batch = await new Promise((ok, no) => r.readEntries(ok, no));
      if (!batch.length) return;
      for (const x of batch) await this.entry(x);
    }
  }
  async zip(name, b) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const bad = (what) => new Error(`${name}: the zip archive is damaged (${what})`);
    let eocd = -1;
    for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
      if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error(`${name} is not a zip archive`);
    const count = dv.getUint16(eocd + 10, true);
    let at = dv.getUint32(eocd + 16, true);
    if (count === 0xffff || at === 0xffffffff) throw new Error(`${name}: ZIP64 archives are not read here; zip the app's folder alone`);
    const dir = normalize(name).replace(/\.zip$/i, "");
    const base = dir.includes("/") ? dir.slice(0, dir.lastIndexOf("/") + 1) : "";
    for (let n = 0; n < count; n++) {
      if (at + 46 > b.length || dv.getUint32(at, true) !== 0x02014b50) throw bad("central directory");
      const flags = dv.getUint16(at + 8, true), method = dv.getUint16(at + 10, true);
      const csize = dv.getUint32(at + 20, true), size = dv.getUint32(at + 24, true);
      const nlen = dv.getUint16(at + 28, true), elen = dv.getUint16(at + 30, true), clen = dv.getUint16(at + 32, true);
      const local = dv.getUint32(at + 42, true);
      if (at + 46 + nlen > b.length) throw bad("a name runs past the end");
      const path = normalize(new TextDecoder().decode(b.subarray(at + 46, at + 46 + nlen)));
      at += 46 + nlen + elen + clen;
      if (path.endsWith("/") || !wanted(path)) continue;
      if (flags & 1) throw new Error(`${name}: ${path} is encrypted`);
      if (method !== 0 && method !== 8) throw new Error(`${name}: ${path} uses a compression method this page cannot read (${method})`);
      if (local + 30 > b.length || dv.getUint32(local, true) !== 0x04034b50) throw bad("a local header");
      const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
      if (start + csize > b.length) throw bad("an entry runs past the end");
      this.take(size);
      const data = b.subarray(start, start + csize);
      let bytes = data;
      if (method === 8) {
        const s = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        bytes = new Uint8Array(await new Response(s).arrayBuffer());
        if (bytes.length > size) throw bad("an entry inflates past its declared size");
      }
      this.files.push([base + path, new TextDecoder().decode(bytes)]);
    }
  }
}

// `what`: FileSystemEntry objects of a drop (taken during the drop event), or a FileList
// (an <input webkitdirectory>, several files, a .zip).
async function read(what) {
  const r = new Reader();
  const list = Array.from(what);
  for (const x of list) {
    if (x && typeof x.isDirectory === "boolean") await r.entry(x);
    else await r.file(x.webkitRelativePath || x.name, x);
  }
  if (!r.files.length) {
    throw new Error("no templates in what was dropped (.yaml, .yml, .json, .template: a SAM or CloudFormation app, a Serverless service or a cdk.out)");
  }
  const first = list[0];
  const path = first && (first.webkitRelativePath || first.fullPath || first.name) || "app";
  const name = list.length === 1 || (first && first.webkitRelativePath)
    ? normalize(path).split("/")[0].replace(/\.zip$/i, "") : "app";
  r.files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { name, files: r.files };
}

// The text of an app document (web/src/appdoc.rs reads it back).
export function encode(files) {
  return '{"pillarlint-app":1,"files":[\n' + files.map((f) => JSON.stringify(f)).join(",\n") + "\n]}\n";
}

function notice(message) {
  let n = document.getElementById("app-notice");
  if (!message) return n && n.remove();
  if (!n) {
    n = document.createElement("div");
    n.id = "app-notice";
    n.className = "storage-error";
    n.setAttribute("role", "alert");
    const ws = document.querySelector(".workspace");
    if (ws) ws.before(n); else document.body.prepend(n);
  }
  n.textContent = "";
  const strong = document.createElement("strong");
  strong.textContent = "Not opened: ";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "✕";
  close.onclick = () => n.remove();
  n.append(strong, message.replace(/\.?$/, "."), close);
}

async function open(list) {
  try {
    const { name, files } = await read(list);
    notice(null);
    dispatchEvent(new CustomEvent("pillarlint-app", { detail: [name, encode(files)] }));
  } catch (e) {
    notice(String(e && e.message || e));
  }
}

const isZip = (name) => /\.zip$/i.test(name || "");

// `what`: a drop's DataTransfer (during the drop event: a folder's entries exist only then)
// or a file list. True when it is an app being read; false for a drop of one template,
// which the app reads as before.
function run(what) {
  let list = Array.from(what.files && what.items ? [] : what);
  if (what.files && what.items) {
    const entries = Array.from(what.items, (i) => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
    const files = Array.from(what.files);
    if (entries.length > 1 || entries.some((e) => e.isDirectory || isZip(e.name))) list = entries;
    // no entries (a drop made by a script): its files
    else if (!entries.length && (files.length > 1 || files.some((f) => isZip(f.name)))) list = files;
    else return false;
  }
  if (!list.length) return false;
  open(list);
  return true;
}

window.pillarlintRead = run;
const queued = window.pillarlintReadQueue;
window.pillarlintReadQueue = null;
if (queued) run(queued);
export { run };

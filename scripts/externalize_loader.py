#!/usr/bin/env python3
"""Trunk post-build hook: move Trunk's inline wasm loader into a file of its own, then write
the service worker's file list.

Trunk writes an inline <script type="module"> that loads the wasm. Our Content-Security-Policy
allows scripts from 'self' only (no 'unsafe-inline', no nonce: the site is static), so the
loader must be an external file. Runs on every HTML file in Trunk's staging directory.

The service worker (static/sw.js, copied by Trunk) caches the app's own files for offline
use. Their names carry Trunk's content hashes, so the list is written here, after the build
and after the loader above got its own hashed name: the app page, its scripts, wasm and
styles, the rule docs, the examples, the icons and the manifest. The cache's version is a
hash of those files, so every build that changes one of them replaces the cache. Trunk runs
post-build hooks in parallel: this is the hook that runs after the loader is moved, so the
list is written here, not in a hook of its own.
"""
import hashlib
import json
import os
import pathlib
import re
import sys

staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist"))
pattern = re.compile(r'<script type="module">(.*?)</script>', re.S)

for html in sorted(staging.glob("*.html")):
    text = html.read_text(encoding="utf-8")
    def repl(m):
        body = m.group(1).strip() + "\n"
        digest = hashlib.sha256(body.encode()).hexdigest()[:16]
        name = f"boot-{digest}.js"
        (staging / name).write_text(body, encoding="utf-8")
        return f'<script type="module" src="./{name}"></script>'
    new, n = pattern.subn(repl, text)
    if n:
        html.write_text(new, encoding="utf-8")
        print(f"externalize_loader: {html.name}: {n} inline loader(s) moved out")


def offline_files(root):
    """The app's own files, relative to `root`: what the service worker caches."""
    files = ["index.html"]
    for f in sorted(root.iterdir()):
        if f.is_file() and f.suffix in (".js", ".wasm", ".css") and f.name != "sw.js":
            files.append(f.name)
    for name in ("rule-docs.json", "manifest.webmanifest"):
        if (root / name).is_file():
            files.append(name)
    for folder in ("icons", "examples"):
        if (root / folder).is_dir():
            files += [f"{folder}/{f.name}" for f in sorted((root / folder).iterdir()) if f.is_file()]
    return files


sw = staging / "sw.js"
if sw.is_file():
    files = offline_files(staging)
    digest = hashlib.sha256()
    for name in files:
        digest.update(name.encode() + b"\0" + (staging / name).read_bytes())
    version = digest.hexdigest()[:16]
    text = sw.read_text(encoding="utf-8")
    text = text.replace('"__PILLARLINT_VERSION__"', json.dumps(version))
    text = text.replace("__PILLARLINT_FILES__", json.dumps(files))
    sw.write_text(text, encoding="utf-8")
    print(f"externalize_loader: sw.js: {len(files)} files cached offline, version {version}")

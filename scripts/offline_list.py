#!/usr/bin/env python3
"""Write the service worker's file list into sw.js (called by scripts/build-pages.sh, the
post-build hook that builds the rule pages, once they exist).

The service worker (static/sw.js, copied by Trunk) caches the app's own files so the app
and its rule pages open offline after the first visit: the app page, its scripts, wasm and
styles, the rule docs, the examples, the icons, the manifest, rules.html with its
bundle, the share and export bundle, the folder and .zip reader (apps/), and terraform.html (the app with the Terraform reader)
with its bundle and share bundle when built. Their names carry Trunk's content hashes, so the list is made after the build. The
cache's version is a hash of those files: every build that changes one replaces the cache.

Trunk runs post-build hooks in parallel; the app's loader is moved out of index.html by
externalize_loader.py, so this waits for that first (it takes a moment, this hook minutes).
"""
import hashlib
import json
import pathlib
import re
import sys
import time

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
index = root / "index.html"
deadline = time.time() + 120
# (release builds minify the HTML: `type=module` may be unquoted)
while re.search(r'<script type="?module"?>', index.read_text(encoding="utf-8")):
    if time.time() > deadline:
        sys.exit("offline_list: index.html still has an inline loader")
    time.sleep(0.5)

files = ["index.html"]
for f in sorted(root.iterdir()):
    if f.is_file() and f.suffix in (".js", ".wasm", ".css") and f.name != "sw.js":
        files.append(f.name)
for name in ("rule-docs.json", "manifest.webmanifest", "rules.html", "terraform.html"):
    if (root / name).is_file():
        files.append(name)
for folder in ("icons", "examples", "rules", "share", "apps"):
    if (root / folder).is_dir():
        files += [f"{folder}/{f.name}" for f in sorted((root / folder).iterdir()) if f.is_file()]
# terraform.html's bundle and its own share bundle (terraform/share/)
if (root / "terraform").is_dir():
    files += [f.relative_to(root).as_posix() for f in sorted((root / "terraform").rglob("*"))
              if f.is_file()]

sw = root / "sw.js"
digest = hashlib.sha256()
for name in files:
    digest.update(name.encode() + b"\0" + (root / name).read_bytes())
version = digest.hexdigest()[:16]
text = sw.read_text(encoding="utf-8")
text = text.replace('"__PILLARLINT_VERSION__"', json.dumps(version))
text = text.replace("__PILLARLINT_FILES__", json.dumps(files))
sw.write_text(text, encoding="utf-8")
print(f"offline_list: sw.js caches {len(files)} files, version {version}")

#!/usr/bin/env python3
"""Trunk post-build hook: move Trunk's inline wasm loader into a file of its own.

Trunk writes an inline <script type="module"> that loads the wasm. Our Content-Security-Policy
allows scripts from 'self' only (no 'unsafe-inline', no nonce: the site is static), so the
loader must be an external file. Runs on every HTML file in Trunk's staging directory.
"""
import hashlib
import os
import pathlib
import re
import sys

staging = pathlib.Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist"))
# release builds minify the HTML: the attribute may have lost its quotes
pattern = re.compile(r'<script type="?module"?>(.*?)</script>', re.S)

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

# pillarlint — the two set-up commands are `make serve` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(HOME)/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$(PATH)

.PHONY: serve test web bench fuzz

## Build the web app and serve it on http://127.0.0.1:8080 (the bookstore example loads first).
serve:
	scripts/bootstrap.sh web
	. scripts/wasm-env.sh && trunk serve --release --address 127.0.0.1 --port 8080

## Run every test: unit, fixture, corpus, CLI, browser (headless Chromium), JS API.
test:
	scripts/test.sh

## Release build of the web app into dist/.
web:
	scripts/bootstrap.sh web
	. scripts/wasm-env.sh && trunk build --release

## Benchmarks: print figures (not timed tests). Builds the web app first (bundle sizes and the
## browser figures come from dist/).
bench:
	scripts/bootstrap.sh
	. scripts/wasm-env.sh && trunk build --release
	scripts/bench.sh

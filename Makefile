# Switchboard — build, run and test.
#   make run    build everything and start the server on SQLite with demo data
#   make test   the whole test suite (installs what it needs)
#   make bench  load tests on SQLite and PostgreSQL; writes docs/benchmarks.md

SHELL := /bin/bash
.DEFAULT_GOAL := build

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO      ?= go
BIN     := bin/switchboard
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: build run web web-deps e2e-deps test test-go test-web test-e2e test-deps chromium postgresql bench clean

## build: the web app, then the binary with the web app embedded
build: web
	$(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/switchboard

## run: start on SQLite (./data/switchboard.db) with the demo site
run: build
	@echo "Switchboard: open http://127.0.0.1:8080 — the admin password is printed below on the first start"
	@echo "Demo agents: mario.rossi, giulia.bianchi, luca.verdi (password Demo-Pass1)"
	@echo "Chat as a customer on the demo shop: http://127.0.0.1:8080/demo/shop"
	./$(BIN) serve --demo

web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web-deps: web/node_modules/.installed

web: web-deps
	cd web && npm run build

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	touch $@

e2e-deps: e2e/node_modules/.installed

## test: Go on SQLite and PostgreSQL, web unit tests, browser tests
test: test-deps test-go test-web test-e2e

test-deps: chromium postgresql

# Debian's Chromium drives the browser tests; Playwright downloads nothing.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The Go tests start a throwaway PostgreSQL cluster from the server binaries.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
		{ $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

test-web: web-deps
	cd web && npm test

# The browser tests run a binary built with the e2e tag: the same server on
# a clock the tests can move forward (cmd/switchboard/e2e.go).
test-e2e: build e2e-deps chromium
	$(GO) build -tags e2e -trimpath -o bin/switchboard-e2e ./cmd/switchboard
	cd e2e && npx playwright test

## bench: chat-steady, ws-scale and contacts on SQLite and on a throwaway PostgreSQL
## cluster (internal/testpg), each on a fresh server; the results go to
## docs/benchmarks.md and bin/bench.json. Not part of `make test`. It takes
## long (set-up signs in 12,000 agents, two argon2 hashes each): about
## 40 minutes on 2 cores. BENCH_FLAGS adds flags (switchboard bench -h).
BENCH_FLAGS ?=
bench: postgresql
	$(GO) build -trimpath -o bin/switchboard-bench ./cmd/switchboard
	./bin/switchboard-bench bench --scenario chat-steady,ws-scale,contacts --db sqlite,testpg \
		--json bin/bench.json --markdown docs/benchmarks.md $(BENCH_FLAGS)

clean:
	rm -rf bin web/dist/assets web/dist/index.html e2e/test-results

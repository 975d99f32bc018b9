# Portico's two everyday commands are `make run` and `make test` (see README.md).
# Both install what they need first (apt packages, npm packages from the lockfile, Go
# modules); Go and Node are the prerequisites.

GO          ?= go
BIN         := bin/portico
DESKTOP_BIN := bin/portico-desktop
DATA        ?= demo-data
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -X main.version=$(VERSION)
# A display means this machine can run the desktop window.
HAS_DISPLAY := $(if $(DISPLAY)$(WAYLAND_DISPLAY),yes,)

.PHONY: run run-server run-desktop build desktop deps system-deps frontend frontend-check \
	vet desktop-vet test go-test browser-test desktop-test bench clean

## run: build what this machine can run and start it on a demo data folder
run: $(if $(HAS_DISPLAY),run-desktop,run-server)

## run-server: the server build, `portico serve` on ./demo-data
run-server: build
	./$(BIN) serve --data $(DATA) --demo

## run-desktop: the desktop window over ./demo-data, portal in the background
run-desktop: desktop
	./$(DESKTOP_BIN) --data $(DATA) --demo

## build: the server binary (no GUI libraries), with the staff UI embedded
build: deps frontend
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

## desktop: the desktop binary (GTK and WebKit), with the staff UI embedded
desktop: deps frontend
	$(GO) build -tags desktop,production -ldflags "$(LDFLAGS)" -o $(DESKTOP_BIN) .

## deps: apt packages, Go modules
deps: system-deps
	$(GO) mod download

system-deps:
	build/install-deps.sh

## frontend: npm packages from the lockfile, then the UI into frontend/dist
frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

frontend-check: frontend/node_modules/.package-lock.json
	cd frontend && npm run check

## vet: formatting and static checks of both builds and the UI
vet: deps frontend-check
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...
	$(GO) vet -tags desktop,production ./...
	$(GO) vet -tags browser ./internal/server/

## test: every test (CI runs this): Go with the race detector, the browser end-to-end
## test against the real UI, and the desktop binary under Xvfb
test: vet go-test browser-test desktop-test

go-test: deps frontend
	$(GO) test -race -count=1 -timeout 30m ./...

## browser-test: staff and client in Debian's chromium (screenshots: test-artifacts/screens)
browser-test: deps frontend
	$(GO) test -tags browser -count=1 -timeout 15m -run Browser ./internal/server/

## desktop-test: the desktop shell's tests, then the window under Xvfb, and files dragged
## onto it (screenshots: test-artifacts/desktop.png, desktop-drag.png, desktop-drop.png)
desktop-test: desktop
	$(GO) test -race -count=1 -tags desktop,production ./app/
	build/desktop-smoke.sh $(DESKTOP_BIN)
	build/desktop-drop.sh $(DESKTOP_BIN)

## bench: benchmarks (not run by CI); figures go in docs/benchmarks.md
bench: deps frontend
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...
	$(GO) test -tags browser -run '^$$' -bench BrowserLive -benchtime 1x ./internal/server/

clean:
	rm -rf bin test-artifacts frontend/node_modules
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete

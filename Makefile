# Portico's two everyday commands are `make run` and `make test` (see README.md).
# Both install what they need first; Go itself is the one prerequisite.

GO      ?= go
BIN     := bin/portico
DATA    ?= demo-data
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run build test bench deps vet clean

## run: build the server and start it on a demo data folder
run: build
	./$(BIN) serve --data $(DATA) --demo

## build: build the server binary into bin/
build: deps
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) .

## deps: download Go modules (from go.sum)
deps:
	$(GO) mod download

## vet: formatting and static checks
vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	$(GO) vet ./...

## test: every test, with the race detector
test: deps vet
	$(GO) test -race -count=1 -timeout 30m ./...

## bench: benchmarks (not run by CI); figures go in docs/benchmarks.md
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

clean:
	rm -rf bin

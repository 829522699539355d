# auth0mcp — see README.md. Every target works on a fresh clone.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN     := bin/auth0mcp
PKGS    := ./...

.PHONY: build test deps lint demo bench compare fuzz clean

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/auth0mcp

## deps: the Debian and npm packages the tests run for real (see scripts/test-deps.sh)
deps:
	@./scripts/test-deps.sh

## test: set up, lint, vet for the other systems, run every test
test: deps lint
	@status=0; $(GO) test -count=1 -timeout 20m $(PKGS) || status=$$?; \
		echo "--- what could not be set up (the tests that need it were skipped):"; \
		grep 'COULD NOT' .cache/test-deps.txt || echo "    nothing: every dependency was there"; \
		exit $$status

## install: put auth0mcp where a config can name it for good (the launcher)
PREFIX ?= /usr/local
install: build
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/auth0mcp

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	GOOS=darwin $(GO) vet $(PKGS)
	GOOS=windows $(GO) vet $(PKGS)

## demo: doctor, then fix-config --dry-run, on a bundled example config with a planted fake token
demo: build
	@echo '$$ auth0mcp doctor --offline --config examples/demo/claude_desktop_config.json'
	@./$(BIN) doctor --offline --config examples/demo/claude_desktop_config.json; code=$$?; \
		echo; echo "(doctor exited $$code: 1 means it found the planted problems, as expected)"; \
		test $$code -eq 1
	@echo; echo '$$ auth0mcp fix-config --dry-run --config examples/demo/claude_desktop_config.json --launcher /usr/local/bin/auth0mcp'
	@./$(BIN) fix-config --dry-run --config examples/demo/claude_desktop_config.json --launcher /usr/local/bin/auth0mcp

## bench: Go benchmarks, in benchstat's format
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 $(PKGS) | tee bench.txt

## compare: auth0mcp against the MCP Inspector's CLI and a bare handshake, side by side
## (run make deps first); writes bin/compare.md and every run to bin/compare.json
RUNS ?= 15
compare:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/compare-auth0mcp ./cmd/auth0mcp
	$(GO) build -o bin/compare ./tools/compare
	./bin/compare -bin bin/compare-auth0mcp -npm .cache/npm -runs $(RUNS) -out bin/compare.md -raw bin/compare.json

FUZZTIME ?= 30s
fuzz:
	@for p in $$($(GO) list $(PKGS)); do \
		for f in $$($(GO) test -list 'Fuzz.*' $$p | grep '^Fuzz'); do \
			echo "== $$p $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$p || exit 1; \
		done; \
	done

clean:
	rm -rf bin bench.txt

# The README's two commands: `make demo` and `make test`. CI (.ci/run) runs `make test`.
SWIFT ?= swift

.PHONY: deps build release test demo bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test
	scripts/browser-test.sh

demo:
	@scripts/demo.sh

bench: release
	.build/release/impasto bench conv
	.build/release/impasto bench stylize
	.build/release/impasto bench fast

clean:
	rm -rf .build

# ExamKit — two commands on a fresh machine:
#   make demo   installs the system packages, builds in release, runs the whole workflow on the sample pack
#   make test   installs the system packages, builds, runs every test
SWIFT ?= swift

.PHONY: bootstrap build release demo test lint format fuzz clean
bootstrap:
	@Tools/bootstrap

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release --product exam

demo: release
	@Tools/demo.sh "$$($(SWIFT) build -c release --show-bin-path)/exam"

test: bootstrap
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# swift-format with the committed .swift-format: `make lint` fails on any finding (CI), `make format` fixes in place
lint:
	Tools/format.sh --lint

format:
	Tools/format.sh

# libFuzzer targets over every parser of outside input, FUZZ_SECONDS each (Tools/fuzz; docs/security.md)
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	Tools/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf .build demo Fuzz/.build

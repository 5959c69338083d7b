# kiln's front door. `make demo` and `make test` do all set-up on a fresh
# Debian 12 machine (they install what is missing with apt-get).
SHELL := /bin/bash
JOBS ?= 2
BUILD := build
ASAN_BUILD := build-asan
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60
# One image cache for every kiln local the tests start (Debian systems built
# with debootstrap: minutes on a fresh machine, then reused).
TEST_IMAGE_CACHE ?= /var/cache/kiln-test/images
# Slow tests that need root, loop devices and the image cache: phases of
# their own, not part of the unit tests (nor of the ASan run).
SLOW_LABELS := local_sandbox|local_images

.PHONY: all deps build asan fuzz test test-images test-sandbox test-unit test-asan test-specsuite test-corpus test-fmt test-template test-local test-local-packer test-upload test-nixos test-nixos-local test-fuzz \
        test-full demo bench format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset default >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build $(FUZZ_BUILD) -j$(JOBS) --target hcl_fuzz

# Every phase prints its duration (scripts/phase.sh).
test: deps
	@scripts/phase.sh build $(MAKE) --no-print-directory build
	@scripts/phase.sh local-images $(MAKE) --no-print-directory test-images
	@scripts/phase.sh unit-tests $(MAKE) --no-print-directory test-unit
	@scripts/phase.sh local-sandbox $(MAKE) --no-print-directory test-sandbox
	@scripts/phase.sh hcl-specsuite $(MAKE) --no-print-directory test-specsuite
	@scripts/phase.sh hcl-corpus $(MAKE) --no-print-directory test-corpus
	@scripts/phase.sh hcl-fmt $(MAKE) --no-print-directory test-fmt
	@scripts/phase.sh template-cli $(MAKE) --no-print-directory test-template
	@scripts/phase.sh local-hcloud-cli $(MAKE) --no-print-directory test-local
	@scripts/phase.sh local-packer-1.6.6 $(MAKE) --no-print-directory test-local-packer
	@scripts/phase.sh upload $(MAKE) --no-print-directory test-upload
	@scripts/phase.sh nixos-recipe $(MAKE) --no-print-directory test-nixos
	@scripts/phase.sh nixos-on-local $(MAKE) --no-print-directory test-nixos-local
	@scripts/phase.sh asan-unit-tests $(MAKE) --no-print-directory test-asan
	@scripts/phase.sh fuzz $(MAKE) --no-print-directory test-fuzz

test-images test-unit test-sandbox test-asan test-local test-local-packer test-upload test-nixos test-nixos-local demo: \
  export KILN_IMAGE_CACHE := $(TEST_IMAGE_CACHE)
test-images test-unit test-sandbox test-asan test-local test-upload test-nixos: \
  export KILN_TEST_IMAGE_CACHE := $(TEST_IMAGE_CACHE)

# Builds (or checks) the image cache: debian-12 and the rescue system for
# amd64 and arm64 (arm64 under qemu-user).
test-images: build
	@cd $(BUILD) && ctest --output-on-failure -L local_images

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS) -LE '$(SLOW_LABELS)'

test-sandbox: build
	@cd $(BUILD) && ctest --output-on-failure -L local_sandbox

test-asan: asan
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS) -LE '$(SLOW_LABELS)'

test-specsuite: build
	@tests/hcl/specsuite.sh $(BUILD)/kiln

test-corpus: build
	@tests/hcl/corpus.sh $(BUILD)/kiln

test-fmt: build
	@tests/hcl/fmt.sh $(BUILD)/kiln

test-template: build
	@tests/template/run.sh $(BUILD)/kiln

test-local: build
	@tests/local/run.sh $(BUILD)/kiln

test-local-packer: build
	@tests/local/packer.sh $(BUILD)/kiln

# After test-local: uses the Debian image it left in the image cache.
test-upload: build
	@tests/upload/run.sh $(BUILD)/kiln

test-nixos: build
	@tests/nixos/run.sh $(BUILD)/kiln

test-nixos-local: build
	@tests/nixos/local.sh $(BUILD)/kiln

test-fuzz: fuzz
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The long matrices: every injected fault of the build matrix, longer fuzzing.
test-full:
	@KILN_FAULT_MATRIX=full $(MAKE) --no-print-directory test FUZZ_SECONDS=600

demo: build
	@scripts/demo.sh $(BUILD)/kiln

bench: build
	@bench/run.sh $(BUILD)/kiln

format:
	@find src bench fuzz -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

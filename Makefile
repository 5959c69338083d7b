# kiln's front door. `make demo` and `make test` do all set-up on a fresh
# Debian 12 machine (they install what is missing with apt-get).
SHELL := /bin/bash
JOBS ?= 2
BUILD := build
ASAN_BUILD := build-asan
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60

.PHONY: all deps build asan fuzz test test-unit test-asan test-specsuite test-corpus test-fmt test-template test-local test-nixos test-fuzz \
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
	@scripts/phase.sh unit-tests $(MAKE) --no-print-directory test-unit
	@scripts/phase.sh hcl-specsuite $(MAKE) --no-print-directory test-specsuite
	@scripts/phase.sh hcl-corpus $(MAKE) --no-print-directory test-corpus
	@scripts/phase.sh hcl-fmt $(MAKE) --no-print-directory test-fmt
	@scripts/phase.sh template-cli $(MAKE) --no-print-directory test-template
	@scripts/phase.sh local-hcloud-cli $(MAKE) --no-print-directory test-local
	@scripts/phase.sh nixos-recipe $(MAKE) --no-print-directory test-nixos
	@scripts/phase.sh asan-unit-tests $(MAKE) --no-print-directory test-asan
	@scripts/phase.sh fuzz $(MAKE) --no-print-directory test-fuzz

test-unit:
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

test-asan: asan
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS)

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

test-nixos: build
	@tests/nixos/run.sh $(BUILD)/kiln

test-fuzz: fuzz
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The long matrices; today the same as test with a longer fuzzing run.
test-full:
	@$(MAKE) --no-print-directory test FUZZ_SECONDS=600

demo: build
	@scripts/demo.sh $(BUILD)/kiln

bench: build
	@bench/run.sh $(BUILD)/kiln

format:
	@find src bench fuzz -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# parley — the two commands of the quick start, and the rest.
#   make run     install what is missing, build, run the default scenario
#   make test    install what is missing, build, run the whole suite (ctest)
# Others: build, sanitize (ASan+UBSan build and tests), fuzz, mpi-test, bench,
# install, clean.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
MPI_BUILD  ?= build-mpi
PREFIX     ?= /usr/local
FUZZ_SECONDS ?= 20
CMAKE_FLAGS ?=

# Debian packages parley needs to build and test.
PACKAGES = cmake ninja-build pkg-config gcc clang libc6-dev \
           libjansson-dev libsqlite3-dev libcsv-dev librandom123-dev \
           libcairo2-dev libmicrohttpd-dev libcriterion-dev libomp-dev sqlite3 nettle-dev \
           libopenmpi-dev openmpi-bin

.PHONY: run test build deps e2e-deps sanitize fuzz mpi-test bench install clean

run: build
	./$(BUILD)/parley

# The browser test of the web UI needs Chromium, node and playwright-core;
# `make test` brings them (Debian packages and the npm lock file), then
# reconfigures so that ctest registers the test.
test: build e2e-deps
	cmake -S . -B $(BUILD) >/dev/null
	cmake --build $(BUILD)
	ctest --test-dir $(BUILD) --output-on-failure -j2

e2e-deps: deps
	@if [ "$$(id -u)" -eq 0 ]; then \
	  need=""; \
	  command -v chromium >/dev/null || need="$$need chromium"; \
	  command -v node >/dev/null || need="$$need nodejs"; \
	  command -v npm >/dev/null || need="$$need npm"; \
	  if [ -n "$$need" ]; then \
	    echo "Installing:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; \
	  fi; \
	fi
	@if command -v npm >/dev/null && [ ! -d tests/e2e/node_modules/playwright-core ]; then \
	  for try in 1 2 3; do \
	    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error) && break; \
	    echo "npm ci failed (try $$try)"; sleep 5; \
	  done; \
	fi

deps:
	@missing=$$(for p in $(PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -ne 0 ]; then \
	    echo "parley: these Debian packages are missing: $$missing" >&2; \
	    echo "parley: run 'make deps' as root, or: sudo apt-get install -y $$missing" >&2; \
	    exit 1; \
	  fi; \
	  echo "Installing: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD)

sanitize: deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPARLEY_SANITIZE=ON \
	  -DPARLEY_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j2

fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPARLEY_FUZZ=ON \
	  -DPARLEY_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD)
	@for f in $(FUZZ_BUILD)/fuzz/fuzz_*; do \
	  name=$$(basename $$f); \
	  echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$name; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
	     $(FUZZ_BUILD)/corpus/$$name fuzz/seeds/$${name#fuzz_} || exit 1; \
	done

# The MPI build: mc and sweep across 1, 2 and 4 ranks give identical bytes.
mpi-test: deps
	cmake -S . -B $(MPI_BUILD) -G Ninja -DPARLEY_MPI=ON $(CMAKE_FLAGS)
	cmake --build $(MPI_BUILD)
	ctest --test-dir $(MPI_BUILD) -R 'test_mpi|test_sweep|test_montecarlo|test_cli' \
	  --output-on-failure

bench: build
	cmake --build $(BUILD) --target benchmarks
	@for b in $(BUILD)/bench/bench_*; do echo "== $$b"; $$b || exit 1; done

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(MPI_BUILD)

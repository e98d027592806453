# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build run stop token test test-unit test-integration test-browser test-faults test-brokers fuzz fuzz-ci lint typecheck contracts

# Every Node command runs on the project's Node (26 LTS; scripts/setup-node.sh installs it when the
# machine's is older).
NODE := bash scripts/with-node.sh

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

setup: ## install/build everything needed (idempotent; first time ~10 min, then seconds)
	@bash scripts/setup.sh

run: ## run the platform: broker (BROKER=kafka|redis|rabbitmq|mqtt), Redis, every service + daprd; gateway :8080
	@bash scripts/run.sh

stop: ## stop everything `make run` started
	@bash scripts/stop.sh

token: ## print a dev JWT: make token USER=alice [ADMIN=1]
	@# USER only when given on the command line: make also sees the login USER from the environment.
	@TOKEN_USER="$(if $(filter command line,$(origin USER)),$(USER))" ADMIN="$(ADMIN)" $(NODE) node --import tsx tools/launcher/token.ts

test: ## setup + unit + integration tests against real sidecars, Kafka and Redis + the web console in headless Chromium
	@bash scripts/test.sh

test-unit: ## unit tests only (no infrastructure): vitest, then pytest for insights-service
	@$(NODE) npx vitest run --project unit && bash scripts/test-python.sh

test-integration: setup ## integration tests only
	@$(NODE) npx vitest run --project integration

test-browser: setup ## the web console in headless Chromium (Debian's, installed once) against its own platform; screenshots in .run/test-results/browser
	@bash scripts/setup-browser.sh && mkdir -p .run/test-results && $(NODE) npx vitest run --project browser --reporter=default --reporter=json --outputFile.json=.run/test-results/browser.json

test-faults: setup ## fault suite: crashes, restarts, poison, replay, replicas, breaker, catch-up; writes docs/fault-report.md
	@mkdir -p .run/test-results && $(NODE) npx vitest run --project faults --reporter=default --reporter=json --outputFile.json=.run/test-results/faults.json

fuzz: setup ## schemathesis against the gateway's OpenAPI document on its own platform (≥ 5,000 cases); .run/test-results/fuzz.json
	@bash scripts/setup-fuzz.sh && $(NODE) node --import tsx tools/fuzz/main.ts

fuzz-ci: setup ## a short fuzz run (CI, after make test): ~25 examples per operation
	@bash scripts/setup-fuzz.sh && FUZZ_EXAMPLES=25 FUZZ_MIN_CASES=500 $(NODE) node --import tsx tools/fuzz/main.ts

test-brokers: ## integration suite + broker-level fault scenarios on kafka, redis, rabbitmq, mqtt; writes docs/broker-matrix.md
	@bash scripts/test-brokers.sh

.PHONY: bench
bench: ## benchmarks, Dapr paths against their baselines → docs/benchmarks.md (+ .json, SVG plots), docs/sizing.md; QUICK=1: < 2 min
	@QUICK="$(QUICK)" bash scripts/bench.sh

.PHONY: test-k8s
test-k8s: ## Helm chart, k8s/ and Dockerfile on a loopback Kubernetes control plane (render, drift, install/upgrade/uninstall); writes .run/test-results/k8s.json
	@bash scripts/test-k8s.sh

lint: ## eslint + typescript + ruff + shellcheck (what CI checks)
	@bash scripts/lint.sh

contracts: ## regenerate packages/contracts/generated (JSON Schema + AsyncAPI) from the zod schemas
	@$(NODE) npm run --silent contracts

typecheck: ## typescript only
	@$(NODE) npx tsc -p tsconfig.json && $(NODE) npx tsc -p services/gateway/web/tsconfig.json

.PHONY: test-keda k8s-status
test-keda: ## autoscaling on real Kafka lag: KEDA + HPA on a loopback control plane (netns) drive notification-service's replicas; writes docs/autoscaling.md and .run/test-results/keda.json
	@bash scripts/test-keda.sh

k8s-status: ## status screen per namespace (replicas, ScaledObjects and lag, Dapr components, warnings): make k8s-status [NS=todo-dev] [WATCH=1]
	@bash scripts/k8s-status.sh

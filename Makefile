# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup build run stop token test test-unit test-integration test-faults test-brokers lint typecheck

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

test: ## setup + unit + integration tests against real sidecars, Kafka and Redis
	@bash scripts/test.sh

test-unit: ## unit tests only (no infrastructure)
	@$(NODE) npx vitest run --project unit

test-integration: setup ## integration tests only
	@$(NODE) npx vitest run --project integration

test-faults: setup ## fault suite: crashes, restarts, poison, replay, replicas, breaker, catch-up; writes docs/fault-report.md
	@mkdir -p .run/test-results && $(NODE) npx vitest run --project faults --reporter=default --reporter=json --outputFile.json=.run/test-results/faults.json

test-brokers: ## integration suite + broker-level fault scenarios on kafka, redis, rabbitmq, mqtt; writes docs/broker-matrix.md
	@bash scripts/test-brokers.sh

.PHONY: bench
bench: ## benchmarks, Dapr paths against their baselines → docs/benchmarks.md (+ .json, SVG plots), docs/sizing.md; QUICK=1: < 2 min
	@QUICK="$(QUICK)" bash scripts/bench.sh

.PHONY: test-k8s
test-k8s: ## Helm chart, k8s/ and Dockerfile on a loopback Kubernetes control plane (render, drift, install/upgrade/uninstall); writes .run/test-results/k8s.json
	@bash scripts/test-k8s.sh

lint: ## eslint + typescript + shellcheck (what CI checks)
	@bash scripts/lint.sh

typecheck: ## typescript only
	@$(NODE) npx tsc -p tsconfig.json

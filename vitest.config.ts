import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'services/gateway/web/test/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // One platform (Kafka, Redis, every daprd + app) is booted for the whole run.
          globalSetup: ['tests/support/global-setup.ts'],
          // The files share that platform; one file at a time keeps timing-sensitive flows (reminders)
          // honest on a 2-core machine and lets a file stop and restart a service without surprising others.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          // Its own platform (like the integration suite's, in .run/browser); Debian's Chromium per file.
          globalSetup: ['tests/support/browser-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/fault-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          // Scenarios stream thousands of events through crashes and restarts.
          testTimeout: 600_000,
          hookTimeout: 300_000,
          // Fixed order: the report reads top to bottom like the list.
          sequence: { shuffle: false },
        },
      },
      {
        test: {
          name: 'k8s',
          include: ['tests/k8s/**/*.test.ts'],
          environment: 'node',
          // One loopback control plane (scripts/test-k8s.sh starts it) shared by every file, one file at a
          // time: helm and the API server are the bottleneck on two cores, not the test runner.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'keda',
          include: ['tests/keda/**/*.test.ts'],
          environment: 'node',
          // scripts/test-keda.sh runs this inside the control plane's network namespace; the global setup
          // boots Kafka, Redis and every service with its daprd there (notification-service with fault hooks).
          globalSetup: ['tests/support/keda-setup.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          // One scenario: a backlog built, frozen three times, drained, and the cooldown waited out.
          testTimeout: 600_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

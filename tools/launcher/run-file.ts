// Reads a Dapr multi-app run file (dapr.yaml) into launch specs — the subset of the format we use.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { AppSpec } from './processes.ts';

const RunFile = z.object({
  version: z.literal(1),
  common: z
    .object({
      resourcesPaths: z.array(z.string()).default([]),
      configFilePath: z.string(),
      logLevel: z.string().default('info'),
      env: z.record(z.string(), z.coerce.string()).default({}),
    })
    .passthrough(),
  apps: z.array(
    z
      .object({
        appID: z.string(),
        appDirPath: z.string().default('./'),
        appPort: z.number().int(),
        daprHTTPPort: z.number().int(),
        daprGRPCPort: z.number().int(),
        daprInternalGRPCPort: z.number().int(),
        metricsPort: z.number().int(),
        command: z.array(z.string()).min(1),
        env: z.record(z.string(), z.coerce.string()).default({}),
        resourcesPaths: z.array(z.string()).optional(),
        // The dapr CLI's names for daprd's --enable-app-health-check / --app-health-* flags.
        enableAppHealthCheck: z.boolean().default(false),
        appHealthCheckPath: z.string().default('/healthz'),
        appHealthProbeInterval: z.number().int().positive().default(5),
        appHealthProbeTimeout: z.number().int().positive().default(500),
        appHealthThreshold: z.number().int().positive().default(3),
      })
      .passthrough(),
  ),
});

/** Paths in the file are relative to the file's folder, as the dapr CLI reads them. */
export function readRunFile(file: string, options: { replaceResourcesPath?: (p: string) => string } = {}): AppSpec[] {
  const base = path.dirname(path.resolve(file));
  const runFile = RunFile.parse(parse(readFileSync(file, 'utf8')));
  const abs = (p: string) => path.resolve(base, p);
  const swap = options.replaceResourcesPath ?? ((p: string) => p);
  return runFile.apps.map((app) => ({
    appId: app.appID,
    command: app.command[0] === 'node' ? [process.execPath, ...app.command.slice(1)] : app.command,
    cwd: abs(app.appDirPath),
    appPort: app.appPort,
    daprHttpPort: app.daprHTTPPort,
    daprGrpcPort: app.daprGRPCPort,
    daprInternalGrpcPort: app.daprInternalGRPCPort,
    metricsPort: app.metricsPort,
    resourcesPaths: (app.resourcesPaths ?? runFile.common.resourcesPaths).map((p) => abs(swap(p))),
    configFile: abs(runFile.common.configFilePath),
    env: { ...runFile.common.env, ...app.env },
    logLevel: runFile.common.logLevel,
    ...(app.enableAppHealthCheck
      ? {
          appHealthCheck: {
            path: app.appHealthCheckPath,
            intervalSeconds: app.appHealthProbeInterval,
            timeoutMs: app.appHealthProbeTimeout,
            threshold: app.appHealthThreshold,
          },
        }
      : {}),
  }));
}

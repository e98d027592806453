export * from './ports.ts';
export * from './dapr.ts';

export * from './ports.ts';
export * from './dapr.ts';
export * from './cas.ts';
export * from './paged-list.ts';
export * from './resilient-invoker.ts';
export * from './trace-context.ts';
export * from './metrics.ts';

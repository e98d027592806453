export * from './ports.ts';
export * from './dapr.ts';
export * from './cas.ts';

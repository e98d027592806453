export * from './errors.ts';
export * from './logger.ts';
export * from './config.ts';
export * from './problem.ts';
export * from './http.ts';
export * from './health.ts';
export * from './subscription.ts';
export * from './lifecycle.ts';

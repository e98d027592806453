export * from './names.ts';
export * from './task.ts';
export * from './events.ts';
export * from './notification.ts';
export * from './topics.ts';
export * from './api.ts';
export * from './openapi.ts';
export * from './insights.ts';

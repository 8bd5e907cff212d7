export * from './client.ts';
export type * from './events.ts';

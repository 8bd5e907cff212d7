export * from './collab.ts';
export * from './ids.ts';
export * from './notifications.ts';
export * from './platforms.ts';
export * from './posts.ts';
export * from './roles.ts';

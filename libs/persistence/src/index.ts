export * from './database';
export * from './entities';
export * from './notification.repository';
export * from './postgres-server';
export * from './projection.repository';
export * from './read.repository';

export * from './database';
export * from './entities';
export * from './postgres-server';
export * from './projection.repository';
export * from './read.repository';

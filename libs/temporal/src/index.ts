export * from './client';
export * from './codec';
export * from './config';

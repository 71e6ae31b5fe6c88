export * from './client';
export * from './codec';
export * from './config';
export * from './request-id';

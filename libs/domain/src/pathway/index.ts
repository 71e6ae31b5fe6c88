export * from './vocabulary';
export * from './commands';
export * from './projection';
export * from './machine';
export * from './refusals';

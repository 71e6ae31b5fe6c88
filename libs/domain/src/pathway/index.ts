export * from './vocabulary';
export * from './commands';
export * from './projection';

import { Initial1764064800000 } from './1764064800000-Initial';

/** In order; TypeORM records which have run in its `migrations` table. */
export const MIGRATIONS = [Initial1764064800000];

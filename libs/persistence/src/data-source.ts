// For the TypeORM CLI (npm run migration:*): DATABASE_URL names the application's database.
import 'reflect-metadata';
import { createDataSource } from './database';

if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default createDataSource(process.env.DATABASE_URL);

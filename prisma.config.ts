import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// The CLI only authors migrations (`prisma migrate diff`) and generates the client. `engine: 'js'`
// keeps it on the WebAssembly schema engine with a driver adapter, so it never downloads a native
// engine. The service applies migrations itself on start (server/persistence/migrate.ts).
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaBetterSQLite3({ url: 'file:./data/prisma-cli.db' }),
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
});

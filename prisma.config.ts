import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { loadConfig } from './infra/config';

// Prisma's JS schema engine reads the catalog and gets pg's `name` (oid 19) and `"char"`
// (oid 18) columns, which adapter-pg refuses (prisma/orm#27403). For the CLI only, a pg
// client that reports those columns as text (oid 25) gets migrate and introspection through.
const CATALOG_TEXT_OIDS = new Set([18, 19]);

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function reportCatalogColumnsAsText<T>(result: T): T {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of (r as QueryResultLike)?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = 25;
    }
  }
  return result;
}

class CatalogTextClient extends pg.Client {
  override query(...args: any[]): any {
    // pg-pool passes a callback; direct callers get a promise. Fix the fields either way.
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last];
      args[last] = (err: unknown, res: unknown) => callback(err, err ? res : reportCatalogColumnsAsText(res));
    }
    const result = (super.query as any)(...args);
    return result && typeof result.then === 'function' ? result.then(reportCatalogColumnsAsText) : result;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    // Discrete fields, not connectionString: `migrate dev` swaps `database` for its shadow
    // database, and pg would let a connectionString override that.
    const url = new URL(loadConfig().DATABASE_URL);
    return new PrismaPg({
      host: url.hostname,
      port: Number(url.port || 5432),
      user: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      database: url.pathname.slice(1),
      ssl: url.searchParams.get('sslmode') === 'require' ? { rejectUnauthorized: false } : undefined,
      Client: CatalogTextClient,
      // adapter-pg drops the shadow database before closing the pool it used: let idle
      // connections go at once so the DROP does not find one still open.
      idleTimeoutMillis: 1,
    });
  },
});

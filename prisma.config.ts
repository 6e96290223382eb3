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
    return new PrismaPg({ connectionString: loadConfig().DATABASE_URL, Client: CatalogTextClient });
  },
});

// Creates an API key and prints it (only its hash is stored).
// Usage: tsx scripts/create-api-key.ts --role finance [--name "Accounting export"] [--reuse-file path]
//        tsx scripts/create-api-key.ts --role technician --technician <technician id>   (a technician's own key)
// --reuse-file keeps the key in a local file and reuses it while it is still valid (used by `npm run dev`).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createApiKey, hashApiKey } from '../api/auth';
import { loadConfig } from '../infra/config';
import { createPrisma } from '../infra/db';

const roles = ['admin', 'operations', 'finance', 'dispatcher', 'technician', 'read_only'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, name: { type: 'string' }, 'reuse-file': { type: 'string' }, technician: { type: 'string' } },
  });
  const role = z.enum(roles).safeParse(values.role);
  if (!role.success) {
    console.error(`--role must be one of: ${roles.join(', ')}`);
    process.exit(2);
  }
  const prisma = createPrisma(loadConfig().DATABASE_URL, 1);
  try {
    const file = values['reuse-file'];
    if (file && fs.existsSync(file)) {
      const existing = fs.readFileSync(file, 'utf8').trim();
      const row = await prisma.apiKey.findUnique({ where: { keyHash: hashApiKey(existing) } });
      if (row && !row.revokedAt && row.role === role.data) {
        process.stdout.write(existing + '\n');
        return;
      }
    }
    const technician = values.technician && (await prisma.technician.findUnique({ where: { id: values.technician } }));
    if (values.technician && (role.data !== 'technician' || !technician)) {
      console.error('--technician takes the id of a technician, with --role technician');
      process.exit(2);
    }
    const name = values.name ?? (technician ? `${technician.name} (technician)` : `${role.data} key`);
    const key = await createApiKey(prisma, name, role.data, technician ? technician.id : undefined);
    if (file) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, key + '\n', { mode: 0o600 });
    }
    process.stdout.write(key + '\n');
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configKeys, loadConfig } from '../../infra/config';
import { allSearchAttributes, cliTypeOf } from '../../workflows/shared/search-attributes';

type EnvValue = string | number | boolean | null;
interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  ports?: (string | number | { target: number; published?: string | number; host_ip?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  volumes?: (string | { source?: string; target: string })[];
  stop_grace_period?: string;
}

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

const appServices = ['worker', 'api', 'migrate'];
/** Stand-ins for variables the deployer must set (`${VAR:?...}`); each must pass the config schema. */
const requiredStandIns: Record<string, string> = { APPROVAL_SECRET: 'a-long-random-secret-for-the-compose-test' };

/** The environment as written in the file (map or `KEY=value` list), values as strings. */
function rawEnv(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose interpolation: `${VAR:-default}` gives the default, `${VAR:?msg}` a stand-in, `$$` a literal `$`; any other `$` throws. */
function interpolate(value: string): string {
  return value.replace(
    /\$(?:\$|\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|[A-Za-z_]\w*)?/g,
    (match, name?: string, op?: string, arg?: string) => {
      if (match === '$$') return '$';
      if (op?.endsWith('-')) return arg ?? '';
      if (op?.endsWith('?')) {
        const standIn = requiredStandIns[name!];
        if (!standIn) throw new Error(`no stand-in for required variable ${name}`);
        return standIn;
      }
      throw new Error(`${match} has neither a default nor a required marker`);
    },
  );
}

const resolvedEnv = (s: Service) => Object.fromEntries(Object.entries(rawEnv(s)).map(([k, v]) => [k, interpolate(v)]));

/** Published ports as { host, container } numbers, from the short or the long syntax. */
function ports(s: Service): { host: number; container: number }[] {
  return (s.ports ?? []).map((p) => {
    if (typeof p === 'object') return { host: Number(p.published), container: Number(p.target) };
    const parts = String(p).split('/')[0].split(':');
    return { host: Number(parts[parts.length - 2]), container: Number(parts[parts.length - 1]) };
  });
}

function dependsOn(s: Service): Record<string, string> {
  const deps = s.depends_on ?? [];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v.condition ?? 'service_started']));
}

const commandText = (s: Service) => (Array.isArray(s.command) ? s.command.join(' ') : (s.command ?? ''));

function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  return [...text.matchAll(/(\d+)(ms|s|m|h)/g)].reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

describe('docker-compose.yml', () => {
  it('defines the database, the Temporal jobs, server and UI, the mail catcher and the app services', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgres',
        'temporal-schema',
        'temporal',
        'temporal-create-namespace',
        'temporal-ui',
        'mail',
        'migrate',
        'worker',
        'api',
      ]),
    );
  });

  it('uses no temporalio/auto-setup image and pins the tag of every pulled image', () => {
    for (const [name, s] of Object.entries(services)) {
      expect({ name, image: s.image }).not.toEqual({ name, image: expect.stringContaining('auto-setup') });
      if (s.build === undefined) {
        expect({ name, image: s.image }).toEqual({ name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
        expect(s.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('escapes shell variables and gives every compose variable a default or a required marker', () => {
    expect(() => interpolate(read('docker-compose.yml'))).not.toThrow();
  });

  it('gives the worker, the API and the migrate job only variables that infra/config.ts reads', () => {
    for (const name of appServices) {
      const unknown = Object.keys(rawEnv(service(name))).filter((k) => !(configKeys as string[]).includes(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
  });

  it('shares one environment between the app services', () => {
    const [first, ...others] = appServices.map((name) => rawEnv(service(name)));
    for (const env of others) expect(env).toEqual(first);
  });

  it('gives the app services values that loadConfig accepts, in production mode', () => {
    for (const name of appServices) {
      const config = loadConfig(resolvedEnv(service(name)));
      expect(config.NODE_ENV).toBe('production');
    }
  });

  it('makes the deployer set APPROVAL_SECRET instead of shipping a default', () => {
    expect(rawEnv(service('api')).APPROVAL_SECRET).toMatch(/^\$\{APPROVAL_SECRET:\?.+\}$/);
  });

  it('publishes the API on the default API_PORT of the config', () => {
    const { API_PORT } = loadConfig({});
    expect(loadConfig(resolvedEnv(service('api'))).API_PORT).toBe(API_PORT);
    expect(ports(service('api'))).toContainEqual({ host: API_PORT, container: API_PORT });
  });

  it('publishes Temporal on 7233 and points the app at the temporal service on that port', () => {
    expect(ports(service('temporal'))).toContainEqual({ host: 7233, container: 7233 });
    expect(loadConfig(resolvedEnv(service('worker'))).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('runs the Temporal server on PostgreSQL once the schema job has completed', () => {
    const temporal = service('temporal');
    const env = rawEnv(temporal);
    expect(temporal.image).toMatch(/^temporalio\/server:1\.2\d\./);
    expect(env).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
    expect(env.DYNAMIC_CONFIG_FILE_PATH).toBeTruthy();
    expect(dependsOn(temporal)['temporal-schema']).toBe('service_completed_successfully');
  });

  it('mounts the dynamic config file the Temporal server is told to read', () => {
    const temporal = service('temporal');
    const mounts = (temporal.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':') : [v.source ?? '', v.target]));
    const mount = mounts.find(([, target]) => target === rawEnv(temporal).DYNAMIC_CONFIG_FILE_PATH);
    expect(mount).toBeDefined();
    expect(fs.existsSync(path.join(root, mount![0]))).toBe(true);
  });

  it('sets up both Temporal databases with temporal-sql-tool from the postgres v12 schemas', () => {
    const schemaJob = service('temporal-schema');
    const { DBNAME, VISIBILITY_DBNAME } = rawEnv(service('temporal'));
    const script = commandText(schemaJob);
    expect(schemaJob.image).toMatch(/^temporalio\/admin-tools:/);
    expect(script).toContain('temporal-sql-tool');
    expect(script).toContain('--plugin postgres12');
    expect(script).toContain(`--database ${DBNAME} setup-schema -v 0.0`);
    expect(script).toContain(`--database ${VISIBILITY_DBNAME} setup-schema -v 0.0`);
    expect(script).toContain(`--database ${DBNAME} update-schema -d /etc/temporal/schema/postgresql/v12/temporal/versioned`);
    expect(script).toContain(`--database ${VISIBILITY_DBNAME} update-schema -d /etc/temporal/schema/postgresql/v12/visibility/versioned`);
    expect(dependsOn(schemaJob).postgres).toBe('service_healthy');
  });

  it('creates the app database and both Temporal databases in the PostgreSQL init script', () => {
    const init = (service('postgres').volumes ?? []).find((v) => typeof v === 'string' && v.includes(':/docker-entrypoint-initdb.d/'));
    expect(typeof init).toBe('string');
    const sql = fs.readFileSync(path.join(root, (init as string).split(':')[0]), 'utf8');
    const appDb = new URL(loadConfig(resolvedEnv(service('api'))).DATABASE_URL).pathname.slice(1);
    const { DBNAME, VISIBILITY_DBNAME } = rawEnv(service('temporal'));
    for (const db of [appDb, DBNAME, VISIBILITY_DBNAME]) expect(sql).toMatch(new RegExp(`CREATE DATABASE "?${db}"?;`));
  });

  it('registers exactly the search attributes of the workflows, with their CLI types', () => {
    const lines = commandText(service('temporal-create-namespace'))
      .split('\n')
      .filter((line) => line.includes('search-attribute create'));
    const registered = lines.flatMap((line) =>
      [...line.matchAll(/--name\s+(\S+)\s+--type\s+(\S+)/g)].map(([, name, type]) => `${name}=${type}`),
    );
    const expected = allSearchAttributes.map((k) => `${k.name}=${cliTypeOf[k.type]}`);
    expect(registered.sort()).toEqual(expected.sort());
  });

  it('registers the namespace the app uses, and the search attributes in that namespace', () => {
    const { TEMPORAL_NAMESPACE } = loadConfig(resolvedEnv(service('worker')));
    const script = commandText(service('temporal-create-namespace'));
    expect(script).toContain(`temporal operator namespace create --namespace ${TEMPORAL_NAMESPACE}`);
    for (const line of script.split('\n').filter((l) => l.includes('search-attribute create'))) {
      expect(line).toContain(`--namespace ${TEMPORAL_NAMESPACE}`);
    }
  });

  it('starts the worker after the migrations, the Temporal server and the namespace job', () => {
    expect(dependsOn(service('worker'))).toMatchObject({
      migrate: 'service_completed_successfully',
      temporal: expect.any(String),
      'temporal-create-namespace': 'service_completed_successfully',
    });
    expect(dependsOn(service('api')).migrate).toBe('service_completed_successfully');
  });

  it('gives the worker longer to stop than its forced-shutdown delay', () => {
    const { WORKER_SHUTDOWN_FORCE_MS } = loadConfig(resolvedEnv(service('worker')));
    expect(durationMs(service('worker').stop_grace_period ?? '10s')).toBeGreaterThan(WORKER_SHUTDOWN_FORCE_MS);
  });

  it('sends app mail to the mail service and exposes the Temporal UI and the inbox on the dev ports', () => {
    const smtp = new URL(loadConfig(resolvedEnv(service('worker'))).SMTP_URL);
    expect([smtp.hostname, smtp.port]).toEqual(['mail', '1025']);
    expect(ports(service('temporal-ui'))).toContainEqual({ host: 8233, container: 8080 });
    expect(rawEnv(service('temporal-ui')).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ports(service('mail'))).toContainEqual({ host: 1080, container: 8025 });
  });

  it('runs the worker, the API and the migrations with the commands of package.json', () => {
    const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    const cmd = read('Dockerfile').match(/^CMD\s+(\[.*\])\s*$/m);
    expect(cmd).not.toBeNull();
    const binless = (argv: string[]) => argv.join(' ').replace(/^node_modules\/\.bin\//, '');
    expect(binless(service('worker').command as string[])).toBe(scripts.worker);
    expect(binless(service('migrate').command as string[])).toBe(scripts.migrate);
    expect(service('api').command).toBeUndefined();
    expect(binless(JSON.parse(cmd![1]) as string[])).toBe(scripts.api);
  });

  it('builds the app services from the Dockerfile, on a node 20 base image', () => {
    expect(read('Dockerfile')).toMatch(/^FROM node:20[-.\w]*\s*$/m);
    for (const name of appServices) expect(service(name).build).toBe('.');
  });
});

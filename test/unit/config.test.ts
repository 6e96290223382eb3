import fs from 'node:fs';
import path from 'node:path';
import { configKeys, loadConfig } from '../../infra/config';

const root = path.resolve(__dirname, '../..');

describe('configuration', () => {
  it('runs on local defaults with no environment at all', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/backoffice');
    expect(config.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(config.API_PORT).toBe(3000);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ API_PORT: 'abc', DUNNING_LADDER: '7 days' })).toThrow(/API_PORT.*DUNNING_LADDER|DUNNING_LADDER.*API_PORT/);
  });

  it('documents every variable in .env.example and the README', () => {
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const exampleKeys = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(exampleKeys.sort()).toEqual([...configKeys].sort());
    for (const key of configKeys) expect(readme).toContain(`\`${key}\``);
  });

  it('accepts the values written in .env.example', () => {
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const env = Object.fromEntries([...example.matchAll(/^([A-Z_]+)=(.*)$/gm)].filter(([, , v]) => v !== '').map(([, k, v]) => [k, v]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});

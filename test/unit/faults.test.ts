import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Runs `faultPoint(name)` in a child process and tells how it ended. */
function runPoint(name: string, env: Record<string, string>) {
  const script = `require(${JSON.stringify(path.resolve(__dirname, '../../infra/faults.ts'))}).faultPoint(${JSON.stringify(name)}); console.log('survived');`;
  const res = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return { signal: res.signal, stdout: res.stdout.trim() };
}

describe('faultPoint (test-only crash hook of the reliability run)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('does nothing unless FAULT_POINTS names the point', () => {
    expect(runPoint('sendEmail:accepted', { FAULT_MARKER_DIR: dir })).toEqual({ signal: null, stdout: 'survived' });
    expect(runPoint('sendEmail:accepted', { FAULT_MARKER_DIR: dir, FAULT_POINTS: 'shipOrder:committed' })).toEqual({
      signal: null,
      stdout: 'survived',
    });
  });

  it('kills the process with SIGKILL once per marker file, then lets the retry through', () => {
    const env = { FAULT_MARKER_DIR: dir, FAULT_POINTS: 'reserveStock:committed,shipOrder:committed' };
    expect(runPoint('shipOrder:committed', env)).toEqual({ signal: 'SIGKILL', stdout: '' });
    expect(fs.readdirSync(dir)).toEqual(['shipOrder_committed']);
    expect(runPoint('shipOrder:committed', env)).toEqual({ signal: null, stdout: 'survived' });
    expect(runPoint('reserveStock:committed', env).signal).toBe('SIGKILL');
  });
});

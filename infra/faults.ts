import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Test-only crash points for the reliability run (test/reliability): `faultPoint('name')` kills the
 * process with SIGKILL when the environment variable FAULT_POINTS (comma-separated names) lists `name`,
 * at most once per marker file (FAULT_MARKER_DIR, one file per name), so the restarted process goes
 * through. Without FAULT_POINTS it does nothing: production never sets it.
 */
export function faultPoint(name: string): void {
  const points = process.env.FAULT_POINTS;
  if (!points || !points.split(',').includes(name)) return;
  const dir = process.env.FAULT_MARKER_DIR ?? path.join(os.tmpdir(), 'backoffice-faults');
  fs.mkdirSync(dir, { recursive: true });
  try {
    // 'wx' fails when the marker exists: the crash already happened once.
    fs.writeFileSync(path.join(dir, name.replace(/[^\w.-]/g, '_')), `${process.pid} ${new Date().toISOString()}\n`, { flag: 'wx' });
  } catch {
    return;
  }
  process.kill(process.pid, 'SIGKILL');
}

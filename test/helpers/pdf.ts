import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Text, page count and metadata of a PDF, read by poppler's pdftotext and pdfinfo (scripts/test.sh installs them). */
export async function readPdf(
  pdf: Buffer | Uint8Array,
): Promise<{ text: string; pages: number; info: { title?: string; author?: string; creationDate?: string } }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pdf-'));
  const file = path.join(dir, 'doc.pdf');
  await fs.writeFile(file, pdf);
  try {
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 10 * 1024 * 1024 });
    const info = (await run('pdfinfo', ['-isodates', file])).stdout;
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(info)?.[1];
    return {
      // Table cells are laid out with runs of spaces: one space between cells reads as a sentence.
      text: stdout.replace(/[ \t]+/g, ' '),
      pages: Number(field('Pages')),
      info: { title: field('Title'), author: field('Author'), creationDate: field('CreationDate') },
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export const pdfText = async (pdf: Buffer | Uint8Array): Promise<string> => (await readPdf(pdf)).text;

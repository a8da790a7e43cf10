/** Atomic file writes: write a temp file beside the target, then rename, so a crash never leaves half a file. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecmlError } from './errors';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw new SecmlError('IO', `Could not write ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads and parses a JSON file, with errors that name the file. */
export async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecmlError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `Cannot read ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new SecmlError('IO', `${file} is not valid JSON: ${(e as Error).message}`, { file, cause: e });
  }
}

/** True when the path exists. */
export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

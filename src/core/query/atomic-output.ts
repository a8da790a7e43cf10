/**
 * Streams an export into a temp file beside the target and renames it into place only when complete, so a failed or
 * cancelled export never leaves half a CSV (the same rule as fs-atomic's writeFileAtomic, for writers that stream).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecmlError, isSecmlError } from '../errors';

export async function writeViaTempFile<T>(file: string, write: (tmpPath: string) => Promise<T>): Promise<T> {
  const dir = path.dirname(path.resolve(file));
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new SecmlError('IO', `Could not create ${dir}: ${(e as Error).message}`, { file, cause: e });
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const result = await write(tmp);
    await fs.rename(tmp, file);
    return result;
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => {});
    if (isSecmlError(e)) throw e;
    throw new SecmlError('IO', `Could not write ${file}: ${(e as Error).message}`, { file, cause: e });
  }
}

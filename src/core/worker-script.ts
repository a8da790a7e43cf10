/**
 * Worker threads of the core (training, the second flatten thread): where their script lives, and how their errors
 * cross the thread boundary as SecmlErrors (code, message, file and line kept).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { isSecmlError, SecmlError, type ErrorCode } from './errors';

export interface WorkerErrorMessage {
  code: ErrorCode;
  message: string;
  file?: string;
  line?: number;
  stack?: string;
}

/**
 * The worker `name` (e.g. "train.worker"): the TypeScript source in `callerDir` when the caller runs under tsx
 * (tests), otherwise the bundle beside the running bundle (dist/NAME.js) or in a dist/ folder above it (bundled test
 * suites). Pass the caller's `__dirname` and `__filename`.
 */
export function workerScript(name: string, callerDir: string, callerFile: string): { code: string; evaluated: boolean } {
  const source = path.join(callerDir, `${name}.ts`);
  if (callerFile.endsWith('.ts') && existsSync(source)) {
    const tsx = 'tsx/cjs';
    return { code: `require(${JSON.stringify(require.resolve(tsx))}); require(${JSON.stringify(source)});`, evaluated: true };
  }
  for (let dir = callerDir, up = 0; up < 4; dir = path.dirname(dir), up++) {
    for (const candidate of [path.join(dir, `${name}.js`), path.join(dir, 'dist', `${name}.js`)]) {
      if (existsSync(candidate)) return { code: candidate, evaluated: false };
    }
  }
  throw new SecmlError('INTERNAL', `The worker ${name}.js is missing next to ${callerDir}: rebuild with "npm run build".`);
}

/** An error thrown inside a worker, as a message for its parent. */
export function toWorkerError(e: unknown): WorkerErrorMessage {
  return isSecmlError(e)
    ? { code: e.code, message: e.message, file: e.file, line: e.line }
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined };
}

/** The parent's side of toWorkerError. */
export function fromWorkerError(m: WorkerErrorMessage): SecmlError {
  return new SecmlError(m.code, m.message, { file: m.file, line: m.line });
}

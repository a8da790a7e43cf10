/**
 * Typed errors a user can act on. The extension and the CLI show `message` (plus file:line when known);
 * they never show a stack trace to a user. Check errors by `code`, not by `instanceof`: core code may be
 * loaded from more than one bundle (extension, CLI, worker threads).
 */
export type ErrorCode =
  | 'BAD_ARGUMENT' // a parameter, option or setting has an invalid value
  | 'LOG_FORMAT' // a log file is malformed (file and line given)
  | 'NO_SESSIONS' // a log file or folder holds no usable sessions
  | 'NOT_FOUND' // a file, folder, run, model or AWS resource does not exist
  | 'IO' // reading or writing a file failed
  | 'MODEL_FORMAT' // a model file is not a supported XGBoost JSON model
  | 'CANCELLED' // the user cancelled
  | 'AWS_AUTH' // credentials are missing, expired or denied
  | 'AWS' // an AWS call failed (service message kept)
  | 'QUERY' // a SQL query failed (engine message kept, line when known)
  | 'CONFLICT' // an output exists and overwriting was not allowed
  | 'INTERNAL';

export interface ErrorLocation {
  file?: string;
  line?: number;
}

export class SecmlError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  /** Extra structured facts for `--json` output and logs (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, where: ErrorLocation & { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, where.cause !== undefined ? { cause: where.cause } : undefined);
    this.name = 'SecmlError';
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.details = where.details;
  }

  /** `file:line: message`, the form editors and terminals turn into links. */
  override toString(): string {
    return formatLocated(this.message, this.file, this.line);
  }
}

/** A malformed log row or file: always names the file and, when known, the line. */
export class LogFormatError extends SecmlError {
  constructor(message: string, file: string, line?: number, details?: Record<string, unknown>) {
    super('LOG_FORMAT', message, { file, line, details });
    this.name = 'LogFormatError';
  }
}

export function formatLocated(message: string, file?: string, line?: number): string {
  if (!file) return message;
  return line !== undefined ? `${file}:${line}: ${message}` : `${file}: ${message}`;
}

export function isSecmlError(e: unknown): e is SecmlError {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return (name === 'SecmlError' || name === 'LogFormatError') && typeof code === 'string';
}

export function cancelledError(): SecmlError {
  return new SecmlError('CANCELLED', 'Cancelled.');
}

export function isCancellation(e: unknown): boolean {
  if (isSecmlError(e)) return e.code === 'CANCELLED';
  const name = (e as { name?: string } | null)?.name;
  return name === 'AbortError';
}

/** The one line a user sees for any error: typed errors as written, others without a stack. */
export function userMessage(e: unknown): string {
  if (isSecmlError(e)) return e.toString();
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}

/**
 * The shape of a `secml` subcommand: a declarative spec (used for parsing and for `--help`) and a run function.
 * One file per subcommand under src/cli/commands/, registered in src/cli/registry.ts.
 */
import type { Logger } from '../core/progress';

export type OptionType = 'string' | 'number' | 'boolean';

export interface OptionSpec {
  /** Long name without dashes, e.g. `out` for `--out`. */
  name: string;
  short?: string;
  type: OptionType;
  /** May be given several times; the value is then an array. */
  multiple?: boolean;
  /** Placeholder in help, e.g. `DIR`. */
  valueName?: string;
  description: string;
  default?: string | number | boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  /** Takes all remaining positionals (only the last positional may). */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: Record<string, string | string[] | undefined>;
  options: Record<string, string | number | boolean | string[] | number[] | undefined>;
}

export interface CliIO {
  /** Writes a line (or text) to standard output. */
  out(text: string): void;
  /** Writes to standard error: progress, warnings. */
  err(text: string): void;
  /** A logger that writes to stderr (quiet under --json unless --verbose). */
  logger: Logger;
  /** True when stderr is a terminal (progress lines may be redrawn). */
  isTTY: boolean;
  /** Aborted on SIGINT. */
  signal: AbortSignal;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Longer help text shown under the usage line (may include examples). */
  description?: string;
  positionals?: PositionalSpec[];
  options?: OptionSpec[];
  /** Subcommands (e.g. `experiment run`, `jobs list`); a command has either subcommands or run. */
  subcommands?: CommandSpec[];
  run?(args: ParsedArgs, io: CliIO): Promise<number>;
}

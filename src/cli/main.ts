/**
 * `secml`: the command line over src/core, for pipelines and benchmarks.
 * Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled (Ctrl-C).
 */
import { formatHelp, parseCommandArgs } from './args';
import type { CliIO, CommandSpec } from './command';
import { COMMANDS } from './registry';
import { isSecmlError, userMessage } from '../core/errors';
import type { Logger } from '../core/progress';
import { printable } from '../core/printable';

/** Messages can quote log content and file names: shown with terminal-driving characters escaped (line breaks kept). */
const safe = (t: string) => printable(t, { lines: true });

const VERSION = process.env.SECML_VERSION ?? '0.1.0';

function topHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: secml <command> [options]',
    '',
    'SecML Lab: hunt attackers in logs with machine learning (flatten, train, evaluate, score, query).',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'Run "secml <command> --help" for the options of a command. Add --json for machine-readable output.',
    'AWS commands honour AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL.',
  ].join('\n');
}

export function makeIO(argv: string[], signal: AbortSignal): CliIO {
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const err = (t: string) => process.stderr.write(t.endsWith('\n') ? t : t + '\n');
  const logger: Logger = {
    debug: (m) => verbose && err(`debug: ${safe(m)}`),
    info: (m) => (!json || verbose) && err(safe(m)),
    warn: (m) => err(`warning: ${safe(m)}`),
    error: (m) => err(`error: ${safe(m)}`),
  };
  // On a terminal, results (query rows, file names) are escaped too; redirected, they are written exactly (CSV, JSON).
  const screen = Boolean(process.stdout.isTTY);
  return {
    out: (t) => {
      const text = screen ? safe(t) : t;
      process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    err,
    logger,
    isTTY: Boolean(process.stderr.isTTY),
    signal,
  };
}

/** Finds (and loads) the command and subcommand named by argv; returns it with the remaining arguments and its path. */
export async function resolveCommand(argv: string[]): Promise<{ spec?: CommandSpec; rest: string[]; path: string }> {
  const [name, ...rest] = argv;
  const entry = COMMANDS.find((c) => c.name === name);
  let spec = entry ? await entry.load() : undefined;
  let path = `secml ${name}`;
  let args = rest;
  while (spec?.subcommands?.length && args.length && !args[0].startsWith('-')) {
    const sub: CommandSpec | undefined = spec.subcommands.find((s) => s.name === args[0]);
    if (!sub) break;
    path += ` ${sub.name}`;
    spec = sub;
    args = args.slice(1);
  }
  return { spec, rest: args, path };
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  const { spec, rest, path } = await resolveCommand(argv);
  if (!spec) {
    io.err(`secml: unknown command "${safe(argv[0])}"\n\n${topHelp()}`);
    return 2;
  }
  try {
    if (spec.subcommands?.length && !spec.run) {
      const wantsHelp = rest.includes('--help') || rest.includes('-h');
      if (!wantsHelp) io.err(rest.length ? `secml: unknown subcommand "${safe(rest[0])}" for ${path}\n` : `secml: ${path} needs a subcommand\n`);
      (wantsHelp ? io.out : io.err)(formatHelp(spec, path));
      return wantsHelp ? 0 : 2;
    }
    const args = parseCommandArgs(spec, rest);
    if (args.options.help) {
      io.out(formatHelp(spec, path));
      return 0;
    }
    return await spec.run!(args, io);
  } catch (e) {
    if (isSecmlError(e) && e.code === 'CANCELLED') {
      io.err('secml: cancelled');
      return 130;
    }
    const usage = isSecmlError(e) && e.details?.usage === true;
    if (argv.includes('--json')) {
      const err = isSecmlError(e) ? { code: e.code, message: e.message, file: e.file, line: e.line } : { code: 'INTERNAL', message: userMessage(e) };
      io.out(JSON.stringify({ error: err }));
    }
    io.err(`secml: error: ${safe(userMessage(e))}`);
    if (process.env.SECML_DEBUG && e instanceof Error && e.stack) io.err(safe(e.stack));
    return usage ? 2 : 1;
  }
}

if (require.main === module) {
  // The AWS SDK's Node 20 support-window notice is not actionable for a CLI user.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // `secml ... | head` closes stdout early: stop quietly, as Unix tools do, instead of an unhandled EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const controller = new AbortController();
  let interrupted = false;
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
  const argv = process.argv.slice(2);
  runCli(argv, makeIO(argv, controller.signal)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`secml: error: ${safe(userMessage(e))}\n`);
      process.exitCode = 1;
    },
  );
}

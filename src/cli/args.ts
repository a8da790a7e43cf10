/** Argument parsing and help text for CommandSpecs, on top of node:util parseArgs. */
import { parseArgs } from 'node:util';
import { SecmlError } from '../core/errors';
import type { CommandSpec, OptionSpec, ParsedArgs } from './command';

export const GLOBAL_OPTIONS: OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', description: 'Show help for this command.' },
  { name: 'json', type: 'boolean', description: 'Print machine-readable JSON on stdout (progress and warnings go to stderr).' },
  { name: 'verbose', type: 'boolean', description: 'Print debug details on stderr.' },
];

export function usageError(message: string): SecmlError {
  return new SecmlError('BAD_ARGUMENT', message, { details: { usage: true } });
}

export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const all = [...(spec.options ?? []), ...GLOBAL_OPTIONS.filter((g) => !(spec.options ?? []).some((o) => o.name === g.name))];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of all) {
    options[o.name] = { type: o.type === 'boolean' ? 'boolean' : 'string', multiple: Boolean(o.multiple) };
    if (o.short) options[o.name].short = o.short;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '');
    // Node's own text for an unknown option carries advice about '--' that confuses more than it helps.
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw usageError(`${unknown ? `unknown option ${unknown[1]}` : message} (see: secml ${spec.name} --help)`);
  }
  const out: ParsedArgs = { positionals: {}, options: {} };
  for (const o of all) {
    const raw = (parsed.values as Record<string, unknown>)[o.name];
    if (raw === undefined) {
      out.options[o.name] = o.default !== undefined ? o.default : o.multiple ? ([] as string[]) : undefined;
      continue;
    }
    if (o.type === 'number') {
      const toNum = (s: string) => {
        const n = Number(s);
        if (s.trim() === '' || !Number.isFinite(n)) throw usageError(`--${o.name} expects a number, got "${s}"`);
        return n;
      };
      out.options[o.name] = Array.isArray(raw) ? (raw as string[]).map(toNum) : toNum(raw as string);
    } else {
      out.options[o.name] = raw as string | boolean | string[];
    }
  }
  if (out.options.help) return out;
  const pos = parsed.positionals;
  const specs = spec.positionals ?? [];
  let i = 0;
  for (const p of specs) {
    if (p.variadic) {
      const rest = pos.slice(i);
      i = pos.length;
      if (p.required && rest.length === 0) throw usageError(`missing ${p.name} (see: secml ${spec.name} --help)`);
      out.positionals[p.name] = rest;
    } else {
      const v = pos[i++];
      if (p.required && v === undefined) throw usageError(`missing ${p.name} (see: secml ${spec.name} --help)`);
      out.positionals[p.name] = v;
    }
  }
  if (i < pos.length) throw usageError(`unexpected argument "${pos[i]}" (see: secml ${spec.name} --help)`);
  return out;
}

function optionLabel(o: OptionSpec): string {
  const value = o.type === 'boolean' ? '' : ` ${o.valueName ?? o.type.toUpperCase()}`;
  return `${o.short ? `-${o.short}, ` : '    '}--${o.name}${value}${o.multiple ? '...' : ''}`;
}

export function formatHelp(spec: CommandSpec, path = `secml ${spec.name}`): string {
  const lines: string[] = [];
  const pos = (spec.positionals ?? []).map((p) => {
    const n = p.variadic ? `${p.name}...` : p.name;
    return p.required ? n : `[${n}]`;
  });
  if (spec.subcommands?.length) {
    lines.push(`usage: ${path} <subcommand> [options]`, '', spec.summary);
    if (spec.description) lines.push('', spec.description);
    lines.push('', 'subcommands:');
    const w = Math.max(...spec.subcommands.map((s) => s.name.length));
    for (const s of spec.subcommands) lines.push(`  ${s.name.padEnd(w)}  ${s.summary}`);
    lines.push('', `Run "${path} <subcommand> --help" for the options of each.`);
    return lines.join('\n');
  }
  lines.push(`usage: ${path}${pos.length ? ' ' + pos.join(' ') : ''} [options]`, '', spec.summary);
  if (spec.description) lines.push('', spec.description);
  if (spec.positionals?.length) {
    lines.push('', 'arguments:');
    const w = Math.max(...spec.positionals.map((p) => p.name.length));
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(w)}  ${p.description}`);
  }
  const opts = [...(spec.options ?? []), ...GLOBAL_OPTIONS.filter((g) => !(spec.options ?? []).some((o) => o.name === g.name))];
  lines.push('', 'options:');
  const labels = opts.map(optionLabel);
  const w = Math.max(...labels.map((l) => l.length));
  opts.forEach((o, k) => {
    const def = o.default !== undefined && o.type !== 'boolean' ? ` (default: ${o.default})` : '';
    lines.push(`  ${labels[k].padEnd(w)}  ${o.description}${def}`);
  });
  return lines.join('\n');
}

/** Helpers for run functions: typed access to parsed values. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name];
  return v === undefined ? undefined : String(v);
}
export function num(args: ParsedArgs, name: string): number | undefined {
  const v = args.options[name];
  return typeof v === 'number' ? v : undefined;
}
export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
export function list(args: ParsedArgs, name: string): string[] {
  const v = args.options[name];
  return Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
}
export function positional(args: ParsedArgs, name: string): string | undefined {
  const v = args.positionals[name];
  return Array.isArray(v) ? v[0] : v;
}
export function positionals(args: ParsedArgs, name: string): string[] {
  const v = args.positionals[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

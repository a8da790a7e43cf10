/**
 * XGBoost hyperparameters, with XGBoost's (and SageMaker built-in XGBoost's) names and meaning.
 * Defaults are the seed's `XgbHyper` (max_depth 5, eta 0.2, gamma 4, min_child_weight 6, subsample 0.7, 50 rounds).
 * Values may be strings (SageMaker passes strings) or numbers; anything unknown or out of range is a BAD_ARGUMENT
 * that names the parameter and what is allowed.
 */
import { SecmlError } from '../errors';

export type EvalMetricName = 'auc' | 'aucpr' | 'logloss' | 'error';
export const EVAL_METRICS: readonly EvalMetricName[] = ['auc', 'aucpr', 'logloss', 'error'];

export interface Hyperparameters {
  numRound: number;
  maxDepth: number;
  eta: number;
  gamma: number;
  minChildWeight: number;
  subsample: number;
  colsampleBytree: number;
  lambda: number;
  alpha: number;
  scalePosWeight: number;
  maxBin: number;
  objective: 'binary:logistic';
  /** Metrics reported per round on train and validation; early stopping watches the last one (as XGBoost does). */
  evalMetric: EvalMetricName[];
  /** Stop when the validation metric has not improved for this many rounds (undefined: never). */
  earlyStoppingRounds?: number;
  seed: number;
  /** Initial prediction (probability); XGBoost 1.x's default 0.5. */
  baseScore: number;
}

export const DEFAULT_HYPERPARAMETERS: Readonly<Hyperparameters> = Object.freeze<Hyperparameters>({
  numRound: 50,
  maxDepth: 5,
  eta: 0.2,
  gamma: 4,
  minChildWeight: 6,
  subsample: 0.7,
  colsampleBytree: 1,
  lambda: 1,
  alpha: 0,
  scalePosWeight: 1,
  maxBin: 256,
  objective: 'binary:logistic',
  evalMetric: ['auc'],
  earlyStoppingRounds: undefined,
  seed: 0,
  baseScore: 0.5,
});

type NumericKey = Exclude<keyof Hyperparameters, 'objective' | 'evalMetric'>;

interface NumericSpec {
  key: NumericKey;
  integer?: boolean;
  min: number;
  max: number;
  /** Open interval ends. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/** XGBoost name -> typed field and range. Aliases XGBoost accepts map to the same field. */
const NUMERIC: Record<string, NumericSpec> = {
  num_round: { key: 'numRound', integer: true, min: 1, max: 100000 },
  max_depth: { key: 'maxDepth', integer: true, min: 1, max: 30 },
  eta: { key: 'eta', min: 0, max: 1, minExclusive: true },
  gamma: { key: 'gamma', min: 0, max: Infinity, maxExclusive: true },
  min_child_weight: { key: 'minChildWeight', min: 0, max: Infinity, maxExclusive: true },
  subsample: { key: 'subsample', min: 0, max: 1, minExclusive: true },
  colsample_bytree: { key: 'colsampleBytree', min: 0, max: 1, minExclusive: true },
  lambda: { key: 'lambda', min: 0, max: Infinity, maxExclusive: true },
  alpha: { key: 'alpha', min: 0, max: Infinity, maxExclusive: true },
  scale_pos_weight: { key: 'scalePosWeight', min: 0, max: Infinity, minExclusive: true, maxExclusive: true },
  max_bin: { key: 'maxBin', integer: true, min: 2, max: 65534 },
  early_stopping_rounds: { key: 'earlyStoppingRounds', integer: true, min: 1, max: 100000 },
  seed: { key: 'seed', integer: true, min: 0, max: 2 ** 31 - 1 },
  base_score: { key: 'baseScore', min: 0, max: 1, minExclusive: true, maxExclusive: true },
};
const ALIASES: Record<string, string> = { learning_rate: 'eta', min_split_loss: 'gamma', reg_lambda: 'lambda', reg_alpha: 'alpha', random_state: 'seed' };
/** Accepted for compatibility with the seed's and SageMaker's parameter sets; they do not change training. */
const IGNORED: Record<string, (v: string) => boolean> = {
  silent: (v) => v === '0' || v === '1',
  verbosity: (v) => /^[0-3]$/.test(v),
  tree_method: (v) => v === 'hist' || v === 'auto',
  nthread: (v) => /^[1-9][0-9]*$/.test(v),
};

export const HYPERPARAMETER_NAMES: readonly string[] = [...Object.keys(NUMERIC), 'objective', 'eval_metric'];

function describeRange(s: NumericSpec): string {
  const lo = `${s.minExclusive ? '>' : '>='} ${s.min}`;
  const hi = s.max === Infinity ? '' : ` and ${s.maxExclusive ? '<' : '<='} ${s.max}`;
  return `${s.integer ? 'an integer' : 'a number'} ${lo}${hi}`;
}

function bad(name: string, message: string): SecmlError {
  return new SecmlError('BAD_ARGUMENT', `Hyperparameter ${name}: ${message}`, { details: { parameter: name } });
}

function parseNumber(name: string, raw: string | number, spec: NumericSpec): number {
  const text = String(raw).trim();
  const v = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
  const ok =
    Number.isFinite(v) &&
    (!spec.integer || Number.isInteger(v)) &&
    (spec.minExclusive ? v > spec.min : v >= spec.min) &&
    (spec.maxExclusive ? v < spec.max : v <= spec.max);
  if (!ok) throw bad(name, `expected ${describeRange(spec)}, got "${text}"`);
  return v;
}

/**
 * Typed hyperparameters from XGBoost-named values (strings or numbers), over the seed's defaults.
 * Throws BAD_ARGUMENT naming the parameter and the allowed range.
 */
export function parseHyperparameters(record: Readonly<Record<string, string | number | undefined>> = {}): Hyperparameters {
  const out: Hyperparameters = { ...DEFAULT_HYPERPARAMETERS, evalMetric: [...DEFAULT_HYPERPARAMETERS.evalMetric] };
  const seen = new Map<string, string>();
  for (const [given, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    const name = ALIASES[given] ?? given;
    if (seen.has(name)) throw bad(given, `given twice (also as ${seen.get(name)})`);
    seen.set(name, given);
    const spec = NUMERIC[name];
    if (spec) {
      (out[spec.key] as number) = parseNumber(given, raw, spec);
    } else if (name === 'objective') {
      if (String(raw).trim() !== 'binary:logistic') throw bad(given, `only "binary:logistic" is supported, got "${raw}"`);
    } else if (name === 'eval_metric') {
      const names = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
      if (names.length === 0) throw bad(given, `expected one or more of ${EVAL_METRICS.join(', ')}`);
      for (const m of names) if (!EVAL_METRICS.includes(m as EvalMetricName)) throw bad(given, `expected one or more of ${EVAL_METRICS.join(', ')} (comma-separated), got "${m}"`);
      out.evalMetric = [...new Set(names)] as EvalMetricName[];
    } else if (IGNORED[name]) {
      if (!IGNORED[name](String(raw).trim())) throw bad(given, `unsupported value "${raw}"`);
    } else {
      throw bad(given, `unknown parameter; supported: ${HYPERPARAMETER_NAMES.join(', ')}`);
    }
  }
  return out;
}

/** Parses `k=v` pairs (the CLI's `--param`), then validates them like parseHyperparameters. */
export function parseHyperparameterPairs(pairs: readonly string[]): Hyperparameters {
  const record: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new SecmlError('BAD_ARGUMENT', `--param expects name=value, got "${p}"`, { details: { usage: true } });
    const name = p.slice(0, eq).trim();
    if (name in record) throw bad(name, 'given twice');
    record[name] = p.slice(eq + 1);
  }
  return parseHyperparameters(record);
}

/** XGBoost-named record of typed parameters (what secml-model.json stores). */
export function toXGBoostNames(p: Hyperparameters): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, spec] of Object.entries(NUMERIC)) {
    const v = p[spec.key];
    if (v !== undefined) out[name] = v;
  }
  out.objective = p.objective;
  out.eval_metric = p.evalMetric.join(',');
  return out;
}

/** The parameters the seed sets, in its order: shown (editable) before training and in `secml train --help`. */
export const SEED_PARAMETERS: readonly string[] = ['num_round', 'max_depth', 'eta', 'gamma', 'min_child_weight', 'subsample'];

/** The defaults of `names` (XGBoost names) as `name=value` pairs separated by spaces: `num_round=50 max_depth=5 ...`. */
export function defaultParameterText(names: readonly string[] = SEED_PARAMETERS): string {
  const all = toXGBoostNames(DEFAULT_HYPERPARAMETERS);
  return names.map((n) => `${n}=${all[n]}`).join(' ');
}

/** The same parameters as SageMaker built-in XGBoost takes them: every value a string, `tree_method` hist. */
export function toSageMakerHyperparameters(p: Hyperparameters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(toXGBoostNames(p))) out[k] = String(v);
  out.tree_method = 'hist';
  return out;
}

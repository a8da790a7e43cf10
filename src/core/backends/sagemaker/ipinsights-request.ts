/**
 * What SageMaker's built-in IP Insights algorithm takes and gives back: its hyperparameters (checked against the
 * documented ranges before anything is sent: moto accepts anything, AWS rejects late), the training CSV (`entity,ip`,
 * no header, IPv4 only), the inference body (the same two columns), and the answer, `{"predictions":[{"dot_product":
 * x}, ...]}` (application/json) or one `{"dot_product": x}` per line (application/jsonlines). A higher dot product
 * means a more usual pair.
 */
import { SecmlError } from '../../errors';
import { checkHyperparameters } from './validate';

interface Range {
  kind: 'int' | 'float';
  min: number;
  max: number;
  required?: boolean;
}

/** The documented IP Insights hyperparameters and their valid values. */
export const IPINSIGHTS_HYPERPARAMETERS: Record<string, Range> = {
  num_entity_vectors: { kind: 'int', min: 1, max: 250_000_000, required: true },
  vector_dim: { kind: 'int', min: 4, max: 4096, required: true },
  batch_metrics_publish_interval: { kind: 'int', min: 1, max: Number.MAX_SAFE_INTEGER },
  epochs: { kind: 'int', min: 1, max: Number.MAX_SAFE_INTEGER },
  learning_rate: { kind: 'float', min: 1e-6, max: 10 },
  mini_batch_size: { kind: 'int', min: 1, max: 500_000 },
  num_ip_encoder_layers: { kind: 'int', min: 0, max: 100 },
  random_negative_sampling_rate: { kind: 'int', min: 0, max: 500 },
  shuffled_negative_sampling_rate: { kind: 'int', min: 0, max: 500 },
  weight_decay: { kind: 'float', min: 0, max: 10 },
};

/** The seed notebook's settings, except num_entity_vectors, which follows the data (twice the distinct entities). */
export const SEED_IPINSIGHTS_HYPERPARAMETERS = { random_negative_sampling_rate: '5', vector_dim: '128', mini_batch_size: '1000', epochs: '5', learning_rate: '0.01' };

/**
 * Validated hyperparameters as SageMaker takes them (strings): the seed's over AWS's defaults, `num_entity_vectors`
 * twice the distinct entities unless given. Unknown names and values out of range name the parameter and its range.
 */
export function ipInsightsHyperparameters(given: Readonly<Record<string, string | number>>, entities: number): Record<string, string> {
  const hp: Record<string, string> = { ...SEED_IPINSIGHTS_HYPERPARAMETERS, num_entity_vectors: String(Math.min(250_000_000, Math.max(2, 2 * entities))) };
  for (const [k, v] of Object.entries(given)) hp[k] = String(v).trim();
  for (const [name, value] of Object.entries(hp)) {
    const r = IPINSIGHTS_HYPERPARAMETERS[name];
    if (!r) throw new SecmlError('BAD_ARGUMENT', `"${name}" is not an IP Insights hyperparameter (known: ${Object.keys(IPINSIGHTS_HYPERPARAMETERS).join(', ')}).`);
    const x = Number(value);
    const ok = value !== '' && Number.isFinite(x) && (r.kind === 'float' || Number.isInteger(x)) && x >= r.min && x <= r.max;
    if (!ok) {
      const range = r.max === Number.MAX_SAFE_INTEGER ? `>= ${r.min}` : `${r.min} to ${r.max.toLocaleString('en-US')}`;
      throw new SecmlError('BAD_ARGUMENT', `IP Insights hyperparameter ${name} must be ${r.kind === 'int' ? 'a whole number' : 'a number'} ${range}, got "${value}".`);
    }
  }
  for (const [name, r] of Object.entries(IPINSIGHTS_HYPERPARAMETERS)) if (r.required && !(name in hp)) throw new SecmlError('BAD_ARGUMENT', `IP Insights needs ${name}.`);
  return checkHyperparameters(hp);
}

/** `entity,ip` with the entity quoted when it holds a comma, quote or line break (CSV, as the algorithm reads it). */
export function ipInsightsCsvLine(entity: string, ip: string): string {
  const e = /[",\r\n]/.test(entity) ? `"${entity.replace(/"/g, '""')}"` : entity;
  return `${e},${ip}\n`;
}

/** IP Insights reads IPv4 addresses only. */
export function isIpv4(ip: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
}

/** Dot products from an endpoint answer (JSON or JSON lines); exactly `expected` of them. */
export function parseDotProducts(text: string, expected: number, where: string): Float64Array {
  const trimmed = text.trim();
  let values: unknown[];
  try {
    if (trimmed.startsWith('{') && trimmed.includes('"predictions"')) {
      const json = JSON.parse(trimmed) as { predictions?: unknown };
      if (!Array.isArray(json.predictions)) throw new Error('"predictions" is not a list');
      values = json.predictions.map((p) => (p as { dot_product?: unknown })?.dot_product);
    } else {
      values = trimmed === '' ? [] : trimmed.split(/\r?\n/).filter((l) => l.trim()).map((l) => (JSON.parse(l) as { dot_product?: unknown })?.dot_product);
    }
  } catch (e) {
    throw new SecmlError('AWS', `${where}: the answer is not IP Insights predictions (${(e as Error).message}).`);
  }
  if (values.length !== expected) throw new SecmlError('AWS', `${where}: expected ${expected} predictions, got ${values.length}.`, { details: { expected, got: values.length } });
  const out = new Float64Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SecmlError('AWS', `${where}: prediction ${i + 1} has no numeric dot_product (${JSON.stringify(v)?.slice(0, 40)}).`);
    out[i] = v;
  }
  return out;
}

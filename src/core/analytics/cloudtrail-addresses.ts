/**
 * <principal, source address> events from CloudTrail, read with the CloudTrail reader of src/core/logs (principal =
 * userIdentity.arn, else principalId, else accessKeyId, else the service that acted; each record parsed on its own,
 * malformed ones skipped and counted). Records whose sourceIPAddress is an AWS service host (`*.amazonaws.com`) or
 * other text (`AWS Internal`) are counted and left out. Events are held as parallel typed arrays with interned
 * strings, so a day of a busy account fits in a few tens of MB.
 */
import { listInputFiles, type InputFile } from '../logs/input-files';
import { readLogFile } from '../logs/event-source';
import { detach } from '../logs/read-context';
import { RowIssues } from '../logs/row-issues';
import type { SkippedRow } from '../logs/log-event';
import { throttle, throwIfAborted, type WorkOptions } from '../progress';
import { sourceAddress, type SourceAddress } from './source-address';

export interface AddressEvents {
  /** Interned values; the columns below hold indexes into them. */
  principals: string[];
  addresses: SourceAddress[];
  /** `eventSource:eventName` */
  types: string[];
  files: string[];
  length: number;
  principal: Int32Array;
  address: Int32Array;
  type: Int32Array;
  time: Float64Array;
  file: Int32Array;
  line: Int32Array;
  /** Records read (with any source), and those left out because the source is not an address. */
  records: number;
  serviceSources: number;
  otherSources: number;
  /** Records with no source at all. */
  missingSources: number;
  skipped: { count: number; first: SkippedRow[] };
}

class Interner<T> {
  readonly values: T[] = [];
  private readonly ids = new Map<string, number>();
  id(key: string, make: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(make());
      this.ids.set(key, id);
    }
    return id;
  }
}

function grow<A extends Int32Array | Float64Array>(a: A, size: number): A {
  if (size <= a.length) return a;
  const b = new (a.constructor as { new (n: number): A })(Math.max(size, a.length * 2));
  b.set(a);
  return b;
}

export interface ReadAddressesOptions extends WorkOptions {
  /** Keep only these files (e.g. the days around the one being scored); all when omitted. */
  fileFilter?: (file: InputFile) => boolean;
  strict?: boolean;
}

/** Reads the <principal, address> events of CloudTrail files and folders. */
export async function readAddressEvents(inputs: string[], options: ReadAddressesOptions = {}): Promise<AddressEvents> {
  const all = await listInputFiles(inputs, 'cloudtrail');
  const files = options.fileFilter ? all.filter(options.fileFilter) : all;
  const issues = new RowIssues(Boolean(options.strict));
  const principals = new Interner<string>();
  const addresses = new Interner<SourceAddress>();
  const types = new Interner<string>();
  let cap = 1024;
  const out = {
    principal: new Int32Array(cap),
    address: new Int32Array(cap),
    type: new Int32Array(cap),
    time: new Float64Array(cap),
    file: new Int32Array(cap),
    line: new Int32Array(cap),
  };
  let n = 0;
  let records = 0;
  let serviceSources = 0;
  let otherSources = 0;
  let missingSources = 0;
  const report = throttle(options.onProgress, 250);
  const notAddress = new Map<string, 'service' | 'other'>();
  for (let f = 0; f < files.length; f++) {
    throwIfAborted(options.signal);
    report({ message: `Reading CloudTrail (${f + 1} of ${files.length} files)`, done: f, total: files.length, unit: 'files', fraction: f / files.length });
    for await (const b of readLogFile(files[f].path, { format: 'cloudtrail', strict: options.strict }, { issues, signal: options.signal })) {
      const ips = b.extras!.sourceIPAddress;
      for (let i = 0; i < b.length; i++) {
        records++;
        const raw = ips[i];
        if (!raw) {
          missingSources++;
          continue;
        }
        const known = notAddress.get(raw);
        if (known) {
          if (known === 'service') serviceSources++;
          else otherSources++;
          continue;
        }
        const aid = addresses.id(raw, () => sourceAddress(raw));
        const a = addresses.values[aid];
        if (a.kind !== 'ip') {
          notAddress.set(detach(raw), a.kind);
          if (a.kind === 'service') serviceSources++;
          else otherSources++;
          continue;
        }
        if (n === cap) {
          cap *= 2;
          for (const k of Object.keys(out) as (keyof typeof out)[]) (out as Record<string, Int32Array | Float64Array>)[k] = grow(out[k], cap);
        }
        const p = b.sessions[i];
        const t = b.types[i];
        out.principal[n] = principals.id(p, () => detach(p));
        out.address[n] = aid;
        out.type[n] = types.id(t, () => detach(t));
        out.time[n] = b.times[i];
        out.file[n] = f;
        out.line[n] = b.lines[i];
        n++;
      }
    }
  }
  report({ message: `Read ${records.toLocaleString('en-US')} CloudTrail records`, done: files.length, total: files.length, unit: 'files', fraction: 1 }, true);
  return {
    principals: principals.values,
    addresses: addresses.values,
    types: types.values,
    files: files.map((f) => f.path),
    length: n,
    ...out,
    records,
    serviceSources,
    otherSources,
    missingSources,
    skipped: issues.summary(),
  };
}

/** Event indexes in time order (ties keep file order): a stable sort of the time column. */
export function timeOrder(ev: AddressEvents): Uint32Array {
  const idx = new Uint32Array(ev.length);
  for (let i = 0; i < ev.length; i++) idx[i] = i;
  const t = ev.time;
  return idx.sort((a, b) => t[a] - t[b] || a - b);
}

/**
 * <principal, remote address> tuples from GuardDuty findings, as the seed's IP Insights notebook scored them: the
 * principal from Resource.AccessKeyDetails (rebuilt as the ARN CloudTrail would show for IAM users, roles' sessions
 * and root, else its PrincipalId or AccessKeyId) and the address from Service.Action.*.RemoteIpDetails.IpAddressV4.
 * Both shapes are read: the API's PascalCase (`aws guardduty get-findings`: {"Findings":[...]}) and the camelCase of
 * EventBridge events ({"detail": finding}) and console exports ([finding, ...]), as one document or JSON lines.
 * Findings about other resources (instances, buckets) have no access key: they are counted, not guessed.
 */
import { promises as fs } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { LogFormatError, SecmlError } from '../errors';

export interface GuardDutyTuple {
  principal: string;
  address: string;
  findingId: string;
  findingType: string;
  severity?: number;
  /** The finding's last-seen (else updated) time, ISO. */
  time?: string;
  file: string;
  line: number;
}

export interface GuardDutyRead {
  tuples: GuardDutyTuple[];
  findings: number;
  /** Findings without AccessKeyDetails (about instances, buckets, ...), or without a remote IPv4 address. */
  withoutPrincipal: number;
  withoutAddress: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field in either case style: `Resource` or `resource`. */
function field(o: unknown, name: string): unknown {
  if (!isObj(o)) return undefined;
  return o[name] ?? o[name[0].toLowerCase() + name.slice(1)];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function lineAt(content: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < content.length; i++) if (content.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of a JSON.parse failure, from the position V8 reports. */
function parseFailure(e: unknown, content: string, file: string, lineOffset = 0): LogFormatError {
  const msg = (e as Error).message;
  const pos = /position (\d+)/.exec(msg);
  const lc = /line (\d+) column/.exec(msg);
  let line = lc ? Number(lc[1]) : pos ? lineAt(content, Number(pos[1])) : 1;
  // Node 20 names no position for some errors, only the text around it: `..."  "Type": oops}"... is not valid JSON`.
  const around = !lc && !pos ? /(\.\.\.)?"([\s\S]{3,})"(\.\.\.)? is not valid JSON/.exec(msg) : null;
  if (around) {
    const at = content.indexOf(around[2]);
    if (at >= 0 && content.indexOf(around[2], at + 1) < 0) line = lineAt(content, at + (around[1] ? Math.min(10, around[2].length - 1) : 0));
  }
  return new LogFormatError(`not valid JSON: ${msg.replace(/^(Unexpected|Expected)/, (m) => m.toLowerCase()).replace(/ in JSON at position \d+.*$/, '').replace(/, (\.\.\.)?"[\s\S]*$/, '')}`, file, lineOffset + line);
}

/** The finding objects of a parsed document (API response, EventBridge event, array, or a single finding). */
function findingsOf(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc.flatMap(findingsOf);
  if (!isObj(doc)) return [];
  const list = field(doc, 'Findings');
  if (Array.isArray(list)) return list;
  const detail = doc.detail;
  if (isObj(detail)) return [detail];
  return field(doc, 'Type') !== undefined || field(doc, 'Id') !== undefined ? [doc] : [];
}

function principalOf(finding: unknown): string | undefined {
  const d = field(field(finding, 'Resource'), 'AccessKeyDetails');
  if (!isObj(d)) return undefined;
  const account = text(field(finding, 'AccountId'));
  const partition = text(field(finding, 'Partition')) ?? 'aws';
  const userType = text(field(d, 'UserType'));
  const userName = text(field(d, 'UserName'));
  const principalId = text(field(d, 'PrincipalId'));
  if (account && /^\d{12}$/.test(account)) {
    if (userType === 'IAMUser' && userName) return `arn:${partition}:iam::${account}:user/${userName}`;
    if (userType === 'Root') return `arn:${partition}:iam::${account}:root`;
    const session = principalId?.includes(':') ? principalId.slice(principalId.indexOf(':') + 1) : undefined;
    if (userType === 'AssumedRole' && userName && session) return `arn:${partition}:sts::${account}:assumed-role/${userName}/${session}`;
  }
  return principalId ?? text(field(d, 'AccessKeyId')) ?? userName;
}

/** Service.Action.<AnyAction>.RemoteIpDetails.IpAddressV4 (also directly under Action, and in port-probe details). */
function addressOf(finding: unknown): string | undefined {
  const action = field(field(finding, 'Service'), 'Action');
  const direct = text(field(field(action, 'RemoteIpDetails'), 'IpAddressV4'));
  if (direct) return direct;
  if (!isObj(action)) return undefined;
  for (const v of Object.values(action)) {
    const ip = text(field(field(v, 'RemoteIpDetails'), 'IpAddressV4'));
    if (ip) return ip;
    const probes = field(v, 'PortProbeDetails');
    if (Array.isArray(probes)) for (const p of probes) {
      const pip = text(field(field(p, 'RemoteIpDetails'), 'IpAddressV4'));
      if (pip) return pip;
    }
  }
  return undefined;
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new SecmlError('NOT_FOUND', 'cannot read the GuardDuty findings file', { file, cause: e });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new LogFormatError(`not a readable gzip file (${(e as Error).message})`, file);
    }
  }
  const s = bytes.toString('utf8');
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** Documents of a file with the line each starts on: one JSON document, or JSON lines. */
function documentsOf(content: string, file: string): { doc: unknown; line: number }[] {
  const trimmed = content.trim();
  if (!trimmed) throw new LogFormatError('the file is empty', file, 1);
  if (trimmed[0] !== '{' && trimmed[0] !== '[') throw new LogFormatError('not GuardDuty findings: expected JSON ({"Findings":[...]}, an EventBridge event, or an array)', file, 1);
  try {
    return [{ doc: JSON.parse(content), line: 1 }];
  } catch (whole) {
    // JSON lines: each line one event or finding. A file that is neither reports the first bad line.
    const lines = content.split('\n');
    if (lines.filter((l) => l.trim()).length < 2) throw parseFailure(whole, content, file);
    const docs: { doc: unknown; line: number }[] = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].trim();
      if (!l) continue;
      try {
        docs.push({ doc: JSON.parse(l), line: i + 1 });
      } catch (e) {
        throw lines[0].trim().endsWith('}') ? parseFailure(e, l, file, i) : parseFailure(whole, content, file);
      }
    }
    return docs;
  }
}

/** Reads the findings of GuardDuty JSON files into <principal, address> tuples. */
export async function readGuardDutyFindings(files: string[]): Promise<GuardDutyRead> {
  const out: GuardDutyRead = { tuples: [], findings: 0, withoutPrincipal: 0, withoutAddress: 0 };
  for (const file of files) {
    const content = await readText(file);
    const docs = documentsOf(content, file);
    let found = 0;
    for (const { doc, line } of docs) {
      for (const f of findingsOf(doc)) {
        found++;
        const id = text(field(f, 'Id')) ?? '';
        const principal = principalOf(f);
        const address = addressOf(f);
        if (!principal) out.withoutPrincipal++;
        else if (!address) out.withoutAddress++;
        if (!principal || !address) continue;
        const service = field(f, 'Service');
        const at = docs.length === 1 && id ? content.indexOf(JSON.stringify(id)) : -1;
        const severity = Number(field(f, 'Severity'));
        out.tuples.push({
          principal,
          address,
          findingId: id,
          findingType: text(field(f, 'Type')) ?? '',
          severity: Number.isFinite(severity) ? severity : undefined,
          time: text(field(service, 'EventLastSeen')) ?? text(field(f, 'UpdatedAt')),
          file,
          line: at >= 0 ? lineAt(content, at) : line,
        });
      }
    }
    if (found === 0) throw new LogFormatError('holds no GuardDuty findings (expected {"Findings":[...]}, EventBridge events with "detail", or an array of findings)', file, 1);
    out.findings += found;
  }
  return out;
}

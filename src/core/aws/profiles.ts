/**
 * The profiles a user can pick: names from ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE /
 * AWS_SHARED_CREDENTIALS_FILE), with each profile's region and kind. Secret values are never read into the result.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ProfileKind = 'sso' | 'credential-process' | 'assume-role' | 'access-keys' | 'other';

export interface AwsProfile {
  name: string;
  region?: string;
  kind: ProfileKind;
}

interface Section {
  name: string;
  keys: Set<string>;
  region?: string;
}

/** INI sections with their key names (values only for `region`). */
export function parseIniSections(text: string, isConfig: boolean): Section[] {
  const out: Section[] = [];
  let cur: Section | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (head) {
      const title = head[1];
      let name: string | undefined;
      if (!isConfig || title === 'default') name = title;
      else if (/^profile\s+/.test(title)) name = title.replace(/^profile\s+/, '').trim();
      cur = name ? { name, keys: new Set() } : undefined; // sso-session, services: not profiles
      if (cur) out.push(cur);
      continue;
    }
    if (!cur || /^\s/.test(raw)) continue; // nested (indented) values belong to the previous key
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    cur.keys.add(key);
    if (key === 'region') cur.region = line.slice(eq + 1).trim() || undefined;
  }
  return out;
}

function kindOf(keys: Set<string>): ProfileKind {
  if (keys.has('sso_session') || keys.has('sso_start_url')) return 'sso';
  if (keys.has('credential_process')) return 'credential-process';
  if (keys.has('role_arn')) return 'assume-role';
  if (keys.has('aws_access_key_id')) return 'access-keys';
  return 'other';
}

async function readIfExists(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return '';
  }
}

export function awsConfigFiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): { config: string; credentials: string } {
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

/** Every profile in the config and credentials files, `default` first, then by name. */
export async function listAwsProfiles(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): Promise<AwsProfile[]> {
  const files = awsConfigFiles(env, home);
  const merged = new Map<string, Section>();
  for (const [file, isConfig] of [[files.config, true], [files.credentials, false]] as const) {
    for (const s of parseIniSections(await readIfExists(file), isConfig)) {
      const prev = merged.get(s.name);
      if (!prev) merged.set(s.name, s);
      else {
        for (const k of s.keys) prev.keys.add(k);
        prev.region ??= s.region;
      }
    }
  }
  return [...merged.values()]
    .map((s) => ({ name: s.name, region: s.region, kind: kindOf(s.keys) }))
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

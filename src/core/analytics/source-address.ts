/**
 * What a CloudTrail `sourceIPAddress` is: an IPv4 or IPv6 address (with the networks it belongs to, /24 and /16 for
 * IPv4, /64 and /48 for IPv6), an AWS service host that acted for the principal (`s3.amazonaws.com`), or some other
 * non-address text (`AWS Internal`, hostnames). Only addresses take part in principal/IP analysis; the rest is counted.
 */
import { isIP } from 'node:net';

export type SourceKind = 'ip' | 'service' | 'other';

export interface SourceAddress {
  kind: SourceKind;
  /** The address in canonical form (IPv6 fully expanded, lower case); undefined unless kind is 'ip'. */
  ip?: string;
  /** The smaller network holding it: `10.1.2.0/24`, or `2001:db8:0:1::/64`. */
  net24?: string;
  /** The larger network: `10.1.0.0/16`, or `2001:db8:0::/48`. */
  net16?: string;
}

const SERVICE_HOST = /(^|\.)amazonaws\.com(\.cn)?$/i;

function expandIpv6(text: string): string[] | undefined {
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    s = s.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  return [...head, ...Array<string>(fill).fill('0'), ...tail].map((g) => g.replace(/^0+(?=.)/, ''));
}

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is its IPv4 address. */
function mappedIpv4(groups: string[]): string | undefined {
  if (groups.slice(0, 5).some((g) => g !== '0') || groups[5] !== 'ffff') return undefined;
  const hi = parseInt(groups[6], 16);
  const lo = parseInt(groups[7], 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function ipv4(ip: string): SourceAddress {
  const p = ip.split('.');
  return { kind: 'ip', ip, net24: `${p[0]}.${p[1]}.${p[2]}.0/24`, net16: `${p[0]}.${p[1]}.0.0/16` };
}

/** Classifies a `sourceIPAddress` value (or a GuardDuty remote address). */
export function sourceAddress(text: string | undefined): SourceAddress {
  const s = (text ?? '').trim();
  const family = isIP(s);
  if (family === 4) return ipv4(s.split('.').map((o) => String(Number(o))).join('.'));
  if (family === 6) {
    const g = expandIpv6(s);
    if (!g) return { kind: 'other' };
    const v4 = mappedIpv4(g);
    if (v4) return ipv4(v4);
    return { kind: 'ip', ip: g.join(':'), net24: `${g.slice(0, 4).join(':')}::/64`, net16: `${g.slice(0, 3).join(':')}::/48` };
  }
  return { kind: SERVICE_HOST.test(s) ? 'service' : 'other' };
}

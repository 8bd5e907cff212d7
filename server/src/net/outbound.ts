import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The only way Chorus calls out to URLs a tenant chose (webhooks, connector instances).
 *
 * Server-side request forgery defences, all here so every caller gets them:
 * - only http(s); the destination must be a public unicast address — loopback, private,
 *   link-local, CGNAT, multicast, reserved, unspecified, IPv4-mapped/-embedded IPv6 and the
 *   like are refused, whatever notation the URL used (the WHATWG parser normalises `2130706433`,
 *   `0x7f.1`, `[::ffff:127.0.0.1]`; ipaddr.js classifies the result);
 * - the connection goes to the very address that was checked: names are resolved inside the
 *   socket's own `lookup`, so a second DNS answer (rebinding) cannot swap in a private address;
 * - redirects are never followed (a 3xx is handed back as an answer);
 * - the whole exchange is bounded in time and the answer in size.
 * `CHORUS_OUTBOUND_ALLOW` opens listed `host:port` pairs or CIDR ranges (self-hosted instances, tests).
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface OutboundAllow {
  hostPorts: Array<{ host: string; port: number }>;
  cidrs: Array<[Address, number]>;
}

export const NO_OUTBOUND_EXCEPTIONS: OutboundAllow = { hostPorts: [], cidrs: [] };

/** `host:port` (IPv6 as `[addr]:port`) or CIDR, comma-separated; throws naming the bad entry. */
export function parseOutboundAllow(raw: string): OutboundAllow {
  const allow: OutboundAllow = { hostPorts: [], cidrs: [] };
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (entry.includes('/')) {
      try {
        allow.cidrs.push(ipaddr.parseCIDR(entry));
        continue;
      } catch {
        throw new Error(`"${entry}" is not a CIDR range (e.g. 10.0.0.0/8)`);
      }
    }
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port or a CIDR range`);
    allow.hostPorts.push({ host: normaliseHost(m[1]!), port });
  }
  return allow;
}

function normaliseHost(host: string): string {
  // "LOCALHOST." and "localhost" are one name: case and the root's trailing dot do not count.
  const bare = host
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase()
    .replace(/\.+$/, '');
  return ipaddr.isValid(bare) ? ipaddr.parse(bare).toString() : bare;
}

/** A destination refused by policy; `reason` is safe to show the tenant. */
export class OutboundRefused extends Error {}

/** Public unicast only; IPv6 that embeds or maps IPv4 (mapped, NAT64, 6to4, Teredo) is refused too. */
export function isPublicAddress(addr: Address): boolean {
  return addr.range() === 'unicast';
}

function allowedByCidr(addr: Address, allow: OutboundAllow): boolean {
  return allow.cidrs.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits));
}

function checkAddress(ip: string, allow: OutboundAllow): void {
  let addr: Address;
  try {
    addr = ipaddr.parse(ip);
  } catch {
    throw new OutboundRefused(`"${ip}" is not an address`);
  }
  if (isPublicAddress(addr) || allowedByCidr(addr, allow)) return;
  throw new OutboundRefused(`points at a non-public address (${addr.range()})`);
}

interface Target {
  url: URL;
  /** Hostname without IPv6 brackets. */
  host: string;
  port: number;
  literal: boolean;
  exempt: boolean;
}

function target(raw: string, allow: OutboundAllow): Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundRefused('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefused('must be an http(s) URL');
  if (url.username || url.password) throw new OutboundRefused('must not carry a user name or password');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const key = normaliseHost(host);
  const exempt = allow.hostPorts.some((h) => h.host === key && h.port === port);
  const literal = ipaddr.isValid(host);
  if (!exempt) {
    if (literal) checkAddress(host, allow);
    // Names reserved for the local machine never leave it (RFC 6761), whatever DNS says.
    else if (key === 'localhost' || key.endsWith('.localhost')) {
      throw new OutboundRefused('points at this machine (localhost)');
    }
  }
  return { url, host, port, literal, exempt };
}

/** Resolves with the OS resolver and refuses unless every address is allowed. */
function guardedLookup(allow: OutboundAllow): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      try {
        if (addresses.length === 0) throw new OutboundRefused(`${hostname} has no address`);
        for (const a of addresses) checkAddress(a.address, allow);
      } catch (e) {
        return callback(e as NodeJS.ErrnoException, '', 0);
      }
      if ((options as { all?: boolean }).all)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/**
 * Checks a URL a tenant is saving: refused schemes, literals and names that resolve to a
 * non-public address throw OutboundRefused. A name that does not resolve (yet) is accepted;
 * it is checked again on every use.
 */
export async function checkOutboundUrl(raw: string, allow: OutboundAllow, timeoutMs = 5000): Promise<void> {
  const t = target(raw, allow);
  if (t.exempt || t.literal) return;
  const addresses = await new Promise<LookupAddress[] | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    dnsLookup(t.host, { all: true }, (err, found) => {
      clearTimeout(timer);
      resolve(err ? null : found);
    });
  });
  for (const a of addresses ?? []) checkAddress(a.address, allow);
}

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | FormData;
  /** The whole exchange, connect to last byte. */
  timeoutMs?: number;
  /** Larger answers are cut off with an error. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

const NULL_BODY = new Set([204, 205, 304]);

/**
 * One request to a tenant-chosen URL under the policy above. Answers a fetch Response (the
 * body already read, within the size bound); throws OutboundRefused for a refused destination
 * and a plain Error for network failures and timeouts.
 */
export async function outboundFetch(raw: string, allow: OutboundAllow, init: OutboundInit = {}): Promise<Response> {
  const t = target(raw, allow);
  const headers: Record<string, string> = { ...init.headers };
  let body: Uint8Array | undefined;
  if (init.body instanceof FormData) {
    // Let the platform encode multipart (boundary and all), then send the bytes ourselves.
    const encoded = new Request('http://encode.invalid/', { method: 'POST', body: init.body });
    headers['content-type'] = encoded.headers.get('content-type')!;
    body = new Uint8Array(await encoded.arrayBuffer());
  } else if (typeof init.body === 'string') body = Buffer.from(init.body);
  else body = init.body;
  if (body) headers['content-length'] = String(body.byteLength);

  const timeoutMs = init.timeoutMs ?? 10_000;
  const maxBytes = init.maxResponseBytes ?? 1024 * 1024;
  const signal = init.signal
    ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  const request = t.url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<Response>((resolve, reject) => {
    const req = request(
      {
        protocol: t.url.protocol,
        host: t.host,
        port: t.port,
        path: `${t.url.pathname}${t.url.search}`,
        method: init.method ?? 'GET',
        headers,
        // An exempt host:port is trusted as configured; everything else is checked on connect.
        lookup: t.exempt ? undefined : guardedLookup(allow),
        agent: false,
        signal,
        servername: t.literal ? undefined : t.host,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 502;
          resolve(
            new Response(NULL_BODY.has(status) ? null : Buffer.concat(chunks), {
              status: status < 200 || status > 599 ? 502 : status,
              headers: toHeaders(res.headers),
            }),
          );
        });
      },
    );
    req.on('error', (err) =>
      reject(signal.aborted && !(err instanceof OutboundRefused) ? new Error('timed out') : err),
    );
    req.end(body);
  });
}

function toHeaders(h: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}

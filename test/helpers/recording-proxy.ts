/**
 * A loopback HTTP proxy in front of moto_server that records the requests it forwards (method, path, body). Point a
 * client's endpoint URL (e.g. the extension's `secml.aws.endpointUrl`) at it to see exactly what the product sent,
 * for example the text/csv payload of InvokeEndpoint, which moto itself does not keep.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: body.toString('utf8') });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && typeof v === 'string') headers[k] = v;
      fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: ['GET', 'HEAD'].includes(req.method ?? 'GET') ? undefined : body })
        .then(async (r) => {
          const out: Record<string, string> = {};
          r.headers.forEach((v, k) => {
            if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') out[k] = v;
          });
          const data = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { ...out, 'content-length': String(data.length) });
          res.end(data);
        })
        .catch((e: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${e.message}`);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

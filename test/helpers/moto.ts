/**
 * Starts a real moto_server (an AWS API emulator) on a free loopback port for the test run, as ../shared/notes/moto.md
 * describes: dummy credentials, us-east-1, maxAttempts 1 (moto answers unimplemented calls with an HTML 500 the SDK would
 * otherwise retry). Use `before(startMoto)` in a describe, `reset()` between tests, `stop()` after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { commandWorks, requireTool } from './tools';
import type { AwsConnection } from '../../src/core/aws/connection';

export const MOTO_ACCOUNT = '123456789012';
export const MOTO_REGION = 'us-east-1';

export interface Moto {
  endpoint: string;
  port: number;
  /** Connection for AwsSession pointing at this moto. */
  connection: AwsConnection;
  /** POST /moto-api/reset: clears all state. */
  reset(): Promise<void>;
  /** POST a moto-api control request (seeding results, state transitions). */
  control(path: string, body: unknown): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url: string, proc: ChildProcess, timeoutMs = 20000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`moto_server exited with code ${proc.exitCode}`);
    try {
      const r = await fetch(`${url}/moto-api/`);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`moto_server did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts moto_server; skips the calling test (or fails under CI=true) when it is not installed. */
export async function startMoto(ctx: Mocha.Context): Promise<Moto> {
  requireTool(ctx, 'moto_server', () => commandWorks('moto_server', ['--help']), 'pip install "moto[server]"');
  ctx.timeout(30000);
  const port = await freePort();
  const proc = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(endpoint, proc);
  } catch (e) {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  const control = async (path: string, body: unknown) => {
    const r = await fetch(`${endpoint}${path}`, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'content-type': 'application/json' } });
    if (!r.ok) throw new Error(`moto ${path}: HTTP ${r.status} ${await r.text()}`);
  };
  return {
    endpoint,
    port,
    connection: { region: MOTO_REGION, endpointUrl: endpoint, maxAttempts: 1, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } },
    reset: () => control('/moto-api/reset', {}),
    control,
    stop: async () => {
      try {
        process.kill(-proc.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

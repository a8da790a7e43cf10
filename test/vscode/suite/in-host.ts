// Helpers for the in-host suites: the activated extension's API, and polling until the UI state arrives.
import * as vscode from 'vscode';
import type { SecmlApi } from '../../../src/extension/extension';

export async function api(): Promise<SecmlApi> {
  return (await vscode.extensions.getExtension<SecmlApi>('secml.secml-lab')!.activate())!;
}

export async function until<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

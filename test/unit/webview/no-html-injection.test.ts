import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

// Log content is attacker-controlled: webview code must build DOM from text, never parse HTML.
const FORBIDDEN = /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|new DOMParser|createContextualFragment|unsafeHTML|eval\(|new Function\(/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(f) ? [p] : [];
  });
}

describe('webview sources', () => {
  it('never inject HTML or evaluate strings', () => {
    const root = path.resolve(__dirname, '../../../webview');
    const offenders = files(root).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ f, i, line }))
        .filter((x) => FORBIDDEN.test(x.line) && !/\/\/ no-html-injection: allowed/.test(x.line)),
    );
    assert.deepEqual(offenders.map((o) => `${path.relative(root, o.f)}:${o.i + 1}: ${o.line.trim()}`), []);
  });
});

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { plainNotificationText } from '../../../src/extension/notification-text';

/** VS Code's own pattern for links in notification messages (vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

describe('notification text', () => {
  it('never contains a link VS Code would render, whatever a log puts in a file name or event type', () => {
    for (const hostile of [
      'evil-[Show details](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D).json:3: bad row',
      'event type [click me](https://attacker.example/x "title") never seen',
      '[a](file:///etc/passwd) [b] (command:x)',
    ]) {
      const plain = plainNotificationText(hostile);
      assert.equal([...plain.matchAll(VSCODE_LINK)].length, 0, plain);
      assert.equal(plain.replace(/\u200b/g, ''), hostile, 'reads the same, only the link syntax is broken');
    }
    assert.equal(plainNotificationText('Flattened 3 events [full, first5].'), 'Flattened 3 events [full, first5].');
  });

  it('every notification of the extension goes through notify.ts', () => {
    const root = path.resolve(__dirname, '../../../src/extension');
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && e.name !== 'notify.ts' && /window\.show(Information|Warning|Error)Message\(/.test(readFileSync(p, 'utf8'))) offenders.push(path.relative(root, p));
      }
    };
    walk(root);
    assert.deepEqual(offenders, []);
  });
});

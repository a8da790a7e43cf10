// Self-test of the UI helper library against a tiny fixture extension (../fixtures/ui-fixture): every helper other
// UI tests rely on (tree rows, expand, context menus, quick pick, input box, Explorer menu, notifications, webviews).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempFolder, useWorkbench } from './workbench';

describe('UI helpers (fixture extension)', function () {
  const workspace = tempFolder('secml-ui-helpers-');
  const vs = useWorkbench(() => {
    writeFileSync(path.join(workspace, 'notes.txt'), 'hello\n');
    return { workspace, extraExtensions: [path.resolve(__dirname, '../fixtures/ui-fixture')] };
  });

  it('reads, expands and right-clicks tree items', async function () {
    await vs().activityBarItem('UI Fixture').click();
    await vs().treeItem('parent-one', 'Fixture Tree');
    assert.deepEqual((await vs().treeRows('Fixture Tree')).map((r) => [r.label, r.description, r.level, r.expanded]), [
      ['parent-one', 'parent', 1, false],
      ['parent-two', 'parent', 1, false],
    ]);
    await vs().expandTreeItem('parent-two', 'Fixture Tree');
    await vs().treeItem('beta', 'Fixture Tree');
    const rows = await vs().treeRows('Fixture Tree');
    assert.deepEqual(rows.map((r) => `${r.level}:${r.label}`), ['1:parent-one', '1:parent-two', '2:alpha', '2:beta']);
    await vs().treeItemContextMenu('beta', 'Say Hello', 'Fixture Tree');
    assert.equal(await vs().waitForNotification('Hello from'), 'Hello from parent-two/beta');
  });

  it('answers a quick pick and an input box', async function () {
    await vs().clearNotifications();
    await vs().runCommand('Fixture: Ask Questions');
    assert.deepEqual(await vs().quickPickItems(), ['red', 'green', 'blue']);
    await vs().answerQuickPick('green');
    await vs().answerInputBox('Ada');
    assert.equal(await vs().waitForNotification('Answers:'), 'Answers: green Ada');
  });

  it('chooses an Explorer context-menu entry', async function () {
    await vs().explorerContextMenu('notes.txt', 'Fixture Explorer Item');
    assert.equal(await vs().waitForNotification('Explorer item:'), 'Explorer item: notes.txt');
  });

  it('reads text inside the visible webview when two are open', async function () {
    await vs().runCommand('Fixture: Open Two Webviews');
    assert.equal(await (await vs().webview('Second Panel')).locator('#text').innerText(), 'second webview text');
    assert.equal(await (await vs().webview('First Panel')).locator('#text').innerText(), 'first webview text');
    await vs().screenshot('ui-helpers-webview');
  });
});

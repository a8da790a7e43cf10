// UI (as a user would): the SecML Lab activity-bar icon opens the three views with their welcome text, a SecML command
// runs from F1, the flatten settings show in the Settings editor, and the screenshots land in test-results/.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './code-server';
import { tempFolder, useWorkbench } from './workbench';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
/** The first sentence of each view's welcome text, as package.json contributes it. */
const welcomeStart = (view: string): string => pkg.contributes.viewsWelcome.find((w: { view: string }) => w.view === view).contents.split('.')[0];

describe('UI: SecML Lab sidebar on an empty folder', function () {
  const workspace = tempFolder('secml-ui-empty-');
  const vs = useWorkbench({ workspace });

  it('shows Datasets, Experiments and Endpoints with their welcome text', async function () {
    await vs().openSecmlSidebar();
    for (const [title, id] of [['Datasets', 'secml.datasets'], ['Experiments', 'secml.experiments'], ['Endpoints', 'secml.endpoints']]) {
      const text = await vs().welcomeText(title);
      assert.ok(text.startsWith(welcomeStart(id)), `${title} view shows ${JSON.stringify(text.slice(0, 80))}`);
    }
    const buttons = await vs().viewPane('Datasets').locator('.welcome-view-content .monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['Create Sample Workspace', 'Flatten Logs']);
    await vs().screenshot('secml-sidebar-empty');
  });

  it('runs "SecML: Show Log" from F1 and shows the activation line', async function () {
    await vs().runCommand('SecML: Show Log');
    await vs().page.locator('.panel .monaco-editor .view-lines', { hasText: 'SecML Lab activated in' }).waitFor({ timeout: 60_000 });
    const log = await vs().outputText();
    const m = log.match(/SecML Lab activated in (\d+) ms/);
    assert.ok(m, `no activation line in the output:\n${log}`);
    console.log(`      activation: ${m[0]}`);
    await vs().screenshot('secml-show-log');
  });

  it('lists the flatten settings in the Settings editor, threads included', async function () {
    await vs().runCommand('Preferences: Open User Settings');
    const search = vs().page.locator('.settings-editor .suggest-input-container .monaco-editor textarea, .settings-editor .suggest-input-container input').first();
    await search.waitFor({ timeout: 60_000 });
    await search.focus();
    await vs().page.keyboard.type('secml.flatten');
    const threads = vs().page.locator('.settings-editor .setting-item', { hasText: 'Threads for flattening several variants at once.' });
    await threads.waitFor({ timeout: 60_000 });
    assert.match(await threads.innerText(), /Flatten: Threads/);
    assert.equal(await threads.locator('select').inputValue(), 'auto');
    await vs().screenshot('settings-flatten-threads');
  });
});

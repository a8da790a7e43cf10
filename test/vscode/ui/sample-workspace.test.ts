// UI (as a user would): on an empty folder, click "Create Sample Workspace" in the Datasets welcome view, keep the
// sample in this folder, read the sample's README in the Markdown preview (a webview), see the files in the Explorer,
// and screenshot the SecML Lab sidebar with the sample workspace.
import * as assert from 'node:assert/strict';
import { tempFolder, useWorkbench } from './workbench';

describe('UI: SecML Lab with the sample workspace', function () {
  const workspace = tempFolder('secml-ui-sample-');
  const vs = useWorkbench({ workspace });

  it('creates the sample workspace from the Datasets welcome button', async function () {
    await vs().openSecmlSidebar();
    await vs().viewPane('Datasets').locator('.welcome-view-content .monaco-button', { hasText: 'Create Sample Workspace' }).click();
    await vs().answerQuickPick('This workspace folder');
    const message = await vs().waitForNotification('Sample workspace ready', 180_000);
    assert.match(message, /^Sample workspace ready: [\d,]+ session-log rows \([\d,]+ attacker sessions\) and [\d,]+ CloudTrail events\.$/);
  });

  it('shows the sample README in the Markdown preview (text read inside the webview)', async function () {
    const preview = await vs().webview('Preview README.md');
    const text = await preview.locator('body').innerText();
    assert.match(text, /known-attacker\.txt/);
    assert.match(text, /single\.txt/);
  });

  it('lists the sample files in the Explorer', async function () {
    for (const f of ['known-attacker.txt', 'mixed-1.txt', 'single.txt', 'sample.secml.json', 'AWSLogs']) await vs().explorerItem(f);
  });

  it('screenshots the SecML Lab sidebar with the sample workspace', async function () {
    await vs().openSecmlSidebar();
    await vs().clearNotifications();
    // The Datasets view lists what the flatten engineer's view provides; until then it shows its welcome text.
    const rows = await vs().treeRows('Datasets');
    if (rows.length === 0) assert.match(await vs().welcomeText('Datasets'), /^No datasets yet/);
    await vs().screenshot('secml-sidebar-with-the-sample-workspace');
  });

  // TODO(lead): when the Datasets view (issue 3) lists datasets, flatten the sample from the UI (Explorer right-click
  // "Flatten Logs" on known-attacker.txt) and assert its rows here, e.g. dataset -> variants -> splits.
  it.skip('TODO(lead): the Datasets view shows the sample workspace datasets (needs the Datasets view of issue 3)');
});

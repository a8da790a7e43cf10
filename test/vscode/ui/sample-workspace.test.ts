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

  it('flattens mixed-1.txt from the Explorer and shows dataset -> variants -> splits in the Datasets view', async function () {
    await vs().explorerContextMenu('mixed-1.txt', 'Flatten Logs');
    await vs().answerQuickPick("Session log (the seed's TSV: SessionNo, LogTime, Act, BadActor)");
    // Variants: `full` is pre-selected; add first:5 and accept.
    await vs().answerQuickPick('first:5');
    await vs().page.locator('.quick-input-widget input[type="text"]').fill('');
    await vs().page.keyboard.press('Enter');
    await vs().answerQuickPick('Add known-attacker.txt to training');
    await vs().answerInputBox('mixed-1');
    // The result toast may fold into the notification centre behind the progress one: the view is the evidence.
    await vs().openSecmlSidebar();
    await vs().clearNotifications();
    await vs().expandTreeItem('mixed-1', 'Datasets');
    await vs().expandTreeItem('full', 'Datasets');
    const rows = await vs().treeRows('Datasets');
    const labels = rows.map((r) => r.label);
    for (const l of ['mixed-1', 'full', 'train', 'validation', 'test', 'first5']) assert.ok(labels.includes(l), `Datasets view shows ${l}: ${labels.join(', ')}`);
    const dataset = rows.find((r) => r.label === 'mixed-1')!;
    assert.match(dataset.description, /^2 variants · 13,350 sessions · seed$/);
    const train = rows.find((r) => r.label === 'train')!;
    assert.match(train.description, /^[\d.]+% positive · [\d,]+ sessions$/);
    await vs().screenshot('secml-datasets-view-with-the-flattened-sample');
  });
});

// UI (as a user would): right-click a 250k-session dataset variant in the Datasets view, "Train Model on Dataset",
// watch the rounds in the progress notification, press its Cancel button (nothing is written), then train for real
// and read the result notification.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeSyntheticDataset } from '../../helpers/synthetic-dataset';
import { tempFolder, useWorkbench } from './workbench';

describe('UI: Train Model on Dataset', function () {
  this.timeout(600_000);
  const workspace = tempFolder('secml-ui-train-');
  const vs = useWorkbench(async () => {
    await writeSyntheticDataset(path.join(workspace, '.secml', 'datasets', 'bench', 'full'), 250_000);
    return { workspace };
  });
  const models = () => fs.readdir(path.join(workspace, '.secml', 'models')).catch(() => [] as string[]);

  it('shows every round in the progress notification, and Cancel stops the training without writing a model', async function () {
    await vs().openSecmlSidebar();
    await vs().expandTreeItem('bench', 'Datasets');
    await vs().treeItemContextMenu('full', 'Train Model on Dataset', 'Datasets');
    await vs().answerInputBox('num_round=100000');
    const progress = /round \d+\/100000/;
    const first = await vs().waitForNotification(progress, 180_000);
    assert.match(first, /^SecML: training on full: round \d+\/100000 +train-auc 0\.\d{4} +validation-auc 0\.\d{4}$/);
    // The rounds keep coming: the notification's message changes while the extension host stays live.
    const page = vs().page;
    const message = page.locator('.notifications-toasts .notification-toast', { hasText: progress }).first().locator('.notification-list-item-message').first();
    await page.waitForFunction(([el, text]) => (el as HTMLElement | null)?.textContent?.trim() !== text, [await message.elementHandle(), first] as const, { timeout: 120_000 });
    await vs().screenshot('train-progress-notification');
    await vs().clickNotificationButton(progress, 'Cancel');
    await page.locator('.notifications-toasts .notification-toast', { hasText: progress }).first().waitFor({ state: 'hidden', timeout: 60_000 });
    assert.deepEqual(await models(), []);
  });

  it('trains 250k sessions and reports the test metrics', async function () {
    await vs().clearNotifications();
    await vs().treeItemContextMenu('full', 'Train Model on Dataset', 'Datasets');
    await vs().answerInputBox('num_round=20');
    const done = await vs().waitForNotification(/full: Trained 20 trees/, 300_000);
    assert.match(done, /^full: Trained 20 trees in [\d.]+ s; test: ROC AUC 0\.\d{3}, recall [\d.]+% at FPR <= 5%\.$/);
    const written = await models();
    assert.equal(written.length, 1);
    for (const f of ['model.json', 'secml-model.json']) assert.ok(await fs.stat(path.join(workspace, '.secml', 'models', written[0], f)));
  });
});

// In-host: "SecML: Flatten Logs" (Explorer selection and the quick-pick flow), its progress with events/s and a
// working Cancel, and the Datasets view (dataset -> variants -> splits, open manifest, delete with confirmation).
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlattenSummary } from '../../../src/core/features/flatten-dataset';
import type { TreeNode } from '../../../src/extension/views/tree';
import { api, until } from './in-host';

type Window = typeof vscode.window;
type Stubbable = Pick<Window, 'showQuickPick' | 'showInputBox' | 'showWarningMessage' | 'showInformationMessage' | 'showErrorMessage' | 'withProgress'>;

/** Replaces window functions for the duration of `body`. */
async function withStubs<T>(stubs: Partial<Record<keyof Stubbable, unknown>>, body: () => Thenable<T>): Promise<T> {
  const w = vscode.window as unknown as Record<string, unknown>;
  const saved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(stubs)) {
    saved[k] = w[k];
    w[k] = v;
  }
  try {
    return await body();
  } finally {
    Object.assign(w, saved);
  }
}

async function item(node: TreeNode): Promise<vscode.TreeItem> {
  return node.treeItem();
}

describe('Flatten Logs and the Datasets view (in-host)', function () {
  this.timeout(300_000);
  let workspace: string;
  let fixtures: string;
  let datasets: string;

  before(async function () {
    const a = await api();
    assert.ok(a.views.datasets);
    workspace = process.env.SECML_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(workspace, 'a workspace folder is open');
    fixtures = path.join(vscode.extensions.getExtension('secml.secml-lab')!.extensionPath, 'test', 'fixtures', 'logs');
    datasets = path.join(workspace, '.secml', 'datasets');
  });

  async function datasetRoots(): Promise<TreeNode[]> {
    const provider = (await api()).views.datasets.provider;
    return provider.getChildren();
  }

  async function findDataset(name: string): Promise<TreeNode | undefined> {
    for (const node of await datasetRoots()) if ((await item(node)).label === name) return node;
    return undefined;
  }

  it('flattens an Explorer selection into .secml/datasets and lists it: dataset -> variants -> splits', async function () {
    const summary = await withStubs({ showInformationMessage: async () => undefined }, () =>
      vscode.commands.executeCommand<FlattenSummary>('secml.flattenLogs', vscode.Uri.file(path.join(fixtures, 'seed-small.tsv')), undefined, {
        format: 'seed',
        variants: ['full', 'first:5,min:5'],
        augment: path.join(fixtures, 'seed-attacker.tsv'),
        name: 'fixture',
        overwrite: true,
      }),
    );
    assert.ok(summary, 'the command returns its summary');
    assert.equal(summary.sessions, 300);
    assert.equal(summary.events, 3255);
    assert.deepEqual(summary.augment, { sessions: 17, events: summary.augment!.events, droppedOverlapping: 3 });
    assert.equal(summary.outDir, path.join(datasets, 'fixture'));

    const dataset = await until('the dataset in the view', () => findDataset('fixture'));
    const d = await item(dataset);
    assert.equal(d.contextValue, 'dataset');
    assert.match(String(d.description), /^2 variants · 300 sessions · seed$/);
    const variants = await dataset.children!();
    const labels = await Promise.all(variants.map(async (v) => [(await item(v)).label, (await item(v)).description, (await item(v)).contextValue]));
    assert.deepEqual(
      labels.map((l) => l[0]),
      ['full', 'first5_min5'],
    );
    assert.match(String(labels[0][1]), /^5\.3% positive · 300 sessions$/, 'the spec is left out when it is the name');
    assert.match(String(labels[1][1]), /^[\d.]+% positive · [\d,]+ sessions · first:5,min:5$/);
    assert.equal(labels[1][2], 'datasetVariant');
    const splits = await variants[0].children!();
    const splitItems = await Promise.all(splits.map(item));
    assert.deepEqual(
      splitItems.map((s) => s.label),
      ['train', 'validation', 'test'],
    );
    assert.match(String(splitItems[0].description), /^12\.3% positive · 227 sessions$/, 'train holds the 17 augmentation sessions');
    assert.match(String(splitItems[2].description), /^6\.5% positive · 46 sessions$/);
    assert.equal((splitItems[0].command?.arguments?.[0] as vscode.Uri).fsPath, path.join(datasets, 'fixture', 'full', 'train.csv'));
  });

  it('flattens the clicked file alone when it is outside the Explorer selection, and only the selection\'s files', async function () {
    const small = vscode.Uri.file(path.join(fixtures, 'seed-small.tsv'));
    const attacker = vscode.Uri.file(path.join(fixtures, 'seed-attacker.tsv'));
    const flatten = (clicked: vscode.Uri, selected: vscode.Uri[]) =>
      withStubs({ showInformationMessage: async () => undefined }, () =>
        vscode.commands.executeCommand<FlattenSummary>('secml.flattenLogs', clicked, selected, { format: 'seed', variants: ['full'], augment: null, name: 'selection', overwrite: true }),
      );
    // Right-click on seed-small.tsv while seed-attacker.tsv is selected: the clicked file, not the selection.
    const outside = await flatten(small, [attacker]);
    assert.equal(outside?.files, 1);
    assert.equal(outside?.events, 3255);
    // Clicked inside a selection that also holds an untitled editor: the selection's files only.
    const inside = await flatten(small, [vscode.Uri.parse('untitled:Untitled-1'), small]);
    assert.equal(inside?.files, 1);
    assert.equal(inside?.events, 3255);
    await fs.rm(path.join(datasets, 'selection'), { recursive: true, force: true });
  });

  it('walks the quick-pick flow for a CSV log (format, columns, variants, name) and reports events/s', async function () {
    const csv = path.join(workspace, 'flatten-in-host.csv');
    const rows = ['BlockId,Seq,EventId,When,Label'];
    for (let b = 0; b < 400; b++) for (let k = 0; k < 8; k++) rows.push(`blk_${b},${k},E${(b * 7 + k * 3) % 11},2024-01-01T00:${String(k).padStart(2, '0')}:00Z,${b % 40 === 0 ? 1 : 0}`);
    await fs.writeFile(csv, rows.join('\n') + '\n');
    const titles: string[] = [];
    const reports: string[] = [];
    const pickByLabel = (labels: Record<string, string | string[]>) => async (items: readonly vscode.QuickPickItem[] | Thenable<readonly vscode.QuickPickItem[]>, opts?: vscode.QuickPickOptions) => {
      const title = opts?.title ?? '';
      titles.push(title);
      const want = Object.entries(labels).find(([k]) => title.endsWith(k))?.[1];
      const list = await items;
      if (Array.isArray(want)) return list.filter((i) => want.includes(i.label));
      return list.find((i) => (want === 'detected' ? i.description === '(detected)' : i.label === want));
    };
    const summary = await withStubs(
      {
        showQuickPick: pickByLabel({ format: 'detected', 'session column': 'BlockId', 'event type column': 'EventId', 'time column': 'When', 'label column': 'Label', variants: ['full', 'last:5'] }),
        showInputBox: async (o?: vscode.InputBoxOptions) => {
          titles.push(o?.title ?? '');
          return 'blocks';
        },
        showInformationMessage: async () => undefined,
        withProgress: (options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
          task({ report: (v) => v.message && reports.push(v.message) }, new vscode.CancellationTokenSource().token),
      },
      () => vscode.commands.executeCommand<FlattenSummary>('secml.flattenLogs', vscode.Uri.file(csv), [vscode.Uri.file(csv)], { overwrite: true }),
    );
    assert.deepEqual(titles, [
      'SecML: Flatten Logs: format',
      'SecML: Flatten Logs: session column',
      'SecML: Flatten Logs: event type column',
      'SecML: Flatten Logs: time column',
      'SecML: Flatten Logs: label column',
      'SecML: Flatten Logs: variants',
      'SecML: Flatten Logs: dataset name',
    ]);
    assert.ok(summary);
    assert.equal(summary.format, 'csv');
    assert.equal(summary.sessions, 400);
    assert.equal(summary.positives, 10);
    assert.equal(summary.timeFeatures, true);
    assert.deepEqual(
      summary.variants.map((v) => v.name),
      ['full', 'last5'],
    );
    assert.ok(reports.some((m) => /events, 400 sessions · [\d.]+[kM] events\/s$/.test(m)), `progress shows events/s: ${reports.join(' | ')}`);
    assert.ok(await until('the csv dataset in the view', () => findDataset('blocks')));
  });

  it('secml.flatten.threads = 2 flattens on two threads inside the extension host, with the same files as one', async function () {
    const config = vscode.workspace.getConfiguration('secml');
    const flatten = async (name: string) => {
      const reports: string[] = [];
      const summary = await withStubs(
        {
          showInformationMessage: async () => undefined,
          withProgress: (options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
            task({ report: (v) => v.message && reports.push(v.message) }, new vscode.CancellationTokenSource().token),
        },
        () =>
          vscode.commands.executeCommand<FlattenSummary>('secml.flattenLogs', vscode.Uri.file(path.join(fixtures, 'seed-small.tsv')), undefined, {
            format: 'seed',
            variants: ['full', 'last:3', 'drop:0.2'],
            augment: null,
            name,
            overwrite: true,
          }),
      );
      assert.ok(summary, `${name}: the command returns its summary`);
      return reports;
    };
    await config.update('flatten.threads', '2', vscode.ConfigurationTarget.Global);
    let two: string[];
    try {
      two = await flatten('threads-two');
    } finally {
      await config.update('flatten.threads', undefined, vscode.ConfigurationTarget.Global);
    }
    // The worker (dist/flatten.worker.js, found beside the extension's bundle) wrote part of the variants.
    assert.ok(two.includes('Waiting for the second thread to write its variants...'), `progress: ${two.join(' | ')}`);
    const one = await flatten('threads-one');
    assert.ok(!one.some((m) => m.includes('second thread')));
    for (const v of ['full', 'last3', 'drop0.2']) {
      for (const f of ['train.csv', 'validation.csv', 'test.csv', 'sessions.csv']) {
        const a = await fs.readFile(path.join(datasets, 'threads-one', v, f), 'utf8');
        const b = await fs.readFile(path.join(datasets, 'threads-two', v, f), 'utf8');
        assert.ok(a === b, `${v}/${f} differs between one and two threads`);
      }
    }
  });

  it('Cancel stops the flatten: no dataset, no partial folder, no temporary rows left behind', async function () {
    const big = path.join(workspace, 'flatten-cancel.tsv');
    const lines = ['SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor'];
    for (let i = 0; i < 400_000; i++) lines.push(`${i % 30000}\t2019-07-01 ${String(8 + Math.floor(i / 100000)).padStart(2, '0')}:${String(Math.floor(i / 2000) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000\t1\t1\t1\t${111 + (i % 37)}\t0`);
    await fs.writeFile(big, lines.join('\n') + '\n');
    const tmp = require('node:os').tmpdir();
    const spillsBefore = (await fs.readdir(tmp)).filter((f) => f.startsWith('secml-flatten-')).length;
    const reports: string[] = [];
    const cts = new vscode.CancellationTokenSource();
    const result = await withStubs(
      {
        withProgress: (options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) =>
          task(
            {
              report: (v) => {
                if (v.message) reports.push(v.message);
                cts.cancel();
              },
            },
            cts.token,
          ),
      },
      () => vscode.commands.executeCommand('secml.flattenLogs', vscode.Uri.file(big), undefined, { format: 'seed', variants: ['full', 'last:5', 'drop:0.2'], augment: null, name: 'cancelled', overwrite: true }),
    );
    assert.equal(result, undefined, 'a cancelled flatten returns nothing');
    assert.ok(reports.length >= 1);
    assert.equal(existsSync(path.join(datasets, 'cancelled')), false, 'no dataset folder');
    assert.deepEqual((await fs.readdir(datasets)).filter((f) => f.includes('partial')), [], 'no staging folder');
    assert.equal((await fs.readdir(tmp)).filter((f) => f.startsWith('secml-flatten-')).length, spillsBefore, 'no temporary spill');
    assert.equal(await findDataset('cancelled'), undefined);
  });

  it('refuses a dataset name that would leave .secml/datasets, naming the rule, and writes nothing', async function () {
    const errors: string[] = [];
    const result = await withStubs({ showErrorMessage: async (m: string) => (errors.push(m), undefined) }, () =>
      vscode.commands.executeCommand('secml.flattenLogs', vscode.Uri.file(path.join(fixtures, 'seed-small.tsv')), undefined, { format: 'seed', variants: ['full'], augment: null, name: '../../escaped', overwrite: true }),
    );
    assert.equal(result, undefined);
    assert.match(errors.join('\n'), /"\.\.\/\.\.\/escaped" is not a dataset name\. Use letters, digits/);
    assert.equal(existsSync(path.resolve(datasets, '../../escaped')), false);
  });

  it('opens a variant manifest, and deletes a dataset only after confirmation', async function () {
    const dataset = (await findDataset('fixture'))!;
    const [, variant] = await dataset.children!();
    await vscode.commands.executeCommand('secml.dataset.openManifest', variant);
    const editor = await until('the manifest editor', async () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.fsPath, path.join(datasets, 'fixture', 'first5_min5', 'manifest.json'));
    assert.equal(JSON.parse(editor.document.getText()).kind, 'secml-dataset');

    const questions: string[] = [];
    const declined = await withStubs({ showWarningMessage: async (m: string) => (questions.push(m), undefined) }, () => vscode.commands.executeCommand('secml.dataset.delete', dataset));
    assert.equal(declined, false);
    assert.ok(existsSync(path.join(datasets, 'fixture')), 'declining keeps it');
    assert.match(questions[0], /^Delete dataset "fixture" \(2 variants\)\? This removes .+ MB\)\. The source logs are not touched\.$/);

    const deleted = await withStubs({ showWarningMessage: async () => 'Delete' }, () => vscode.commands.executeCommand('secml.dataset.delete', dataset));
    assert.equal(deleted, true);
    assert.equal(existsSync(path.join(datasets, 'fixture')), false);
    await until('the view without it', async () => ((await findDataset('fixture')) ? undefined : true));
  });
});

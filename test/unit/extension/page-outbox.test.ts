import { strict as assert } from 'node:assert';
import { PageOutbox } from '../../../src/extension/panels/page-outbox';

describe('panel host outbox (what reaches the page, in order)', () => {
  it('a message posted while the snapshot is being built is sent right after it', async () => {
    const sent: string[] = [];
    const outbox = new PageOutbox<string>((m) => sent.push(m));
    outbox.post('before ready: superseded by the snapshot');
    let finish!: (v: string[]) => void;
    const opening = outbox.open(() => new Promise<string[]>((r) => (finish = r)));
    outbox.post('focus run-2'); // e.g. MetricsPanel.focus while the run store is being read
    assert.deepEqual(sent, [], 'nothing before the snapshot');
    finish(['experiment']);
    await opening;
    assert.deepEqual(sent, ['experiment', 'focus run-2']);
    outbox.post('details');
    assert.deepEqual(sent, ['experiment', 'focus run-2', 'details'], 'then sent as posted');
  });

  it('a page re-created during the snapshot gets nothing meant for the old one', async () => {
    const sent: string[] = [];
    const outbox = new PageOutbox<string>((m) => sent.push(m));
    let finish!: (v: string[]) => void;
    const opening = outbox.open(() => new Promise<string[]>((r) => (finish = r)));
    outbox.reset();
    outbox.post('queued for the new page');
    finish(['old snapshot']);
    await opening;
    assert.deepEqual(sent, []);
    await outbox.open(() => ['new snapshot']);
    assert.deepEqual(sent, ['new snapshot']);
  });
});

import * as assert from 'node:assert/strict';
import { COMMANDS } from '../../../src/cli/registry';

describe('cli/registry', () => {
  it('lists each command with the name and summary of the spec it loads', async () => {
    for (const entry of COMMANDS) {
      const spec = await entry.load();
      assert.equal(spec.name, entry.name);
      assert.equal(entry.summary, spec.summary, `summary of ${entry.name}`);
    }
  });
});

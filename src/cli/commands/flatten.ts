import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const flattenCommand: CommandSpec = {
  name: 'flatten',
  summary: 'Flatten logs into one row per session (bag of events), with truncated variants and splits',
  async run() {
    throw new SecmlError('INTERNAL', 'secml flatten is coming in this build.');
  },
};

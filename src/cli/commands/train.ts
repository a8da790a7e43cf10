import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const trainCommand: CommandSpec = {
  name: 'train',
  summary: 'Train a local XGBoost-compatible model on a flattened dataset',
  async run() {
    throw new SecmlError('INTERNAL', 'secml train is coming in this build.');
  },
};

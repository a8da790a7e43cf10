import type { CommandSpec } from '../command';
import { SecmlError } from '../../core/errors';

// Placeholder until its issue lands: replaced by the real subcommand.
export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate a model on a labelled CSV or dataset: confusion matrix, precision, recall, AUCs, recall at FPR 5%',
  async run() {
    throw new SecmlError('INTERNAL', 'secml eval is coming in this build.');
  },
};

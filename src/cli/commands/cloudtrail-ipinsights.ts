/** `secml cloudtrail ipinsights`: the seed's IP Insights notebook on SageMaker (train, deploy, score, tear down). */
import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, list, num, positionals, str, usageError } from '../args';
import { AWS_OPTIONS, awsSessionFromArgs, sageMakerOptionsExcept, sageMakerSettingsFromArgs } from '../aws-options';
import { progressLine } from '../progress-line';
import { formatTable } from '../table';
import { readAddressEvents } from '../../core/analytics/cloudtrail-addresses';
import { readGuardDutyFindings } from '../../core/analytics/guardduty-findings';
import { findUnusualPairs } from '../../core/analytics/unusual-pairs';
import { trainingTuples } from '../../core/analytics/ip-insights-input';
import { printable } from '../../core/printable';
import { isoOption, readSummary } from './cloudtrail-pairs';

function hyperparameters(values: string[]): Record<string, string> {
  const hp: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw usageError(`--hp expects NAME=VALUE, got "${v}"`);
    hp[v.slice(0, eq).trim()] = v.slice(eq + 1).trim();
  }
  return hp;
}

export const cloudtrailIpInsightsCommand: CommandSpec = {
  name: 'ipinsights',
  summary: 'Train SageMaker IP Insights on CloudTrail principal/IP pairs, score pairs or GuardDuty findings, tear down',
  description: [
    "The seed's IP Insights notebook: <principal, IPv4> tuples of LOGS (events before --from, or all) are uploaded as",
    "entity,ip CSV, a training job runs on the region's built-in ipinsights image (or --ip-insights-image), a temporary",
    'endpoint scores the pairs active from --from (or every pair), or the GuardDuty findings given, and is deleted again',
    '(--keep-endpoint keeps it). A lower dot product means a more unusual pair. Costs money: a training job and an endpoint.',
    '',
    'examples:',
    '  secml cloudtrail ipinsights AWSLogs/ --from 2024-05-14 --bucket my-bucket --role-arn arn:aws:iam::123456789012:role/SageMaker',
    '  secml cloudtrail ipinsights AWSLogs/ --guardduty findings.json --hp epochs=10 --json',
  ].join('\n'),
  positionals: [{ name: 'LOGS', description: 'CloudTrail files or folders', required: true, variadic: true }],
  options: [
    { name: 'from', type: 'string', valueName: 'TIME', description: 'train on events before this time, score the pairs from it on' },
    { name: 'guardduty', type: 'string', multiple: true, valueName: 'FILE', description: "score these GuardDuty findings' pairs instead (repeatable)" },
    { name: 'hp', type: 'string', multiple: true, valueName: 'NAME=VALUE', description: 'IP Insights hyperparameter (num_entity_vectors, vector_dim, epochs, mini_batch_size, learning_rate, ...)' },
    { name: 'name', type: 'string', valueName: 'NAME', description: 'name of this model in S3 and in job names', default: 'cloudtrail' },
    { name: 'keep-endpoint', type: 'boolean', description: 'leave the endpoint running (delete it later with secml endpoints delete)' },
    { name: 'top', type: 'number', valueName: 'N', description: 'pairs listed, most unusual first', default: 20 },
    ...AWS_OPTIONS,
    ...sageMakerOptionsExcept('scoring', 'instance-count', 'xgboost-image'),
  ],
  async run(args, io) {
    const inputs = positionals(args, 'LOGS').map((p) => path.resolve(p));
    const from = isoOption(str(args, 'from'), 'from');
    const hp = hyperparameters(list(args, 'hp'));
    const json = flag(args, 'json');
    const settings = sageMakerSettingsFromArgs(args);
    const ev = await readAddressEvents(inputs, { signal: io.signal, logger: io.logger });
    io.logger.info(readSummary(ev));
    const train = trainingTuples(ev, from);
    const guardduty = list(args, 'guardduty');
    let score: { entity: string; ip: string; about: string }[];
    if (guardduty.length) {
      const gd = await readGuardDutyFindings(guardduty.map((f) => path.resolve(f)));
      score = gd.tuples.map((t) => ({ entity: t.principal, ip: t.address, about: `${t.findingType} (${path.basename(t.file)}:${t.line})` }));
    } else {
      score = findUnusualPairs(ev, { from }).pairs.map((p) => ({ entity: p.principal, ip: p.address, about: `${p.events} events from ${p.firstTime}` }));
    }
    if (!score.length) throw usageError('nothing to score: no pairs from --from on, or no GuardDuty finding with a principal and a remote address');
    const session = awsSessionFromArgs(args);
    const progress = progressLine(io, json);
    try {
      const { runIpInsights } = require('../../core/backends/sagemaker/ipinsights') as typeof import('../../core/backends/sagemaker/ipinsights');
      const r = await runIpInsights(session, settings, train, score, { name: str(args, 'name') ?? 'cloudtrail', hyperparameters: hp, keepEndpoint: flag(args, 'keep-endpoint'), signal: io.signal, logger: io.logger, onProgress: progress.update });
      progress.done();
      const rows = score.map((s, i) => ({ principal: s.entity, address: s.ip, about: s.about, dotProduct: Number.isNaN(r.dotProducts[i]) ? null : r.dotProducts[i] }));
      rows.sort((a, b) => (a.dotProduct ?? Infinity) - (b.dotProduct ?? Infinity));
      if (json) {
        io.out(JSON.stringify({ trainingJob: r.model.jobName, modelArtifact: r.model.modelArtifact, hyperparameters: r.model.hyperparameters, training: r.training, endpoint: r.endpointName, kept: r.kept, deleted: r.deleted, pairs: rows }, null, 2));
        return 0;
      }
      io.out(`Trained ${r.model.jobName} on ${r.training.rows.toLocaleString('en-US')} tuples of ${r.training.entities} principals${r.training.skippedIpv6 ? ` (${r.training.skippedIpv6} IPv6 left out)` : ''}; scored ${rows.length} pairs on ${r.endpointName}${r.kept ? ' (kept running)' : ', then deleted it'}`);
      io.out('');
      io.out(formatTable(['DOT PRODUCT', 'PRINCIPAL', 'ADDRESS', 'ABOUT'], rows.slice(0, num(args, 'top') ?? 20).map((p) => [p.dotProduct === null ? 'IPv6: n/a' : p.dotProduct.toFixed(4), printable(p.principal, 60), p.address, printable(p.about, 80)])));
      return 0;
    } finally {
      progress.done();
      session.destroy();
    }
  },
};

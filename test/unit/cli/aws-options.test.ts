/**
 * The shared SageMaker options as the real commands parse them: --xgboost-image / --ip-insights-image, their
 * SECML_*_IMAGE_URI fallbacks, and which command takes which.
 */
import * as assert from 'node:assert/strict';
import { parseCommandArgs } from '../../../src/cli/args';
import { sageMakerSettingsFromArgs } from '../../../src/cli/aws-options';
import type { CommandSpec } from '../../../src/cli/command';
import { COMMANDS } from '../../../src/cli/registry';

const MIRROR = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1';
const IPI = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/ipinsights:1';

async function subcommand(command: string, sub: string): Promise<CommandSpec> {
  const spec = await COMMANDS.find((c) => c.name === command)!.load();
  return spec.subcommands!.find((s) => s.name === sub)!;
}

describe('cli/aws-options: image overrides', () => {
  it('experiment run takes --xgboost-image; the flag beats the spec, which beats SECML_XGBOOST_IMAGE_URI', async () => {
    const run = await subcommand('experiment', 'run');
    const env = { SECML_XGBOOST_IMAGE_URI: 'from-env', SECML_IPINSIGHTS_IMAGE_URI: IPI };
    const flagged = parseCommandArgs(run, ['spec.secml.json', '--xgboost-image', MIRROR]);
    assert.equal(sageMakerSettingsFromArgs(flagged, { imageUri: 'from-spec' }, env).imageUri, MIRROR);
    const plain = parseCommandArgs(run, ['spec.secml.json']);
    assert.equal(sageMakerSettingsFromArgs(plain, { imageUri: 'from-spec' }, env).imageUri, 'from-spec');
    assert.equal(sageMakerSettingsFromArgs(plain, {}, env).imageUri, 'from-env');
    assert.equal(sageMakerSettingsFromArgs(plain, {}, {}).imageUri, undefined, 'nothing set: the built-in image');
    assert.equal(sageMakerSettingsFromArgs(plain, {}, { SECML_XGBOOST_IMAGE_URI: '' }).imageUri, undefined);
    assert.throws(() => parseCommandArgs(run, ['spec.secml.json', '--ip-insights-image', IPI]), (e: any) => e.code === 'BAD_ARGUMENT' && e.details?.usage && /unknown option --ip-insights-image/.test(e.message));
  });

  it('cloudtrail ipinsights takes --ip-insights-image (else SECML_IPINSIGHTS_IMAGE_URI), not --xgboost-image', async () => {
    const ipinsights = await subcommand('cloudtrail', 'ipinsights');
    const flagged = parseCommandArgs(ipinsights, ['AWSLogs', '--ip-insights-image', IPI]);
    assert.equal(sageMakerSettingsFromArgs(flagged, {}, { SECML_IPINSIGHTS_IMAGE_URI: 'from-env' }).ipInsightsImageUri, IPI);
    const plain = parseCommandArgs(ipinsights, ['AWSLogs']);
    assert.equal(sageMakerSettingsFromArgs(plain, {}, { SECML_IPINSIGHTS_IMAGE_URI: ` ${IPI} ` }).ipInsightsImageUri, IPI);
    assert.equal(sageMakerSettingsFromArgs(plain, {}, {}).ipInsightsImageUri, undefined);
    assert.throws(() => parseCommandArgs(ipinsights, ['AWSLogs', '--xgboost-image', MIRROR]), (e: any) => e.code === 'BAD_ARGUMENT' && e.details?.usage && /unknown option --xgboost-image/.test(e.message));
  });
});

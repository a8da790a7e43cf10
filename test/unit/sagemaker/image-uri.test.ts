/**
 * Image-URI overrides: what checkImageUri accepts and refuses (with the setting named), the built-in tables falling back
 * to the override, the errors of a region without a built-in image, and the experiment spec's `sagemaker.imageUri`.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ipInsightsImageUri, ipInsightsRegions, xgboostImageUri, xgboostRegions } from '../../../src/core/backends/sagemaker/images';
import { sageMakerSettings } from '../../../src/core/backends/sagemaker/settings';
import { checkImageUri, IPINSIGHTS_IMAGE_SETTING, XGBOOST_IMAGE_SETTING } from '../../../src/core/backends/sagemaker/validate';
import { parseExperimentSpec } from '../../../src/core/experiments/spec';

const bad = (re: RegExp) => (e: any) => e.code === 'BAD_ARGUMENT' && re.test(e.message);
const MIRROR = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1';
const DIGEST = 'a'.repeat(64);
/** A real region that neither built-in table lists. */
const UNLISTED = 'mx-central-1';

describe('sagemaker/image URI overrides', () => {
  it('accepts ECR references: tag, digest, no tag, nested repositories, China and FIPS hosts', () => {
    const ok = [
      MIRROR,
      `111122223333.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost@sha256:${DIGEST}`,
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgboost',
      '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/team_a/ml.images/xgboost:2.0-1_gpu',
      '111122223333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/xgboost:1.7-1',
    ];
    for (const u of ok) assert.equal(checkImageUri(u, XGBOOST_IMAGE_SETTING), u);
    assert.equal(checkImageUri(`  ${MIRROR}\n`, XGBOOST_IMAGE_SETTING, 'us-east-1'), MIRROR);
  });

  it('refuses other registries, saying SageMaker pulls from ECR and naming the setting', () => {
    for (const u of ['docker.io/library/xgboost:1.7', 'ghcr.io/acme/xgboost:1', 'registry.internal:5000/ml/xgboost:1.7-1']) {
      assert.throws(() => checkImageUri(u, XGBOOST_IMAGE_SETTING), bad(/\(secml\.sagemaker\.xgboostImageUri \/ --xgboost-image.*\) is not in Amazon ECR \(registry ".+"\): SageMaker pulls training images from ECR in the job's region/), u);
    }
    assert.throws(() => checkImageUri('xgboost:1.7-1', XGBOOST_IMAGE_SETTING), bad(/has no registry host; expected <12-digit account>\.dkr\.ecr\.<region>/));
    assert.throws(() => checkImageUri(`https://${MIRROR}`, XGBOOST_IMAGE_SETTING), bad(/has a URL scheme/));
  });

  it('refuses malformed ECR references, each with what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['11112222333.dkr.ecr.us-east-1.amazonaws.com/xgboost:1', /malformed ECR registry host "11112222333\.dkr\.ecr/],
      ['111122223333.dkr.ecr.useast1.amazonaws.com/xgboost:1', /malformed ECR registry host/],
      ['111122223333.dkr.ecr.cn-north-1.amazonaws.com/xgboost:1', /China regions use amazonaws\.com\.cn/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com.cn/xgboost:1', /China regions use amazonaws\.com\.cn/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/XGBoost:1', /"XGBoost" as its repository/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/', /"" as its repository/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/xgboost:', /malformed tag ""/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/xgboost:-1', /malformed tag "-1"/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/xgboost@sha256:abc', /malformed digest "sha256:abc"/],
      [`111122223333.dkr.ecr.us-east-1.amazonaws.com/xgboost:1@sha256:${DIGEST}`, /both a tag and a digest/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/xgb oost:1', /white space/],
      [`111122223333.dkr.ecr.us-east-1.amazonaws.com/${'x'.repeat(240)}`, /characters; SageMaker allows at most 255/],
      ['', /is empty/],
    ];
    for (const [u, re] of cases) assert.throws(() => checkImageUri(u, IPINSIGHTS_IMAGE_SETTING), bad(re), u);
    assert.throws(() => checkImageUri('x', IPINSIGHTS_IMAGE_SETTING), bad(/--ip-insights-image/));
  });

  it("refuses an image in another region than the job's", () => {
    assert.throws(() => checkImageUri(MIRROR, XGBOOST_IMAGE_SETTING, 'eu-west-1'), bad(/is in region us-east-1, but SageMaker runs in eu-west-1: it needs the image in ECR of the same region/));
    assert.throws(() => xgboostImageUri('eu-west-1', MIRROR), bad(/runs in eu-west-1/));
  });

  it('the override replaces the built-in XGBoost image; empty means the built-in one', () => {
    assert.equal(xgboostImageUri('us-east-1', MIRROR), MIRROR);
    assert.equal(xgboostImageUri('us-east-1', '  '), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    assert.equal(xgboostImageUri('us-east-1', undefined), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    assert.throws(() => xgboostImageUri('us-east-1', 'docker.io/x:1'), bad(/secml\.sagemaker\.xgboostImageUri/));
    assert.throws(() => xgboostImageUri(undefined, MIRROR), bad(/No AWS region/));
  });

  it('a region without a built-in image: the error says how to set an override, and an override works there', () => {
    assert.ok(!xgboostRegions().includes(UNLISTED) && !ipInsightsRegions().includes(UNLISTED), `${UNLISTED} is now in a built-in table: pick another unlisted region for this test`);
    assert.throws(
      () => xgboostImageUri(UNLISTED),
      bad(/not known for region "mx-central-1" \(known: .*us-east-1.*\)\. Set the URI of an XGBoost image in ECR in mx-central-1 .* in secml\.sagemaker\.xgboostImageUri \(CLI: --xgboost-image or SECML_XGBOOST_IMAGE_URI; spec: "sagemaker": \{"imageUri": \.\.\.\}\), e\.g\. <account>\.dkr\.ecr\.mx-central-1\.amazonaws\.com\/sagemaker-xgboost:1\.7-1\./),
    );
    assert.throws(() => ipInsightsImageUri(UNLISTED), bad(/IP Insights image is not known for region "mx-central-1".*in secml\.sagemaker\.ipInsightsImageUri \(CLI: --ip-insights-image or SECML_IPINSIGHTS_IMAGE_URI\), e\.g\. <account>\.dkr\.ecr\.mx-central-1\.amazonaws\.com\/ipinsights:1\./));
    const mx = '111122223333.dkr.ecr.mx-central-1.amazonaws.com/sagemaker-xgboost:1.7-1';
    assert.equal(xgboostImageUri(UNLISTED, mx), mx);
    const ip = '111122223333.dkr.ecr.mx-central-1.amazonaws.com/ipinsights:1';
    assert.equal(ipInsightsImageUri(UNLISTED, ip), ip);
    assert.throws(() => ipInsightsImageUri(UNLISTED, mx.replace('mx-central-1', 'us-east-1')), bad(/--ip-insights-image.*runs in mx-central-1/s));
  });

  it('settings trim the overrides and drop empty ones', () => {
    const s = sageMakerSettings({ imageUri: ` ${MIRROR} `, ipInsightsImageUri: '' });
    assert.equal(s.imageUri, MIRROR);
    assert.equal(s.ipInsightsImageUri, undefined);
  });

  it("an experiment spec's sagemaker.imageUri: a string, empty = not set; the schema pattern agrees with the check on common forms", () => {
    const spec = (sagemaker: unknown) => parseExperimentSpec({ name: 'x', input: { files: ['a.txt'], format: 'seed' }, variants: ['full'], sagemaker }, 'x.secml.json');
    assert.equal(spec({ imageUri: MIRROR }).sagemaker?.imageUri, MIRROR);
    assert.equal(spec({ imageUri: '' }).sagemaker?.imageUri, undefined);
    assert.throws(() => spec({ imageUri: 7 }), /sagemaker\.imageUri: expected a string/);
    // A malformed image is a spec problem at load time, with its line (the region is checked when training starts).
    const value = { name: 'x', input: { files: ['a.txt'], format: 'seed' }, variants: ['full'], sagemaker: { instanceType: 'ml.m5.xlarge', imageUri: 'docker.io/library/xgboost:1.7' } };
    const text = JSON.stringify(value, null, 2);
    assert.throws(
      () => parseExperimentSpec(value, 'x.secml.json', text),
      (e: any) => e.code === 'BAD_ARGUMENT' && e.file === 'x.secml.json' && e.line === text.split('\n').findIndex((l) => l.includes('"imageUri"')) + 1 && /^sagemaker\.imageUri: "docker\.io\/library\/xgboost:1\.7" is not in Amazon ECR \(registry "docker\.io"\).*; expected <12-digit account>/.test(e.message),
    );
    assert.equal(spec({ imageUri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgboost:1' }).sagemaker?.imageUri, '111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgboost:1', 'any region at load time');

    const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/experiment.schema.json'), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties.sagemaker.properties).sort(), ['bucket', 'imageUri', 'instanceCount', 'instanceType', 'maxRuntimeSeconds', 'prefix', 'roleArn']);
    const pattern = new RegExp(schema.properties.sagemaker.properties.imageUri.pattern);
    const samples = [MIRROR, `111122223333.dkr.ecr.us-east-1.amazonaws.com/xgb@sha256:${DIGEST}`, '111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/a/b', 'docker.io/library/xgboost:1', 'xgboost:1.7-1', '1111.dkr.ecr.us-east-1.amazonaws.com/x', '111122223333.dkr.ecr.us-east-1.amazonaws.com/x:-1'];
    for (const u of samples) {
      let checked = true;
      try {
        checkImageUri(u, XGBOOST_IMAGE_SETTING);
      } catch {
        checked = false;
      }
      assert.equal(pattern.test(u), checked, `schema and checkImageUri disagree on "${u}"`);
    }
  });

  it('package.json contributes secml.sagemaker.xgboostImageUri (string, empty by default)', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties ?? Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
    const p = props['secml.sagemaker.xgboostImageUri'];
    assert.equal(p.type, 'string');
    assert.equal(p.default, '');
    assert.match(p.description, /Empty: the region's built-in XGBoost 1\.7-1 image/);
  });

  it('package.json contributes secml.sagemaker.ipInsightsImageUri (string, empty by default), named in its errors', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties ?? Object.assign({}, ...pkg.contributes.configuration.map((c: { properties: object }) => c.properties));
    const p = props['secml.sagemaker.ipInsightsImageUri'];
    assert.equal(p.type, 'string');
    assert.equal(p.default, '');
    assert.throws(() => checkImageUri('x', IPINSIGHTS_IMAGE_SETTING), bad(/secml\.sagemaker\.ipInsightsImageUri \/ --ip-insights-image/));
  });
});

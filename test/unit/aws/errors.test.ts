import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { toSecmlError, isExpiredCredentials, isThrottling } from '../../../src/core/aws/errors';
import { AwsSession, connectionFromEnv } from '../../../src/core/aws/connection';
import { regionNameProblem } from '../../../src/core/aws/connection-settings';

const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, requestId: 'r-1' } });

describe('aws/errors', () => {
  it('maps expired and denied credentials to AWS_AUTH with an actionable message', () => {
    const e = toSecmlError(sdkError('ExpiredTokenException', 'The security token included in the request is expired'), 'List training jobs');
    assert.equal(e.code, 'AWS_AUTH');
    assert.match(e.message, /^List training jobs: your AWS credentials have expired/);
    assert.equal(toSecmlError(sdkError('AccessDeniedException', 'not allowed'), 'x').code, 'AWS_AUTH');
    assert.ok(isExpiredCredentials(sdkError('ExpiredToken', 'expired')));
  });

  it('maps throttling, not-found, unreachable and missing region', () => {
    const t = toSecmlError(sdkError('ThrottlingException', 'Rate exceeded'), 'Describe job');
    assert.equal(t.code, 'AWS');
    assert.equal(t.details?.throttled, true);
    assert.ok(isThrottling(sdkError('TooManyRequestsException', 'slow down', 429)));
    assert.equal(toSecmlError(sdkError('NoSuchKey', 'The specified key does not exist.', 404), 'Read').code, 'NOT_FOUND');
    assert.match(toSecmlError(new Error('connect ECONNREFUSED 127.0.0.1:1'), 'List').message, /cannot reach AWS/);
    const r = toSecmlError(new Error('Region is missing'), 'List');
    assert.equal(r.code, 'BAD_ARGUMENT');
    assert.match(r.message, /Configure AWS/);
  });

  it('retries once after expired credentials, then reports AWS_AUTH', async () => {
    const s = new AwsSession({ region: 'us-east-1' });
    let calls = 0;
    const out = await s.call('op', async () => {
      calls++;
      if (calls === 1) throw sdkError('ExpiredTokenException', 'expired');
      return 'ok';
    });
    assert.equal(out, 'ok');
    assert.equal(calls, 2);
    calls = 0;
    await assert.rejects(
      s.call('op', async () => {
        calls++;
        throw sdkError('ExpiredTokenException', 'expired');
      }),
      (e: any) => e.code === 'AWS_AUTH',
    );
    assert.equal(calls, 2);
  });

  it('reads the standard environment variables, explicit values first', () => {
    const c = connectionFromEnv({ AWS_PROFILE: 'dev', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }, { region: 'us-east-2' });
    assert.deepEqual([c.profile, c.region, c.endpointUrl], ['dev', 'us-east-2', 'http://127.0.0.1:5000']);
    assert.throws(() => new AwsSession({ endpointUrl: 'not a url' }), /not a valid URL/);
  });

  it('names a profile that is not in the AWS config files instead of "no credentials"', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'secml-aws-profile-'));
    const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    try {
      writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n');
      writeFileSync(path.join(dir, 'credentials'), '');
      process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
      const noCredentials = () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
      await assert.rejects(new AwsSession({ profile: 'nope', region: 'us-east-1' }).call('List endpoints', noCredentials), (e: any) => {
        assert.equal(e.code, 'AWS_AUTH');
        assert.equal(e.message, `List endpoints: the AWS profile "nope" is not in ${path.join(dir, 'config')} or ${path.join(dir, 'credentials')}. Profiles there: default, dev. Pick one with "SecML: Configure AWS" (CLI: --profile or AWS_PROFILE).`);
        return true;
      });
      // A profile that exists but has no usable credentials keeps the SDK's own reason.
      await assert.rejects(new AwsSession({ profile: 'dev', region: 'us-east-1' }).call('List endpoints', noCredentials), /no AWS credentials were found \(Could not load credentials from any providers\)/);
    } finally {
      for (const [k, v] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('aws/region names', () => {
  it('accepts the shapes AWS uses (a region typed by hand in Configure AWS) and names what is wrong', () => {
    for (const r of ['us-east-1', 'ap-southeast-4', 'us-gov-west-1', 'mx-central-1', 'cn-northwest-1', 'eu-south-2']) assert.equal(regionNameProblem(r), undefined, r);
    for (const r of ['', 'US-EAST-1', 'us-east', 'useast1', 'us-east-1 ', 'us-east-1a', 'us_east_1']) assert.match(regionNameProblem(r) ?? '', /is not an AWS region name \(e\.g\. us-east-1\)/, r);
  });
});

import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listAwsProfiles } from '../../../src/core/aws/profiles';
import { roleArnPrefix } from '../../../src/core/aws/identity';

describe('aws/profiles: what "Configure AWS" offers', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secml-aws-'));
    await fs.writeFile(
      path.join(dir, 'config'),
      [
        '[default]',
        'region = us-east-1',
        '[profile dev-sso]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'region=eu-west-1',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        '[profile tool]',
        'credential_process = /usr/local/bin/get-creds --profile tool',
        '[profile admin]',
        'role_arn = arn:aws:iam::111122223333:role/Admin',
        'source_profile = default',
        '[services local]',
        'sagemaker =',
        '  endpoint_url = http://127.0.0.1:5000',
        '',
      ].join('\n'),
    );
    await fs.writeFile(path.join(dir, 'credentials'), '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = SECRETSECRET\n[ci]\naws_access_key_id=AKIA2\naws_secret_access_key=S2\n');
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('lists profiles from both files with region and kind, never a secret', async () => {
    const profiles = await listAwsProfiles({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
    assert.deepEqual(profiles, [
      { name: 'default', region: 'us-east-1', kind: 'access-keys' },
      { name: 'admin', region: undefined, kind: 'assume-role' },
      { name: 'ci', region: undefined, kind: 'access-keys' },
      { name: 'dev-sso', region: 'eu-west-1', kind: 'sso' },
      { name: 'tool', region: undefined, kind: 'credential-process' },
    ]);
    assert.ok(!JSON.stringify(profiles).includes('SECRET') && !JSON.stringify(profiles).includes('AKIA'));
  });

  it('missing files mean no profiles', async () => {
    assert.deepEqual(await listAwsProfiles({ AWS_CONFIG_FILE: path.join(dir, 'nope'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'nope2') }), []);
  });

  it('prefills a role ARN for the caller account and partition', () => {
    assert.equal(roleArnPrefix({ account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Dev/me', userId: 'x' }), 'arn:aws:iam::123456789012:role/');
    assert.equal(roleArnPrefix({ account: '1', arn: 'arn:aws-cn:iam::1:user/me', userId: 'x' }), 'arn:aws-cn:iam::1:role/');
  });
});

import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readGuardDutyFindings } from '../../../src/core/analytics/guardduty-findings';
import { GUARDDUTY, tempDir } from './trail-fixture';
import { requireDataset } from '../../helpers/tools';

const API = path.join(GUARDDUTY, 'aws-cli_examples_guardduty_get-findings_output.json');

describe('analytics: GuardDuty findings as principal/IP tuples', () => {
  it("reads the API's PascalCase finding: the IAM user's ARN and the remote address, with its line", async function () {
    requireDataset(this, GUARDDUTY);
    const r = await readGuardDutyFindings([API]);
    assert.equal(r.findings, 1);
    assert.deepEqual(
      r.tuples.map(({ file, ...t }) => t),
      [{ principal: 'arn:aws:iam::111122223333:user/testuser', address: '52.94.36.7', findingId: '1ab92989eaf0e742df4a014d5example', findingType: 'Recon:IAMUser/UserPermissions', severity: 5, time: '2020-05-26T22:33:55Z', line: 58 }],
    );
  });

  it('counts findings about other resources (an EventBridge instance finding, 2,000 synthetic ones) without guessing', async function () {
    requireDataset(this, GUARDDUTY);
    const ev = await readGuardDutyFindings([path.join(GUARDDUTY, 'aws-samples_amazon-guardduty-waf-acl_gd2acl_test_event.json')]);
    assert.deepEqual([ev.findings, ev.withoutPrincipal, ev.tuples.length], [1, 1, 0]);
    const synthetic = await readGuardDutyFindings([path.join(GUARDDUTY, 'synthetic_praharshkumar23_guardduty_findings_2000.json')]);
    assert.deepEqual([synthetic.findings, synthetic.withoutPrincipal, synthetic.tuples.length], [2000, 2000, 0]);
  });

  it('reads camelCase EventBridge events as JSON lines: assumed-role sessions, root, port probes', async () => {
    const dir = tempDir('gd');
    const event = (detail: unknown) => JSON.stringify({ 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail });
    const finding = (id: string, details: unknown, action: unknown) => ({ id, type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', accountId: '482910375615', partition: 'aws', severity: 8, updatedAt: '2024-05-14T15:00:00Z', resource: { resourceType: 'AccessKey', accessKeyDetails: details }, service: { action } });
    const file = path.join(dir, 'events.jsonl');
    await fs.writeFile(
      file,
      [
        event(finding('a', { userType: 'AssumedRole', userName: 'acme-app-server', principalId: 'AROAEXAMPLE:i-0a1b2c3d4e5f67890', accessKeyId: 'ASIAEXAMPLE' }, { actionType: 'AWS_API_CALL', awsApiCallAction: { remoteIpDetails: { ipAddressV4: '203.0.113.66' } } })),
        '',
        event(finding('b', { userType: 'Root', principalId: '482910375615' }, { portProbeAction: { portProbeDetails: [{ remoteIpDetails: { ipAddressV4: '198.51.100.9' } }] } })),
        event(finding('c', { userType: 'IAMUser', userName: 'bob' }, { actionType: 'DNS_REQUEST', dnsRequestAction: { domain: 'example.com' } })),
      ].join('\n'),
    );
    const r = await readGuardDutyFindings([file]);
    assert.equal(r.findings, 3);
    assert.equal(r.withoutAddress, 1);
    assert.deepEqual(
      r.tuples.map((t) => [t.principal, t.address, t.line]),
      [
        ['arn:aws:sts::482910375615:assumed-role/acme-app-server/i-0a1b2c3d4e5f67890', '203.0.113.66', 1],
        ['arn:aws:iam::482910375615:root', '198.51.100.9', 3],
      ],
    );
  });

  it('bad JSON is reported at its file and line; other JSON is refused by name', async () => {
    const dir = tempDir('gd-bad');
    const broken = path.join(dir, 'broken.json');
    await fs.writeFile(broken, '{\n  "Findings": [\n    {"Id": "x",\n     "Type": oops}\n  ]\n}\n');
    await assert.rejects(readGuardDutyFindings([broken]), (e: Error & { code?: string; file?: string; line?: number }) => e.code === 'LOG_FORMAT' && e.file === broken && e.line === 4 && /not valid JSON/.test(e.message));
    const lines = path.join(dir, 'lines.jsonl');
    await fs.writeFile(lines, '{"detail": {"id": "1"}}\n{"detail": {"id": \n');
    await assert.rejects(readGuardDutyFindings([lines]), (e: Error & { line?: number }) => e.line === 2);
    const other = path.join(dir, 'other.json');
    await fs.writeFile(other, '{"Records": []}');
    await assert.rejects(readGuardDutyFindings([other]), /holds no GuardDuty findings/);
  });
});

/**
 * Builds CloudTrail records with the fields, shapes and field order CloudTrail delivers (checked against the
 * real files in shared/datasets/cloudtrail-invictus-stratus): management events, S3 data events, console
 * sign-ins and AWS service events. Every identifier comes from the seeded generator.
 */
import type { Random } from '../prng';

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export function randomText(rng: Random, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

export function uuid(rng: Random): string {
  const h = (n: number) => randomText(rng, HEX, n);
  return `${h(8)}-${h(4)}-4${h(3)}-${'89ab'[rng.int(4)]}${h(3)}-${h(12)}`;
}

export const accessKeyId = (rng: Random, temporary: boolean) => (temporary ? 'ASIA' : 'AKIA') + randomText(rng, ALNUM_UPPER, 16);
export const uniqueId = (rng: Random, prefix: 'AIDA' | 'AROA') => prefix + randomText(rng, ALNUM_UPPER, 17);
export const fileSuffix = (rng: Random) => randomText(rng, ALNUM, 16);

/** Who makes a call, from where, with what client. */
export interface Actor {
  /** The `userIdentity` object exactly as CloudTrail writes it. */
  identity: Record<string, unknown>;
  ip: string;
  userAgent: string;
  /** Calls from the console carry `sessionCredentialFromConsole: "true"`. */
  console?: boolean;
  /** Calls through a VPC endpoint carry `vpcEndpointId`. */
  vpcEndpointId?: string;
}

export interface CallOptions {
  readOnly: boolean;
  params?: Record<string, unknown> | null;
  response?: Record<string, unknown> | null;
  error?: { code: string; message: string };
  resources?: Record<string, unknown>[];
  additionalEventData?: Record<string, unknown>;
  /** Host the client connected to (tlsDetails.clientProvidedHostHeader); defaults to `<service>.<region>.amazonaws.com`. */
  host?: string;
}

export interface RecordedEvent {
  time: number;
  region: string;
  record: Record<string, unknown>;
}

const GLOBAL_HOSTS: Record<string, string> = { iam: 'iam.amazonaws.com', sts: 'sts.amazonaws.com', signin: 'signin.aws.amazon.com' };

export class TrailRecorder {
  readonly events: RecordedEvent[] = [];

  constructor(
    private readonly rng: Random,
    readonly account: string,
  ) {}

  private base(actor: Actor, time: number, source: string, name: string, region: string): Record<string, unknown> {
    return {
      eventVersion: '1.09',
      userIdentity: actor.identity,
      eventTime: new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      eventSource: source,
      eventName: name,
      awsRegion: region,
      sourceIPAddress: actor.ip,
      userAgent: source === 's3.amazonaws.com' ? `[${actor.userAgent}]` : actor.userAgent,
    };
  }

  private tls(service: string, region: string, host?: string): Record<string, unknown> {
    const v13 = this.rng.chance(0.6);
    return {
      tlsVersion: v13 ? 'TLSv1.3' : 'TLSv1.2',
      cipherSuite: v13 ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256',
      clientProvidedHostHeader: host ?? GLOBAL_HOSTS[service] ?? `${service}.${region}.amazonaws.com`,
    };
  }

  /** A management API call, e.g. `call(alice, t, 'us-east-1', 'ec2', 'DescribeInstances', {readOnly: true})`. */
  call(actor: Actor, time: number, region: string, service: string, name: string, o: CallOptions): Record<string, unknown> {
    const source = `${service}.amazonaws.com`;
    const r = this.base(actor, time, source, name, region);
    if (o.error) {
      r.errorCode = o.error.code;
      r.errorMessage = o.error.message;
    }
    r.requestParameters = o.params ?? null;
    r.responseElements = o.error ? null : (o.response ?? null);
    if (o.additionalEventData) r.additionalEventData = o.additionalEventData;
    r.requestID = uuid(this.rng);
    r.eventID = uuid(this.rng);
    r.readOnly = o.readOnly;
    if (o.resources) r.resources = o.resources;
    r.eventType = 'AwsApiCall';
    r.managementEvent = true;
    r.recipientAccountId = this.account;
    if (actor.vpcEndpointId) r.vpcEndpointId = actor.vpcEndpointId;
    r.eventCategory = 'Management';
    r.tlsDetails = this.tls(service, region, o.host);
    if (actor.console) r.sessionCredentialFromConsole = 'true';
    this.events.push({ time, region, record: r });
    return r;
  }

  /** An S3 object-level data event (GetObject, PutObject, ListObjects...). */
  s3Data(actor: Actor, time: number, region: string, name: string, bucket: string, key: string | undefined, o: { bytesOut?: number; bytesIn?: number; error?: { code: string; message: string } }): void {
    const r = this.base(actor, time, 's3.amazonaws.com', name, region);
    if (o.error) {
      r.errorCode = o.error.code;
      r.errorMessage = o.error.message;
    }
    const host = `${bucket}.s3.${region}.amazonaws.com`;
    r.requestParameters = key === undefined ? { 'list-type': '2', bucketName: bucket, Host: host, prefix: '' } : { bucketName: bucket, Host: host, key };
    r.responseElements = null;
    r.additionalEventData = {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: o.bytesIn ?? 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': randomText(this.rng, ALNUM, 76),
      bytesTransferredOut: o.error ? 243 : (o.bytesOut ?? 0),
    };
    r.requestID = randomText(this.rng, ALNUM_UPPER, 16);
    r.eventID = uuid(this.rng);
    r.readOnly = name.startsWith('Get') || name.startsWith('List') || name.startsWith('Head');
    r.resources = [
      ...(key === undefined ? [] : [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }]),
      { accountId: this.account, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ];
    r.eventType = 'AwsApiCall';
    r.managementEvent = false;
    r.recipientAccountId = this.account;
    if (actor.vpcEndpointId) r.vpcEndpointId = actor.vpcEndpointId;
    r.eventCategory = 'Data';
    r.tlsDetails = this.tls('s3', region, host);
    this.events.push({ time, region, record: r });
  }

  /** A console sign-in (success or failure), always recorded in us-east-1 for IAM users and root. */
  consoleLogin(actor: Actor, time: number, ok: boolean, mfa: boolean): void {
    const r = this.base(actor, time, 'signin.amazonaws.com', 'ConsoleLogin', 'us-east-1');
    if (!ok) {
      r.errorCode = 'Failed authentication';
      r.errorMessage = 'Failed authentication';
    }
    r.requestParameters = null;
    r.responseElements = { ConsoleLogin: ok ? 'Success' : 'Failure' };
    r.additionalEventData = { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfa ? 'Yes' : 'No' };
    r.eventID = uuid(this.rng);
    r.readOnly = false;
    r.eventType = 'AwsConsoleSignIn';
    r.managementEvent = true;
    r.recipientAccountId = this.account;
    r.eventCategory = 'Management';
    r.tlsDetails = this.tls('signin', 'us-east-1');
    this.events.push({ time, region: 'us-east-1', record: r });
  }

  /** An AWS service acting for the account, e.g. EC2 assuming an instance profile's role. */
  serviceCall(service: string, time: number, region: string, source: string, name: string, params: Record<string, unknown>, response: Record<string, unknown> | null, resources: Record<string, unknown>[]): void {
    const r: Record<string, unknown> = {
      eventVersion: '1.09',
      userIdentity: { type: 'AWSService', invokedBy: service },
      eventTime: new Date(Math.floor(time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
      eventSource: source,
      eventName: name,
      awsRegion: region,
      sourceIPAddress: service,
      userAgent: service,
      requestParameters: params,
      responseElements: response,
      requestID: uuid(this.rng),
      eventID: uuid(this.rng),
      readOnly: true,
      resources,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: this.account,
      sharedEventID: uuid(this.rng),
      eventCategory: 'Management',
    };
    this.events.push({ time, region, record: r });
  }
}

/**
 * The CloudTrail record schema, written once and rendered twice: as the column list of the Athena table (AWS's documented
 * DDL, `../shared/datasets/athena-ddl/`) and as the DuckDB `read_json` schema behind the local `cloudtrail` view, so a
 * query written against one engine names the same columns on the other.
 *
 * Field names are the JSON keys as CloudTrail writes them (camelCase); Athena and DuckDB both resolve column and struct
 * field names case-insensitively, so `useridentity.sessioncontext.sessionissuer.arn` works on both.
 */

export type CloudTrailFieldType =
  | 'string'
  /** A JSON object kept as its JSON text (Athena STRING; DuckDB reads it as JSON and exposes VARCHAR). */
  | 'json'
  /** A string->string map (Athena map<string,string>; DuckDB keeps the JSON text). */
  | 'map'
  | { struct: CloudTrailField[] }
  | { array: CloudTrailFieldType };

export interface CloudTrailField {
  /** JSON key exactly as CloudTrail writes it. */
  key: string;
  /** Athena column name when it differs from key.toLowerCase() (top level only). */
  column?: string;
  type: CloudTrailFieldType;
  /** Only in the JsonSerDe form of AWS's DDL (the CloudTrailSerde form predates these fields). */
  jsonSerdeOnly?: boolean;
}

const str = (key: string, extra: Partial<CloudTrailField> = {}): CloudTrailField => ({ key, type: 'string', ...extra });
const json = (key: string): CloudTrailField => ({ key, type: 'json' });

const SESSION_ISSUER: CloudTrailField[] = [str('type'), str('principalId'), str('arn'), str('accountId'), str('userName')];

const USER_IDENTITY: CloudTrailField[] = [
  str('type'),
  str('principalId'),
  str('arn'),
  str('accountId'),
  str('invokedBy'),
  str('accessKeyId'),
  str('userName'),
  {
    key: 'sessionContext',
    type: {
      struct: [
        { key: 'attributes', type: { struct: [str('mfaAuthenticated'), str('creationDate')] } },
        { key: 'sessionIssuer', type: { struct: SESSION_ISSUER } },
        str('ec2RoleDelivery', { jsonSerdeOnly: true }),
        { key: 'webIdFederationData', type: 'map', jsonSerdeOnly: true },
      ],
    },
  },
];

/** Top-level columns in the order of AWS's documented table (manual-partition JsonSerDe form). */
export const CLOUDTRAIL_FIELDS: CloudTrailField[] = [
  str('eventVersion'),
  { key: 'userIdentity', type: { struct: USER_IDENTITY } },
  str('eventTime'),
  str('eventSource'),
  str('eventName'),
  str('awsRegion'),
  str('sourceIPAddress'),
  str('userAgent'),
  str('errorCode'),
  str('errorMessage'),
  json('requestParameters'),
  json('responseElements'),
  json('additionalEventData'),
  str('requestID'),
  str('eventID'),
  { key: 'resources', type: { array: { struct: [str('ARN'), str('accountId'), str('type')] } } },
  str('eventType'),
  str('apiVersion'),
  str('readOnly'),
  str('recipientAccountId'),
  json('serviceEventDetails'),
  str('sharedEventID'),
  str('vpcEndpointId'),
  { key: 'tlsDetails', type: { struct: [str('tlsVersion'), str('cipherSuite'), str('clientProvidedHostHeader')] }, jsonSerdeOnly: true },
];

export function columnName(f: CloudTrailField): string {
  return f.column ?? f.key.toLowerCase();
}

// ---- Athena rendering ----

function athenaType(t: CloudTrailFieldType, serde: 'json' | 'cloudtrail', indent: string): string {
  if (t === 'string' || t === 'json') return 'STRING';
  if (t === 'map') return 'MAP<STRING,STRING>';
  if ('array' in t) return `ARRAY<${athenaType(t.array, serde, indent)}>`;
  const inner = indent + '  ';
  const fields = t.struct
    .filter((f) => serde === 'json' || !f.jsonSerdeOnly)
    .map((f) => `${inner}${f.key}: ${athenaType(f.type, serde, inner)}`);
  return `STRUCT<\n${fields.join(',\n')}>`;
}

/** The column list of the Athena CREATE TABLE (without parentheses), one column per line. */
export function athenaColumnsDdl(serde: 'json' | 'cloudtrail'): string {
  return CLOUDTRAIL_FIELDS.filter((f) => serde === 'json' || !f.jsonSerdeOnly)
    .map((f) => `  ${columnName(f)} ${athenaType(f.type, serde, '  ')}`)
    .join(',\n');
}

// ---- DuckDB rendering ----

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB type of a field as `read_json` should parse it (JSON objects kept as JSON, everything else typed). */
export function duckdbType(t: CloudTrailFieldType): string {
  if (t === 'string') return 'VARCHAR';
  if (t === 'json' || t === 'map') return 'JSON';
  if ('array' in t) return `${duckdbType(t.array)}[]`;
  return `STRUCT(${t.struct.map((f) => `${quoteIdent(f.key)} ${duckdbType(f.type)}`).join(', ')})`;
}

/** The `columns={...}` argument of read_json for one CloudTrail event per JSON value. */
export function duckdbEventColumns(): string {
  return `{${CLOUDTRAIL_FIELDS.map((f) => `${quoteIdent(f.key)}: '${duckdbType(f.type)}'`).join(', ')}}`;
}

/** The struct type of one event (for the `Records` array of a delivered CloudTrail file). */
export function duckdbEventStruct(): string {
  return duckdbType({ struct: CLOUDTRAIL_FIELDS });
}

/**
 * Select-list expressions turning a parsed event (`src` = a struct or the row itself) into the Athena-named columns.
 * JSON-typed fields are exposed as VARCHAR (their JSON text), as Athena's STRING columns are.
 */
export function duckdbSelectList(src: string): string {
  return CLOUDTRAIL_FIELDS.map((f) => {
    const ref = src ? `${src}.${quoteIdent(f.key)}` : quoteIdent(f.key);
    const expr = f.type === 'json' ? `CAST(${ref} AS VARCHAR)` : ref;
    return `${expr} AS ${quoteIdent(columnName(f))}`;
  }).join(', ');
}

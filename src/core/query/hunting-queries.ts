/**
 * The hunting-query library: the seed's exploration queries (SEC351-Athena-CT-query-4x4.sql, with its hard-coded
 * accounts, regions and months turned into `?` parameters) and the common CloudTrail hunts. Each is written in Athena's
 * dialect over the `cloudtrail` table and runs unchanged on DuckDB (via the Presto macros), so one snippet serves both
 * engines. Values a hunter changes are `?` placeholders bound as parameters, never edited into the text.
 */

export interface HuntingParam {
  name: string;
  /** What to type, e.g. a 12-digit account id. */
  hint: string;
  /** A typed parameter literal (see params.ts: plain text is a string, num:5 a number). */
  example: string;
}

export interface HuntingQuery {
  id: string;
  title: string;
  /** What it finds and why it matters (shown in the picker and as the snippet's comment). */
  description: string;
  /** MITRE ATT&CK technique ids, when one fits. */
  attack?: string[];
  /** From the seed's SQL file. */
  seed?: boolean;
  sql: string;
  params: HuntingParam[];
}

const ACCOUNT: HuntingParam = { name: 'account', hint: 'AWS account id (the partition column)', example: '218007301253' };
const REGION: HuntingParam = { name: 'region', hint: 'region (the partition column)', example: 'us-east-1' };
const MONTH: HuntingParam = { name: 'month', hint: 'two-digit month (the partition column)', example: '07' };

export const HUNTING_QUERIES: HuntingQuery[] = [
  {
    id: 'seed-count-partition',
    title: 'Count events in one account, region and month',
    description: "The seed's first query: how big is one partition. Filtering on partition columns keeps Athena's scan (and cost) small.",
    seed: true,
    params: [ACCOUNT, REGION, MONTH],
    sql: `select count(*) as events
from cloudtrail
where account = ? and region = ? and month = ?`,
  },
  {
    id: 'seed-eventname-frequency',
    title: 'Event-name frequency in one account, region and month',
    description: "The seed's frequency distribution of API calls: the baseline every hunt starts from.",
    seed: true,
    params: [ACCOUNT, REGION, MONTH],
    sql: `select eventname, count(*) as frequency
from cloudtrail
where account = ? and region = ? and month = ?
group by eventname
order by count(*) desc, eventname`,
  },
  {
    id: 'seed-eventname-prefix-count',
    title: 'How often an API call (by prefix) occurs',
    description: "The seed's count of one event name prefix (CreateUser%) across accounts in one region and month.",
    seed: true,
    params: [REGION, MONTH, { name: 'event name pattern', hint: "LIKE pattern, e.g. CreateUser%", example: 'CreateUser%' }],
    sql: `select count(*) as frequency
from cloudtrail
where region = ? and month = ? and eventname like ?`,
  },
  {
    id: 'seed-eventname-details',
    title: 'Who made an API call, and when',
    description: "The seed's details of CreateUser calls: account, time, service, call and the caller's ARN.",
    seed: true,
    params: [REGION, MONTH, { name: 'event name pattern', hint: 'LIKE pattern', example: 'CreateUser%' }],
    sql: `select account, eventtime, eventsource, eventname, useridentity.arn
from cloudtrail
where region = ? and month = ? and eventname like ?
order by account, eventtime`,
  },
  {
    id: 'seed-eventname-date-range',
    title: 'An API call within a date range',
    description: "The seed's same query narrowed to a week with from_iso8601_timestamp (the month filter still prunes partitions).",
    seed: true,
    params: [
      REGION,
      MONTH,
      { name: 'from', hint: 'first day, YYYY-MM-DD', example: '2023-07-10' },
      { name: 'to', hint: 'last day (exclusive), YYYY-MM-DD', example: '2023-07-11' },
      { name: 'event name pattern', hint: 'LIKE pattern', example: 'CreateUser%' },
    ],
    sql: `select account, eventtime, eventsource, eventname, useridentity.arn
from cloudtrail
where region = ? and month = ?
  and from_iso8601_timestamp(eventtime) between from_iso8601_date(?) and from_iso8601_date(?)
  and eventname like ?
order by account, eventtime`,
  },
  {
    id: 'seed-modeling-dataset',
    title: 'Pull (time, principal, API call) for modelling',
    description: "The seed's data pull for the user+API models: one row per event with the principal and the call. Feed it to \"Flatten these events\".",
    seed: true,
    params: [REGION],
    sql: `select eventtime, useridentity.arn as arn, eventname
from cloudtrail
where region = ?
order by eventtime, eventid`,
  },
  {
    id: 'root-activity',
    title: 'Root user activity and root console logins',
    description: 'Any use of the root user is rare and high-risk; a root ConsoleLogin is the first thing to check after a suspected compromise.',
    attack: ['T1078.004'],
    params: [],
    sql: `select eventtime, eventname, sourceipaddress, useragent, errorcode,
  json_extract_scalar(responseelements, '$.ConsoleLogin') as console_login
from cloudtrail
where useridentity.type = 'Root'
  and coalesce(useridentity.invokedby, '') = ''
order by eventtime`,
  },
  {
    id: 'console-login-without-mfa',
    title: 'Console logins without MFA',
    description: 'Successful console sign-ins where MFA was not used: a stolen password is enough for these principals.',
    attack: ['T1078.004'],
    params: [],
    sql: `select eventtime, useridentity.arn as arn, useridentity.type as identity_type, sourceipaddress, useragent
from cloudtrail
where eventname = 'ConsoleLogin'
  and json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
  and json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
order by eventtime`,
  },
  {
    id: 'iam-persistence',
    title: 'New IAM users, access keys and login profiles',
    description: 'CreateUser, CreateAccessKey, CreateLoginProfile and policy attachments: how an attacker keeps access after the first foothold.',
    attack: ['T1136.003', 'T1098.001'],
    params: [],
    sql: `select eventtime, eventname, useridentity.arn as actor,
  json_extract_scalar(requestparameters, '$.userName') as target_user,
  sourceipaddress, errorcode
from cloudtrail
where eventsource = 'iam.amazonaws.com'
  and eventname in ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile',
                    'AttachUserPolicy', 'PutUserPolicy', 'AddUserToGroup')
order by eventtime, eventid`,
  },
  {
    id: 'logging-tampering',
    title: 'CloudTrail and logging tampering',
    description: 'StopLogging, DeleteTrail, event-selector changes and deleted flow logs or log groups: attackers blinding the defenders.',
    attack: ['T1562.008'],
    params: [],
    sql: `select eventtime, eventname, eventsource, useridentity.arn as actor, sourceipaddress, errorcode,
  coalesce(json_extract_scalar(requestparameters, '$.name'), json_extract_scalar(requestparameters, '$.trailName'),
           json_extract_scalar(requestparameters, '$.logGroupName')) as target
from cloudtrail
where eventname in ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteFlowLogs',
                    'DeleteLogGroup', 'DeleteDetector', 'DisableOrganizationAdminAccount')
order by eventtime, eventid`,
  },
  {
    id: 'access-denied-bursts',
    title: 'AccessDenied bursts per principal',
    description: 'Many denied calls from one principal within five minutes: permission probing after stealing credentials.',
    attack: ['T1580', 'T1087.004'],
    params: [{ name: 'minimum denied calls', hint: 'in one 5-minute window', example: 'num:5' }],
    sql: `select useridentity.arn as principal,
  from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 300) * 300) as window_start,
  count(*) as denied_calls,
  count(distinct eventname) as distinct_calls,
  min(eventtime) as first_denied,
  max(eventtime) as last_denied
from cloudtrail
where errorcode in ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
group by 1, 2
having count(*) >= ?
order by denied_calls desc, principal, window_start`,
  },
  {
    id: 'rare-source-ips-per-principal',
    title: 'Rare source IPs per principal',
    description: "Source IPs that account for a tiny share of a principal's calls: a credential used from somewhere new.",
    attack: ['T1078'],
    params: [{ name: 'maximum share', hint: "of the principal's events from that IP, e.g. 0.01 = 1%", example: 'num:0.01' }],
    sql: `with pairs as (
  select useridentity.arn as principal, sourceipaddress, count(*) as events,
    min(eventtime) as first_seen, max(eventtime) as last_seen
  from cloudtrail
  where useridentity.arn is not null and sourceipaddress not like '%.amazonaws.com' and sourceipaddress <> 'AWS Internal'
  group by 1, 2
), totals as (
  select principal, sum(events) as principal_events, count(*) as source_ips
  from pairs
  group by principal
)
select p.principal, p.sourceipaddress, p.events, t.principal_events,
  cast(p.events as double) / t.principal_events as share, p.first_seen, p.last_seen
from pairs p join totals t on p.principal = t.principal
where t.source_ips > 1 and cast(p.events as double) / t.principal_events <= ?
order by share, p.principal, p.sourceipaddress`,
  },
  {
    id: 'recon-bursts',
    title: 'Discovery bursts: many distinct read calls',
    description: 'A principal calling many different List/Describe/Get APIs within ten minutes: enumeration after initial access.',
    attack: ['T1580', 'T1526'],
    params: [{ name: 'minimum distinct calls', hint: 'in one 10-minute window', example: 'num:20' }],
    sql: `select useridentity.arn as principal,
  from_unixtime(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / 600) * 600) as window_start,
  count(distinct eventname) as distinct_calls,
  count(*) as calls
from cloudtrail
where readonly = 'true' and useridentity.arn is not null
group by 1, 2
having count(distinct eventname) >= ?
order by distinct_calls desc, principal, window_start`,
  },
];

export function huntingQuery(id: string): HuntingQuery | undefined {
  return HUNTING_QUERIES.find((q) => q.id === id);
}

/**
 * The snippet as it goes into a .sql file: a comment with the title, description and the parameters to bind, then the
 * SQL with `cloudtrail` replaced by the user's table name.
 */
export function renderHuntingQuery(q: HuntingQuery, table = 'cloudtrail'): string {
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(table)) throw new Error(`Invalid table name ${table}`);
  const lines = [`-- ${q.title}`, `-- ${q.description}`];
  if (q.attack?.length) lines.push(`-- MITRE ATT&CK: ${q.attack.join(', ')}`);
  if (q.params.length) lines.push(`-- Parameters (asked when you run it): ${q.params.map((p) => `${p.name} (${p.hint}, e.g. ${p.example})`).join('; ')}`);
  const sql = q.sql.replace(/\bfrom cloudtrail\b/g, `from ${table}`);
  return `${lines.join('\n')}\n${sql};\n`;
}

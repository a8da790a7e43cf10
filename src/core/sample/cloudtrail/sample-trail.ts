/** The sample CloudTrail folder: two days of one account's ordinary work with an incident on the second afternoon. */
import { Random } from '../prng';
import { IPS, ACCOUNT, makeRole, makeUser } from './principals';
import { ciDeploy, normalActivity, type Cast } from './normal-activity';
import { attackStory, BACKDOOR_USER } from './attack-story';
import { deliverTrail } from './delivery';
import { TrailRecorder, accessKeyId } from './trail-recorder';

const HOUR = 3_600_000;
export const TRAIL_DAYS = ['2024-05-13', '2024-05-14'];

export interface SampleTrailSummary {
  account: string;
  /** Folder of the trail, relative to the workspace: `AWSLogs/<account>/CloudTrail`. */
  folder: string;
  files: number;
  events: number;
  regions: string[];
  /** Events from the intruder's address (leaked key and backdoor user). */
  attackEvents: number;
  /** The story's facts, for a reader checking what the hunting queries find. */
  story: { leakedUser: string; attackerIp: string; backdoorUser: string; start: string; stoppedLogging: string; restartedLogging: string };
}

export async function writeSampleTrail(root: string, seed: number, signal?: AbortSignal): Promise<SampleTrailSummary> {
  const rng = new Random(seed, 'cloudtrail');
  const rec = new TrailRecorder(rng.fork('ids'), ACCOUNT);
  const cast: Cast = {
    alice: makeUser(rng, 'alice'),
    bob: makeUser(rng, 'bob'),
    ci: makeUser(rng, 'ci-deploy'),
    ciKey: accessKeyId(rng, false),
    carolRole: makeRole(rng, 'AWSReservedSSO_AdministratorAccess_5f3c1a2b9d8e7f60', '/aws-reserved/sso.amazonaws.com/'),
  };
  const [day1, day2] = TRAIL_DAYS.map((d) => Date.parse(`${d}T00:00:00Z`));
  normalActivity(rec, rng.fork('normal'), cast, [day1, day2]);
  ciDeploy(rec, rng.fork('ci1'), cast.ci, cast.ciKey, day1 + 9 * HOUR, day1 + 17 * HOUR, 3);
  ciDeploy(rec, rng.fork('ci2'), cast.ci, cast.ciKey, day2 + 9 * HOUR, day2 + 13 * HOUR + 30 * 60_000, 2);
  const story = attackStory(rec, rng.fork('attack'), cast, day2);
  ciDeploy(rec, rng.fork('ci3'), cast.ci, story.rotatedKey, day2 + 17 * HOUR + 10 * 60_000, day2 + 18 * HOUR + 30 * 60_000, 1);

  // While the trail is stopped, nothing is delivered.
  const kept = rec.events.filter((e) => e.time <= story.stoppedAt || e.time >= story.restartedAt);
  const files = await deliverTrail(root, ACCOUNT, kept, rng.fork('delivery'), signal);
  const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return {
    account: ACCOUNT,
    folder: `AWSLogs/${ACCOUNT}/CloudTrail`,
    files: files.length,
    events: kept.length,
    regions: [...new Set(kept.map((e) => e.region))].sort(),
    attackEvents: kept.filter((e) => e.record.sourceIPAddress === IPS.attacker).length,
    story: {
      leakedUser: cast.ci.name,
      attackerIp: IPS.attacker,
      backdoorUser: BACKDOOR_USER,
      start: iso(story.start),
      stoppedLogging: iso(story.stoppedAt),
      restartedLogging: iso(story.restartedAt),
    },
  };
}

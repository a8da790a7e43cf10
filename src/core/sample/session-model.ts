/**
 * One session's actions and their times, from a Behaviour. A session is an optional login, then each phase's
 * episodes (drawn by the phase's weights, perturbed per session), then an optional logout. Site rules apply to
 * everyone: a download quota (refusals, 219), a challenge when actions come too fast (607), rare error pages (601).
 */
import { DOWNLOAD_CODES } from './actions';
import type { Behaviour, Episode } from './behaviours';
import { cumulativeWeights, type Random } from './prng';

/** What a person does after an action, and its median think time in seconds (before the session's speed factor). */
const THINK_SECONDS = { nav: 4, scan: 10, read: 30, deep: 120, dl: 12, admin: 18, api: 1.5 } as const;
type Think = keyof typeof THINK_SECONDS;

const MAX_EVENTS = 2000;
const MAX_THINK_SECONDS = 1800;
/** Downloads a session may make before the site starts refusing some. */
export const DOWNLOAD_QUOTA = 40;
const REFUSAL_RATE = 0.35;
/** A challenge may follow when this many actions fall within CHALLENGE_WINDOW_MS. */
const CHALLENGE_RUN = 8;
const CHALLENGE_WINDOW_MS = 20_000;
const CHALLENGE_RATE = 0.1;
const ERROR_RATE = 0.004;

export interface SessionEvents {
  acts: number[];
  /** Absolute times, integer milliseconds since the epoch, non-decreasing. */
  times: number[];
}

class SessionBuilder {
  readonly acts: number[] = [];
  readonly times: number[] = [];
  private downloads = 0;
  private sinceChallenge = 0;
  private readonly pace: number;

  constructor(
    private readonly rng: Random,
    private readonly b: Behaviour,
    private t: number,
  ) {
    this.pace = rng.lognormal(b.speed.median, b.speed.sigma);
  }

  get full(): boolean {
    return this.acts.length >= MAX_EVENTS;
  }

  emit(act: number, think: Think): void {
    if (this.full) return;
    this.acts.push(act);
    this.times.push(this.t);
    const seconds = THINK_SECONDS[think] * this.pace * Math.exp(this.b.jitter * this.rng.normal());
    this.t += Math.round(Math.min(MAX_THINK_SECONDS, Math.max(0.05, seconds)) * 1000);
    this.afterAction();
  }

  download(code: number): void {
    if (DOWNLOAD_CODES.has(code) && this.downloads >= DOWNLOAD_QUOTA && this.rng.chance(REFUSAL_RATE)) {
      this.emit(219, 'nav');
      return;
    }
    this.downloads++;
    this.emit(code, 'dl');
  }

  private afterAction(): void {
    if (this.rng.chance(ERROR_RATE)) this.emitPlain(601, 'nav');
    this.sinceChallenge++;
    const n = this.times.length;
    if (!this.b.challengeable || this.sinceChallenge < CHALLENGE_RUN || n < CHALLENGE_RUN) return;
    if (this.t - this.times[n - CHALLENGE_RUN] < CHALLENGE_WINDOW_MS && this.rng.chance(CHALLENGE_RATE)) {
      this.sinceChallenge = 0;
      this.emitPlain(607, 'nav');
    }
  }

  /** An action that triggers no site rule (errors and challenges themselves). */
  private emitPlain(act: number, think: Think): void {
    if (this.full) return;
    this.acts.push(act);
    this.times.push(this.t);
    this.t += Math.round(THINK_SECONDS[think] * this.pace * Math.exp(this.b.jitter * this.rng.normal()) * 1000);
  }
}

const pickDownload = (rng: Random): number => {
  const x = rng.float();
  return x < 0.7 ? 201 : x < 0.9 ? 215 : 216;
};

function runEpisode(e: Episode, s: SessionBuilder, rng: Random, b: Behaviour): void {
  switch (e) {
    case 'search': {
      s.emit(rng.chance(0.2) ? 115 : 114, 'scan');
      const pages = b.paging > 0 ? rng.geometric(1 - b.paging) : 0;
      for (let i = 0; i < pages; i++) s.emit(116, 'scan');
      return;
    }
    case 'view':
      s.emit(117, 'read');
      if (rng.chance(0.3)) s.emit(118, 'deep');
      return;
    case 'read': {
      s.emit(119, 'nav');
      const n = 1 + rng.geometric(0.5);
      for (let i = 0; i < n; i++) {
        s.emit(117, 'read');
        if (rng.chance(0.4)) s.emit(118, 'deep');
      }
      return;
    }
    case 'download':
      s.download(pickDownload(rng));
      return;
    case 'viewDownload':
      s.emit(117, 'read');
      s.download(pickDownload(rng));
      return;
    case 'bulk': {
      const n = 1 + rng.geometric(0.3);
      for (let i = 0; i < n; i++) s.emit(316, 'nav');
      s.emit(317, 'nav');
      s.download(217);
      return;
    }
    case 'organize': {
      const x = rng.float();
      s.emit(x < 0.4 ? 316 : x < 0.6 ? 317 : x < 0.75 ? 121 : x < 0.9 ? 123 : 124, 'nav');
      return;
    }
    case 'share': {
      const x = rng.float();
      s.emit(x < 0.25 ? 125 : x < 0.5 ? 126 : 127, 'nav');
      return;
    }
    case 'account': {
      const x = rng.float();
      s.emit(x < 0.5 ? 311 : x < 0.95 ? 315 : 312, 'admin');
      return;
    }
    case 'admin': {
      const x = rng.float();
      const code = x < 0.25 ? 401 : x < 0.45 ? 403 : x < 0.6 ? 406 : x < 0.72 ? 407 : x < 0.82 ? 410 : x < 0.9 ? 402 : x < 0.96 ? 411 : 404;
      s.emit(code, 'admin');
      return;
    }
    case 'api': {
      s.emit(511, 'api');
      const n = 1 + rng.geometric(0.18);
      for (let i = 0; i < n; i++) s.emit(513, 'api');
      return;
    }
    case 'help':
      s.emit(135, 'read');
      return;
  }
}

/** The actions and times of one session of behaviour `b` starting at `startMs`. */
export function generateSession(rng: Random, b: Behaviour, startMs: number): SessionEvents {
  const s = new SessionBuilder(rng, b, startMs);
  if (rng.chance(b.login)) s.emit(111, 'nav');
  for (const phase of b.phases) {
    const episodes = Object.keys(phase.weights) as Episode[];
    const cumulative = cumulativeWeights(episodes.map((e) => (phase.weights[e] ?? 0) * (rng.gamma(b.weightShape) / b.weightShape)));
    const { median, sigma, min, max } = phase.episodes;
    const count = Math.min(max, Math.max(min, Math.round(rng.lognormal(median, sigma))));
    for (let i = 0; i < count && !s.full; i++) runEpisode(episodes[rng.weighted(cumulative)], s, rng, b);
  }
  if (s.acts.length === 0 || rng.chance(b.logout)) s.emit(s.acts.length === 0 ? 111 : 112, 'nav');
  return { acts: s.acts, times: s.times };
}

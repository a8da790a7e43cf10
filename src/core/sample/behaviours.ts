/**
 * Who uses the site: innocent behaviour classes and content-harvesting attacker styles, each a recipe for
 * sessions (phases of weighted episodes, how fast the person clicks, how the session starts and ends).
 * The shares below set how often each appears in each file. README "Sample data" documents this model.
 */

/** Episodes: short runs of actions a person does together (see session-model.ts for what each emits). */
export type Episode =
  | 'search'
  | 'view'
  | 'read'
  | 'download'
  | 'viewDownload'
  | 'bulk'
  | 'organize'
  | 'share'
  | 'account'
  | 'admin'
  | 'api'
  | 'help';

export interface Phase {
  weights: Partial<Record<Episode, number>>;
  /** Episodes in this phase: round(lognormal(median, sigma)) clamped to [min, max]. */
  episodes: { median: number; sigma: number; min: number; max: number };
}

export interface Behaviour {
  name: string;
  attacker: boolean;
  summary: string;
  phases: Phase[];
  /** P(the session starts with a login, 111); IP-authenticated sessions start anywhere. */
  login: number;
  /** P(the session ends with a logout, 112). */
  logout: number;
  /** Multiplier on the think time between actions, drawn per session: lognormal(median, sigma). */
  speed: { median: number; sigma: number };
  /** Per-action spread of think time (log-space sd): people are irregular, scripts are not. */
  jitter: number;
  /** Per-session noise on the episode weights: gamma shape (smaller = sessions of a class differ more). */
  weightShape: number;
  /** P(one more page of results) in a search episode. */
  paging: number;
  /** Scripted clients are never challenged (607). */
  challengeable: boolean;
  /** ProfID for this class: weights over profile names. */
  profiles: Record<string, number>;
}

const WEB = { ehost: 6, eds: 3, mobile: 1 };

export const INNOCENT: Behaviour[] = [
  {
    name: 'bounce',
    attacker: false,
    summary: 'logs in (or lands from a link), looks at one thing or nothing, leaves',
    phases: [{ weights: { view: 4, search: 1.5, help: 0.3 }, episodes: { median: 0.7, sigma: 0.9, min: 0, max: 2 } }],
    login: 0.8,
    logout: 0.15,
    speed: { median: 1, sigma: 0.5 },
    jitter: 0.8,
    weightShape: 2,
    paging: 0.3,
    challengeable: true,
    profiles: WEB,
  },
  {
    name: 'searcher',
    attacker: false,
    summary: 'searches, pages through results, opens a few records, downloads one or two',
    phases: [
      {
        weights: { search: 5, view: 3, viewDownload: 1.2, download: 0.3, share: 0.4, organize: 0.4, help: 0.05 },
        episodes: { median: 3, sigma: 0.7, min: 1, max: 60 },
      },
    ],
    login: 0.75,
    logout: 0.25,
    speed: { median: 1, sigma: 0.45 },
    jitter: 0.8,
    weightShape: 1.5,
    paging: 0.45,
    challengeable: true,
    profiles: WEB,
  },
  {
    name: 'reader',
    attacker: false,
    summary: 'browses publications and reads full text for a long time; downloads what they read',
    phases: [
      {
        weights: { read: 5, view: 2, viewDownload: 2, search: 1.5, share: 0.6, download: 0.4, organize: 0.4 },
        episodes: { median: 3, sigma: 0.7, min: 1, max: 60 },
      },
    ],
    login: 0.7,
    logout: 0.3,
    speed: { median: 1.1, sigma: 0.45 },
    jitter: 0.8,
    weightShape: 1.5,
    paging: 0.35,
    challengeable: true,
    profiles: WEB,
  },
  {
    name: 'casual',
    attacker: false,
    summary: 'a quick visit: a search or a link, a record, maybe a download',
    phases: [{ weights: { view: 2, viewDownload: 2, search: 1 }, episodes: { median: 1.6, sigma: 0.5, min: 1, max: 6 } }],
    login: 0.5,
    logout: 0.1,
    speed: { median: 0.9, sigma: 0.5 },
    jitter: 0.8,
    weightShape: 2,
    paging: 0.3,
    challengeable: true,
    profiles: { ehost: 3, eds: 2, mobile: 3 },
  },
  {
    name: 'bulk-researcher',
    attacker: false,
    summary: 'legitimate heavy use: a systematic review that searches, then downloads dozens of papers into folders',
    phases: [
      { weights: { search: 3, view: 1, organize: 1 }, episodes: { median: 3, sigma: 0.5, min: 1, max: 12 } },
      {
        weights: { download: 3, viewDownload: 3, bulk: 0.8, search: 1, organize: 1, share: 1 },
        episodes: { median: 12, sigma: 0.6, min: 4, max: 250 },
      },
    ],
    login: 0.95,
    logout: 0.4,
    speed: { median: 0.55, sigma: 0.45 },
    jitter: 0.7,
    weightShape: 2,
    paging: 0.5,
    challengeable: true,
    profiles: WEB,
  },
  {
    name: 'api-client',
    attacker: false,
    summary: 'a licensed text-mining or discovery integration: API token, many metadata queries, some downloads, machine-regular',
    phases: [{ weights: { api: 3, download: 0.6 }, episodes: { median: 3, sigma: 0.8, min: 1, max: 40 } }],
    login: 0,
    logout: 0,
    speed: { median: 0.4, sigma: 0.5 },
    jitter: 0.3,
    weightShape: 3,
    paging: 0,
    challengeable: false,
    profiles: { api: 1 },
  },
  {
    name: 'admin',
    attacker: false,
    summary: "a customer's librarian administering the account: users, usage reports, settings",
    phases: [{ weights: { admin: 5, account: 1, search: 0.5, help: 0.5 }, episodes: { median: 5, sigma: 0.6, min: 1, max: 40 } }],
    login: 1,
    logout: 0.6,
    speed: { median: 1, sigma: 0.4 },
    jitter: 0.7,
    weightShape: 2,
    paging: 0.3,
    challengeable: true,
    profiles: { admin: 1 },
  },
  {
    name: 'organizer',
    attacker: false,
    summary: 'curates: folders, saved searches, alerts, citations, e-mailing records',
    phases: [
      {
        weights: { organize: 3, share: 2, search: 3, account: 0.6, view: 2, viewDownload: 0.6 },
        episodes: { median: 5, sigma: 0.6, min: 1, max: 50 },
      },
    ],
    login: 0.9,
    logout: 0.4,
    speed: { median: 0.9, sigma: 0.4 },
    jitter: 0.8,
    weightShape: 1.5,
    paging: 0.4,
    challengeable: true,
    profiles: WEB,
  },
];

export const ATTACKERS: Behaviour[] = [
  {
    name: 'harvester-fast',
    attacker: true,
    summary: 'a script on stolen credentials: logs in, glances at a table of contents, then downloads item after item, fast and regular',
    phases: [
      { weights: { search: 1, read: 1 }, episodes: { median: 1, sigma: 0.5, min: 0, max: 3 } },
      { weights: { download: 6, viewDownload: 1.5, view: 0.8 }, episodes: { median: 20, sigma: 0.6, min: 6, max: 400 } },
    ],
    login: 0.97,
    logout: 0.05,
    speed: { median: 0.2, sigma: 0.4 },
    jitter: 0.35,
    weightShape: 2,
    paging: 0.3,
    challengeable: true,
    profiles: { ehost: 3, eds: 1 },
  },
  {
    name: 'harvester-stealthy',
    attacker: true,
    summary: 'mimics a reader: browses tables of contents and opens records at human speed, but downloads more and never curates',
    phases: [
      {
        weights: { read: 4, viewDownload: 3.5, download: 1.3, search: 1.5, view: 1.2, share: 0.2, organize: 0.2 },
        episodes: { median: 7, sigma: 0.5, min: 3, max: 80 },
      },
    ],
    login: 0.9,
    logout: 0.25,
    speed: { median: 0.8, sigma: 0.4 },
    jitter: 0.6,
    weightShape: 2,
    paging: 0.35,
    challengeable: true,
    profiles: { ehost: 3, eds: 2 },
  },
  {
    name: 'harvester-search-first',
    attacker: true,
    summary: 'enumerates the catalogue with deep-paged searches and citation exports, then downloads the hits',
    phases: [
      { weights: { search: 6, view: 1.5, share: 0.5 }, episodes: { median: 6, sigma: 0.5, min: 3, max: 40 } },
      { weights: { download: 4, viewDownload: 2, share: 0.8, search: 0.6 }, episodes: { median: 10, sigma: 0.6, min: 4, max: 200 } },
    ],
    login: 0.95,
    logout: 0.1,
    speed: { median: 0.4, sigma: 0.4 },
    jitter: 0.45,
    weightShape: 2,
    paging: 0.7,
    challengeable: true,
    profiles: { ehost: 2, eds: 1 },
  },
];

/** Shares of the innocent classes (same order as INNOCENT). */
export const INNOCENT_SHARES = [0.14, 0.33, 0.22, 0.12, 0.06, 0.04, 0.03, 0.06];

/** Attacker styles over two years (known-attacker.txt) and in the recent windows (mixed-*.txt, single.txt): the attacker drifted toward stealth. */
export const ATTACKER_SHARES_KNOWN = [0.45, 0.25, 0.3];
export const ATTACKER_SHARES_RECENT = [0.3, 0.4, 0.3];

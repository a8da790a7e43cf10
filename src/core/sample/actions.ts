/**
 * The seed's 37 action codes (the `Act` column), with the meaning this generator gives each. The seed never
 * published its meanings; these are plausible for a subscription content site and only steer the generator.
 */
export const ACTIONS = {
  111: 'login',
  112: 'logout',
  114: 'basic search',
  115: 'advanced search',
  116: 'next page of search results',
  117: 'view record (abstract)',
  118: 'view full text (HTML)',
  119: 'browse a publication (table of contents)',
  121: 'save search',
  123: 'open saved searches',
  124: 'create alert',
  125: 'email record',
  126: 'print record',
  127: 'export citation',
  135: 'help page',
  201: 'download PDF',
  215: 'download chapter',
  216: 'download supplementary file',
  217: 'download folder as ZIP',
  219: 'download refused (quota)',
  311: 'view account profile',
  312: 'change password',
  315: 'set preferences',
  316: 'add to folder',
  317: 'view folder',
  401: 'admin: list users',
  402: 'admin: add user',
  403: 'admin: usage report',
  404: 'admin: IP ranges',
  406: 'admin: licence terms',
  407: 'admin: export usage statistics',
  410: 'admin: group settings',
  411: 'admin: authentication settings',
  511: 'API: token issued',
  513: 'API: metadata query',
  601: 'error page',
  607: 'challenge (re-authentication / CAPTCHA)',
} as const satisfies Record<number, string>;

/** The 37 codes, ascending. */
export const ACTION_CODES: readonly number[] = Object.keys(ACTIONS)
  .map(Number)
  .sort((a, b) => a - b);

/** Codes that fetch content (count toward a session's download quota). */
export const DOWNLOAD_CODES: ReadonlySet<number> = new Set([201, 215, 216, 217]);

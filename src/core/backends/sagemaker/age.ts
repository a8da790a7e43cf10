/** How old a job or endpoint is, for lists: `3 min`, `2 h`, `4 d`. */
export function resourceAge(created: Date | undefined, now = Date.now()): string {
  if (!created) return '';
  const min = Math.max(0, Math.round((now - created.getTime()) / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} d`;
}

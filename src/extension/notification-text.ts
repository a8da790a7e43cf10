/**
 * Text for VS Code notifications. VS Code turns `[label](command:...)` and `[label](https://...)` in a notification's
 * message into a clickable link, and our messages quote what logs control: file names, event types, error text. This
 * breaks every `](` with a zero-width space, so such text shows as written and is never a link. (No `vscode` import:
 * unit-tested in plain Node.)
 */
export function plainNotificationText(text: string): string {
  return text.replace(/\]\s*\(/g, (m) => `${m.slice(0, -1)}\u200b(`);
}

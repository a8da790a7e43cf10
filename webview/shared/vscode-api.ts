/**
 * The page's single handle on VS Code: acquireVsCodeApi() is called once, here, and kept private.
 * `start()` registers the message handler and then says `ready`, so the host never posts into the void.
 */
import { isObject, type HostMessage, type PageMessage } from './protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(msg: PageMessage): void {
  api.postMessage(msg);
}

/** State kept by VS Code across hide/show and reloads (small: ids and UI choices, never data). */
export function getState<T extends object>(): Partial<T> {
  const s = api.getState();
  return isObject(s) ? (s as Partial<T>) : {};
}

export function setState<T extends object>(patch: Partial<T>): void {
  api.setState({ ...getState<T>(), ...patch });
}

/**
 * Listens for host messages (validated by `accept`, which returns the typed message or undefined to drop it),
 * then tells the host the page is ready.
 */
export function start<M extends HostMessage>(accept: (raw: unknown) => M | undefined, handle: (msg: M) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const msg = accept(event.data);
    if (msg) handle(msg);
    else console.warn('SecML: dropped an invalid message from the host');
  });
  post({ type: 'ready' });
}

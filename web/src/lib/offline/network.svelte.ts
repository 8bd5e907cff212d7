/**
 * Whether the server can be reached, as this tab sees it: the browser's own online flag, and
 * whether the last request got through. Pages disable what needs the server while offline.
 */
class Network {
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  constructor() {
    if (typeof window === 'undefined') return;
    window.addEventListener('online', () => (this.online = true));
    window.addEventListener('offline', () => (this.online = false));
  }

  /** A request reached the server (true) or failed on the network (false). */
  saw(reached: boolean) {
    if (this.online !== reached) this.online = reached;
  }
}

export const network = new Network();

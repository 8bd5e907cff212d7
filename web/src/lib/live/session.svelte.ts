import { api, type Me } from '../api/client.ts';

/** Who is signed in; `null` once we know nobody is. */
class Session {
  me = $state<Me | null | undefined>(undefined);
  /** Token from register/login, handed to sockets in case the cookie is not sent (other origin). */
  token = $state<string | null>(null);

  /** Why the last session ended under us, shown on the login page. */
  notice = $state<string | null>(null);

  can = (perm: string) => this.me?.permissions.includes(perm) ?? false;

  /** The change-feed head the signed-in state was read at: a new tab's socket joins there. */
  seq: number | undefined;

  /**
   * Reloads who we are (role and permissions follow a change at once). When the server ended
   * this tab's session (logout elsewhere, deactivation, revoked) it says so, and the layout
   * sends the tab to the login page; a network failure keeps the session as it is.
   */
  async refresh() {
    if (!this.me) return;
    try {
      this.me = await api.me();
    } catch (err) {
      if ((err as { status?: number }).status !== 401) return;
      this.notice =
        'Your session has ended: you were signed out or your access was removed. Sign in again to continue.';
      this.me = null;
      this.token = null;
    }
  }

  async load() {
    try {
      const { data, seq } = await api.meAt();
      this.seq = seq;
      this.me = data;
    } catch {
      this.me = null;
    }
    return this.me;
  }
  async signedIn(token: string) {
    this.token = token;
    return this.load();
  }
  async logout() {
    try {
      await api.logout();
    } finally {
      this.me = null;
      this.token = null;
    }
  }
}

export const session = new Session();

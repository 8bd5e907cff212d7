import { ApiError, api, type Me } from '../api/client.ts';
import { clearMemberData, lastMember, reads, rememberMember } from '../offline/local.ts';
import { realtime } from './realtime.svelte.ts';

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
   * this tab's session (logout elsewhere, deactivation, revoked) it says so, clears what this
   * device kept for the member, and the layout sends the tab to the login page; a network
   * failure keeps the session as it is.
   */
  async refresh() {
    if (!this.me) return;
    try {
      this.me = await api.me();
      void this.#keep(this.me, this.seq);
    } catch (err) {
      if ((err as { status?: number }).status !== 401) return;
      this.notice =
        'Your session has ended: you were signed out or your access was removed. Sign in again to continue.';
      const gone = this.me.user.id;
      this.me = null;
      this.token = null;
      await clearMemberData(gone);
    }
  }

  /**
   * Who is signed in. Offline, the member this device last saw is restored from its copy (the
   * pages then show their copies, read-only); a session the server says has ended clears it.
   */
  async load() {
    const last = lastMember();
    try {
      const { data, seq } = await api.meAt();
      this.seq = seq;
      this.me = data;
      void this.#keep(data, seq);
    } catch (err) {
      if (err instanceof ApiError && err.status === 0 && last) {
        reads.use(last);
        const kept = await reads.get('me');
        if (kept) {
          this.seq = kept.seq;
          this.me = kept.data as Me;
          realtime.resumeNoLaterThan(kept.seq);
          return this.me;
        }
      }
      if (err instanceof ApiError && err.status === 401 && last) await clearMemberData(last);
      this.me = null;
    }
    return this.me;
  }

  async #keep(me: Me, seq: number | undefined) {
    rememberMember(me.user.id);
    reads.use(me.user.id);
    await reads.put('me', { data: me, seq, at: Date.now() });
  }

  async signedIn(token: string) {
    this.token = token;
    return this.load();
  }

  /** Ends the session on the server and removes everything this device kept for the member. */
  async logout() {
    const who = this.me?.user.id;
    try {
      await api.logout();
    } finally {
      this.me = null;
      this.token = null;
      reads.use(null);
      if (who) await clearMemberData(who);
    }
  }
}

export const session = new Session();

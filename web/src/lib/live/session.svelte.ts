import { api, type Me } from '../api/client.ts';

/** Who is signed in; `null` once we know nobody is. */
class Session {
  me = $state<Me | null | undefined>(undefined);
  /** Token from register/login, handed to sockets in case the cookie is not sent (other origin). */
  token = $state<string | null>(null);

  can = (perm: string) => this.me?.permissions.includes(perm) ?? false;

  /** The change-feed head the signed-in state was read at: a new tab's socket joins there. */
  seq: number | undefined;

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

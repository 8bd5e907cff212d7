import { api, type Me } from '../api/client.ts';

/** Who is signed in; `null` once we know nobody is. */
class Session {
  me = $state<Me | null | undefined>(undefined);
  /** Token from register/login, handed to sockets in case the cookie is not sent (other origin). */
  token = $state<string | null>(null);

  can = (perm: string) => this.me?.permissions.includes(perm) ?? false;

  async load() {
    try {
      this.me = await api.me();
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

/**
 * What this device keeps for the signed-in member, and how it is wiped. Everything lives under
 * names that start with `chorus:<userId>:` — IndexedDB databases (one per collaborative
 * document, written by y-indexeddb, and one for the last reads) and localStorage keys — so
 * logging out, or a session that ended, removes exactly that member's data and nobody else's.
 * The service worker caches only the app itself, never an API answer.
 */

const LAST_MEMBER = 'chorus:last-member';

export const memberPrefix = (userId: string) => `chorus:${userId}:`;

/** The IndexedDB database holding one collaborative document for one member. */
export const docDatabase = (userId: string, docName: string) => `${memberPrefix(userId)}doc:${docName}`;

/** The member this device last signed in (so an offline start knows whose copies to open). */
export function lastMember(): string | null {
  try {
    return localStorage.getItem(LAST_MEMBER);
  } catch {
    return null;
  }
}
export function rememberMember(userId: string) {
  try {
    localStorage.setItem(LAST_MEMBER, userId);
  } catch {
    // Storage refused (private mode, quota): the app still works online.
  }
}

/** Deletes every database and key of this member; resolves once the browser has done it. */
export async function clearMemberData(userId: string): Promise<void> {
  const prefix = memberPrefix(userId);
  reads.close();
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith(prefix)) localStorage.removeItem(key);
    if (localStorage.getItem(LAST_MEMBER) === userId) localStorage.removeItem(LAST_MEMBER);
    for (const key of Object.keys(sessionStorage)) if (key.includes(userId)) sessionStorage.removeItem(key);
  } catch {
    // No storage: nothing kept there.
  }
  const names = new Set<string>(knownDatabases(userId));
  for (const db of (await indexedDB.databases?.()) ?? []) if (db.name?.startsWith(prefix)) names.add(db.name);
  // A database still open in this tab (an editor being torn down) is deleted once it closes.
  await Promise.all(
    [...names].map(
      (name) =>
        new Promise<void>((resolve) => {
          const req = indexedDB.deleteDatabase(name);
          req.onsuccess = req.onerror = () => resolve();
        }),
    ),
  );
}

/** Databases opened for this member, listed too in case `indexedDB.databases()` is missing. */
function knownDatabases(userId: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(`${memberPrefix(userId)}databases`) ?? '[]') as string[];
  } catch {
    return [];
  }
}
export function noteDatabase(userId: string, name: string) {
  const list = knownDatabases(userId);
  if (list.includes(name)) return;
  try {
    localStorage.setItem(`${memberPrefix(userId)}databases`, JSON.stringify([...list, name]));
  } catch {
    // Not listed: indexedDB.databases() still finds it where supported.
  }
}

/** Text a frozen or read-only document refused, kept until the member dismisses it. */
export const unsavedKey = (userId: string, docName: string) => `${memberPrefix(userId)}unsaved:${docName}`;

export interface StoredRead {
  data: unknown;
  seq: number | undefined;
  at: number;
}

/**
 * The last answer of each GET this member made (`chorus:<userId>:reads`), with the feed head it
 * was read at, so the pages open offline on what was last seen and catch up from there.
 */
class Reads {
  #db: Promise<IDBDatabase> | null = null;
  #user: string | null = null;

  use(userId: string | null) {
    if (userId === this.#user) return;
    this.close();
    this.#user = userId;
  }

  close() {
    void this.#db?.then((d) => d.close()).catch(() => {});
    this.#db = null;
  }

  #open(): Promise<IDBDatabase> | null {
    if (!this.#user || typeof indexedDB === 'undefined') return null;
    const user = this.#user;
    this.#db ??= new Promise((resolve, reject) => {
      const name = `${memberPrefix(user)}reads`;
      noteDatabase(user, name);
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('reads');
      req.onsuccess = () => {
        // Another tab logging this member out deletes the database: let it.
        req.result.onversionchange = () => this.close();
        resolve(req.result);
      };
      req.onerror = () => reject(req.error);
    });
    return this.#db;
  }

  async put(key: string, value: StoredRead): Promise<void> {
    const db = await this.#open()?.catch(() => null);
    if (!db) return;
    await new Promise<void>((resolve) => {
      const tx = db.transaction('reads', 'readwrite');
      tx.objectStore('reads').put(value, key);
      tx.oncomplete = tx.onerror = tx.onabort = () => resolve();
    });
  }

  async get(key: string): Promise<StoredRead | undefined> {
    const db = await this.#open()?.catch(() => null);
    if (!db) return undefined;
    return new Promise((resolve) => {
      const req = db.transaction('reads').objectStore('reads').get(key);
      req.onsuccess = () => resolve(req.result as StoredRead | undefined);
      req.onerror = () => resolve(undefined);
    });
  }
}

export const reads = new Reads();

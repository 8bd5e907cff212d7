import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * AES-256-GCM for connector credentials and webhook secrets stored in the database.
 *
 * The key comes from CHORUS_SECRET_KEY (32 bytes as base64 or hex; any other string is
 * stretched with SHA-256). When it is unset, a random key is generated once into
 * DATA_DIR/secret.key (mode 0600) — fine for one node or nodes sharing DATA_DIR; separate
 * machines must set CHORUS_SECRET_KEY to the same value, and losing the key means
 * re-entering every credential.
 *
 * Layout: version byte (1) | 12-byte IV | 16-byte tag | ciphertext.
 */
export interface SecretBox {
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export function keyFromString(raw: string): Buffer {
  const s = raw.trim();
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  const b64 = Buffer.from(s, 'base64');
  if (b64.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(s)) return b64;
  return createHash('sha256').update(s).digest();
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The secret key must be 32 bytes');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      if (sealed.length < 29 || sealed[0] !== 1) throw new Error('Unknown secret format');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
      decipher.setAuthTag(sealed.subarray(13, 29));
      return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}

const boxes = new Map<string, Promise<SecretBox>>();

/** The process's secret box: the configured key (CHORUS_SECRET_KEY), else DATA_DIR/secret.key, created on first use. */
export function loadSecretBox(dataDir: string, configured?: string): Promise<SecretBox> {
  if (configured) return Promise.resolve(secretBox(keyFromString(configured)));
  const file = join(dataDir, 'secret.key');
  let p = boxes.get(file);
  if (!p) {
    p = (async () => {
      await mkdir(dataDir, { recursive: true });
      try {
        // 'wx' fails if another process created it first; then both read the same file.
        await writeFile(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      return secretBox(keyFromString(await readFile(file, 'utf8')));
    })();
    p.catch(() => boxes.delete(file));
    boxes.set(file, p);
  }
  return p;
}

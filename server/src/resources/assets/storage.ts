import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { fileTypeFromBuffer } from 'file-type';
import { Problem } from '../../http/problem.ts';

/** What Chorus accepts, decided from the bytes, never from the name or the client's header. */
export const ALLOWED_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'video/mp4',
  'video/webm',
  'application/pdf',
]);

/** The multipart fields besides `file`; any other name is refused like an unknown JSON field. */
export const UPLOAD_FIELDS = new Set(['campaignId', 'postId']);

export interface Upload {
  path: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  fields: Record<string, string>;
}

export const assetDir = (dataDir: string) => join(dataDir, 'assets');
/** Files live at <dataDir>/assets/<organisation>/<asset id>; the storage key is the relative part. */
export const storageKeyOf = (organisationId: string, assetId: string) => `${organisationId}/${assetId}`;
export const assetPath = (dataDir: string, storageKey: string) => join(assetDir(dataDir), storageKey);

/** file-type's own detection window: enough bytes to recognise every type we accept. */
const SNIFF_BYTES = 4100;

const tooLarge = (maxBytes: number) => new Problem('payload_too_large', `Files may be at most ${maxBytes} bytes`);
const unsupported = (found?: string) =>
  new Problem(
    'unsupported_media_type',
    `Only images (PNG, JPEG, GIF, WebP, AVIF), MP4, WebM and PDF files are accepted${found ? `, not ${found}` : ''}`,
  );
const malformed = (detail = 'Malformed multipart body') => new Problem('validation_failed', detail);

/** What a client may name a file: no path, no control characters, at most 255 characters. */
export function cleanFileName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '').trim();
  return Array.from(clean || 'upload')
    .slice(0, 200)
    .join('');
}

/**
 * Streams a multipart upload's `file` part straight to `path` while hashing and counting it:
 * memory stays flat whatever the size. Reading stops at once, and the partial file is deleted,
 * when the file passes maxBytes (413), when its first bytes show a type Chorus does not take
 * (415), or when the body is malformed (400). The type is sniffed from the bytes alone.
 */
export async function receiveUpload(request: Request, path: string, maxBytes: number): Promise<Upload> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw malformed('Send the file as multipart/form-data with a "file" part');
  }
  // An honest Content-Length over the limit (plus room for the other parts) is refused unread.
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
  if (!request.body) throw malformed('The request has no body');

  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: { 'content-type': type },
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 8, fieldSize: 1024, fieldNameSize: 100, fileSize: maxBytes, parts: 10 },
    });
  } catch {
    throw malformed();
  }
  await mkdir(dirname(path), { recursive: true });
  const source = Readable.fromWeb(request.body as never);
  const fields: Record<string, string> = {};

  return new Promise<Upload>((resolve, reject) => {
    let settled = false;
    let writing: Promise<void> | undefined;
    let meta: { fileName: string; sizeBytes: number; sha256: string; mediaType: string } | undefined;
    let fileStream: Readable | undefined;
    let out: WriteStream | undefined;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      // Stop reading: the rest of the body is never parsed or written anywhere. The source is
      // only paused, not destroyed, so the error answer can still be written on the socket;
      // the HTTP layer then drains a little and closes the connection.
      source.unpipe(bb);
      source.pause();
      fileStream?.destroy();
      const closed = out && !out.closed ? once(out, 'close').catch(() => {}) : Promise.resolve();
      out?.destroy();
      closed.then(() => rm(path, { force: true })).finally(() => reject(err));
    };

    bb.on('field', (name, value, info) => {
      if (!UPLOAD_FIELDS.has(name)) {
        fail(
          new Problem('validation_failed', 'The upload has an unknown field', {
            errors: [{ path: name.slice(0, 100), message: 'Unknown field' }],
          }),
        );
      } else if (info.valueTruncated) {
        fail(malformed(`The ${name} field is too long`));
      } else fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      // After a refusal busboy may still hand over a file part it had buffered: writing it
      // would leave a file that nothing removes.
      if (settled || name !== 'file' || writing) {
        stream.resume();
        if (name !== 'file') fail(malformed(`Unexpected file part "${name.slice(0, 100)}": send it as "file"`));
        return;
      }
      fileStream = stream;
      const hash = createHash('sha256');
      let size = 0;
      let head: Buffer | undefined = Buffer.alloc(0);
      let sniffing: Promise<void> | undefined;
      let mediaType: string | undefined;
      const sniff = (bytes: Buffer) =>
        fileTypeFromBuffer(bytes).then((t) => {
          if (!t || !ALLOWED_TYPES.has(t.mime)) throw unsupported(t?.mime);
          mediaType = t.mime;
        });
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          hash.update(chunk);
          if (head) {
            head = Buffer.concat([head, chunk]);
            // As soon as there are enough bytes to tell, a wrong type stops the upload.
            if (head.length >= SNIFF_BYTES) {
              sniffing = sniff(head);
              head = undefined;
              sniffing.then(() => cb(null, chunk), cb);
              return;
            }
          }
          cb(null, chunk);
        },
        flush(cb) {
          // A file shorter than the detection window is judged on what there is.
          if (head) {
            sniffing = sniff(head);
            head = undefined;
          }
          (sniffing ?? Promise.resolve()).then(() => cb(), cb);
        },
      });
      out = createWriteStream(path, { flags: 'wx' });
      writing = pipeline(stream, meter, out).then(() => {
        meta = {
          fileName: cleanFileName(info.filename),
          sizeBytes: size,
          sha256: hash.digest('hex'),
          mediaType: mediaType!,
        };
      });
      writing.catch(fail);
    });
    bb.on('filesLimit', () => fail(malformed('Send one file per upload')));
    bb.on('fieldsLimit', () => fail(malformed('Too many fields')));
    bb.on('partsLimit', () => fail(malformed('Too many parts')));
    bb.on('error', () => fail(malformed()));
    source.on('error', () => fail(malformed('The upload was interrupted')));
    bb.on('close', () => {
      (writing ?? Promise.resolve()).then(() => {
        if (settled) return;
        if (!meta) {
          fail(
            new Problem('validation_failed', 'No "file" part in the upload', {
              errors: [{ path: 'file', message: 'Required' }],
            }),
          );
          return;
        }
        settled = true;
        resolve({ path, fields, ...meta });
      }, fail);
    });
    source.pipe(bb);
  });
}

/**
 * A Content-Disposition that no file name can break: an ASCII fallback in quotes and the exact
 * name as RFC 5987/8187 `filename*` (percent-encoding everything outside attr-char).
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const name = cleanFileName(fileName);
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*!]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export const removeFile = (path: string) => rm(path, { force: true });

/** Removes the files of assets whose rows are gone (a cascade); a failure leaves only litter. */
export async function removeAssetFiles(dataDir: string, files: { storageKey: string }[]) {
  await Promise.allSettled(files.map((f) => removeFile(assetPath(dataDir, f.storageKey))));
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff, mergeTextEdit, rootTextLength, rootTextString } from './text.ts';

function ytext(s: string) {
  const doc = new Y.Doc();
  const t = doc.getText('content');
  t.insert(0, s);
  return t;
}

describe('text diffs into Y.Text', () => {
  it('turns any text into any other', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        (a, b) => {
          const t = ytext(a);
          applyTextDiff(t, b);
          expect(t.toString()).toBe(b);
        },
      ),
    );
  });

  it('keeps a live edit made after the base when the API edit is elsewhere', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.string({ maxLength: 10 }),
        fc.string({ minLength: 1, maxLength: 5 }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 10 }),
        (head, apiNew, live, tail, apiOld) => {
          // base = head + apiOld + '|' + tail; the API rewrites apiOld, a live editor appends to tail.
          const base = `${head}${apiOld}|${tail}`;
          const t = ytext(`${base}${live}`);
          mergeTextEdit(t, base, `${head}${apiNew}|${tail}`);
          expect(t.toString()).toBe(`${head}${apiNew}|${tail}${live}`);
        },
      ),
    );
  });

  it('replaces a large changed middle whole instead of diffing it', () => {
    const a = 'x'.repeat(50_000);
    const b = 'y'.repeat(50_000);
    const t = ytext(`start ${a} end`);
    const t0 = performance.now();
    applyTextDiff(t, `start ${b} end`);
    expect(t.toString()).toBe(`start ${b} end`);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe('reading a text root left as a placeholder', () => {
  // Compared with a Y.Text fed the same updates, not with the client's own: Yjs itself lets
  // those differ when a client's format splits a surrogate pair.
  it('answers what a Y.Text answers, whatever a client sent (inserts, deletes, formatting, embeds)', () => {
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        s: fc.string({ unit: 'grapheme', maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.nat(6) }),
      fc.record({ kind: fc.constant('format' as const), at: fc.nat(), n: fc.nat(6) }),
      fc.record({ kind: fc.constant('embed' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        const client = new Y.Doc();
        const server = new Y.Doc();
        const reference = new Y.Doc();
        server.get('content');
        const expected = reference.getText('content');
        client.on('update', (u: Uint8Array) => {
          Y.applyUpdate(server, u);
          Y.applyUpdate(reference, u);
        });
        const t = client.getText('content');
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          if (e.kind === 'insert') t.insert(at, e.s);
          else if (e.kind === 'delete') t.delete(at, Math.min(e.n, t.length - at));
          else if (e.kind === 'format') t.format(at, Math.min(e.n, t.length - at), { bold: true });
          else t.insertEmbed(at, { image: 'x.png' });
        }
        expect(rootTextString(server, 'content')).toBe(expected.toString());
        expect(rootTextLength(server, 'content')).toBe(expected.length);
        // Still the generic placeholder: nothing above made it a Y.Text.
        expect(server.share.get('content')).not.toBeInstanceOf(Y.Text);
      }),
    );
  });
});

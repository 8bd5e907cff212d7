import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTextDiff, mergeTextEdit } from './text.ts';

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

import diff from 'fast-diff';
import * as Y from 'yjs';

/**
 * Above this many differing characters on both sides a character diff is not worth its
 * quadratic worst case: the changed middle is replaced whole instead.
 */
const DIFF_LIMIT = 4_000;

type Op = [-1 | 0 | 1, string];

/** fast-diff, bounded: common prefix and suffix first, then the middle only if it is small. */
export function safeDiff(a: string, b: string): Op[] {
  if (a === b) return a ? [[0, a]] : [];
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  // Never split a surrogate pair: widen the changed range to whole characters.
  if (start > 0 && isHigh(a.charCodeAt(start - 1))) start--;
  if (endA < a.length && isLow(a.charCodeAt(endA))) {
    endA++;
    endB++;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const out: Op[] = [];
  if (start > 0) out.push([0, a.slice(0, start)]);
  if (midA.length > DIFF_LIMIT && midB.length > DIFF_LIMIT) {
    if (midA) out.push([-1, midA]);
    if (midB) out.push([1, midB]);
  } else {
    out.push(...(diff(midA, midB) as Op[]));
  }
  if (endA < a.length) out.push([0, a.slice(endA)]);
  return out;
}

interface Edit {
  start: number;
  end: number;
  insert: string;
}

/** The changes from a to b as ranges of a, in ascending order. */
function edits(a: string, b: string): Edit[] {
  const out: Edit[] = [];
  let pos = 0;
  for (const [op, s] of safeDiff(a, b)) {
    if (op === 0) {
      pos += s.length;
      continue;
    }
    let last = out.at(-1);
    if (!last || last.end !== pos) {
      last = { start: pos, end: pos, insert: '' };
      out.push(last);
    }
    if (op === -1) {
      last.end += s.length;
      pos += s.length;
    } else {
      last.insert += s;
    }
  }
  return out;
}

/** Turns `ytext` into `target` with a minimal set of inserts and deletes. */
export function applyTextDiff(ytext: Y.Text, target: string): void {
  mergeTextEdit(ytext, ytext.toString(), target);
}

/**
 * A three-way merge: applies the edit `base → target` (what an API client changed, against
 * the text it saw) to the live text, which may have moved on since `base`. Positions are
 * mapped from base to live through their own diff, so live editors' concurrent edits outside
 * the changed ranges survive. Call inside a transaction for one update.
 */
export function mergeTextEdit(ytext: Y.Text, base: string, target: string): void {
  const live = ytext.toString();
  const wanted = edits(base, target);
  if (wanted.length === 0) return;
  const map = base === live ? null : safeDiff(base, live);
  const mapPos = (p: number, end: boolean) => {
    if (!map) return p;
    let b = 0;
    let c = 0;
    for (const [op, s] of map) {
      const n = s.length;
      if (op === 0) {
        if (end ? p <= b + n : p < b + n) return c + (p - b);
        b += n;
        c += n;
      } else if (op === -1) {
        if (end ? p <= b + n : p < b + n) return c;
        b += n;
      } else {
        c += n;
      }
    }
    return c;
  };
  const apply = () => {
    for (let i = wanted.length - 1; i >= 0; i--) {
      const w = wanted[i]!;
      const start = mapPos(w.start, false);
      const end = Math.max(start, w.end > w.start ? mapPos(w.end, true) : start);
      if (end > start) ytext.delete(start, end - start);
      if (w.insert) ytext.insert(start, w.insert);
    }
  };
  if (ytext.doc) ytext.doc.transact(apply);
  else apply();
}

function isHigh(c: number) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c: number) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * A document's text root, read without making it a Y.Text. A Y.Text builds a text event for
 * every transaction; the server only reads the text's length and string, so its rooms leave
 * the root as Yjs' generic placeholder (`doc.get(name)`) and read it through these.
 * Looked up each time: a later getText() on the document replaces the placeholder.
 */
export function rootTextLength(doc: Y.Doc, name: string): number {
  return doc.share.get(name)?._length ?? 0;
}

/** The string Y.Text#toString() would answer: the live string items, in order. */
export function rootTextString(doc: Y.Doc, name: string): string {
  let out = '';
  for (let n = doc.share.get(name)?._start ?? null; n !== null; n = n.right) {
    if (!n.deleted && n.countable && n.content instanceof Y.ContentString) out += n.content.str;
  }
  return out;
}

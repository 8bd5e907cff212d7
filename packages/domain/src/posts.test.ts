import { describe, expect, it } from 'vitest';
import { findMove, isFrozen, MOVES, movesFor, POST_STATUSES } from './posts.ts';
import { ROLES } from './roles.ts';

describe('the move table', () => {
  it('has at most one move per from → to and policy, between known statuses', () => {
    const keys = MOVES.map((m) => `${m.from}>${m.to}>${m.policy ?? '*'}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of MOVES) expect(POST_STATUSES).toEqual(expect.arrayContaining([m.from, m.to]));
  });

  it('sends the team’s approval to the client only under team_and_client', () => {
    expect(findMove('in_review', 'approved', 'team')).toBeDefined();
    expect(findMove('in_review', 'approved', 'team_and_client')).toBeUndefined();
    expect(findMove('in_review', 'client_review', 'team_and_client')?.by).toBe('campaign:write');
    expect(findMove('in_review', 'client_review', 'team')).toBeUndefined();
    expect(
      movesFor('client_review', 'client', 'team_and_client')
        .map((m) => m.to)
        .sort(),
    ).toEqual(['approved', 'changes_requested']);
  });

  it('offers nobody a move out of published, and no member the publisher’s moves', () => {
    for (const role of ROLES) {
      expect(movesFor('published', role, 'team')).toEqual([]);
      for (const s of POST_STATUSES) expect(movesFor(s, role, 'team').some((m) => m.by === 'system')).toBe(false);
    }
    expect(isFrozen('publishing') && isFrozen('published') && isFrozen('cancelled')).toBe(true);
    expect(isFrozen('draft')).toBe(false);
  });
});

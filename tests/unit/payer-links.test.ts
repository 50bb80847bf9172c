/** The payer-link state machine: earned by repeated claims, contested by another member's. */
import { describe, expect, it } from 'vitest';
import {
  linkAfterClaim,
  linkedMember,
  maskPayer,
  type LinkState,
} from '../../cloudfunctions/core/domain/payer-links.js';

const link = (memberId: string, status: LinkState['status'], claims: number): LinkState => ({
  memberId,
  status,
  claims,
});

describe('linkAfterClaim', () => {
  it.each<[string, LinkState | null, string, number, LinkState, boolean]>([
    ['a first claim is a pending candidate', null, 'A', 2, link('A', 'pending', 1), false],
    [
      'the second claim by the same member activates it',
      link('A', 'pending', 1),
      'A',
      2,
      link('A', 'active', 2),
      false,
    ],
    ['a threshold of 1 links at once (the old rule, opt-in)', null, 'A', 1, link('A', 'active', 1), false],
    ['a threshold of 0 never links', link('A', 'pending', 5), 'A', 0, link('A', 'pending', 6), false],
    ['an active link counts on', link('A', 'active', 2), 'A', 2, link('A', 'active', 3), false],
    ['another member replaces an unproven candidate', link('A', 'pending', 1), 'B', 2, link('B', 'pending', 1), false],
    [
      'another member contests an active link: suspended, alert',
      link('A', 'active', 4),
      'B',
      2,
      link('A', 'suspended', 4),
      true,
    ],
    [
      'a suspended link stays suspended for its own member',
      link('A', 'suspended', 4),
      'A',
      2,
      link('A', 'suspended', 5),
      false,
    ],
    ['and raises an alert again for another', link('A', 'suspended', 4), 'C', 2, link('A', 'suspended', 4), true],
    ['a removed link starts over, for anyone', link('A', 'removed', 0), 'B', 2, link('B', 'pending', 1), false],
  ])('%s', (_name, before, member, threshold, after, conflict) => {
    expect(linkAfterClaim(before, member, threshold)).toEqual({ next: after, conflict });
  });

  it('only an active link credits anyone', () => {
    expect(
      ['pending', 'active', 'suspended', 'removed'].map((s) => linkedMember(link('A', s as LinkState['status'], 3))),
    ).toEqual([null, 'A', null, null]);
    expect(linkedMember(null)).toBeNull();
  });
});

describe('maskPayer', () => {
  it.each([
    ['2088102146225135', '2088****5135'],
    ['wxotherapp0000001:oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', 'wxotherapp0000001:oUpF****eS6o'],
    ['short', 'sh****'],
  ])('%s → %s', (payer, masked) => expect(maskPayer(payer)).toBe(masked));
});

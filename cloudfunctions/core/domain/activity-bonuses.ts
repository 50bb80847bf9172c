/**
 * Activity bonuses (the rules issue, item 2): points for what a member does
 * besides paying. Each has its own amount and limit, configured by HQ
 * (PUT /api/admin/bonuses); every amount is 0 until an operator sets one,
 * so nothing is given that nobody chose.
 *
 * - signup: once per member, at their first login;
 * - phone: once per phone number (a number bound, unbound and bound again
 *   by another WeChat account earns nothing twice);
 * - profile: once per member, when they first give their birthday;
 * - checkin: once per business day, plus a streak bonus on the days a run of
 *   consecutive check-ins reaches one of `streaks` (a missed day starts over);
 * - referral: both sides, once per referred phone, paid on the referred
 *   member's first payment after they accepted the code and bound a phone;
 *   never to oneself; at most `perReferrerMax` paid referrals per referrer;
 * - birthday: once a year on the member's birthday, plus their tier's gift.
 */
export interface ActivityBonusSettings {
  signup: number;
  phone: number;
  profile: number;
  checkin: { points: number; streaks: { days: number; bonus: number }[] };
  referral: { referrer: number; referred: number; perReferrerMax: number };
  birthday: number;
}

export const NO_BONUSES: ActivityBonusSettings = {
  signup: 0,
  phone: 0,
  profile: 0,
  checkin: { points: 0, streaks: [] },
  referral: { referrer: 0, referred: 0, perReferrerMax: 0 },
  birthday: 0,
};

/** Days since 1970-01-01 of a YYYY-MM-DD business date: consecutive days differ by 1. */
export const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * A check-in on `today` after the last one on `lastDay` (a day number, 0 =
 * never) with a run of `streak` days: the new run, and the streak bonus it
 * reaches (0 when none). A second check-in the same day is refused before this.
 */
export function afterCheckIn(
  lastDay: number,
  streak: number,
  today: number,
  streaks: readonly { days: number; bonus: number }[],
): { streak: number; bonus: number } {
  const run = lastDay === today - 1 ? streak + 1 : 1;
  const bonus = streaks.filter((s) => s.days === run).reduce((sum, s) => sum + s.bonus, 0);
  return { streak: run, bonus };
}

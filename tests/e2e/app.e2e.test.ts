/**
 * The H5 build in headless Chromium against the real local server in sandbox
 * mode: a member logs in, a simulated WeChat Pay notification credits points,
 * a reward is redeemed, points pay at the till through the staff pages, and
 * an order's points are claimed from a ticket. Every screen is saved to
 * tests/artifacts/screens/ for a person to look at.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, urlFetcher, type Fetcher } from '../support/http.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { browserSkipReason, phoneBrowser, screenshot } from './browser.js';
import { dataDirOf, sandboxPaymentKeys } from '../../cloudfunctions/local/sandbox-secrets.js';
import {
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';

const run = promisify(execFile);
const skip = browserSkipReason();
const MEMBER = `e2e-member-${Date.now().toString(36)}`;
const STORE = 'S-E2E';

let server: ServerProcess;
let dbUrl: string;
let f: Fetcher;
let browser: BrowserContext;
let page: Page;
/** What Chromium refused under the app's Content-Security-Policy, or reported as a page error. */
const violations: string[] = [];

/** The member's balance as the API reports it: the page must show the same number. */
async function balance(): Promise<{ balance: number; available: number }> {
  const { token } = await login(f, MEMBER);
  return (await call(f, 'GET', '/api/member/me', { token })).body;
}

/** `npm run simulate -- ...` as a person would type it, against this server and its sandbox keys. */
async function simulate(...args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'cloudfunctions/local/simulate.ts', ...args, '--url', server.url],
    { env: { ...process.env, DATABASE_URL: dbUrl } },
  );
  return stdout;
}

const show = async (path: string) => {
  await page.goto(`${server.url}/#/${path}`);
  await page.reload(); // the hash router renders the page the URL names on a fresh load
};
const groupDigits = (n: number) => n.toLocaleString('en-US');
const fill = (placeholder: string, value: string) => page.locator(`input[placeholder="${placeholder}"]`).fill(value);

describe.skipIf(skip !== '')(`member and staff app in Chromium${skip ? ` — skipped: ${skip}` : ''}`, () => {
  let staffToken = '';

  beforeAll(async () => {
    dbUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-e2e-')), 'jifen.db')}`;
    server = await startServer(dbUrl, {
      // A merchant with a subscribe template: the claim and pay results offer the 到账通知 prompt.
      JIFEN_SUBSCRIBE_TEMPLATES: JSON.stringify({
        'points.earned': { templateId: 'tmpl-e2e', data: { number1: 'points' } },
      }),
    });
    f = urlFetcher(server.url);
    await call(f, 'POST', '/api/admin/stores', {
      token: TEST_ADMIN_TOKEN,
      body: { id: STORE, name: '人民广场店', region: '上海' },
    });
    const staff = await call(f, 'POST', '/api/admin/staff', {
      token: TEST_ADMIN_TOKEN,
      body: { name: '小王', storeId: STORE, role: 'cashier' },
    });
    staffToken = staff.body.token;
    browser = await phoneBrowser();
    // Sandbox login: the code the H5 transport sends is the openid.
    await browser.addInitScript({ content: `localStorage.setItem('jifen.loginCode', ${JSON.stringify(MEMBER)})` });
    page = await browser.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs in and shows an empty balance', async () => {
    await show('pages/index/index');
    await expect.poll(() => page.getByText('还没有积分').count()).toBe(1);
    await expect.poll(() => page.locator('.hero__points').textContent()).toBe('0 积分');
    // The loading line index.html shows while scripts arrive is gone once the app is up.
    expect(await page.getByText('积分加载中…').count()).toBe(0);
    await screenshot(page, '01-home-empty');
  });

  it('a simulated WeChat Pay payment shows up in the balance and the history', async () => {
    const out = await simulate('pay', '--openid', MEMBER, '--amount', '1288.00', '--store', STORE);
    expect(out).toMatch(/→ 204/);
    const { balance: points } = await balance();
    expect(points).toBeGreaterThan(0);
    await show('pages/index/index');
    await expect.poll(() => page.locator('.hero__points').textContent()).toBe(`${groupDigits(points)} 积分`);
    await screenshot(page, '02-home');

    await show('pages/history/index');
    await expect.poll(() => page.getByText('消费得积分').count()).toBeGreaterThan(0);
    expect(await page.locator('.entry__delta').first().textContent()).toBe(`+${groupDigits(points)}`);
    expect(await page.locator('.history__date').first().textContent()).toBe('今天');
    await screenshot(page, '03-history');
  });

  let voucherCode = '';
  it('redeems a reward in one tap and shows the voucher QR', async () => {
    for (const [name, cost, stock, spec] of [
      ['招牌奶茶', 300, 20, { description: '任意门店可用' }],
      ['满50减10券', 500, null, { coupon: { type: 'amount_off', amountOffFen: 1000, thresholdFen: 5000 } }],
      ['限量保温杯', 99_999, 3, {}],
    ] as const) {
      const r = await call(f, 'POST', '/api/admin/rewards', {
        token: TEST_ADMIN_TOKEN,
        body: { name, kind: name.includes('券') ? 'coupon' : 'gift', pointsCost: cost, stock, spec },
      });
      expect(r.status).toBe(201);
    }
    const before = await balance();
    await show('pages/rewards/index');
    await expect.poll(() => page.locator('.tile').count()).toBe(3);
    await expect.poll(() => page.getByText('还差', { exact: false }).count()).toBe(1);
    await screenshot(page, '04-rewards');

    await page.getByText('招牌奶茶').click();
    await expect.poll(() => page.getByText('确认兑换').count()).toBe(1);
    await screenshot(page, '05-rewards-confirm');
    await page.getByText('立即兑换').click();
    await expect.poll(() => page.getByText('兑换成功').count()).toBe(1);
    voucherCode = ((await page.locator('.voucher__code').textContent()) ?? '').replace(/\s/g, '');
    expect(voucherCode).toMatch(/^[A-Z0-9]{12}$/);
    expect(await page.locator('.voucher img, .voucher taro-image-core img').count()).toBeGreaterThan(0);
    await screenshot(page, '06-redeem-success');
    expect((await balance()).balance).toBe(before.balance - 300);

    await show('pages/vouchers/index');
    await expect.poll(() => page.getByText('可使用（1）').count()).toBe(1);
    await screenshot(page, '07-vouchers');
    // The list carries no QR codes; the member shows one at the counter.
    await page.getByText('出示券码').click();
    await expect
      .poll(() => page.locator('.voucher__code').textContent())
      .toBe(voucherCode.replace(/(.{4})(?=.)/g, '$1 '));
    await screenshot(page, '07b-voucher-shown');
  });

  it('pays with points: the member shows a code, the staff page captures it, the balance drops', async () => {
    const before = await balance();
    await show('pages/pay/index');
    await expect.poll(() => page.getByText('生成付款码').count()).toBe(1);
    await page.getByText('500', { exact: true }).click();
    await screenshot(page, '08-pay-pick');
    await page.getByText('生成付款码').click();
    await expect.poll(() => page.locator('.paycode__digits').count()).toBe(1);
    const code = ((await page.locator('.paycode__digits').textContent()) ?? '').replace(/\s/g, '');
    expect(code).toMatch(/^66\d{16}$/);
    expect((await balance()).available).toBe(before.available - 500);
    await screenshot(page, '09-pay-code');

    const till = await browser.newPage();
    await till.goto(`${server.url}/#/pages/staff/index`);
    await till.reload();
    await expect.poll(() => till.getByText('店员登录').count()).toBe(1);
    await screenshot(till, '10-staff-signin');
    await till.locator('input[placeholder="店员口令"]').fill(staffToken);
    await till.getByText('登录', { exact: true }).click();
    await expect.poll(() => till.getByText('积分抵现收款').count()).toBe(1);
    await screenshot(till, '11-staff-home');

    await till.getByText('积分抵现收款').click();
    await expect.poll(() => till.getByText('顾客付款码').count()).toBe(1);
    // Fresh on its own, as a till bookmarks it: Taro's H5 page stack otherwise
    // leaves the emulated phone scrolled sideways in the screenshot.
    await till.reload();
    await till.locator('input[placeholder="18 位付款码"]').fill(code);
    await till.locator('input[placeholder="例如 58.00"]').fill('25.80');
    await till.locator('input[placeholder="收银系统的订单号"]').fill('E2E-TILL-1');
    await screenshot(till, '12-staff-checkout');
    await till.getByText('确认抵扣').click();
    // 25.80 yuan, at most half paid with points at 100 points a yuan: 1,290 allowed, 500 held.
    await expect.poll(() => till.getByText('已抵扣 ¥5.00').count()).toBe(1);
    await expect.poll(() => till.getByText('还需收款 ¥20.80').count()).toBe(1);
    await screenshot(till, '13-staff-captured');

    await expect.poll(() => page.getByText('付款成功').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByText('本次使用 500 积分').count()).toBe(1);
    await expect.poll(() => page.getByText('开启积分到账通知').count()).toBe(1);
    await screenshot(page, '14-pay-done');
    const after = await balance();
    expect(after.balance).toBe(before.balance - 500);
    expect(after.available).toBe(after.balance);

    // The voucher redeemed earlier is used at this store's counter, once.
    await till.goto(`${server.url}/#/pages/staff/voucher`);
    await till.reload();
    await till.locator('input[placeholder="12 位券码"]').fill(voucherCode);
    await till.getByText('核销', { exact: true }).click();
    await expect.poll(() => till.getByText('核销成功').count()).toBe(1);
    await screenshot(till, '15-staff-voucher');
    await till.close();
  });

  it('claims an order’s points from the ticket on the checkout QR', async () => {
    const till = await browser.newPage();
    await till.goto(`${server.url}/#/pages/staff/claim`);
    await till.reload();
    await till.getByText('支付宝').click();
    await till.locator('input[placeholder="商户订单号（小票上的订单号）"]').fill('E2E-CLAIM-1');
    await till.getByText('生成领积分码').click();
    await expect.poll(() => till.getByText('请顾客扫码领取积分').count()).toBe(1);
    const ticket = /领取码 ([A-Z2-9]{16})/.exec((await till.locator('.result').textContent()) ?? '')?.[1];
    expect(ticket).toBeDefined();
    await screenshot(till, '16-staff-claim-qr');
    await till.close();

    // An Alipay buyer is nobody's member yet: the points wait for the ticket.
    const out = await simulate(
      'pay',
      '--channel',
      'alipay',
      '--buyer',
      '2088000000000001',
      '--amount',
      '66.00',
      '--store',
      STORE,
      '--order',
      'E2E-CLAIM-1',
    );
    expect(out).toMatch(/→ 200 success/);
    const before = await balance();
    await show(`pages/claim/index?scene=${ticket}`);
    await expect.poll(() => page.locator('.result__title').textContent()).toMatch(/^\+\d+ 积分$/);
    const claimed = Number((await page.locator('.result__title').textContent())!.replace(/\D/g, ''));
    await expect.poll(() => page.getByText('开启积分到账通知').count()).toBe(1);
    await screenshot(page, '17-claim');
    expect((await balance()).balance).toBe(before.balance + claimed);

    // A ticket nobody issued: a final refusal in Chinese, and the way home (a retry cannot help).
    await show('pages/claim/index?scene=ABCDEFGHJKMNPQRS');
    await expect.poll(() => page.getByText('领取码无效，请向收银员确认').count()).toBe(1);
    expect(await page.getByText('查看我的积分').count()).toBe(1);
    await screenshot(page, '18-claim-unknown-ticket');

    // The same ticket again (a second scan) answers the same, and credits nothing more.
    await show(`pages/claim/index?scene=${ticket}`);
    await expect.poll(() => page.locator('.result__title').textContent()).toBe(`+${claimed} 积分`);
    expect((await balance()).balance).toBe(before.balance + claimed);

    // One claim of this Alipay buyer: the account is listed, not yet linked.
    await show('pages/links/index');
    await expect.poll(() => page.getByText('2088****0001').count()).toBe(1);
    expect(await page.getByText('待确认').count()).toBe(1);
    expect(await page.getByText('再扫码领取 1 次这个账户的订单，即可自动到账').count()).toBe(1);
    await screenshot(page, '18b-payer-links');
  });

  it('binds a phone and shows it masked', async () => {
    await show('pages/phone/index');
    await fill('手机号', '13812345678');
    await page.getByText('绑定', { exact: true }).click();
    await expect.poll(() => page.locator('.result__title').textContent()).toBe('已绑定 138****5678');
    expect(await page.content()).not.toContain('13812345678');
    await screenshot(page, '19-phone');
    await show('pages/mine/index');
    await expect.poll(() => page.getByText('138****5678 ›').count()).toBe(1);
    await screenshot(page, '20-mine-after-phone');
  });

  it('a frozen member is told so on the home page, with what still works', async () => {
    const { memberId } = await login(f, MEMBER);
    const freeze = (action: string) =>
      call(f, 'POST', `/api/admin/members/${memberId}/${action}`, { token: TEST_ADMIN_TOKEN, body: { reason: 'e2e' } });
    expect((await freeze('freeze')).status).toBe(200);
    await show('pages/index/index');
    await expect.poll(() => page.getByText('账户已冻结').count()).toBe(1);
    await screenshot(page, '21-home-frozen');
    expect((await freeze('unfreeze')).status).toBe(200);
  });

  it('checks in on the home page once a day: the first tap pays, a second check-in pays nothing', async () => {
    const set = await call(f, 'PUT', '/api/admin/bonuses', {
      token: TEST_ADMIN_TOKEN,
      body: { checkin: { points: 5, streaks: [{ days: 7, bonus: 30 }] } },
    });
    expect(set.status).toBe(200);
    const before = (await balance()).balance;
    await show('pages/index/index');
    await expect.poll(() => page.getByText('签到 +5').count()).toBe(1);
    await screenshot(page, '22a-home-check-in');
    await page.getByText('签到 +5').click();
    await expect.poll(() => page.getByText('今日已签到').count()).toBe(1);
    await expect.poll(() => page.locator('.hero__points').textContent()).toBe(`${groupDigits(before + 5)} 积分`);
    await screenshot(page, '22b-home-checked-in');
    // A second check-in the same day, straight at the API: refused, nothing paid.
    const { token } = await login(f, MEMBER);
    const again = await call(f, 'POST', '/api/member/check-in', { token });
    expect([again.status, again.body.code]).toEqual([409, 'CHECKED_IN']);
    await show('pages/index/index');
    await expect.poll(() => page.getByText('今日已签到').count()).toBe(1);
    expect(await page.getByText('签到 +5').count()).toBe(0);
    expect((await balance()).balance).toBe(before + 5);
  });

  it('a payment shows on an open home page within a second, without a reload', async () => {
    await show('pages/index/index');
    const before = (await balance()).balance;
    const hero = () => page.locator('.hero__points').textContent();
    await expect.poll(hero).toBe(`${groupDigits(before)} 积分`);
    const expected = `${groupDigits(before + 66)} 积分`;
    // The page notes when the new balance appears; the flag proves it is the same document (no reload).
    await page.evaluate(`
      window.sameDocument = true;
      new MutationObserver(() => {
        const shown = document.querySelector('.hero__points');
        if (!window.seenAt && shown && shown.textContent === ${JSON.stringify(expected)}) window.seenAt = Date.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    `);

    const keys = sandboxPaymentKeys(dataDirOf(dbUrl)).wechatpay;
    const resource = transactionResource({ mchId: keys.mchId, appId: keys.appId, openid: MEMBER, totalFen: 66_00 });
    const n = wechatNotification('TRANSACTION.SUCCESS', resource, {
      privateKeyPem: keys.privateKeyPem,
      serial: keys.publicKeyId,
      apiV3Key: keys.apiV3Key,
    });
    const res = await fetch(`${server.url}/notify/wechatpay`, { method: 'POST', headers: n.headers, body: n.body });
    const ackedAt = Date.now();
    expect(res.status).toBe(204);

    await expect.poll(hero, { timeout: 5_000 }).toBe(expected);
    const seen = (await page.evaluate(`({ seenAt: window.seenAt, sameDocument: window.sameDocument === true })`)) as {
      seenAt?: number;
      sameDocument: boolean;
    };
    expect(seen.sameDocument).toBe(true);
    const latency = seen.seenAt! - ackedAt;
    console.log(`live balance: shown ${latency} ms after the notification was acknowledged`);
    expect(latency).toBeLessThan(1_000);
    await screenshot(page, '23-home-live-payment');
  });

  it('a referral link opens the app with the referrer’s code, and the new member is referred once', async () => {
    const { token } = await login(f, MEMBER);
    const code = (await call(f, 'GET', '/api/member/referral', { token })).body.code as string;
    await show('pages/mine/index');
    await expect.poll(() => page.getByText('复制邀请链接').count()).toBe(1);
    await screenshot(page, '24-mine');

    const friend = `e2e-friend-${Date.now().toString(36)}`;
    // Another person's phone: its own browser, its own login code.
    const phone2 = await phoneBrowser();
    await phone2.addInitScript({ content: `localStorage.setItem('jifen.loginCode', ${JSON.stringify(friend)})` });
    const other = await phone2.newPage();
    await other.goto(`${server.url}/#/pages/index/index?ref=${encodeURIComponent(code)}`);
    await expect.poll(() => other.getByText('已接受好友邀请').count()).toBe(1);
    await screenshot(other, '25-referral-accepted');
    const f2 = await login(f, friend);
    expect((await call(f, 'GET', '/api/member/referral', { token: f2.token })).body.referred).toBe(true);
    // Opening the link again accepts nothing more (the server would answer 409; the app does not even ask).
    await other.reload();
    await expect.poll(() => other.locator('.hero__points').count()).toBe(1);
    expect(await other.getByText('已接受好友邀请').count()).toBe(0);
    await phone2.close();
  });

  it('shows the tier page, the earning page from the published rules, and the expiry banner', async () => {
    const admin = (method: string, path: string, body: unknown) =>
      call(f, method, path, { token: TEST_ADMIN_TOKEN, body });
    expect(
      (
        await admin('PUT', '/api/admin/tiers', {
          tiers: [
            { code: 'bronze', name: '铜卡会员', minGrowth: 0 },
            { code: 'silver', name: '银卡会员', minGrowth: 1_000, multiplier: 1.2, benefits: ['生日双倍积分'] },
            {
              code: 'gold',
              name: '金卡会员',
              minGrowth: 5_000,
              multiplier: 1.5,
              birthdayGift: 200,
              benefits: ['专属客服'],
            },
          ],
        })
      ).status,
    ).toBe(200);
    const rule = await admin('POST', '/api/admin/rules', {
      name: '周末双倍积分',
      when: { weekdays: [6, 7], storeIds: [STORE] },
      then: { multiplier: 2 },
      caps: { perMemberPerDay: 2_000 },
    });
    expect((await admin('POST', `/api/admin/rules/${rule.body.id}/publish`, undefined)).status).toBe(200);

    await show('pages/tier/index');
    await expect.poll(() => page.getByText('等级权益').count()).toBe(1);
    expect(await page.getByText('消费积分 1.2 倍 · 生日双倍积分').count()).toBe(1);
    await screenshot(page, '26-tier');

    await show('pages/earn/index');
    await expect.poll(() => page.getByText('周末双倍积分').count()).toBe(1);
    expect(await page.getByText('每周六、日 · 人民广场店').count()).toBe(1);
    expect(await page.getByText('每日签到').count()).toBe(1);
    await screenshot(page, '27-earn');

    // Points that expire in 20 days: the banner leads to the rewards.
    expect((await admin('PUT', '/api/admin/expiry', { mode: 'rolling', days: 20 })).status).toBe(200);
    expect(await simulate('pay', '--openid', MEMBER, '--amount', '30.00', '--store', STORE)).toMatch(/→ 204/);
    await show('pages/index/index');
    await expect.poll(() => page.locator('.expiry-banner').count()).toBe(1);
    expect(await page.locator('.expiry-banner__text').textContent()).toMatch(/^\d[\d,]* 积分 (20|21) 天后过期/);
    await screenshot(page, '28-home-expiry-banner');
    await page.locator('.expiry-banner').click();
    await expect.poll(() => page.url()).toContain('pages/rewards/index');
  });

  it('exports my data, lists my consents, and asks for deletion through the confirmation', async () => {
    const { token, memberId } = await login(f, MEMBER);
    await show('pages/mine/index');
    await page.getByText('我的数据与隐私').click();
    await expect.poll(() => page.getByText('申请注销会员').count()).toBe(1);
    expect(await page.getByText('导出数据后，在这里查看你同意过的授权').count()).toBe(1);

    await page.getByText('导出我的数据').click();
    const fileName = `jifen-${memberId}.json`;
    await expect.poll(() => page.getByText(fileName).count()).toBe(1);
    // The summary counts what the API exports (nothing has changed in between).
    const exported = (await call(f, 'GET', '/api/member/data-export', { token })).body;
    expect(exported.history.length).toBeGreaterThan(5); // payments, a redemption, the till, a claim, a check-in
    expect(exported.consents.length).toBeGreaterThan(0); // the phone bound above
    const value = (label: string) =>
      page
        .locator('.privacy__row')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('.privacy__value')
        .textContent();
    expect(await value('手机号')).toBe('138****5678');
    expect(await value('积分流水')).toBe(`${exported.history.length} 条`);
    expect(await value('券')).toBe(`${exported.vouchers.length} 张`);
    expect(await value('支付账号关联')).toBe(`${exported.payerLinks.length} 个`);
    expect(await value('授权记录')).toBe(`${exported.consents.length} 条`);
    for (const c of exported.consents as { statement: string }[])
      expect(await page.getByText(c.statement).count()).toBe(1);
    expect(await page.content()).not.toContain('13812345678'); // in the file, never on the screen

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByText('下载文件', { exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(fileName);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(file.member).toMatchObject({ id: memberId, openid: MEMBER, phone: '13812345678' });
    expect(file.history).toEqual(exported.history);
    await screenshot(page, '29-privacy');

    await page.getByText('申请注销会员').click();
    await expect.poll(() => page.locator('.taro-modal__text').textContent()).toMatch(/^剩余 [\d,]+ 积分将作废/);
    await screenshot(page, '30-deletion-confirm');
    await page.locator('.taro-model__confirm').click();
    await expect.poll(() => page.getByText('处理中', { exact: true }).count()).toBe(1);
    const asked = (await call(f, 'GET', '/api/member/deletion-request', { token })).body.request;
    expect(asked).toMatchObject({ memberId, status: 'pending', overdue: false });
    expect(await value('截止日期')).toBe(asked.dueAt.slice(0, 10));
    expect(await page.getByText('申请注销会员').count()).toBe(0);

    // Opened again, the page reads the request back from the server.
    await show('pages/privacy/index');
    await expect.poll(() => value('截止日期')).toBe(asked.dueAt.slice(0, 10));
    expect(await value('申请日期')).toBe(asked.requestedAt.slice(0, 10));
    expect(await page.getByText('处理中', { exact: true }).count()).toBe(1);
    await screenshot(page, '31-deletion-requested');
  });

  it('ran every screen under its Content-Security-Policy with nothing refused', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(violations).toEqual([]);
  });
});

/**
 * The HQ console (dist/console, React + antd) in headless Chromium against
 * the real local server: the first sign-in with the admin token, an HQ
 * operator created from the console and signed in with a password; a member
 * found by phone, adjusted with a reason (the ledger and the API agree),
 * frozen, and the freeze found in the audit log and its CSV; a member's
 * deletion request completed on 数据权利; a WeChat Pay day reconciled on 对账
 * against a fake platform (a missed payment credited, a mismatch flagged) and
 * one order re-checked; a cashier who sees only the member lookup and no
 * buttons that change anything. Every screen is saved to
 * tests/artifacts/screens/console-*.png.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_WECHAT_APPID } from '../../cloudfunctions/local/sandbox-secrets.js';
import {
  refundResource,
  transactionResource,
  wechatNotification,
} from '../../cloudfunctions/local/simulator/wechatpay-notification.js';
import { wechatBill } from '../support/bill-files.js';
import { reconcilingPlatforms, type FakePlatforms } from '../support/fake-platforms.js';
import { adjust, call, login, urlFetcher, type Fetcher } from '../support/http.js';
import { postWechat } from '../support/notify.js';
import { openCall } from '../support/open-client.js';
import { MCHID, paymentKeys, type PaymentKeys } from '../support/payment-keys.js';
import { startServer, TEST_ADMIN_TOKEN, type ServerProcess } from '../support/server-process.js';
import { browserSkipReason, screenshot, desktopBrowser } from './browser.js';

const skip = browserSkipReason();
const PHONE = '13700001234';
const PASSWORD = 'plum-blossom-42';

let server: ServerProcess;
let fake: FakePlatforms;
let keys: PaymentKeys;
let f: Fetcher;
let browser: BrowserContext;
let page: Page;
let memberId = '';
const violations: string[] = [];

const admin = (method: string, path: string, body?: unknown) =>
  call(f, method, path, { token: TEST_ADMIN_TOKEN, body });
const text = (s: string) => page.getByText(s, { exact: true });

async function signIn(username: string, password: string) {
  await page.goto(`${server.url}/console/`);
  // Signed in as someone else: sign out the way a person would.
  const signOut = page.getByRole('button', { name: /退\s*出/ });
  if (await signOut.count()) await signOut.click();
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

/** 停用 on a table row, confirmed, until the row shows 已停用 (staff tokens and open API keys alike). */
async function revokeRow(row: Locator) {
  await row.getByRole('button', { name: /停\s*用/ }).click();
  await page
    .locator('.ant-popconfirm')
    .getByRole('button', { name: /停\s*用/ })
    .click();
  await expect.poll(() => row.locator('.ant-tag', { hasText: '已停用' }).count()).toBe(1);
}

/** A manager or cashier of 徐汇店 (S-C1), created by HQ and signed in. */
async function signInAtStore(username: string, role: 'manager' | 'cashier', shown: string) {
  expect(
    (await admin('POST', '/api/admin/operators', { username, password: PASSWORD, role, storeIds: ['S-C1'] })).status,
  ).toBe(201);
  await signIn(username, PASSWORD);
  await expect.poll(() => page.getByText(`${username}（${shown} · S-C1）`).count()).toBe(1);
}

describe.skipIf(skip !== '')(`HQ console in Chromium${skip ? ` — skipped: ${skip}` : ''}`, () => {
  beforeAll(async () => {
    const dbUrl = `sqlite:${join(mkdtempSync(join(tmpdir(), 'jifen-console-')), 'jifen.db')}`;
    // 对账 calls WeChat Pay and Alipay: fake ones on 127.0.0.1, up before the server that is pointed at them.
    keys = await paymentKeys();
    let payments: Record<string, string>;
    ({ fake, env: payments } = await reconcilingPlatforms(keys)); // sandbox logins, real payment keys
    server = await startServer(dbUrl, {
      JIFEN_WEBHOOK_ALLOW_PRIVATE: 'on', // the webhook receiver is on 127.0.0.1
      ...payments,
    });
    f = urlFetcher(server.url);
    expect((await admin('POST', '/api/admin/stores', { id: 'S-C1', name: '徐汇店', region: '华东' })).status).toBe(201);
    const imported = await admin('POST', '/api/admin/members', { phone: PHONE, points: 300, reason: '开卡礼' });
    memberId = imported.body.memberId;
    browser = await desktopBrowser();
    page = await browser.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.close();
  });

  it('signs in first with the admin token and creates an HQ operator from the console', async () => {
    await page.goto(`${server.url}/console/`);
    await expect.poll(() => text('积分管理后台').count()).toBe(1);
    await screenshot(page, 'console-01-login');
    await page.getByRole('tab', { name: '管理令牌' }).click();
    await page.getByLabel('JIFEN_ADMIN_TOKEN').fill('wrong-token-0000000000');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => text('管理令牌不正确').count()).toBe(1);
    await page.getByLabel('JIFEN_ADMIN_TOKEN').fill(TEST_ADMIN_TOKEN);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByText('hq（总部）').count()).toBe(1);

    await page.getByRole('menuitem', { name: /操作员/ }).click();
    await page.getByRole('button', { name: '新建操作员' }).click();
    await page.getByLabel('用户名').fill('wang');
    await page.getByLabel('初始密码').fill(PASSWORD);
    await page.locator('.ant-modal .ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '总部' }).click();
    await page.getByRole('button', { name: /创\s*建/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: 'wang' }).count()).toBe(1);
    await screenshot(page, 'console-02-operators');
    const ops = (await admin('GET', '/api/admin/operators')).body.items;
    expect(ops.map((o: { username: string; role: string }) => [o.username, o.role])).toEqual([['wang', 'hq']]);
  });

  it('as the operator: finds a member by phone, adjusts with a reason, and the ledger and the API agree', async () => {
    await signIn('wang', PASSWORD);
    await expect.poll(() => page.getByText('wang（总部）').count()).toBe(1);
    await page.getByRole('menuitem', { name: /会员$/ }).click();
    await page.getByPlaceholder('手机号或会员编号').fill('13700009999');
    await page.getByRole('button', { name: /查\s*找/ }).click();
    await expect.poll(() => page.getByText('没有找到会员', { exact: false }).count()).toBe(1);
    await screenshot(page, 'console-03-member-not-found');

    await page.getByPlaceholder('手机号或会员编号').fill(PHONE);
    await page.getByRole('button', { name: /查\s*找/ }).click();
    await expect.poll(() => text('137****1234').count()).toBe(1);
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '开卡礼' }).count()).toBe(1);

    await page.getByRole('button', { name: '调整积分' }).click();
    await page.locator('.ant-modal input.ant-input-number-input').fill('50');
    await page.getByRole('button', { name: '确认调整' }).click();
    await expect.poll(() => page.getByText('请填写原因').count()).toBe(1); // the reason is required
    await page.locator('.ant-modal textarea').fill('顾客投诉补偿');
    await page.getByRole('button', { name: '确认调整' }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '顾客投诉补偿' }).count()).toBe(1);
    await expect.poll(() => text('350').count()).toBeGreaterThan(0);
    await screenshot(page, 'console-04-member');
    const seen = await admin('GET', `/api/admin/members/${memberId}`);
    expect(seen.body.balance).toBe(350);
  });

  it('freezes with a reason, and the freeze is in the audit log and its CSV', async () => {
    await page.getByRole('button', { name: /冻\s*结/ }).click();
    await page.locator('.ant-modal textarea').fill('疑似盗刷，待核查');
    await page.getByRole('button', { name: '确认冻结' }).click();
    await expect.poll(() => text('已冻结').count()).toBe(1);
    expect((await admin('GET', `/api/admin/members/${memberId}`)).body.status).toBe('frozen');

    await page.getByRole('menuitem', { name: /审计日志/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '冻结会员' }).count()).toBe(1);
    expect(await page.locator('.ant-table-row', { hasText: '冻结会员' }).textContent()).toContain('op:wang');
    const adjusted = await page.locator('.ant-table-row', { hasText: '调整积分' }).textContent();
    expect(adjusted).toContain('op:wang');
    expect(adjusted).toContain('balance: 300 → 350（顾客投诉补偿）');
    await screenshot(page, 'console-05-audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toBe('时间,操作人,操作,对象,变更前,变更后,详情');
    expect(csv).toContain('member.freeze');
    expect(csv).toContain('疑似盗刷，待核查');
  });

  it('shows today and 30 days on the dashboard chart, and the daily report with its CSV', async () => {
    // Another member with opening points: today's figures move.
    expect(
      (await admin('POST', '/api/admin/members', { phone: '13700005678', points: 120, reason: '门店活动' })).status,
    ).toBe(201);
    await page.getByRole('menuitem', { name: /概览/ }).click();
    await expect.poll(() => page.locator('.ant-statistic-title', { hasText: '积分负债' }).count()).toBe(1);
    await expect.poll(() => page.locator('canvas').count()).toBeGreaterThan(0);
    const stat = await page
      .locator('.ant-statistic', { hasText: '积分负债' })
      .locator('.ant-statistic-content')
      .textContent();
    expect(stat).toBe('470'); // 300 opening + 50 adjusted, and 120 just now
    expect(await page.getByText('价值 ¥4.70').count()).toBe(1);
    await screenshot(page, 'console-07-dashboard');

    await page.getByRole('menuitem', { name: /报表/ }).click();
    await expect.poll(() => page.locator('.ant-table-summary', { hasText: '合计' }).count()).toBe(1);
    await screenshot(page, 'console-08-report');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 CSV/ }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('日期,分组,发放积分,兑换积分,过期积分,调整积分,活跃会员,负债积分,负债金额（元）');
    expect(csv.at(-1)).toMatch(/,470,4\.70$/); // today's row ends with the liability in points and yuan
  });

  it('uploads a batch: malformed lines first, then the progress bar to the end, then a one-click rollback', async () => {
    const other = (await admin('GET', '/api/admin/members?phone=13700005678')).body.items[0].id as string;
    const balance = async () => (await admin('GET', `/api/admin/members/${other}`)).body.balance as number;
    const before = await balance();
    await page.getByRole('menuitem', { name: /批量发放/ }).click();
    const input = page.locator('input[type=file]');
    await input.setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('member,points,reason\n13700005678,abc,补发\n13700005678,5,\n'),
    });
    await expect.poll(() => page.getByText('2 行有错误，请修改文件后重新选择').count()).toBe(1);
    await screenshot(page, 'console-09-batch-errors');
    expect((await admin('GET', '/api/admin/batches')).body.items).toEqual([]); // a preview writes nothing

    const rows = Array.from({ length: 300 }, (_, i) => `13700005678,1,老系统迁移第${i + 1}行`);
    await input.setInputFiles({
      name: 'good.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['member,points,reason', ...rows].join('\n')),
    });
    await expect.poll(() => page.getByText('共 300 行：发放 300 积分，扣减 0 积分').count()).toBe(1);
    await page.getByRole('button', { name: '开始发放' }).click();
    await expect.poll(() => page.getByText('300 / 300').count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.locator('.ant-tag', { hasText: '已完成' }).count()).toBe(1);
    await screenshot(page, 'console-10-batch-done');
    expect(await balance()).toBe(before + 300);

    await page.getByRole('button', { name: /撤\s*销/ }).click();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: /撤\s*销/ })
      .click();
    await expect.poll(() => page.locator('.ant-tag', { hasText: '已撤销' }).count(), { timeout: 20_000 }).toBe(1);
    expect(await balance()).toBe(before);
    await screenshot(page, 'console-11-batch-rolled-back');
  });

  it('edits the catalog, shows the review queue, and gives a till its staff token', async () => {
    await page.getByRole('menuitem', { name: /兑换商品/ }).click();
    await expect.poll(() => page.getByText('还没有商品', { exact: false }).count()).toBe(1);
    await page.getByRole('button', { name: '新建商品' }).click();
    await page.getByLabel('名称').fill('满50减10券');
    await page.locator('.ant-modal .ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '优惠券' }).click();
    await page.getByLabel('减免金额（元）').fill('10');
    await page.getByLabel('使用门槛（元，0 为无门槛）').fill('50');
    await page.getByLabel('所需积分').fill('500');
    await page.getByLabel('库存（留空为不限）').fill('20');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '满50减10券' }).count()).toBe(1);
    expect(await page.locator('.ant-table-row', { hasText: '满50减10券' }).textContent()).toContain('减 ¥10（满 ¥50）');
    await page.locator('.ant-table-row', { hasText: '满50减10券' }).locator('.ant-switch').click();
    await expect
      .poll(async () => (await admin('GET', '/api/admin/rewards')).body.items.map((r: { active: boolean }) => r.active))
      .toEqual([false]);
    await screenshot(page, 'console-12-rewards');

    await page.getByRole('menuitem', { name: /兑换审核/ }).click();
    await expect.poll(() => page.getByText('没有待审核的兑换').count()).toBe(1);
    await screenshot(page, 'console-13-review-empty');

    await page.getByRole('menuitem', { name: /门店与店员/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '徐汇店' }).count()).toBe(1);
    await page.getByPlaceholder('姓名').fill('小张');
    await page.locator('.ant-form-inline .ant-select').first().click();
    await page.locator('.ant-select-item-option', { hasText: '徐汇店' }).click();
    await page.getByRole('button', { name: '生成令牌' }).click();
    await expect.poll(() => page.getByText('小张 的令牌').count()).toBe(1);
    const token = (await page.locator('.ant-modal code').textContent())!.trim();
    await screenshot(page, 'console-14-staff-token');
    const me = await call(f, 'GET', '/api/staff/me', { token });
    expect([me.status, me.body.storeId]).toEqual([200, 'S-C1']);
    await page.getByRole('button', { name: '已保存' }).click();
    // The staff list shows 小张 working at 徐汇店; 停用 on that row ends the token at once.
    const row = page.locator('.ant-table-row', { hasText: '小张' });
    await expect.poll(() => row.locator('.ant-tag', { hasText: '使用中' }).count()).toBe(1);
    expect(await row.textContent()).toContain('徐汇店');
    await revokeRow(row);
    await screenshot(page, 'console-17-staff-list');
    expect((await call(f, 'GET', '/api/staff/me', { token })).status).toBe(401);
  });

  it('creates a rule from a template, tries it in a dry run, publishes it; edits the tier ladder', async () => {
    await page.getByRole('menuitem', { name: /积分规则/ }).click();
    await expect.poll(() => page.getByText('还没有规则：未设置时每消费 1 元得 1 积分').count()).toBe(1);
    await page.locator('.ant-card-extra .ant-select').click();
    await page.locator('.ant-select-item-option').first().click();
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);
    const rule = (await admin('GET', '/api/admin/rules')).body.items[0];
    expect(rule.status).toBe('draft');
    await page.getByRole('button', { name: /试\s*算/ }).click();
    await expect.poll(() => page.getByText(/^可得 \d+ 积分（基础 100）/).count()).toBe(1);
    await page.getByRole('button', { name: /发\s*布/ }).click();
    await expect.poll(() => page.locator('.ant-tag', { hasText: '生效中' }).count()).toBe(1);
    expect((await admin('GET', '/api/admin/rules')).body.items[0]).toMatchObject({
      status: 'active',
      activeVersion: 1,
    });
    await screenshot(page, 'console-15-rules');

    await page.getByRole('menuitem', { name: /会员等级/ }).click();
    await expect.poll(() => page.locator('input[id$="_name"]').count()).toBeGreaterThan(0);
    await page.locator('input[id="tiers_1_name"]').fill('白银会员');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(async () => (await admin('GET', '/api/admin/tiers')).body.tiers[1].name).toBe('白银会员');
    await screenshot(page, 'console-16-tiers');
  });

  it('makes an open API key a till then signs with, and revokes it', async () => {
    await page.getByRole('menuitem', { name: /开放接口/ }).click();
    await expect.poll(() => page.getByText('还没有密钥：为每个对接的系统新建一个').count()).toBe(1);
    await page.getByRole('button', { name: '新建密钥' }).click();
    await page.getByLabel('对接系统名称').fill('徐汇店收银系统');
    await page.getByLabel('限定门店（留空为全部门店）').click();
    await page.locator('.ant-select-item-option', { hasText: '徐汇店' }).click();
    // A multiple select stays open after a pick; a click on the title closes it, as a person would.
    await page.locator('.ant-modal-title').click();
    await expect.poll(() => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count()).toBe(0);
    await page.getByRole('button', { name: /创\s*建/ }).click();
    await expect.poll(() => page.locator('.key-secret').count()).toBe(1);
    const secret = (await page.locator('.key-secret code').textContent())!.trim();
    const keyId = (await page.locator('.ant-modal-body code').first().textContent())!.trim();
    await screenshot(page, 'console-20-open-api-key');
    await page.getByRole('button', { name: '已保存' }).click();
    const key = { keyId, secret };
    const sent = (orderNo: string) =>
      openCall(f, key, 'POST', '/open/v1/orders', {
        orderNo,
        storeId: 'S-C1',
        member: { phone: PHONE },
        paidFen: 5_000,
      });
    const ok = await sent('E2E-1');
    expect([ok.status, ok.body.points]).toEqual([200, 50]);

    const row = page.locator('.ant-table-row', { hasText: '徐汇店收银系统' });
    expect(await row.textContent()).toContain('S-C1');
    await revokeRow(row);
    await screenshot(page, 'console-21-open-api-keys');
    expect((await sent('E2E-2')).status).toBe(401);
  });

  it('registers a webhook, and its delivery log shows the adjustment delivered', async () => {
    const got: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        got.push(body);
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/jifen`;
      await page.getByRole('menuitem', { name: /开放接口/ }).click();
      await page.getByRole('button', { name: '新建 Webhook' }).click();
      await page.getByLabel('接收地址（https）').fill(hookUrl);
      await page.getByRole('button', { name: /创\s*建/ }).click();
      await expect.poll(() => page.locator('.webhook-secret').count()).toBe(1);
      await page.getByRole('button', { name: '已保存' }).click();

      // The member was frozen above: a deduction still goes through (and is announced).
      expect((await adjust(f, memberId, -8, 'console-webhook')).status).toBe(200);
      // The server's timer sends it within seconds; asking for a dispatch makes it sooner.
      await expect
        .poll(
          async () => {
            await admin('POST', '/api/admin/outbox/dispatch');
            return got.length;
          },
          { timeout: 15_000 },
        )
        .toBe(1);
      expect(JSON.parse(got[0]!)).toMatchObject({ type: 'points.changed', data: { memberId, delta: -8 } });
      const row = page.locator('.ant-table-row', { hasText: hookUrl });
      await row.getByRole('button', { name: '推送记录' }).click();
      await expect.poll(() => page.locator('.ant-modal .ant-tag', { hasText: '已送达' }).count()).toBe(1);
      await screenshot(page, 'console-24-webhook-log');
      await page.locator('.ant-modal-close').last().click();
      await revokeRow(row);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('shows a risk alert that a burst of orders raised, and resolves it with a note', async () => {
    const made = await admin('POST', '/api/admin/integrations', { name: '风控演示' });
    const key = { keyId: made.body.keyId as string, secret: made.body.secret as string };
    for (let i = 0; i < 5; i++) {
      const r = await openCall(f, key, 'POST', '/open/v1/orders', {
        orderNo: `RISK-${i}`,
        storeId: 'S-C1',
        member: { phone: '13511112222' },
        paidFen: 1_000,
      });
      expect(r.status).toBe(200);
    }
    await page.getByRole('menuitem', { name: /风险提醒/ }).click();
    const row = page.locator('.ant-table-row', { hasText: '短时多次积分' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/分钟内积分 5 次/);
    await screenshot(page, 'console-22-risk-alerts');
    await row.getByRole('button', { name: /处\s*理/ }).click();
    await page.getByPlaceholder('处理说明（如：已核实为团购，正常）').fill('已电话核实，团购');
    await page.getByRole('button', { name: '标记为已处理' }).click();
    await expect.poll(() => page.getByText('没有待处理的风险提醒').count()).toBe(1);
    const resolved = (await admin('GET', '/api/admin/alerts?status=resolved')).body.items;
    expect(resolved.map((a: { kind: string }) => a.kind)).toContain('risk.accrual_burst');

    // Had it been abuse: the phone on the bonus blacklist, shown masked.
    await page.getByPlaceholder('手机号或微信 openid').fill('13511112222');
    await page.getByPlaceholder('原因（如：多账号刷签到）').fill('多账号刷签到');
    await page.getByRole('button', { name: '加入黑名单' }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '手机 135****2222' }).count()).toBe(1);
    expect(await page.content()).not.toContain('13511112222');
    await screenshot(page, 'console-23-blacklist');
    expect((await admin('GET', '/api/admin/blacklist')).body.items).toMatchObject([
      { kind: 'phone', shown: '135****2222' },
    ]);
  });

  it('a member asks to be erased; HQ completes it on 数据权利 and their points are forfeited', async () => {
    const m = await login(f, 'console-erasure-member');
    expect((await adjust(f, m.memberId, 80, 'console-erasure-fund')).status).toBe(200);
    const asked = await call(f, 'POST', '/api/member/deletion-request', { token: m.token });
    expect([asked.status, asked.body.status]).toEqual([202, 'pending']);

    await page.getByRole('menuitem', { name: /数据权利/ }).click();
    const row = page.locator('.ant-table-row', { hasText: m.memberId });
    await expect.poll(() => row.locator('.ant-tag', { hasText: '待处理' }).count()).toBe(1);
    const pending = (await row.textContent())!;
    // The deadline as the server set it (its wall clock), and the days left to it.
    expect(pending).toContain((asked.body.dueAt as string).slice(0, 16).replace('T', ' '));
    expect(pending).toMatch(/还剩 \d+ 个自然日/);
    expect(pending).not.toContain('逾期');
    await screenshot(page, 'console-26-deletion-requests');

    await row.getByRole('button', { name: '完成注销' }).click();
    const confirm = page.locator('.ant-popconfirm');
    await expect.poll(() => confirm.getByText(/流水保留，操作不可撤销/).count()).toBe(1);
    await confirm.getByRole('button', { name: '完成注销' }).click();
    await expect.poll(() => row.locator('.ant-tag', { hasText: '已完成' }).count()).toBe(1);
    expect(await row.locator('td').nth(4).textContent()).toBe('80');
    expect(await row.textContent()).toContain('op:wang');
    await expect.poll(() => page.locator('.ant-message', { hasText: '已注销，作废 80 积分' }).count()).toBe(1);
    await screenshot(page, 'console-27-deletion-done');

    expect((await admin('GET', `/api/admin/members/${m.memberId}`)).body.balance).toBe(0);
    const done = (await admin('GET', '/api/admin/deletion-requests?status=done')).body.items;
    expect(done).toMatchObject([{ id: asked.body.id, memberId: m.memberId, status: 'done', forfeited: 80 }]);
  });

  it('reconciles a WeChat Pay day on 对账: the missed payment credited once, the mismatch flagged; one order re-checked', async () => {
    // A past day the server's daily job leaves alone (it runs the last two days, failing here after 10:00
    // without their bills), and not a Saturday: the 周六双倍积分 rule published above would double the points.
    let day = DateTime.now().setZone('Asia/Shanghai').minus({ days: 3 });
    if (day.weekday === 6) day = day.minus({ days: 1 });
    const DAY = day.toISODate()!;
    const order = (tradeNo: string, openid: string, totalFen: number) => ({
      ...transactionResource({
        mchId: MCHID,
        appId: SANDBOX_WECHAT_APPID,
        openid,
        totalFen,
        transactionId: tradeNo,
        outTradeNo: `O-${tradeNo}`,
      }),
      success_time: `${DAY}T10:00:00+08:00`,
    });
    // Sandbox logins: the code is the openid, so these members are the payers below.
    const missed = await login(f, 'o-console-missed');
    const later = await login(f, 'o-console-recheck');
    for (const o of [order('4200000101', 'o-console-paid', 8_800), order('4200000103', 'o-console-differs', 3_000)]) {
      expect((await postWechat(f, wechatNotification('TRANSACTION.SUCCESS', o, keys.wechat))).status).toBe(204);
    }
    // The bill's refund was notified too: it matches, and only the amount below is a difference.
    const refund = refundResource({
      mchId: MCHID,
      transactionId: '4200000101',
      totalFen: 8_800,
      refundFen: 880,
      refundId: '5030101',
    });
    expect((await postWechat(f, wechatNotification('REFUND.SUCCESS', refund, keys.wechat))).status).toBe(204);
    // Paid on the platform, its notification never came: only the order query knows it.
    fake.wechat.orders.set('4200000102', order('4200000102', 'o-console-missed', 5_000));
    fake.wechat.bills.set(
      DAY,
      wechatBill(MCHID, DAY, [
        { tradeNo: '4200000101', outTradeNo: 'O-4200000101', amount: '88.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000102', outTradeNo: 'O-4200000102', amount: '50.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000101', outTradeNo: 'O-4200000101', amount: '88.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000103', outTradeNo: 'O-4200000103', amount: '31.00', appId: SANDBOX_WECHAT_APPID },
        { tradeNo: '4200000101', outTradeNo: 'O-4200000101', amount: '8.80', kind: 'refund', refundNo: '5030101' },
      ]),
    );

    await page.getByRole('menuitem', { name: /对账/ }).click();
    await expect.poll(() => page.locator('.ant-card-extra', { hasText: '微信支付' }).count()).toBe(1);
    // Only that day in the table: nothing yet.
    const range = page.locator('.ant-picker-range input');
    await range.first().click();
    await range.first().fill(DAY);
    await range.first().press('Enter');
    await range.last().fill(DAY);
    await range.last().press('Enter');
    await expect.poll(() => page.getByText('暂无对账记录').count()).toBe(1);
    expect(await page.locator('.ant-card-extra').first().textContent()).toBe('微信支付已启用支付宝已启用');
    await page.getByLabel('账单日期').fill(DAY);
    // A click outside keeps the typed day and closes the calendar (Enter would submit the form already).
    await page.locator('.ant-layout-header').click();
    expect(await page.getByLabel('账单日期').inputValue()).toBe(DAY);
    await page.getByRole('button', { name: '开始对账' }).click();
    const result = page.locator('.ant-alert', { hasText: '对账完成' });
    await expect.poll(() => result.count(), { timeout: 15_000 }).toBe(1);
    expect(await result.textContent()).toBe(`${DAY} 微信支付对账完成：账单 5 行，已核对 1 笔，补记 1 笔，差异 1 条`);
    const row = page.locator('.ant-table-row', { hasText: DAY });
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.locator('td').allTextContents();
    // After the expand button: 日期, 渠道, 状态, 账单行数, 已核对, 补记, 重复行, 退款行, 差异, 执行人.
    expect(cells.slice(1, 11)).toEqual([DAY, '微信支付', '完成', '5', '1', '1 笔', '1', '1', '1 条', 'op:wang']);

    await row.locator('.ant-table-row-expand-icon').click();
    const details = page.locator('.ant-table-expanded-row');
    await expect.poll(() => details.locator('.ant-tag', { hasText: '金额不一致' }).count()).toBe(1);
    const texts = async (hasText: string) =>
      details.locator('.ant-table-row', { hasText }).locator('td').allTextContents();
    expect(await texts('4200000102')).toEqual(['4200000102', 'O-4200000102', '¥50.00', '已积分']);
    expect(await texts('4200000103')).toEqual(['金额不一致', '4200000103', 'O-4200000103', '¥31.00', '¥30.00', '5']);
    await details.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-28-reconciliation');
    // Run once, and credited as its notification would have been: 50 yuan, 50 points.
    const runs = (await admin('GET', `/api/admin/reconciliation?from=${DAY}&to=${DAY}`)).body.runs;
    expect(runs).toMatchObject([{ channel: 'wechatpay', date: DAY, attempts: 1, by: 'op:wang' }]);
    expect((await admin('GET', `/api/admin/members/${missed.memberId}`)).body.balance).toBe(50);

    // 单笔核对: paid on the platform, never notified, and in no bill that was run.
    fake.wechat.orders.set('4200000110', order('4200000110', 'o-console-recheck', 2_000));
    await page.getByLabel('交易号').fill('4200000110');
    await page.getByRole('button', { name: /核\s*对/ }).click();
    const rechecked = page.locator('.ant-alert', { hasText: '交易号 4200000110' });
    await expect.poll(() => rechecked.count(), { timeout: 15_000 }).toBe(1);
    expect(await rechecked.textContent()).toBe('交易号 4200000110：已补记，平台已支付但我方未收到通知，已按通知入账');
    await rechecked.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-29-reconciliation-recheck');
    expect((await admin('GET', `/api/admin/members/${later.memberId}`)).body.balance).toBe(20);
  });

  it('a cashier sees the member lookup only, with nothing that changes a member', async () => {
    await signInAtStore('xiaoli', 'cashier', '收银员');
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['会员']);
    await page.getByPlaceholder('手机号或会员编号').fill(PHONE);
    await page.getByRole('button', { name: /查\s*找/ }).click();
    await expect.poll(() => text('137****1234').count()).toBe(1);
    expect(await page.getByRole('button', { name: '调整积分' }).count()).toBe(0);
    await screenshot(page, 'console-06-cashier');
    // The server says the same: the matrix, not the missing button, is what refuses.
    const token = (await call(f, 'POST', '/api/console/login', { body: { username: 'xiaoli', password: PASSWORD } }))
      .body.token;
    const r = await call(f, 'POST', `/api/admin/members/${memberId}/unfreeze`, { token, body: { reason: 'x' } });
    expect(r.status).toBe(403);
  });

  it('a store manager sees their store’s dashboard, staff and report, with no liability and nothing to change', async () => {
    // A member pays 120 points at 徐汇店's till: the store's own activity today.
    const till = await admin('POST', '/api/admin/staff', { name: '收银台一', storeId: 'S-C1', role: 'cashier' });
    const m = await login(f, 'console-manager-member');
    expect((await adjust(f, m.memberId, 500, 'console-manager-fund')).status).toBe(200);
    const code = await call(f, 'POST', '/api/member/pay-codes', { token: m.token, body: { points: 120 } });
    const captured = await call(f, 'POST', '/api/staff/checkout/capture', {
      token: till.body.token,
      body: { code: code.body.code, orderNo: 'CM-1', amountFen: 12_000 },
    });
    expect(captured.status, JSON.stringify(captured.body)).toBe(200);

    await signInAtStore('zhaodian', 'manager', '店长');
    expect(await page.getByRole('menuitem').allTextContents()).toEqual(['概览', '会员', '门店与店员', '报表']);
    // No 数据权利 either, and the server refuses a manager the deletion requests all the same.
    const managerToken = (
      await call(f, 'POST', '/api/console/login', { body: { username: 'zhaodian', password: PASSWORD } })
    ).body.token;
    expect((await call(f, 'GET', '/api/admin/deletion-requests', { token: managerToken })).status).toBe(403);
    const redeemed = page.locator('.ant-statistic', { hasText: '今日兑换积分' });
    await expect.poll(() => redeemed.locator('.ant-statistic-content').textContent()).toBe('120');
    expect(await page.locator('.ant-statistic', { hasText: '积分负债' }).count()).toBe(0);
    await page.locator('canvas').first().waitFor();
    await screenshot(page, 'console-18-manager-dashboard');

    await page.getByRole('menuitem', { name: /门店与店员/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '收银台一' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: /新建门店|生成令牌|停\s*用/ }).count()).toBe(0);
    await screenshot(page, 'console-19-manager-stores');

    await page.getByRole('menuitem', { name: /报表/ }).click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: 'S-C1' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.ant-table-thead').textContent()).not.toContain('负债');
    await screenshot(page, 'console-25-manager-report');
  });

  it('ran every screen under its Content-Security-Policy with nothing refused', async () => {
    const res = await fetch(`${server.url}/console/`);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(violations).toEqual([]);
  });
});

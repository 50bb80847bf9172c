/**
 * 我的数据与隐私 (PIPL): the member takes a copy of everything kept about
 * them, sees what they agreed to, and asks for their membership to be erased.
 * The export is fetched only when asked for (it reads the whole history and
 * is limited to 5 a minute), so the consents, which come with it, show after
 * the export; the deletion request is read when the page opens.
 */
import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useCallback, useState } from 'react';
import { api } from '../../api/client';
import type { Consent, DataExport, DeletionRequest } from '../../api/types';
import { BigButton } from '../../components/buttons';
import { Failure, Loading } from '../../components/status-view';
import { copyText, downloadFile, shareFile, writeUserFile } from '../../lib/export-file';
import { formatClock, formatDay, formatPoints } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { useRemote } from '../../lib/use-remote';
import './index.scss';

const IN_WECHAT = process.env.TARO_ENV === 'weapp';

/** The export as fetched, and the file made of it (the mini-program writes it at once, H5 on download). */
interface Exported {
  data: DataExport;
  text: string;
  fileName: string;
  filePath: string | null;
}

// The balance is what the confirmation says will be forfeited.
const loadPage = async () => {
  const [{ request }, me] = await Promise.all([api('deletionRequest', {}), api('me', {})]);
  return { request, balance: me.balance };
};

const at = (iso: string) => `${formatDay(iso)} ${formatClock(iso)}`;

export default function Privacy() {
  const [page, reload] = useRemote(loadPage);
  const [exported, setExported] = useState<Exported | null>(null);
  const [asked, setAsked] = useState<DeletionRequest | null>(null);
  if (page.state === 'loading') return <Loading />;
  if (page.state === 'error') return <Failure message={page.message} onRetry={() => void reload()} />;
  return (
    <View className="page privacy">
      <ExportCard exported={exported} onExported={setExported} />
      <Consents consents={exported ? exported.data.consents : null} />
      <Deletion request={asked ?? page.data.request} balance={page.data.balance} onAsked={setAsked} />
    </View>
  );
}

function ExportCard({ exported, onExported }: { exported: Exported | null; onExported: (e: Exported) => void }) {
  const fetchExport = useAction(
    useCallback(async () => {
      const data = await api('dataExport', {});
      // The server's document as it came, indented so a person can read the file.
      const text = JSON.stringify(data, null, 2);
      const fileName = `jifen-${data.member.id}.json`;
      onExported({ data, text, fileName, filePath: IN_WECHAT ? writeUserFile(fileName, text) : null });
    }, [onExported]),
  );
  const d = exported?.data;
  return (
    <View className="card">
      <Text className="card__title">我的数据</Text>
      <Text className="muted">
        一份 JSON 文件，包含我们保存的关于你的全部信息：资料、积分、流水、券、支付账号关联和授权记录。
      </Text>
      {d ? (
        <View className="privacy__rows">
          <Row label="手机号" value={d.member.phoneMasked ?? '未绑定'} />
          <Row label="积分流水" value={`${d.history.length} 条${d.historyComplete ? '' : '（较早的未包含）'}`} />
          <Row label="券" value={`${d.vouchers.length} 张`} />
          <Row label="支付账号关联" value={`${d.payerLinks.length} 个`} />
          <Row label="授权记录" value={`${d.consents.length} 条`} />
          <Text className="muted">导出于 {at(d.exportedAt)} · 文件含完整手机号和微信身份标识，请妥善保管</Text>
        </View>
      ) : null}
      {exported ? <SaveButtons exported={exported} /> : null}
      <BigButton kind={exported ? 'ghost' : 'primary'} busy={fetchExport.busy} onClick={() => void fetchExport.run()}>
        {exported ? '重新导出' : '导出我的数据'}
      </BigButton>
      {fetchExport.error ? <Text className="field-error">{fetchExport.error}</Text> : null}
    </View>
  );
}

/** H5 downloads the file; WeChat forwards it to a chat, or copies the text when that is not possible. */
function SaveButtons({ exported }: { exported: Exported }) {
  const { text, fileName, filePath } = exported;
  const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });
  // Branching on the build constant alone lets each build drop the other platform's code.
  if (!IN_WECHAT) {
    return (
      <View className="privacy__actions">
        <BigButton onClick={() => downloadFile(fileName, text)}>下载文件</BigButton>
        {/* Below the button, not in it: a member id is too long for one line of a button. */}
        <Text className="muted privacy__file">{fileName}</Text>
      </View>
    );
  }
  if (!filePath) return null;
  return (
    <View className="privacy__actions">
      <BigButton
        onClick={() =>
          void shareFile(filePath, fileName).catch((e: { errMsg?: string }) => {
            if (!/cancel/.test(e.errMsg ?? '')) toast('发送失败，可以改用复制内容');
          })
        }
      >
        发送到微信聊天
      </BigButton>
      <Text className="muted privacy__file">可发给「文件传输助手」，在电脑上保存 {fileName}</Text>
      <BigButton
        kind="ghost"
        onClick={() =>
          void copyText(text).then(
            () => toast('已复制，可粘贴保存'),
            () => toast('复制失败，请稍后再试'),
          )
        }
      >
        复制内容
      </BigButton>
    </View>
  );
}

const PURPOSE_ZH: Record<Consent['purpose'], string> = { phone: '手机号授权', subscribe: '订阅消息授权' };

/** What the member agreed to, in the words they were shown, and when; null until the export is fetched. */
function Consents({ consents }: { consents: Consent[] | null }) {
  return (
    <View className="card">
      <Text className="card__title">授权记录</Text>
      {consents === null ? <Text className="muted">导出数据后，在这里查看你同意过的授权</Text> : null}
      {consents?.length === 0 ? <Text className="muted">还没有授权记录</Text> : null}
      {consents?.map((c, i) => (
        // Records are never edited or reordered (oldest first): the position is a stable key.
        <View key={i} className="privacy__consent">
          <View className="privacy__row">
            <Text className="privacy__purpose">{PURPOSE_ZH[c.purpose]}</Text>
            <Text className="muted">{at(c.at)}</Text>
          </View>
          <Text className="muted">{c.statement}</Text>
          {c.templateIds.length > 0 ? <Text className="muted">消息模板 {c.templateIds.length} 个</Text> : null}
        </View>
      ))}
    </View>
  );
}

function Deletion(props: { request: DeletionRequest | null; balance: number; onAsked: (r: DeletionRequest) => void }) {
  const { request, balance, onAsked } = props;
  const ask = useAction(useCallback(() => api('requestDeletion', {}), []));
  const confirm = async () => {
    // Nothing is sent before the member has read what they lose.
    const ok = await Taro.showModal({
      title: '确认注销会员？',
      content: `剩余 ${formatPoints(balance)}将作废且不可恢复，手机号、微信身份、支付账号关联将被删除。`,
      confirmText: '确认注销',
      confirmColor: '#b91c1c',
    });
    if (!ok.confirm) return;
    const done = await ask.run();
    if (done) onAsked(done);
  };
  return (
    <View className="card">
      <Text className="card__title">注销会员</Text>
      {request ? (
        <Requested request={request} />
      ) : (
        <>
          <Text className="muted">
            注销后，你的手机号、微信身份、支付账号关联将被删除，剩余积分作废且不可恢复，积分流水匿名保留。提交申请后，总部将在截止日期前处理。
          </Text>
          <BigButton kind="ghost" busy={ask.busy} onClick={() => void confirm()}>
            申请注销会员
          </BigButton>
          {ask.error ? <Text className="field-error">{ask.error}</Text> : null}
        </>
      )}
    </View>
  );
}

function Requested({ request: r }: { request: DeletionRequest }) {
  if (r.status === 'done') {
    return <Row label="已注销" value={r.completedAt ? formatDay(r.completedAt) : ''} />;
  }
  return (
    <View className="privacy__rows">
      <View className="privacy__row">
        <Text>申请状态</Text>
        <Text className={`privacy__tag ${r.overdue ? 'privacy__tag--late' : ''}`}>
          {r.overdue ? '处理中 · 已超过截止日期' : '处理中'}
        </Text>
      </View>
      <Row label="申请日期" value={formatDay(r.requestedAt)} />
      <Row label="截止日期" value={formatDay(r.dueAt)} />
      <Text className="muted">总部将在截止日期前处理；处理前账户可照常使用，注销后无法恢复。</Text>
    </View>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <View className="privacy__row">
      <Text>{label}</Text>
      <Text className="privacy__value">{value}</Text>
    </View>
  );
}

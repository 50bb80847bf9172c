import { Empty } from '../../components/status-view';

/** Placeholder: the catalog and one-tap redemption arrive with the rewards issue. */
export default function Rewards() {
  return <Empty title="积分兑换" hint="即将上线" />;
}

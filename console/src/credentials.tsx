/**
 * The two pieces every credential on the console has: a secret shown once
 * (a till token, an open API key, a webhook secret; the server keeps only
 * a hash or a sealed copy), and a 停用 that asks first and takes effect at once.
 */
import { Button, Modal, Popconfirm, Typography } from 'antd';
import type { ReactNode } from 'react';

export function SecretOnce(props: {
  title: string;
  /** null: closed. */
  secret: string | null;
  /** What to do with it; the "shown once" warning follows. */
  intro: ReactNode;
  onClose: () => void;
  className?: string;
}) {
  return (
    <Modal
      title={props.title}
      open={props.secret !== null}
      onCancel={props.onClose}
      footer={<Button onClick={props.onClose}>已保存</Button>}
    >
      <Typography.Paragraph>{props.intro}它只显示这一次，请立即保存。</Typography.Paragraph>
      <Typography.Paragraph copyable code className={props.className}>
        {props.secret}
      </Typography.Paragraph>
    </Modal>
  );
}

export function RevokeButton({ confirm, onRevoke }: { confirm: string; onRevoke: () => void }) {
  return (
    <Popconfirm title={confirm} okText="停用" okButtonProps={{ danger: true }} onConfirm={onRevoke}>
      <Button danger size="small">
        停用
      </Button>
    </Popconfirm>
  );
}

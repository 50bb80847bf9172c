import { act, screen, waitFor } from '@testing-library/react';

/**
 * Types into a Taro <Input> as a person would: once the H5 component has
 * rendered its inner <input>, set the value there and fire the native event;
 * Taro's component turns it into its own `input` event with detail.value,
 * which is what the pages read.
 */
export async function typeInto(placeholder: string, value: string): Promise<void> {
  const inner = await waitFor(() => {
    const el = screen.getAllByPlaceholderText(placeholder).find((e) => e.tagName === 'INPUT');
    if (!el) throw new Error(`no rendered <input> for "${placeholder}" yet`);
    return el as HTMLInputElement;
  });
  await act(async () => {
    inner.value = value;
    inner.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

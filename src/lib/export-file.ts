/**
 * Getting the member's data export out of the app as a file, per platform:
 * the browser downloads it; the mini-program cannot download, so the file is
 * written to the user data folder and forwarded to a chat (e.g. 文件传输助手),
 * with copying the text as the fallback. WeChat's openDocument opens only
 * office files and PDF, never JSON, so it is no way out here.
 */
import Taro from '@tarojs/taro';

/** H5: save the text as a file the browser downloads. */
export function downloadFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Not at once: revoking before the browser has read the blob can cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * weapp: writes the text to a user data file and returns its path. Same name
 * every time, so exporting again replaces the old copy instead of filling the
 * member's 10 MB of user storage.
 */
export function writeUserFile(fileName: string, text: string): string {
  const filePath = `${Taro.env.USER_DATA_PATH ?? ''}/${fileName}`;
  Taro.getFileSystemManager().writeFileSync(filePath, text, 'utf8');
  return filePath;
}

/**
 * weapp: forwards the file to a chat. WeChat allows it only inside a tap
 * handler, so call it straight from one (no request before it).
 */
export function shareFile(filePath: string, fileName: string): Promise<unknown> {
  return Taro.shareFileMessage({ filePath, fileName });
}

/** Both platforms: the text to the clipboard, for when a file cannot be sent. */
export async function copyText(text: string): Promise<void> {
  await Taro.setClipboardData({ data: text });
}

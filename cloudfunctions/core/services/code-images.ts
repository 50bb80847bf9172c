/**
 * Images of the pay-code digits for the member's screen: a QR for scanners
 * that read 2-D codes and a Code 128 barcode for the older laser guns many
 * tills still have. SVG data URLs, so both the mini-program and H5 show them
 * with a plain <Image>.
 */

const svgDataUrl = (svg: string) => `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;

// Loaded on first use: a server that never draws a code never holds either library.
export const qrOf = async (text: string): Promise<string> => {
  const { default: QRCode } = await import('qrcode');
  return svgDataUrl(await QRCode.toString(text, { type: 'svg', margin: 2 }));
};

export const barcodeOf = async (digits: string): Promise<string> => {
  const { default: bwipjs } = await import('bwip-js');
  return svgDataUrl(bwipjs.toSVG({ bcid: 'code128', text: digits, height: 14, includetext: false, paddingwidth: 4 }));
};

export const payCodeImages = async (code: string) => ({ qr: await qrOf(code), barcode: await barcodeOf(code) });

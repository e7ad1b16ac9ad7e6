/**
 * "Export PNG" for any plot. Canvases are copied onto a white background first: chart.js and our rasters
 * draw on transparent canvases, which look black or checkered in many image viewers.
 */

/** "Hidden raster — sample 3, epoch 2" → "hidden-raster-sample-3-epoch-2.png". */
export function pngFileName(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'plot'}.png`;
}

export function canvasOnWhite(source: HTMLCanvasElement): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height;
  const ctx = out.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(source, 0, 0);
  return out;
}

/** Encodes the canvas and starts a download through a temporary link (works in Electron and browsers). */
export async function downloadCanvasPng(source: HTMLCanvasElement, title: string): Promise<string> {
  const canvas = canvasOnWhite(source);
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the plot could not be encoded as PNG'))), 'image/png'),
  );
  const url = URL.createObjectURL(blob);
  const name = pngFileName(title);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the link; free the blob on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return name;
}

/** A text file download (TSV tables) through the same link mechanism. */
export function downloadText(text: string, fileName: string, type = 'text/tab-separated-values'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

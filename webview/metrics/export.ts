/**
 * Chart export: a standalone copy of each chart's SVG (theme colours resolved and written as attributes, since the file
 * has no stylesheet) and a PNG drawn from it on a canvas. CSP-safe: the SVG goes to an <img> as a data: URL (allowed by
 * img-src), the PNG comes back from canvas.toDataURL; nothing is evaluated.
 */
import type { ExportChart } from './protocol';

const STYLE_PROPS = ['stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'fill', 'fill-opacity', 'opacity', 'font-family', 'font-size', 'font-weight'] as const;

/** A copy of `chart` with every element's computed presentation written as attributes. */
export function standaloneSvg(chart: SVGSVGElement): string {
  const copy = chart.cloneNode(true) as SVGSVGElement;
  const source = [chart, ...Array.from(chart.querySelectorAll('*'))];
  const target = [copy, ...Array.from(copy.querySelectorAll('*'))];
  source.forEach((node, i) => {
    const cs = getComputedStyle(node);
    const out = target[i];
    for (const prop of STYLE_PROPS) {
      const v = cs.getPropertyValue(prop);
      if (v && v !== 'normal') out.setAttribute(prop, v);
    }
    out.removeAttribute('class');
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = chart.viewBox.baseVal;
  copy.setAttribute('width', String(box.width));
  copy.setAttribute('height', String(box.height));
  return new XMLSerializer().serializeToString(copy);
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Renders an SVG string to PNG (base64, no data: prefix) at `scale`; undefined when the browser refuses. */
export async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string | undefined> {
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = `data:image/svg+xml;base64,${toBase64(svgText)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/png');
    return url.startsWith('data:image/png;base64,') ? url.slice('data:image/png;base64,'.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Every chart on the page (svg.chart with an id), as SVG and PNG. */
export async function exportCharts(root: ParentNode): Promise<ExportChart[]> {
  const charts = Array.from(root.querySelectorAll<SVGSVGElement>('svg.chart[id]'));
  const out: ExportChart[] = [];
  for (const chart of charts) {
    const svgText = standaloneSvg(chart);
    const box = chart.viewBox.baseVal;
    out.push({ name: chart.id.replace(/^chart-/, ''), svg: svgText, png: await svgToPng(svgText, box.width, box.height) });
  }
  return out;
}

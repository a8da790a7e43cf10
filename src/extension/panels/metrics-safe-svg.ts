/**
 * Export check for the SVG the metrics page sends (defence in depth: the page is not trusted). An allowlist of what
 * webview/metrics/charts.ts draws and export.ts writes: those elements and presentation attributes, text, and the five
 * XML entities. Anything else (a comment, CDATA, a DOCTYPE, a processing instruction, <style>, <a>, <set>, <image>, any
 * href, event attribute or unknown attribute, a url(...) in a value) rejects the whole file.
 */
const ELEMENTS = new Set(['svg', 'title', 'g', 'rect', 'line', 'path', 'circle', 'text']);
const ATTRIBUTES = new Set([
  'xmlns', 'id', 'viewBox', 'role', 'aria-label', 'width', 'height', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'rx', 'd',
  'transform', 'text-anchor', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight',
]);
const SVG_NS = 'http://www.w3.org/2000/svg';
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z][A-Za-z0-9-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z][A-Za-z0-9-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const TEXT = /(?:[^<&]|&(?:lt|gt|amp|quot|apos);)*/y;

function safeValue(name: string, raw: string): boolean {
  // Only the five XML entities: no numeric references that could spell `url(` or `javascript:` in disguise.
  if (/&(?!(?:lt|gt|amp|quot|apos);)/.test(raw)) return false;
  const value = raw.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!);
  if (name === 'xmlns') return value === SVG_NS;
  return !/url\s*\(|javascript:|expression\s*\(/i.test(value);
}

/** True when `svg` is one <svg> element made only of allowed elements, attributes and text. */
export function isSafeSvg(svg: string): boolean {
  let at = 0;
  let depth = 0;
  let seenRoot = false;
  while (at < svg.length) {
    TEXT.lastIndex = at;
    at += TEXT.exec(svg)![0].length;
    if (at >= svg.length) break;
    TAG.lastIndex = at;
    const tag = TAG.exec(svg);
    if (!tag) return false;
    at = TAG.lastIndex;
    const [, closing, name, attrs, selfClosing] = tag;
    if (!ELEMENTS.has(name)) return false;
    if (closing) {
      if (attrs || selfClosing) return false;
      depth--;
      continue;
    }
    if ((depth === 0) !== (name === 'svg') || (depth === 0 && seenRoot)) return false;
    seenRoot ||= depth === 0;
    for (const [, attr, dq, sq] of attrs.matchAll(ATTRIBUTE)) if (!ATTRIBUTES.has(attr) || !safeValue(attr, dq ?? sq)) return false;
    if (!selfClosing) depth++;
  }
  return seenRoot && depth === 0;
}

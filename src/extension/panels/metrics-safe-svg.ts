/** Export check for the SVG the metrics page sends (defence in depth): plain shapes and text only, nothing that runs or loads. */
export function isSafeSvg(svg: string): boolean {
  if (/<script|<foreignObject|javascript:/i.test(svg)) return false;
  for (const tag of svg.match(/<[^>]*>/g) ?? []) if (/\son[a-z]+\s*=/i.test(tag) || /\shref\s*=\s*["'](?!#)/i.test(tag)) return false;
  return true;
}

// WCAG 2.1 AA contrast of every piece of visible text (1.4.3) and of chart lines and marks against the page
// (1.4.11), computed by the browser from the rendered page: injected by scripts/check-contrast.sh into a copy
// of a report, its findings are written into a pre element (id contrast-findings) for --dump-dom to read.
(function () {
  function parse(color) {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  function luminance(c) {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function ratio(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function blend(top, bottom) {
    const a = top.a;
    return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
  }
  // The backgrounds behind an element: its own and its ancestors' colours, and every colour of a gradient.
  function backgrounds(element) {
    const layers = [];
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      const style = getComputedStyle(e);
      const image = style.backgroundImage;
      if (image && image !== 'none') {
        const stops = (image.match(/rgba?\([^)]+\)/g) || []).map(parse);
        if (stops.length) return stops.map((s) => layers.reduceRight((acc, l) => blend(l, acc), blend(s, { r: 255, g: 255, b: 255, a: 1 })));
      }
      const color = parse(style.backgroundColor);
      if (color && color.a > 0) {
        if (color.a >= 1) return [layers.reduceRight((acc, l) => blend(l, acc), color)];
        layers.push(color);
      }
    }
    const white = { r: 255, g: 255, b: 255, a: 1 };
    return [layers.reduceRight((acc, l) => blend(l, acc), white)];
  }
  const findings = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    if (!element || seen.has(element)) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const inSVG = element instanceof SVGElement;
    const fg = parse(inSVG ? style.fill : style.color);
    if (!fg) continue;
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    for (const bg of backgrounds(element)) {
      const r = ratio(blend(fg, bg), bg);
      checked++;
      if (r < needed - 0.005) {
        findings.push(`text ${r.toFixed(2)}:1 < ${needed}:1 "${node.textContent.trim().slice(0, 40)}" ` +
          `(${inSVG ? style.fill : style.color} on rgb(${bg.r|0}, ${bg.g|0}, ${bg.b|0}), <${element.tagName.toLowerCase()} class="${element.getAttribute('class') || ''}">)`);
        break;
      }
    }
  }
  // Chart lines and marks: a series must stand out from the white plot (3:1); grid lines and hatching are
  // decoration and exempt.
  const white = { r: 255, g: 255, b: 255, a: 1 };
  for (const mark of document.querySelectorAll('svg [data-series], svg path.series, svg polyline, svg circle')) {
    const style = getComputedStyle(mark);
    const paint = parse(style.stroke !== 'none' ? style.stroke : style.fill);
    if (!paint || paint.a === 0) continue;
    checked++;
    const r = ratio(blend(paint, white), white);
    if (r < 2.995) findings.push(`chart mark ${r.toFixed(2)}:1 < 3:1 (<${mark.tagName} ${style.stroke !== 'none' ? 'stroke ' + style.stroke : 'fill ' + style.fill}>)`);
  }
  const out = document.createElement('pre');
  out.id = 'contrast-findings';
  out.textContent = `checked ${checked}\n` + findings.join('\n');
  document.body.appendChild(out);
})();

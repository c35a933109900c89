/**
 * Paragraph-level comparison of a generated report with the seed text, for the fidelity test:
 * both sides are normalized (NFC, whitespace, emphasis markers, <url> brackets), aligned by a
 * longest-common-subsequence diff, and every paragraph outside the common subsequence is
 * classified: reordered (the same text elsewhere), stitched (one generated paragraph holding two
 * seed paragraphs), split (one seed paragraph spread over two generated ones), changed, dropped
 * or added.
 */

export function normalizeParagraph(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[*]/g, '') // emphasis markers of the seed's text export; the .docx carries italics as formatting
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** The seed's paragraphs between two markers, with the page breaks of its source joined back. */
export function seedParagraphs(text: string, from: string, to: string, joins: readonly string[]): string[] {
  // Table rows (tab-separated cells) are compared by the table tests, not here.
  const lines = text.split(/\r?\n/).map((l) => (l.includes('\t') ? '' : normalizeParagraph(l)));
  const start = lines.findIndex((l) => l.startsWith(from));
  const end = lines.findIndex((l, i) => i > start && l.startsWith(to));
  const out: string[] = [];
  for (const line of lines.slice(start, end < 0 ? undefined : end)) {
    if (!line || /^[-|\s]+$/.test(line)) continue;
    const prev = out[out.length - 1];
    // A page break cut the paragraph: the next page goes on in lower case (not "a) …", a heading), or a listed join says so.
    const continues = /^\p{Ll}/u.test(line) && !/^\p{Ll}\)/u.test(line);
    if (prev && !/[.:;!?]$/.test(prev) && (continues || joins.some((j) => prev.endsWith(j)))) {
      out[out.length - 1] = `${prev} ${line}`;
    } else out.push(line);
  }
  return out;
}

/** Body paragraphs of a document.xml between two markers, tables left out. */
export function generatedParagraphs(documentXml: string, from: string, to: string, texts: (xml: string) => string[]): string[] {
  const body = documentXml.replace(/<w:tbl>[\s\S]*?<\/w:tbl>/g, '');
  const all = texts(body).map(normalizeParagraph).filter(Boolean);
  const start = all.findIndex((l) => l.startsWith(from));
  const end = all.findIndex((l, i) => i > start && l.startsWith(to));
  return all.slice(start, end < 0 ? undefined : end);
}

export type Finding =
  | { kind: 'reordered'; text: string }
  | { kind: 'stitched'; generated: string; seed: [string, string] }
  | { kind: 'split'; seed: string; generated: [string, string] }
  | { kind: 'changed'; seed: string; generated: string }
  | { kind: 'dropped'; seed: string }
  | { kind: 'added'; generated: string };

function lcs(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const t: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** Word-bigram overlap in [0, 1]: how much of the shorter text the other one shares. */
export function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const w = s.toLocaleLowerCase('vi').split(/\s+/);
    const g = new Set<string>();
    for (let i = 0; i + 1 < w.length; i++) g.add(`${w[i]} ${w[i + 1]}`);
    if (w.length === 1) g.add(w[0]);
    return g;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  for (const g of ga) if (gb.has(g)) common++;
  return common / Math.max(1, Math.min(ga.size, gb.size));
}

const CLOSE = 0.6;

/** Aligns the two sides and classifies every paragraph outside their common subsequence. */
export function diffParagraphs(seed: string[], generated: string[]): Finding[] {
  const pairs = lcs(seed, generated);
  const seedLeft = new Set(seed.keys());
  const genLeft = new Set(generated.keys());
  for (const [i, j] of pairs) {
    seedLeft.delete(i);
    genLeft.delete(j);
  }
  const findings: Finding[] = [];
  // Reordered: the very text exists on both sides, just not in the same order.
  for (const i of [...seedLeft]) {
    const j = [...genLeft].find((k) => generated[k] === seed[i]);
    if (j === undefined) continue;
    findings.push({ kind: 'reordered', text: seed[i] });
    seedLeft.delete(i);
    genLeft.delete(j);
  }
  // Stitched: one generated paragraph holds two seed paragraphs.
  for (const j of [...genLeft]) {
    const inside = [...seedLeft].filter((i) => similarity(seed[i], generated[j]) >= CLOSE && seed[i].length < generated[j].length);
    if (inside.length < 2) continue;
    findings.push({ kind: 'stitched', generated: generated[j], seed: [seed[inside[0]], seed[inside[1]]] });
    genLeft.delete(j);
    for (const i of inside) seedLeft.delete(i);
  }
  // Split: one seed paragraph spread over two generated ones.
  for (const i of [...seedLeft]) {
    const parts = [...genLeft].filter((j) => similarity(generated[j], seed[i]) >= CLOSE && generated[j].length < seed[i].length);
    if (parts.length < 2) continue;
    findings.push({ kind: 'split', seed: seed[i], generated: [generated[parts[0]], generated[parts[1]]] });
    seedLeft.delete(i);
    for (const j of parts) genLeft.delete(j);
  }
  // Changed: the closest remaining generated paragraph, if close enough; else dropped.
  for (const i of [...seedLeft].sort((a, b) => a - b)) {
    let best = -1;
    let score = 0;
    for (const j of genLeft) {
      const s = similarity(seed[i], generated[j]);
      if (s > score) [best, score] = [j, s];
    }
    if (best >= 0 && score >= CLOSE) {
      findings.push({ kind: 'changed', seed: seed[i], generated: generated[best] });
      genLeft.delete(best);
    } else findings.push({ kind: 'dropped', seed: seed[i] });
  }
  for (const j of [...genLeft].sort((a, b) => a - b)) findings.push({ kind: 'added', generated: generated[j] });
  return findings;
}

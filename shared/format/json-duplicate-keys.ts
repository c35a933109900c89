/**
 * JSON.parse keeps the last of two equal keys in one object without a word: {"a": 1, "a": 2} is
 * {"a": 2}. A submission or a document that names a figure twice is ambiguous (which one did the
 * division mean?), so readers refuse it, naming the key. Runs on text JSON.parse already accepted.
 */

type Frame = { kind: 'object'; keys: Set<string>; key?: string; expectKey: boolean } | { kind: 'array'; index: number };

function label(frames: Frame[]): string {
  let out = '';
  for (const f of frames) {
    if (f.kind === 'array') out += `[${f.index}]`;
    else if (f.key !== undefined) out += out ? `.${f.key}` : f.key;
  }
  return out;
}

/** The path of the first key written twice in one object ("indicators.hoSo", "tables.t[2].tong"), if any. */
export function firstDuplicateKey(text: string): string | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return label([...stack.slice(0, -1), { ...top, key }]);
        top.keys.add(key);
        top.key = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{') stack.push({ kind: 'object', keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ kind: 'array', index: 0 });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'object') top.expectKey = true;
      else if (top) top.index++;
    }
  }
  return undefined;
}

/** The Vietnamese refusal for a key written twice. */
export function duplicateKeyMessage(path: string, what = 'Tệp JSON'): string {
  return `${what} ghi khóa "${path}" hai lần; mỗi khóa chỉ được ghi một lần, vì không rõ giá trị nào là đúng.`;
}

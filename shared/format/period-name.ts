/**
 * The one way a period is named to people: "Quý I/2021", "6 tháng đầu năm 2021",
 * "9 tháng năm 2021", "Năm 2021". Period ids ("2021-Q1") are internal and never shown.
 */
const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const ID_RE = /^(\d{4})(?:-(Q[1-4]|H1|9M))?$/;

/** "2021-Q1" → "Quý I/2021"; an id it cannot read is returned as given. */
export function periodName(id: string): string {
  const m = ID_RE.exec(String(id).trim());
  if (!m) return String(id);
  const [, year, part] = m;
  if (!part) return `Năm ${year}`;
  if (part === 'H1') return `6 tháng đầu năm ${year}`;
  if (part === '9M') return `9 tháng năm ${year}`;
  return `Quý ${ROMAN[Number(part.slice(1)) - 1]}/${year}`;
}

/** Lower-case form for running text: "báo cáo quý I/2021", "báo cáo năm 2021". */
export function periodNameInText(id: string): string {
  const name = periodName(id);
  return name === id ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

/** 1 → "Dự thảo lần 1". */
export function draftName(version: number): string {
  return `Dự thảo lần ${version}`;
}

/** Version of a division's submission: 2 → "lần nộp thứ 2". */
export function submissionName(version: number): string {
  return `lần nộp thứ ${version}`;
}

/** "Số: 05/BC-SCT" → "05/BC-SCT" (for running text: "ban hành, số 05/BC-SCT"). */
export function bareDocumentNumber(documentNumber: string): string {
  return documentNumber.replace(/^Số:\s*/, '');
}

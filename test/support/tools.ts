/**
 * Where the system tools the render and browser tests need live on this machine: found, never
 * assumed. Each tool: its environment variable first (an explicit choice wins, and a wrong one is
 * an error, not a silent fallback), then PATH, then the usual Debian/Ubuntu locations.
 * test/support/system-tools.ts installs what is missing before `npm test`; the suites call
 * `requireTool` so that `npx vitest run` on a machine without them fails with the same advice.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type ToolId = 'chromium' | 'soffice' | 'pdftotext' | 'pdfinfo' | 'pdffonts' | 'pdfsig' | 'fonts' | 'certutil';
/** A group of suites that can be skipped together on purpose. */
export type ToolGroup = 'browser' | 'render';

export interface ToolSpec {
  id: ToolId;
  /** What it is, for messages (Vietnamese: the messages are shown to the developer running npm test). */
  label: string;
  group: ToolGroup;
  /** The Debian/Ubuntu package that provides it. */
  pkg: string;
  envVar?: string;
  /** Names looked up on PATH. */
  names: string[];
  /** Absolute locations tried after PATH. */
  paths: string[];
  /** A program, or a font looked up through fontconfig (what LibreOffice itself uses) by this pattern. */
  kind: 'exe' | { font: string };
}

const poppler = (id: 'pdftotext' | 'pdfinfo' | 'pdffonts' | 'pdfsig'): ToolSpec => ({
  id,
  label: `${id} (poppler)`,
  group: 'render',
  pkg: 'poppler-utils',
  envVar: `${id.toUpperCase()}_PATH`,
  names: [id],
  paths: [`/usr/bin/${id}`],
  kind: 'exe',
});

export const TOOLS: readonly ToolSpec[] = [
  {
    id: 'chromium',
    label: 'Chromium (trình duyệt cho kiểm thử e2e)',
    group: 'browser',
    pkg: 'chromium',
    envVar: 'CHROMIUM_PATH',
    names: ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'],
    paths: [
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome-stable',
      '/usr/bin/google-chrome',
      '/snap/bin/chromium',
    ],
    kind: 'exe',
  },
  {
    id: 'soffice',
    label: 'LibreOffice (soffice)',
    group: 'render',
    pkg: 'libreoffice-writer-nogui',
    envVar: 'SOFFICE_PATH',
    names: ['soffice', 'libreoffice'],
    paths: ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice'],
    kind: 'exe',
  },
  poppler('pdftotext'),
  poppler('pdfinfo'),
  poppler('pdffonts'),
  poppler('pdfsig'),
  {
    // Liberation 1.x (Debian 12's fonts-liberation) has no Vietnamese letters: LibreOffice then
    // falls back to DejaVu Serif. fonts-liberation2 (2.x) has them, on Debian and Ubuntu alike.
    id: 'fonts',
    label: 'phông Liberation Serif có chữ Việt (thay Times New Roman khi dựng PDF)',
    group: 'render',
    pkg: 'fonts-liberation2',
    names: [],
    paths: [],
    kind: { font: 'Liberation Serif:style=Regular:lang=vi' },
  },
  {
    // test/render/pdf-signatures.test.ts trusts the local test root in an NSS database for pdfsig.
    id: 'certutil',
    label: 'certutil (NSS, để pdfsig tin cậy CA thử nghiệm)',
    group: 'render',
    pkg: 'libnss3-tools',
    envVar: 'CERTUTIL_PATH',
    names: ['certutil'],
    paths: ['/usr/bin/certutil'],
    kind: 'exe',
  },
];

/** The variable that skips a group on purpose; documented in the README. */
export const SKIP_VARS: Record<ToolGroup, string> = { browser: 'BAOCAO_SKIP_BROWSER', render: 'BAOCAO_SKIP_RENDER' };

export function skipRequested(group: ToolGroup, env: NodeJS.ProcessEnv = process.env): boolean {
  return env[SKIP_VARS[group]] === '1';
}

/** How the filesystem is looked at; injectable so a test can hide the machine's tools. */
export interface Probe {
  env: NodeJS.ProcessEnv;
  /** Prefix for the fixed absolute locations (not for PATH or env values): '/' normally, an empty dir in tests. */
  root: string;
  isExecutable(path: string): boolean;
  /** A font file fontconfig matches to the pattern, if any. */
  findFont(pattern: string): string | undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  if (!isFile(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Asks fc-list (fontconfig, installed with LibreOffice); no fontconfig means no usable font. */
function fontconfigFinder(env: NodeJS.ProcessEnv): (pattern: string) => string | undefined {
  return (pattern) => {
    const out = spawnSync('fc-list', [pattern, 'file'], { encoding: 'utf8', env });
    return out.status === 0 ? out.stdout.split('\n')[0]?.replace(/:\s*$/, '') || undefined : undefined;
  };
}

export function systemProbe(env: NodeJS.ProcessEnv = process.env): Probe {
  return { env, root: '/', isExecutable, findFont: fontconfigFinder(env) };
}

export type Found =
  | { id: ToolId; status: 'found'; path: string }
  | { id: ToolId; status: 'missing' }
  /** The environment variable names a path that is not there: the user's choice, so no fallback. */
  | { id: ToolId; status: 'bad-env'; envVar: string; value: string };

export function findTool(spec: ToolSpec, probe: Probe): Found {
  if (spec.kind !== 'exe') {
    const path = probe.findFont(spec.kind.font);
    return path ? { id: spec.id, status: 'found', path } : { id: spec.id, status: 'missing' };
  }
  const usable = (p: string) => probe.isExecutable(p);
  const fromEnv = spec.envVar ? probe.env[spec.envVar] : undefined;
  if (spec.envVar && fromEnv) {
    return usable(fromEnv)
      ? { id: spec.id, status: 'found', path: fromEnv }
      : { id: spec.id, status: 'bad-env', envVar: spec.envVar, value: fromEnv };
  }
  const dirs = (probe.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of spec.names) {
    for (const dir of dirs) {
      const p = join(dir, name);
      if (usable(p)) return { id: spec.id, status: 'found', path: p };
    }
  }
  for (const p of spec.paths) {
    if (usable(join(probe.root, p))) return { id: spec.id, status: 'found', path: join(probe.root, p) };
  }
  return { id: spec.id, status: 'missing' };
}

export function specOf(id: ToolId): ToolSpec {
  const spec = TOOLS.find((t) => t.id === id);
  if (!spec) throw new Error(`unknown tool ${id}`);
  return spec;
}

/** The one command that installs `pkgs`, as the user should type it. */
export function aptCommand(pkgs: readonly string[], asRoot: boolean): string {
  const sudo = asRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${pkgs.join(' ')}`;
}

export const isRoot = (): boolean => process.getuid?.() === 0;

/** What to tell the user about one tool that cannot be used. */
export function problemText(found: Found, asRoot = isRoot()): string {
  const spec = specOf(found.id);
  const skip = `${SKIP_VARS[spec.group]}=1`;
  if (found.status === 'bad-env') {
    return `${found.envVar}=${found.value} không phải tệp chạy được (${spec.label}): sửa đường dẫn hoặc bỏ biến này.`;
  }
  const env = spec.envVar ? `, hoặc đặt ${spec.envVar}=<đường dẫn>` : '';
  return `Thiếu ${spec.label}: cài bằng lệnh \`${aptCommand([spec.pkg], asRoot)}\` (npm test tự cài khi được phép)${env}, hoặc chủ động bỏ qua bằng ${skip}.`;
}

/** The path of a tool, for a suite about to use it; throws the clear message otherwise. */
export function requireTool(id: ToolId, probe: Probe = systemProbe()): string {
  const found = findTool(specOf(id), probe);
  if (found.status === 'found') return found.path;
  throw new Error(problemText(found));
}

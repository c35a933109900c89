/**
 * Makes the machine ready for `npm test`: finds the system tools of every suite that was not
 * skipped on purpose, installs the missing Debian packages with apt-get when allowed (root, or
 * passwordless sudo; never when BAOCAO_NO_INSTALL=1), once, with apt's own progress on the
 * terminal; otherwise fails with one message naming the exact command. The decisions are pure
 * over an injected probe and installer so a test can run them with the machine's tools hidden.
 */
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { aptCommand, type Found, findTool, isRoot, type Probe, problemText, SKIP_VARS, systemProbe, TOOLS, type ToolGroup } from './tools';

/** Runs apt-get with the given arguments (update / install …); resolves to its exit code. */
export interface Installer {
  /** True when the commands run without sudo (decides how the advice is worded). */
  asRoot: boolean;
  run(args: string[]): Promise<number> | number;
}

export interface SetupOptions {
  probe?: Probe;
  /** null: installation not allowed or not possible; the reason says why. Default: detected. */
  installer?: Installer | null;
  /** Why there is no installer (shown in the failure message). */
  noInstallReason?: string;
  /** Whether this process runs as root (decides whether the advice says sudo). Default: the real uid. */
  asRoot?: boolean;
  log?: (line: string) => void;
  /** The suites about to run (default: all); a group skipped by its variable is left out anyway. */
  groups?: ToolGroup[];
}

export type SetupResult = { ok: true; found: Found[]; installed: string[]; skipped: ToolGroup[] } | { ok: false; message: string };

const GROUP_LABEL: Record<ToolGroup, string> = {
  browser: 'kiểm thử trình duyệt (test/e2e)',
  render: 'kiểm thử dựng PDF bằng LibreOffice (test/render)',
};

function onPath(name: string, probe: Probe): string | undefined {
  for (const dir of (probe.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const p = join(dir, name);
    if (probe.isExecutable(p)) return p;
  }
  return undefined;
}

/** How apt-get can run here, or why it cannot. */
export function detectInstaller(probe: Probe = systemProbe()): { installer: Installer | null; reason?: string } {
  if (probe.env.BAOCAO_NO_INSTALL === '1') return { installer: null, reason: 'BAOCAO_NO_INSTALL=1' };
  const aptGet = onPath('apt-get', probe);
  if (!aptGet) return { installer: null, reason: 'máy này không có apt-get' };
  const env = { ...probe.env, DEBIAN_FRONTEND: 'noninteractive' };
  const spawn = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env }).status ?? 1;
  if (isRoot()) return { installer: { asRoot: true, run: (args) => spawn([aptGet, ...args]) } };
  const sudo = onPath('sudo', probe);
  if (sudo && spawnSync(sudo, ['-n', 'true'], { stdio: 'ignore' }).status === 0) {
    return { installer: { asRoot: false, run: (args) => spawn([sudo, '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', aptGet, ...args]) } };
  }
  return {
    installer: null,
    reason: sudo ? 'không chạy với quyền root và sudo cần mật khẩu' : 'không chạy với quyền root và không có sudo',
  };
}

function check(groups: ToolGroup[], probe: Probe): Found[] {
  return TOOLS.filter((t) => groups.includes(t.group)).map((t) => findTool(t, probe));
}

const packagesFor = (found: Found[]): string[] => [
  ...new Set(found.filter((f) => f.status === 'missing').map((f) => TOOLS.find((t) => t.id === f.id)!.pkg)),
];

const skipHint = (groups: ToolGroup[]) => groups.map((g) => `${SKIP_VARS[g]}=1`).join(' / ');

function missingMessage(found: Found[], pkgs: string[], asRoot: boolean, why: string): string {
  const names = found.filter((f) => f.status === 'missing').map((f) => TOOLS.find((t) => t.id === f.id)!.label);
  const groups = [...new Set(found.filter((f) => f.status === 'missing').map((f) => TOOLS.find((t) => t.id === f.id)!.group))];
  return [
    `npm test cần công cụ hệ thống chưa có trên máy: ${names.join(', ')}.`,
    `Không tự cài được (${why}). Chạy lệnh sau rồi chạy lại npm test:`,
    `  ${aptCommand(pkgs, asRoot)}`,
    `(hoặc chủ động bỏ qua các bộ kiểm thử đó: ${skipHint(groups)})`,
  ].join('\n');
}

export async function ensureSystemTools(options: SetupOptions = {}): Promise<SetupResult> {
  const probe = options.probe ?? systemProbe();
  const log = options.log ?? ((line: string) => console.log(line));
  const all: ToolGroup[] = options.groups ?? ['browser', 'render'];
  const skipped = all.filter((g) => probe.env[SKIP_VARS[g]] === '1');
  const groups = all.filter((g) => !skipped.includes(g));
  for (const g of skipped) log(`Bỏ qua theo yêu cầu: ${GROUP_LABEL[g]} (${SKIP_VARS[g]}=1).`);

  let found = check(groups, probe);
  const badEnv = found.filter((f) => f.status === 'bad-env');
  if (badEnv.length > 0) return { ok: false, message: badEnv.map((f) => problemText(f)).join('\n') };

  const pkgs = packagesFor(found);
  if (pkgs.length === 0) return { ok: true, found, installed: [], skipped };

  let installer = options.installer;
  let reason = options.noInstallReason;
  if (installer === undefined) ({ installer, reason } = detectInstaller(probe));
  if (!installer) return { ok: false, message: missingMessage(found, pkgs, options.asRoot ?? isRoot(), reason ?? 'không được phép cài') };

  log(`Cài một lần các gói hệ thống cho bộ kiểm thử: ${pkgs.join(' ')} …`);
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...pkgs]]) {
    const code = await installer.run(args);
    if (code !== 0) {
      return {
        ok: false,
        message: `apt-get ${args[0]} thất bại (mã ${code}). Chạy tay rồi chạy lại npm test:\n  ${aptCommand(pkgs, installer.asRoot)}`,
      };
    }
  }
  found = check(groups, probe);
  const still = found.filter((f) => f.status !== 'found');
  if (still.length > 0) {
    return {
      ok: false,
      message: `Đã cài ${pkgs.join(' ')} nhưng vẫn thiếu:\n${still.map((f) => problemText(f, installer.asRoot)).join('\n')}`,
    };
  }
  log(`Đã cài xong: ${pkgs.join(' ')}.`);
  return { ok: true, found, installed: pkgs, skipped };
}

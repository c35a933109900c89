/**
 * The setup step of `npm test` on a machine where the tools are hidden: PATH holds only node,
 * the usual locations are looked up under an empty directory, and apt-get is either not allowed
 * or replaced by a recorder that "installs" by creating the files apt would have created.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectInstaller, ensureSystemTools, type Installer } from '../support/system-tools';
import { type Probe, requireTool, systemProbe } from '../support/tools';

const ALL = ['chromium', 'libreoffice-writer-nogui', 'poppler-utils', 'fonts-liberation2', 'libnss3-tools'];
/** What each package puts where (the first Debian location the lookup tries). */
const FILES: Record<string, string[]> = {
  chromium: ['usr/bin/chromium'],
  'libreoffice-writer-nogui': ['usr/lib/libreoffice/program/soffice'],
  'poppler-utils': ['usr/bin/pdftotext', 'usr/bin/pdfinfo', 'usr/bin/pdffonts', 'usr/bin/pdfsig'],
  'fonts-liberation2': ['usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf'],
  'libnss3-tools': ['usr/bin/certutil'],
};

let dir = '';
let root = '';
let bin = '';

/** The machine seen through an empty root; fontconfig stands in as "is the font file there". */
function probe(env: NodeJS.ProcessEnv = {}): Probe {
  const font = () => join(root, FILES['fonts-liberation2'][0]);
  return { ...systemProbe({ PATH: bin, ...env }), root, findFont: () => (existsSync(font()) ? font() : undefined) };
}

function place(pkg: string): void {
  for (const rel of FILES[pkg]) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '#!/bin/sh\n');
    chmodSync(p, 0o755);
  }
}

/** Records the apt-get argument lists and installs by placing the packages' files. */
function recorder(code = 0): Installer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    asRoot: true,
    calls,
    run(args) {
      calls.push(args);
      if (code === 0 && args[0] === 'install') for (const pkg of args.slice(3)) place(pkg);
      return code;
    },
  };
}

const quiet = () => {};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baocao-tools-'));
  root = join(dir, 'root');
  bin = join(dir, 'bin');
  mkdirSync(root);
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('npm test setup with the tools hidden', () => {
  it('fails with one message naming the apt-get command when installing is not allowed', async () => {
    const result = await ensureSystemTools({
      probe: probe(),
      installer: null,
      noInstallReason: 'BAOCAO_NO_INSTALL=1',
      asRoot: false,
      log: quiet,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libreoffice-writer-nogui poppler-utils fonts-liberation2 libnss3-tools',
    );
    expect(result.message).toContain('Chromium');
    expect(result.message).toContain('LibreOffice (soffice)');
    expect(result.message).toContain('pdfsig (poppler)');
    expect(result.message).toContain('BAOCAO_NO_INSTALL=1');
    expect(result.message).toContain('BAOCAO_SKIP_BROWSER=1 / BAOCAO_SKIP_RENDER=1');
  });

  it('honours BAOCAO_NO_INSTALL=1 even as root, and asks for no sudo then', async () => {
    const p = probe({ BAOCAO_NO_INSTALL: '1' });
    expect(detectInstaller(p)).toEqual({ installer: null, reason: 'BAOCAO_NO_INSTALL=1' });
    const result = await ensureSystemTools({ probe: p, asRoot: true, log: quiet });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(
        '\n  apt-get update && apt-get install -y --no-install-recommends chromium libreoffice-writer-nogui poppler-utils fonts-liberation2 libnss3-tools\n',
      ),
    });
  });

  it('cannot install without apt-get on PATH', () => {
    expect(detectInstaller(probe())).toEqual({ installer: null, reason: 'máy này không có apt-get' });
  });

  it('installs exactly the missing packages, once, then finds every tool', async () => {
    const apt = recorder();
    const lines: string[] = [];
    const result = await ensureSystemTools({ probe: probe(), installer: apt, log: (l) => lines.push(l) });
    expect(apt.calls).toEqual([['update'], ['install', '-y', '--no-install-recommends', ...ALL]]);
    expect(result.ok && result.installed).toEqual(ALL);
    expect(result.ok && result.found.map((f) => f.status === 'found' && f.path)).toEqual([
      join(root, 'usr/bin/chromium'),
      join(root, 'usr/lib/libreoffice/program/soffice'),
      join(root, 'usr/bin/pdftotext'),
      join(root, 'usr/bin/pdfinfo'),
      join(root, 'usr/bin/pdffonts'),
      join(root, 'usr/bin/pdfsig'),
      join(root, 'usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf'),
      join(root, 'usr/bin/certutil'),
    ]);
    expect(lines[0]).toContain(ALL.join(' '));

    const again = recorder();
    expect((await ensureSystemTools({ probe: probe(), installer: again, log: quiet })).ok).toBe(true);
    expect(again.calls).toEqual([]);
  });

  it('installs only what is missing', async () => {
    place('chromium');
    place('libreoffice-writer-nogui');
    const apt = recorder();
    await ensureSystemTools({ probe: probe(), installer: apt, log: quiet });
    expect(apt.calls[1]).toEqual(['install', '-y', '--no-install-recommends', 'poppler-utils', 'fonts-liberation2', 'libnss3-tools']);
  });

  it('finds tools on PATH before the usual locations', async () => {
    for (const name of ['chromium', 'soffice', 'pdftotext', 'pdfinfo', 'pdffonts', 'pdfsig', 'certutil']) {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
    writeFileSync(join(bin, 'google-chrome'), 'not executable');
    const apt = recorder();
    const result = await ensureSystemTools({ probe: probe(), installer: apt, log: quiet });
    expect(apt.calls[1]).toEqual(['install', '-y', '--no-install-recommends', 'fonts-liberation2']);
    expect(requireTool('chromium', probe())).toBe(join(bin, 'chromium'));
    expect(result.ok).toBe(true);
  });

  it('reports a failed apt-get with the command to run by hand', async () => {
    const apt = recorder(100);
    const result = await ensureSystemTools({ probe: probe(), installer: apt, log: quiet });
    expect(apt.calls).toEqual([['update']]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('apt-get update thất bại (mã 100)') });
  });

  it('requires only what the suites not skipped on purpose need, and says what was skipped', async () => {
    const lines: string[] = [];
    const apt = recorder();
    await ensureSystemTools({ probe: probe({ BAOCAO_SKIP_RENDER: '1' }), installer: apt, log: (l) => lines.push(l) });
    expect(apt.calls[1]).toEqual(['install', '-y', '--no-install-recommends', 'chromium']);
    expect(lines[0]).toBe('Bỏ qua theo yêu cầu: kiểm thử dựng PDF bằng LibreOffice (test/render) (BAOCAO_SKIP_RENDER=1).');

    const none = recorder();
    const both = await ensureSystemTools({
      probe: probe({ BAOCAO_SKIP_RENDER: '1', BAOCAO_SKIP_BROWSER: '1' }),
      installer: none,
      log: quiet,
    });
    expect(both).toEqual({ ok: true, found: [], installed: [], skipped: ['browser', 'render'] });
    expect(none.calls).toEqual([]);
  });

  it('checks only the suites asked for (npm run test:e2e needs no LibreOffice)', async () => {
    const apt = recorder();
    const result = await ensureSystemTools({ probe: probe(), installer: apt, groups: ['browser'], log: quiet });
    expect(apt.calls[1]).toEqual(['install', '-y', '--no-install-recommends', 'chromium']);
    expect(result.ok && result.found.map((f) => f.id)).toEqual(['chromium']);
  });

  it('treats a variable pointing nowhere as an error, not as something to install', async () => {
    const apt = recorder();
    const p = probe({ CHROMIUM_PATH: join(dir, 'nowhere/chromium'), BAOCAO_SKIP_RENDER: '1' });
    const result = await ensureSystemTools({ probe: p, installer: apt, log: quiet });
    expect(result).toEqual({
      ok: false,
      message: expect.stringContaining(`CHROMIUM_PATH=${join(dir, 'nowhere/chromium')} không phải tệp chạy được`),
    });
    expect(apt.calls).toEqual([]);
  });

  it('asks fontconfig for the font, and finds none without it', () => {
    expect(systemProbe({ PATH: bin }).findFont('Liberation Serif:style=Regular:lang=vi')).toBeUndefined();
    writeFileSync(
      join(bin, 'fc-list'),
      '#!/bin/sh\n[ "$1" = "Liberation Serif:style=Regular:lang=vi" ] && echo "/f/LiberationSerif-Regular.ttf: "\n',
    );
    chmodSync(join(bin, 'fc-list'), 0o755);
    expect(systemProbe({ PATH: bin }).findFont('Liberation Serif:style=Regular:lang=vi')).toBe('/f/LiberationSerif-Regular.ttf');
    expect(systemProbe({ PATH: bin }).findFont('Liberation Serif')).toBeUndefined();
  });

  it('lets a suite fail with the install advice when a tool is missing', () => {
    expect(() => requireTool('chromium', probe())).toThrow(
      /Thiếu Chromium .*apt-get install -y --no-install-recommends chromium.*CHROMIUM_PATH.*BAOCAO_SKIP_BROWSER=1/,
    );
    expect(() => requireTool('pdfsig', probe())).toThrow(/poppler-utils.*PDFSIG_PATH.*BAOCAO_SKIP_RENDER=1/);
    expect(() => requireTool('fonts', probe())).toThrow(/fonts-liberation2.*BAOCAO_SKIP_RENDER=1/);
  });
});

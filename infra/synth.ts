import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from './baocao-stack';
import type { CfnTemplate } from './cfn-template';

export interface SynthOptions {
  /**
   * Bundle the functions with esbuild (slow). Off, NodejsFunction skips bundling.
   * @default false
   */
  readonly bundle?: boolean;
  /** Extra CDK context, e.g. `{ mailFrom }`. */
  readonly context?: Record<string, unknown>;
}

/**
 * Builds the app in-process and returns BaocaoStack's CloudFormation template.
 * Offline, no credentials; the same stack `cdk synth` deploys.
 */
export function synthTemplate(opts: SynthOptions = {}): CfnTemplate {
  const outdir = mkdtempSync(path.join(tmpdir(), 'baocao-synth-'));
  try {
    // Schema validation only adds warnings and ~3 s; `cdk synth` still runs it.
    const { app, stack } = buildApp({ bundle: opts.bundle ?? false, context: opts.context, outdir, cfnValidation: false });
    return app.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

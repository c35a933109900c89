import { App, type PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/baocao-stack';

/*
 * cdk-nag 3 is a CDK policy-validation plugin, not an Aspect: its findings never reach
 * Annotations. The pack's own `validateScope` returns the same report the synth would print,
 * with each violation's severity, so the checks below read that.
 */

/** The construct on `resource`'s path (itself or an ancestor) whose metadata acknowledges `ruleId`. */
function holderOf(resource: IConstruct, ruleId: string): IConstruct | undefined {
  for (let c: IConstruct | undefined = resource; c; c = c.node.scope) {
    const acked = c.node.metadata.some(
      (m) =>
        m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY &&
        Object.keys(m.data as Record<string, string>).some((k) => k.replace(/^annotation::/i, '') === ruleId),
    );
    if (acked) return c;
  }
  return undefined;
}

/**
 * Runs AwsSolutions on the stack and records which acknowledgements were actually needed, as
 * `<path of the construct holding it> <rule id>`: the same finding id acknowledged on two
 * constructs is two acknowledgements, each of which must silence something.
 */
function check(scope: IConstruct) {
  const pack = new AwsSolutionsChecks(undefined, { verbose: true });
  const used = new Set<string>();
  const original = (pack as any).isAcknowledged.bind(pack) as (r: IConstruct, id: string) => boolean;
  (pack as any).isAcknowledged = (resource: IConstruct, ruleId: string) => {
    const hit = original(resource, ruleId);
    if (hit) used.add(`${holderOf(resource, ruleId)?.node.path} ${ruleId}`);
    return hit;
  };
  const report = pack.validateScope(scope);
  return { report, used };
}

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const describeViolations = (vs: PolicyViolation[]) =>
  vs.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '?').join(', ')}`);

describe('cdk-nag AwsSolutions', () => {
  let stack: Stack;
  beforeAll(() => {
    stack = buildApp({ bundle: false, cfnValidation: false }).stack;
  });

  it('finds no unacknowledged error on BaocaoStack, and lists any warning', () => {
    const { report } = check(stack);

    const errors = report.violations.filter((v) => v.severity === 'error');
    const warnings = report.violations.filter((v) => v.severity !== 'error');
    if (warnings.length) console.info(`cdk-nag warnings:\n${describeViolations(warnings).join('\n')}`);
    expect(describeViolations(errors)).toEqual([]);
    // cdk-nag 3 fails the synth on warnings too, so none may stay unacknowledged.
    expect(describeViolations(warnings)).toEqual([]);
  });

  it('lets the app synthesize with the pack registered as in infra/app.ts', () => {
    const { app } = buildApp({ bundle: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

    expect(() => app.synth()).not.toThrow();
  });

  it('has no stale acknowledgement: each one silences a finding that exists', () => {
    const { used } = check(stack);

    const stale = acknowledgements(stack).filter((a) => !used.has(`${a.path} ${a.id}`));
    expect(stale).toEqual([]);
  });

  it('acknowledges only on resources, never stack-wide, and always with a reason', () => {
    const acks = acknowledgements(stack);

    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.path, a.id).not.toBe(stack.node.path);
      expect(a.reason.length, `${a.id} @ ${a.path}`).toBeGreaterThan(30);
    }
    // IAM5 is acknowledged per finding (Rule[Resource::…]), never as a whole rule.
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5')).toEqual([]);
  });

  it('does flag a non-compliant resource (the check is live)', () => {
    const stack = new Stack(new App(), 'Probe');
    new s3.Bucket(stack, 'Plain');

    const { report } = check(stack);

    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});

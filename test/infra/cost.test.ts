import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../infra/cfn-template';
import { COST_DOC, deployed, model, readMeasuredRun, renderCostDoc } from '../../infra/cost/model';
import { synthTemplate } from '../../infra/synth';

let template: CfnTemplate;
beforeAll(() => {
  template = synthTemplate();
}, 60_000);

describe('cost model (npm run cost)', () => {
  it('renders docs/cost.md exactly as committed: the document is current', () => {
    expect(readFileSync(COST_DOC, 'utf8')).toBe(renderCostDoc(template, readMeasuredRun()));
  });

  it('prices what the template deploys', () => {
    const d = deployed(template);
    const resources = Object.values(template.Resources ?? {});
    expect(d.alarms).toBe(resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm').length);
    expect(d.functions).toBe(resources.filter((r) => r.Type === 'AWS::Lambda::Function').length);
    expect(d.memoryMb.release).toBe(1024);
    expect(d.transitionsPerTask).toBeGreaterThan(1);
    const m = model(template, readMeasuredRun());
    const total = (lines: Array<{ usd: number }>) => lines.reduce((s, l) => s + l.usd, 0);
    // Idle is the alarms, the dashboard and the key: 0.10 per alarm alone.
    expect(total(m.idle)).toBeGreaterThanOrEqual(d.alarms * 0.1);
    // A report costs something, mostly Step Functions and SES, and far less than a cent.
    expect(total(m.perReport)).toBeGreaterThan(0);
    expect(total(m.perReport)).toBeLessThan(0.01);
    expect(total(m.country)).toBeGreaterThan(total(m.province));
  });

  it('comes from a measured run that released a report and mailed its approvers', () => {
    const run = readMeasuredRun();
    expect(run.phases.report.lambda.release.invocations).toBeGreaterThanOrEqual(1);
    expect(run.phases.report.recipients).toBeGreaterThanOrEqual(2);
    expect(run.phases.intake.lambda.ingest.invocations).toBe(run.units.intake.submissions);
    expect(run.phases.open.emails).toBe(run.units.open.divisions);
  });
});

// CDK entry (cdk.json: `npx tsx infra/app.ts`). Bundles the functions with the local esbuild.
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './baocao-stack';

const { app } = buildApp();
// cdk-nag 3 is a policy-validation plugin (it was an Aspect in v2): any unacknowledged finding,
// warning or error, stops the synth with a report.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();

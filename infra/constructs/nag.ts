import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * cdk-nag 3 reads CDK's native acknowledgements (Validations.of(x).acknowledge) and matches
 * finding ids exactly — no regexes. These helpers keep every acknowledgement on one construct
 * with a reason, and derive wildcard finding ids from the very tokens that were granted, so no
 * hashed logical id is ever typed by hand.
 */

/** Acknowledges one rule (or one `Rule[finding]`) on one construct and its children. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly the given wildcard resources (ARN strings or
 * tokens, e.g. `bucket.arnForObjects('raw/*')`, or the literal `'*'`) on a principal's policies.
 */
export function acknowledgeWildcardResources(scope: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${flatten(stack.resolve(resource))}]`, reason);
  }
}

/** The same flattening cdk-nag applies to a policy resource before naming the finding. */
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (o['Fn::Join']) {
    const [sep, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(sep);
  }
  if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
  if (o['Fn::GetAtt']) {
    const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(res)}.${flatten(attr)}>`;
  }
  if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
  if (o.Ref) return `<${flatten(o.Ref)}>`;
  return JSON.stringify(node);
}

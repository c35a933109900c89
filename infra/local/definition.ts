/**
 * Pulls the pipeline's state machine out of a synthesized CloudFormation template so the local
 * runtime runs exactly what AWS runs. Intrinsics are resolved to stable local names; each Task
 * is mapped to the handler file of the Lambda it invokes (its HANDLER_NAME environment variable).
 */

import { type CfnTemplate, isRecord } from '../cfn-template';
import { LOCAL_ACCOUNT, LOCAL_PARTITION, LOCAL_REGION } from './aws-identity';
import { type AslMachine, type AslState, innerMachines } from './sfn/asl';

export interface TaskInfo {
  /** HANDLER_NAME of the invoked Lambda: the handler lives in functions/<handler>.ts. */
  handler: string;
  /** The Task's Resource ends with `.waitForTaskToken`. */
  waitForTaskToken: boolean;
  /** The resolved Resource, e.g. `arn:aws:states:::lambda:invoke`. */
  resource: string;
}

export interface ExtractedStateMachine {
  /** The parsed Amazon States Language definition, intrinsics resolved. */
  definition: AslMachine;
  /** Every Task state (nested Parallel/Map included), by state name. */
  tasks: Record<string, TaskInfo>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': LOCAL_PARTITION,
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
  'AWS::NoValue': '',
};

/** The local ARN of a Lambda function: the function is named after its handler. */
export function localFunctionArn(handler: string): string {
  return `arn:${LOCAL_PARTITION}:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${handler}`;
}

export class DefinitionError extends Error {
  override name = 'DefinitionError';
}

export function extractStateMachine(template: CfnTemplate): ExtractedStateMachine {
  const resources = template.Resources ?? {};
  const machines = Object.entries(resources).filter(([, r]) => r?.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) {
    throw new DefinitionError(
      `expected exactly one AWS::StepFunctions::StateMachine in the template, found ${machines.length}` +
        (machines.length ? ` (${machines.map(([id]) => id).join(', ')})` : ''),
    );
  }
  const [machineId, machine] = machines[0];
  const props = machine.Properties ?? {};
  if (props.Definition !== undefined && props.DefinitionString === undefined) {
    throw new DefinitionError(`${machineId}: inline Definition objects are not supported, expected DefinitionString`);
  }
  if (props.DefinitionS3Location !== undefined) {
    throw new DefinitionError(`${machineId}: DefinitionS3Location is not supported, expected DefinitionString`);
  }

  const handlerByArn = new Map<string, string>();
  const resolver = new Resolver(template, handlerByArn);
  let text = resolver.resolveString(props.DefinitionString, `${machineId}.DefinitionString`);
  const substitutions = isRecord(props.DefinitionSubstitutions) ? props.DefinitionSubstitutions : {};
  for (const [key, value] of Object.entries(substitutions)) {
    const resolved = resolver.resolveString(value, `${machineId}.DefinitionSubstitutions.${key}`);
    text = text.split(`\${${key}}`).join(resolved);
  }
  const leftover = /\$\{([A-Za-z0-9_.:-]+)\}/.exec(text);
  if (leftover) throw new DefinitionError(`${machineId}: definition substitution \${${leftover[1]}} has no value`);

  let definition: AslMachine;
  try {
    definition = JSON.parse(text) as AslMachine;
  } catch (err) {
    throw new DefinitionError(`${machineId}: DefinitionString is not valid JSON after resolution: ${(err as Error).message}`);
  }

  const tasks: Record<string, TaskInfo> = {};
  walkStates(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    if (tasks[name]) throw new DefinitionError(`Task state name "${name}" is used twice`);
    tasks[name] = taskInfo(name, state, handlerByArn);
  });
  return { definition, tasks };
}

/** Visits every state, descending into Parallel branches and Map processors. */
function walkStates(machine: AslMachine | undefined, visit: (name: string, state: AslState) => void): void {
  const states = machine?.States;
  if (!isRecord(states)) throw new DefinitionError('a state machine (or branch) has no States');
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    for (const inner of innerMachines(state)) walkStates(inner, visit);
  }
}

function taskInfo(name: string, state: AslState, handlerByArn: Map<string, string>): TaskInfo {
  const resource: unknown = state.Resource;
  if (typeof resource !== 'string') throw new DefinitionError(`Task "${name}" has no Resource`);
  const waitForTaskToken = resource.endsWith('.waitForTaskToken');
  let target: unknown;
  if (/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
    target = isRecord(state.Parameters) ? state.Parameters.FunctionName : undefined;
    if (target === undefined) {
      throw new DefinitionError(`Task "${name}" invokes Lambda without Parameters.FunctionName (FunctionName.$ is not supported locally)`);
    }
  } else if (/^arn:[^:]+:lambda:/.test(resource)) {
    target = resource; // legacy direct Lambda ARN as Resource
  } else {
    throw new DefinitionError(`Task "${name}" uses ${resource}; only Lambda tasks can run locally`);
  }
  if (typeof target !== 'string') throw new DefinitionError(`Task "${name}": FunctionName is not a string`);
  // FunctionName may carry a version or alias (`…:function:name:$LATEST`).
  const m = /^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+)(:[^:]+)?$/.exec(target);
  const handler = handlerByArn.get(m ? m[1] : target) ?? handlerByArn.get(target);
  if (!handler) {
    throw new DefinitionError(`Task "${name}" invokes ${target}, which is not a Lambda function of this template`);
  }
  return { handler, waitForTaskToken, resource };
}

class Resolver {
  constructor(
    private readonly template: CfnTemplate,
    private readonly handlerByArn: Map<string, string>,
  ) {}

  resolveString(value: unknown, where: string): string {
    const v = this.resolve(value, where);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new DefinitionError(`${where}: resolves to ${JSON.stringify(v)}, expected a string`);
    }
    return String(v);
  }

  private resolve(value: unknown, where: string): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v, i) => this.resolve(v, `${where}[${i}]`));
    const keys = Object.keys(value);
    const o = value as Record<string, unknown>;
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const fn = keys[0];
      const arg = o[fn];
      switch (fn) {
        case 'Ref':
          return this.ref(arg, where);
        case 'Fn::GetAtt':
          return this.getAtt(arg, where);
        case 'Fn::Join': {
          if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) {
            throw new DefinitionError(`${where}: malformed Fn::Join`);
          }
          const parts = this.resolve(arg[1], `${where}.Fn::Join`) as unknown[];
          return parts.map((p, i) => this.scalar(p, `${where}.Fn::Join[${i}]`)).join(String(arg[0]));
        }
        case 'Fn::Sub':
          return this.sub(arg, where);
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          const items = this.resolve(list, `${where}.Fn::Select`);
          const i = Number(this.resolve(index, where));
          if (!Array.isArray(items) || !(i >= 0 && i < items.length)) {
            throw new DefinitionError(`${where}: Fn::Select index ${i} out of range`);
          }
          return items[i];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return this.resolveString(s, `${where}.Fn::Split`).split(sep);
        }
        default:
          throw new DefinitionError(`${where}: cannot resolve ${fn} locally`);
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, this.resolve(v, `${where}.${k}`)]));
  }

  private scalar(v: unknown, where: string): string {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new DefinitionError(`${where}: resolves to ${JSON.stringify(v)}, expected a string`);
  }

  private ref(name: unknown, where: string): string {
    if (typeof name !== 'string') throw new DefinitionError(`${where}: malformed Ref`);
    if (name in PSEUDO) return PSEUDO[name];
    const resource = this.template.Resources?.[name];
    if (resource) {
      // Ref of a Lambda function is its name; locally functions are named after their handler.
      if (resource.Type === 'AWS::Lambda::Function') {
        const handler = this.handlerOf(name, where);
        this.handlerByArn.set(handler, handler);
        return handler;
      }
      return name;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new DefinitionError(`${where}: parameter ${name} has no Default`);
      return String(parameter.Default);
    }
    throw new DefinitionError(`${where}: Ref to unknown resource or parameter "${name}"`);
  }

  private getAtt(arg: unknown, where: string): string {
    const [id, attr] = typeof arg === 'string' ? (arg.split('.', 2) as [string, string]) : (arg as [string, string]);
    const resource = this.template.Resources?.[id];
    if (!resource) throw new DefinitionError(`${where}: Fn::GetAtt of unknown resource "${id}"`);
    if (attr === 'Arn' && resource.Type === 'AWS::Lambda::Function') {
      const handler = this.handlerOf(id, where);
      const arn = localFunctionArn(handler);
      this.handlerByArn.set(arn, handler);
      return arn;
    }
    const local = localArn(resource.Type, id);
    if (attr === 'Arn' && local) return local;
    throw new DefinitionError(`${where}: cannot resolve Fn::GetAtt ${id}.${attr} (${resource.Type}) locally`);
  }

  private sub(arg: unknown, where: string): string {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
    return text.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
      if (name in vars) return this.resolveString(vars[name], `${where}.Fn::Sub.${name}`);
      if (name.includes('.')) return this.getAtt(name, `${where}.Fn::Sub`);
      return this.ref(name, `${where}.Fn::Sub`);
    });
  }

  private handlerOf(id: string, where: string): string {
    const env = this.template.Resources?.[id]?.Properties?.Environment;
    const variables = isRecord(env) && isRecord(env.Variables) ? env.Variables : {};
    const handler = variables.HANDLER_NAME;
    if (typeof handler !== 'string' || !handler) {
      throw new DefinitionError(`${where}: Lambda function ${id} has no HANDLER_NAME environment variable`);
    }
    return handler;
  }
}

function localArn(type: string, id: string): string | undefined {
  const region = `${LOCAL_REGION}:${LOCAL_ACCOUNT}`;
  switch (type) {
    case 'AWS::DynamoDB::Table':
      return `arn:${LOCAL_PARTITION}:dynamodb:${region}:table/${id}`;
    case 'AWS::S3::Bucket':
      return `arn:${LOCAL_PARTITION}:s3:::${id}`;
    case 'AWS::SQS::Queue':
      return `arn:${LOCAL_PARTITION}:sqs:${region}:${id}`;
    case 'AWS::SNS::Topic':
      return `arn:${LOCAL_PARTITION}:sns:${region}:${id}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:${LOCAL_PARTITION}:states:${region}:stateMachine:${id}`;
    default:
      return undefined;
  }
}

/** AWS JSON 1.0 endpoint so the unchanged SDK (`@aws-sdk/client-sfn`) talks to LocalStepFunctions. */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen, urlOf } from '../ports';
import { ENDPOINT_OPERATIONS, type EndpointOperation } from './departures';
import type { LocalStepFunctions } from './executions';
import { LocalSfnError } from './handlers';
import type { ExecutionRecord, ExecutionStatus } from './store';

const epoch = (d?: Date) => (d ? d.getTime() / 1000 : undefined);

/** An execution as ListExecutions lists it. */
function summaryShape(sfn: LocalStepFunctions, r: ExecutionRecord) {
  return {
    executionArn: r.executionArn,
    stateMachineArn: sfn.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: epoch(r.startDate),
    ...(r.stopDate ? { stopDate: epoch(r.stopDate) } : {}),
  };
}

/** An execution as DescribeExecution answers: the summary plus input, output and error. */
function describeShape(sfn: LocalStepFunctions, r: ExecutionRecord) {
  return {
    ...summaryShape(sfn, r),
    input: JSON.stringify(r.input ?? {}),
    inputDetails: { included: true },
    ...(r.output !== undefined ? { output: JSON.stringify(r.output), outputDetails: { included: true } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
  };
}

/** The request fields the served operations read; the SDK sends them as JSON. */
interface SfnRequest {
  stateMachineArn?: string;
  executionArn?: string;
  name?: string;
  input?: string;
  maxResults?: number;
  statusFilter?: ExecutionStatus;
  error?: string;
  cause?: string;
  taskToken?: string;
  output?: string;
}

const isServed = (op: string): op is EndpointOperation => (ENDPOINT_OPERATIONS as readonly string[]).includes(op);

async function sfnOperation(sfn: LocalStepFunctions, op: string, body: SfnRequest): Promise<unknown> {
  if (!isServed(op)) throw new LocalSfnError('UnknownOperationException', `Operation ${op} is not supported locally`);
  const arn = body.executionArn ?? '';
  const token = body.taskToken ?? '';
  switch (op) {
    case 'StartExecution': {
      if (body.stateMachineArn && body.stateMachineArn !== sfn.stateMachineArn) {
        throw new LocalSfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
      }
      const { executionArn, startDate } = await sfn.startExecution({ name: body.name, input: body.input ?? '{}' });
      return { executionArn, startDate: epoch(startDate) };
    }
    case 'DescribeExecution':
      return describeShape(sfn, sfn.describeExecution(arn));
    case 'ListExecutions': {
      const max = Number(body.maxResults) > 0 ? Number(body.maxResults) : 1000;
      const list = sfn.listExecutions({ status: body.statusFilter }).slice(0, max);
      return { executions: list.map((r) => summaryShape(sfn, r)) };
    }
    case 'StopExecution':
      return { stopDate: epoch(sfn.stopExecution(arn, { error: body.error, cause: body.cause }).stopDate) };
    case 'SendTaskSuccess':
      sfn.sendTaskSuccess(token, body.output);
      return {};
    case 'SendTaskFailure':
      sfn.sendTaskFailure(token, body.error, body.cause);
      return {};
    case 'SendTaskHeartbeat':
      sfn.sendTaskHeartbeat(token);
      return {};
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', rejectBody);
  });
}

export interface SfnEndpoint {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startSfnEndpoint(
  sfn: LocalStepFunctions,
  opts: { port?: number; log?: (line: string) => void } = {},
): Promise<SfnEndpoint> {
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req, res) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      const text = await readBody(req);
      if (req.method !== 'POST' || !target.startsWith('AWSStepFunctions.')) {
        return send(res, 400, {
          __type: 'UnknownOperationException',
          message: 'Expected POST with X-Amz-Target: AWSStepFunctions.<Operation>',
        });
      }
      const body: SfnRequest = text ? JSON.parse(text) : {};
      send(res, 200, await sfnOperation(sfn, target.slice('AWSStepFunctions.'.length), body));
    } catch (err) {
      if (err instanceof LocalSfnError) return send(res, 400, { __type: err.name, message: err.message });
      if (err instanceof SyntaxError) return send(res, 400, { __type: 'SerializationException', message: err.message });
      opts.log?.(`SFN endpoint: ${err instanceof Error ? err.stack : String(err)}`);
      send(res, 500, { __type: 'InternalFailure', message: err instanceof Error ? err.message : String(err) });
    }
  });
  const port = await listen(server, opts.port ?? 0);
  return { url: urlOf(port), port, stop: () => closeServer(server) };
}

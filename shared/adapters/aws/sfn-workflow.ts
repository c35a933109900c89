import {
  DescribeExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionInfo, Workflow } from '../../ports';

export class SfnWorkflow implements Workflow {
  constructor(
    private readonly stateMachineArn: string | undefined,
    private readonly sfn: SFNClient = new SFNClient({}),
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<string> {
    if (!this.stateMachineArn) throw new Error('Missing environment variable STATE_MACHINE_ARN');
    const res = await this.sfn.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return res.executionArn ?? '';
  }

  async succeed(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  }

  async describe(executionArn: string): Promise<ExecutionInfo> {
    const res = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return {
      executionArn,
      status: res.status ?? 'UNKNOWN',
      startDate: res.startDate?.toISOString(),
      stopDate: res.stopDate?.toISOString(),
      error: res.error,
      cause: res.cause,
    };
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await this.sfn.send(new StopExecutionCommand({ executionArn, error: 'Superseded', cause }));
  }
}

/** Starting a case's execution by its name, the one way intake, the callback endpoint and the sweeper do it. */
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { isNamedError } from './errors.js';

export interface NamedExecution {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * Starts the execution; false when one of that name exists already (Step Functions refuses a second one:
 * a retried request's, or one that finished). A running one with the same input counts as started, as on AWS.
 */
export async function startNamedExecution(
  client: SFNClient,
  stateMachineArn: string,
  execution: NamedExecution,
): Promise<boolean> {
  try {
    await client.send(
      new StartExecutionCommand({
        stateMachineArn,
        name: execution.name,
        input: JSON.stringify(execution.input),
      }),
    );
    return true;
  } catch (error) {
    if (!isNamedError(error, 'ExecutionAlreadyExists')) throw error;
    return false;
  }
}

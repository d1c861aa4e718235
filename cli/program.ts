/**
 * `refund-hub`: one CLI for AWS, LocalStack and the embedded runtime. Each command builds its SDK
 * clients from a `Connection`, so invoking on AWS, on LocalStack (`--endpoint`) or in-process
 * (`--local`) is the same code path. Errors a user can act on are one line on stderr.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Command, CommanderError, Option } from 'commander';
import {
  type Connection,
  clientConfig,
  connectionFrom,
  errorContext,
  queueUrl,
  requiredOutput,
  stackResources,
  tableName,
} from './aws.js';
import { type CaseStore, dynamoCaseStore, startCase, validateRequest } from './cases.js';
import { CliError, type ErrorContext, EXIT, explain, UsageError } from './errors.js';
import { describeEvent, fetchHistory, follow, outcomeLines, pathOf, startOf } from './history.js';
import { type EmbeddedTarget, readLocalServerState, startEmbedded, TEAMS, type Team } from './local.js';
import { formatCallback, readQueue } from './queue.js';
import { localstackApiUrl, resolutionBody, resolveLocal, resolveSigned } from './resolve.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly env: NodeJS.ProcessEnv;
}

export const processIo = (): CliIo => ({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});

interface ConnectionFlags {
  endpoint?: string;
  region?: string;
  stack?: string;
}

const EXIT_CODES_HELP = `
Targets: AWS by default (the default credential chain and region); LocalStack with --endpoint URL
or AWS_ENDPOINT_URL; the embedded runtime with --local.

Exit codes: 0 ok (or the case waits for an agent), 1 an error to act on, 2 bad arguments,
3 the execution ended FAILED, TIMED_OUT or ABORTED.`;

function withConnection(command: Command): Command {
  return command
    .option('--endpoint <url>', 'LocalStack endpoint, e.g. http://localhost:4566 (default: AWS_ENDPOINT_URL)')
    .option('--region <region>', 'AWS region (default: the SDK default chain; us-east-1 on LocalStack)')
    .option('--stack <name>', 'CloudFormation stack name', 'RefundHub');
}

function positiveInt(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) <= 0)
      throw new UsageError(`${name} must be a positive whole number, got ${value}`);
    return Number(value);
  };
}

export function buildProgram(io: CliIo, context: { current: ErrorContext; exitCode: number }): Command {
  const program = new Command('refund-hub')
    .description(
      'Refund Hub: start, follow and resolve support cases on AWS, LocalStack or the embedded runtime',
    )
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showSuggestionAfterError(true);

  const connect = (flags: ConnectionFlags): Connection => {
    const connection = connectionFrom(flags, io.env);
    context.current = errorContext(connection);
    return connection;
  };

  withConnection(
    program
      .command('invoke')
      .description('start a case: write the case record as intake does and start an execution named after it')
      .requiredOption('--customer <id>', 'customer id, e.g. C-1001 (the demo customers with --local)')
      .requiredOption('--message <text>', "the customer's message (card numbers and passwords are redacted)")
      .option('--order <id>', 'the order the request is about')
      .option('--phone <e164>', 'callback phone number, E.164 (+12065550101)')
      .option('--follow', 'show each state as it is entered and left, then the outcome and receipt')
      .option('--through-handoff', 'with --follow: keep following while the case waits for an agent')
      .option('--local', 'run on the embedded runtime in this process (demo customers seeded)')
      .option('--state-machine-arn <arn>', 'skip the stack lookup of StateMachineArn')
      .option('--cases-table <name>', 'skip the stack lookup of the cases table')
      .addOption(
        new Option('--interval <ms>', 'poll interval for --follow').argParser(positiveInt('--interval')),
      )
      .addOption(
        new Option('--timeout <seconds>', 'give up following after this long').argParser(
          positiveInt('--timeout'),
        ),
      ),
  ).action(async (flags) => {
    const request = validateRequest({
      customerId: flags.customer,
      message: flags.message,
      ...(flags.order !== undefined ? { orderId: flags.order } : {}),
      ...(flags.phone !== undefined ? { callbackPhone: flags.phone } : {}),
    });
    let embedded: EmbeddedTarget | undefined;
    try {
      let connection: Connection;
      let stateMachineArn: string;
      let cases: CaseStore;
      if (flags.local) {
        context.current = { target: 'the embedded runtime' };
        embedded = await startEmbedded();
        connection = embedded.connection;
        stateMachineArn = embedded.stateMachineArn;
        cases = embedded.cases;
        if (!embedded.customers.includes(request.customerId)) {
          io.err(
            `note: ${request.customerId} is not a demo customer (${embedded.customers.join(', ')}): the account is empty`,
          );
        }
      } else {
        connection = connect(flags);
        const cloudformation = new CloudFormationClient(clientConfig(connection));
        stateMachineArn =
          flags.stateMachineArn ??
          (await requiredOutput(cloudformation, connection.stackName, 'StateMachineArn'));
        const table =
          flags.casesTable ??
          tableName(
            await stackResources(cloudformation, connection.stackName),
            'Cases',
            connection.stackName,
          );
        cases = dynamoCaseStore(
          DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(connection)), {
            marshallOptions: { removeUndefinedValues: true },
          }),
          table,
        );
      }
      const sfn = new SFNClient(clientConfig(connection));
      const started = await startCase(sfn, stateMachineArn, cases, request);
      io.out(`case ${started.caseId}`);
      io.out(`execution ${started.executionArn}`);
      // The embedded runtime stops with this process: wait for the case to settle either way.
      if (!flags.follow && !flags.local) return;
      const result = await follow(sfn, started.executionArn, {
        print: flags.follow ? io.out : () => {},
        intervalMs: flags.interval ?? (flags.local ? 100 : 1000),
        ...(flags.timeout ? { timeoutMs: flags.timeout * 1000 } : {}),
        readCase: () => cases.get(started.caseId),
        throughHandoff: Boolean(flags.throughHandoff) && !flags.local,
        startDate: started.startDate,
      });
      io.out(result.waitingForAgent ? 'status: RUNNING, waiting for an agent' : `status: ${result.status}`);
      for (const line of outcomeLines(result.execution, result.record)) io.out(line);
      if (result.waitingForAgent) {
        io.out(
          flags.local
            ? "this case lived in this command's embedded runtime, which stops now; to resolve one, start the local server " +
                '(npm start), create the case through its API, then: refund-hub resolve --local <caseId> <decision>'
            : `resolve it with: refund-hub resolve ${started.caseId} approve_refund|goodwill_credit|deny [amount] --note "..."`,
        );
      } else if (result.status !== 'SUCCEEDED') {
        context.exitCode = EXIT.executionFailed;
      }
    } finally {
      await embedded?.stop();
    }
  });

  withConnection(
    program
      .command('history')
      .description('the path a past execution took: every state entered and left, then the outcome')
      .argument('<executionArn>', 'the execution ARN (printed by invoke)'),
  ).action(async (executionArn: string, flags) => {
    if (!executionArn.startsWith('arn:'))
      throw new UsageError(`expected an execution ARN (arn:aws:states:...), got ${executionArn}`);
    const connection = connect(flags);
    const sfn = new SFNClient(clientConfig(connection));
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await fetchHistory(sfn, executionArn);
    const start = execution.startDate ? new Date(execution.startDate) : startOf(events);
    io.out(`execution ${execution.name ?? executionArn}: ${execution.status}`);
    for (const event of events) {
      const line = describeEvent(event, start);
      if (line) io.out(line);
    }
    io.out(`path: ${pathOf(events).join(' → ')}`);
    for (const line of outcomeLines(execution)) io.out(line);
  });

  const resolveCommand = (name: string) =>
    withConnection(
      new Command(name)
        .description(
          "an agent's resolution of a case waiting for one (POST /v1/agent/cases/{caseId}/resolution)",
        )
        .argument('<caseId>', 'the case id')
        .argument('<decision>', 'approve_refund, goodwill_credit or deny')
        .argument('[amount]', 'minor units (1499 is $14.99): the goodwill credit, or a partial refund')
        .option('--note <text>', 'why (stored on the case)')
        .option(
          '--currency <code>',
          'the currency of an approval on a case with charges in several (e.g. EUR)',
        )
        .addOption(
          new Option('--local', 'the running local server (npm start), with its agent token').env(
            'REFUND_HUB_LOCAL',
          ),
        )
        .option('--api-url <url>', 'skip the stack lookup of ApiUrl'),
    ).action(async (caseId: string, decision: string, amount: string | undefined, flags) => {
      const body = resolutionBody(decision, amount, flags.note, flags.currency);
      let response: { status: number; body: Record<string, unknown> };
      if (flags.local) {
        const state = readLocalServerState();
        context.current = { target: 'the local server', endpoint: state.apiUrl };
        response = await resolveLocal(state, caseId, body);
      } else {
        const connection = connect(flags);
        let apiUrl: string = flags.apiUrl;
        if (!apiUrl) {
          const cloudformation = new CloudFormationClient(clientConfig(connection));
          apiUrl = await requiredOutput(cloudformation, connection.stackName, 'ApiUrl');
          if (connection.kind === 'localstack' && connection.endpoint)
            apiUrl = localstackApiUrl(apiUrl, connection.endpoint);
        }
        // The SDK's own resolution of credentials and region (default chain, or LocalStack's).
        const probe = new SFNClient(clientConfig(connection));
        const credentials = await probe.config.credentials();
        const region = connection.region ?? (await probe.config.region());
        response = await resolveSigned(apiUrl, caseId, body, credentials, region);
      }
      io.out(
        `case ${caseId}: ${body.decision}${body.amount !== undefined ? ` ${body.amount}` : ''} accepted ` +
          `(HTTP ${response.status}, ${String(response.body.status ?? 'resolving')}); the workflow resumes`,
      );
    });

  program.addCommand(resolveCommand('resolve'));

  const agent = program.command('agent').description('agent tools: the callback queues and resolutions');
  withConnection(
    agent
      .command('queue')
      .description("the callback requests waiting on a team's queue (left on the queue unless --ack)")
      .argument('<team>', TEAMS.join(', '))
      .option('--ack', 'delete the messages shown')
      .addOption(new Option('--local', 'the running local server (npm start)').env('REFUND_HUB_LOCAL'))
      .addOption(
        new Option('--max <n>', 'most messages to show').argParser(positiveInt('--max')).default(10),
      ),
  ).action(async (team: string, flags) => {
    if (!(TEAMS as readonly string[]).includes(team))
      throw new UsageError(`team must be one of ${TEAMS.join(', ')}, got ${team}`);
    let sqs: SQSClient;
    let url: string;
    if (flags.local) {
      const state = readLocalServerState();
      const localUrl = state.queueUrls?.[team as Team];
      if (!localUrl || !state.sqsEndpoint)
        throw new CliError('The local server published no queue URLs: restart it with npm start.');
      context.current = { target: 'the local server', endpoint: state.sqsEndpoint };
      sqs = new SQSClient({
        region: 'us-east-1',
        endpoint: state.sqsEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      url = localUrl;
    } else {
      const connection = connect(flags);
      const cloudformation = new CloudFormationClient(clientConfig(connection));
      url = queueUrl(await stackResources(cloudformation, connection.stackName), team, connection.stackName);
      sqs = new SQSClient(clientConfig(connection));
    }
    const messages = await readQueue(sqs, url, { ack: Boolean(flags.ack), max: flags.max });
    io.out(
      `${messages.length} callback request${messages.length === 1 ? '' : 's'} on the ${team} queue${flags.ack && messages.length > 0 ? ' (acknowledged: deleted)' : ''}`,
    );
    for (const message of messages) for (const line of formatCallback(message)) io.out(line);
  });
  agent.addCommand(resolveCommand('resolve'));

  program
    .command('diagram')
    .description('the state machine as a Mermaid stateDiagram-v2, from the synthesized definition')
    .option('--markdown', 'the docs/diagram.md page instead of the bare diagram')
    .action(async (flags) => {
      const [{ loadTopology }, { mermaidDiagram, diagramMarkdown }] = await Promise.all([
        import('../local/template.js'),
        import('./diagram.js'),
      ]);
      const mermaid = mermaidDiagram(loadTopology().definition);
      io.out((flags.markdown ? diagramMarkdown(mermaid) : mermaid).trimEnd());
    });

  return program;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const context = { current: {} as ErrorContext, exitCode: EXIT.ok as number };
  const program = buildProgram(io, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its one line (or the help) already.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.err(`refund-hub: ${explain(error, context.current)}`);
    if (io.env.REFUND_HUB_DEBUG) io.err(String((error as Error)?.stack ?? error));
    return error instanceof CliError ? error.exitCode : EXIT.error;
  }
}

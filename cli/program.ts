/**
 * `refund-hub`: one CLI for AWS, LocalStack and the embedded runtime. Each command builds its SDK
 * clients from a `Connection`, so invoking on AWS, on LocalStack (`--endpoint`) or in-process
 * (`--local`) is the same code path. Errors a user can act on are one line on stderr.
 */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { CARRIER_EVENTS } from '../functions/returns-core/domain.js';
import {
  AGENT_STATUSES,
  type AgentApi,
  agentReturnLines,
  evidenceLines,
  inspectionRequest,
  LOCAL_AGENTS,
  listQueue,
  localAgentApi,
  moneyText,
  queueLines,
  resolutionRequest,
  signedAgentApi,
} from './agent.js';
import {
  type Connection,
  clientConfig,
  connectionFrom,
  errorContext,
  requiredOutput,
  stackResources,
  tableName,
} from './aws.js';
import {
  carrierScan,
  carrierScanLines,
  carrierSecret,
  DEFAULT_CARRIER_EVENT,
  postCarrierScan,
} from './carrier.js';
import { type CaseStore, dynamoCaseStore, startCase, validateRequest } from './cases.js';
import { CliError, type ErrorContext, EXIT, explain, UsageError } from './errors.js';
import { describeEvent, fetchHistory, follow, outcomeLines, pathOf, startOf } from './history.js';
import { invokeOnServer } from './invoke-server.js';
import {
  type EmbeddedTarget,
  executionArnOf,
  type LocalServerState,
  localServerConnection,
  readLocalServerState,
  runningLocalServer,
  startEmbedded,
  TEAMS,
} from './local.js';
import { localstackApiUrl, resolutionPath } from './resolve.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readonly env: NodeJS.ProcessEnv;
  /** The clock of the queue's SLA countdowns. @default new Date() */
  now?(): Date;
  /** The running local server's state file. @default LOCAL_STATE_FILE */
  readonly localStateFile?: string;
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

interface AgentFlags extends ConnectionFlags {
  local?: boolean;
  as?: string;
  apiUrl?: string;
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
    // --local: the running local server when there is one (its case stays for its agents), else an embedded runtime.
    const running = flags.local ? await runningLocalServer(io.localStateFile) : undefined;
    if (running?.state) {
      await invokeThroughServer(running.state, request, flags);
      return;
    }
    if (running?.stale)
      io.err(`note: ${running.reason}; running the case on an embedded runtime in this command`);
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
            ? "this case lived in this command's embedded runtime, which stops now; to work one as an agent, start the local server " +
                '(npm start) first: invoke --local then sends the case to it'
            : `work it with: refund-hub agent show ${started.caseId}, then refund-hub agent resolve ${started.caseId} <decision> --note "..."`,
        );
      } else if (result.status !== 'SUCCEEDED') {
        context.exitCode = EXIT.executionFailed;
      }
    } finally {
      await embedded?.stop();
    }
  });

  /** invoke --local with `npm start` running: POST /v1/support-requests as the demo customer, follow on its Step Functions endpoint. */
  async function invokeThroughServer(
    state: LocalServerState,
    request: ReturnType<typeof validateRequest>,
    flags: { follow?: boolean; throughHandoff?: boolean; interval?: number; timeout?: number },
  ): Promise<void> {
    context.current = { target: 'the local server', endpoint: state.apiUrl };
    const started = await invokeOnServer(state, request);
    io.out(`case ${started.caseId}`);
    io.out(`execution ${started.executionArn}`);
    io.out(`on the running local server (${state.apiUrl}): its agents see the case`);
    // The case lives in the server: like AWS, nothing to wait for unless --follow.
    if (!flags.follow) return;
    const connection = localServerConnection(state);
    context.current = { target: 'the local server', endpoint: connection.endpoint as string };
    const result = await follow(new SFNClient(clientConfig(connection)), started.executionArn, {
      print: io.out,
      intervalMs: flags.interval ?? 200,
      ...(flags.timeout ? { timeoutMs: flags.timeout * 1000 } : {}),
      readCase: started.readCase,
      throughHandoff: Boolean(flags.throughHandoff),
    });
    io.out(result.waitingForAgent ? 'status: RUNNING, waiting for an agent' : `status: ${result.status}`);
    for (const line of outcomeLines(result.execution, result.record)) io.out(line);
    if (result.waitingForAgent)
      io.out(
        `work it with: npm run agent -- show ${started.caseId}, then resolve ${started.caseId} <decision> --note "..."`,
      );
    else if (result.status !== 'SUCCEEDED') context.exitCode = EXIT.executionFailed;
  }

  withConnection(
    program
      .command('history')
      .description('the path a past execution took: every state entered and left, then the outcome')
      .argument(
        '<execution>',
        "the execution ARN (printed by invoke), or a case id (the case's first execution)",
      )
      .option('--local', 'the running local server (npm start): its Step Functions endpoint')
      .option('--state-machine-arn <arn>', 'with a case id: skip the stack lookup of StateMachineArn'),
  ).action(async (execution: string, flags) => {
    if (!execution.startsWith('arn:') && !/^[\w-]{1,80}$/.test(execution))
      throw new UsageError(`expected an execution ARN (arn:aws:states:...) or a case id, got ${execution}`);
    let connection: Connection;
    let executionArn = execution;
    if (flags.local) {
      // The embedded runtime of an earlier command is gone with it: only the running server has history.
      const server = localServerConnection(readLocalServerState(io.localStateFile));
      connection = server;
      context.current = { target: 'the local server', endpoint: server.endpoint as string };
      if (!execution.startsWith('arn:')) executionArn = executionArnOf(server.stateMachineArn, execution);
    } else {
      connection = connect(flags);
      if (!execution.startsWith('arn:')) {
        const stateMachineArn =
          flags.stateMachineArn ??
          (await requiredOutput(
            new CloudFormationClient(clientConfig(connection)),
            connection.stackName,
            'StateMachineArn',
          ));
        executionArn = executionArnOf(stateMachineArn, execution);
      }
    }
    const sfn = new SFNClient(clientConfig(connection));
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const events = await fetchHistory(sfn, executionArn);
    const start = described.startDate ? new Date(described.startDate) : startOf(events);
    io.out(`execution ${described.name ?? executionArn}: ${described.status}`);
    for (const event of events) {
      const line = describeEvent(event, start);
      if (line) io.out(line);
    }
    io.out(`path: ${pathOf(events).join(' → ')}`);
    for (const line of outcomeLines(described)) io.out(line);
  });

  /** The agent routes: a local agent token with --local, else SigV4 with the caller's credentials. */
  const agentApi = async (flags: AgentFlags): Promise<AgentApi> => {
    if (flags.local) {
      const state = readLocalServerState(io.localStateFile);
      context.current = { target: 'the local server', endpoint: state.apiUrl };
      return localAgentApi(state, flags.as ?? 'agent-1');
    }
    if (flags.as)
      throw new UsageError(
        '--as picks a local agent token (--local, or npm run agent); on AWS and LocalStack you act as the IAM principal of your credentials',
      );
    const connection = connect(flags);
    let apiUrl = flags.apiUrl;
    if (!apiUrl) {
      const cloudformation = new CloudFormationClient(clientConfig(connection));
      apiUrl = await requiredOutput(cloudformation, connection.stackName, 'ApiUrl');
      if (connection.kind === 'localstack' && connection.endpoint)
        apiUrl = localstackApiUrl(apiUrl, connection.endpoint);
    }
    // The SDK's own resolution of credentials and region (default chain, or LocalStack's).
    const probe = new SFNClient(clientConfig(connection));
    const region = connection.region ?? (await probe.config.region());
    return signedAgentApi(apiUrl, () => probe.config.credentials(), region);
  };

  /** How the user runs the next agent command, for hints. */
  const agentHint = (flags: AgentFlags, rest: string) =>
    flags.local ? `npm run agent -- ${rest}` : `refund-hub agent ${rest}`;

  const agentCommand = (name: string, description: string, build: (command: Command) => Command) => {
    // exitOverride and the output of the program: a usage error is exit 2, never process.exit.
    const command = withConnection(
      build(new Command(name).copyInheritedSettings(program).description(description)),
    )
      .addOption(
        new Option('--local', 'the running local server (npm start), with a local agent token').env(
          'REFUND_HUB_LOCAL',
        ),
      )
      .addOption(
        new Option('--as <agent>', 'the local agent acting (with --local; default agent-1)').choices(
          LOCAL_AGENTS,
        ),
      )
      .option('--api-url <url>', 'skip the stack lookup of ApiUrl');
    return command;
  };

  /** `usage: refund-hub agent resolve [options] <caseId> <decision>` (or `refund-hub resolve ...`). */
  const usageOf = (command: Command) => {
    const names: string[] = [];
    for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
    return `usage: ${names.join(' ')} ${command.usage()}`;
  };

  /** Adds an agent command to its parent; a bad flag or argument then prints its usage line. */
  const attach = (parent: Command, command: Command) => {
    parent.addCommand(command);
    command.showHelpAfterError(usageOf(command));
  };

  /** A UsageError from an action also prints the command's usage line. */
  const withUsage =
    <A extends unknown[]>(command: Command, action: (...args: A) => Promise<void>) =>
    async (...args: A) => {
      try {
        await action(...args);
      } catch (error) {
        if (error instanceof UsageError && !error.usage)
          throw new UsageError(error.message, usageOf(command));
        throw error;
      }
    };

  const agent = program
    .command('agent')
    .description('agent tools: the waiting cases, the evidence pack, claims, decisions and second approvals');

  const queue = agentCommand(
    'queue',
    "the cases waiting on a team's queue, most urgent first (from the cases table: the SQS queues are left alone)",
    (c) =>
      c
        .argument('<team>', TEAMS.join(', '))
        .addOption(
          new Option('--max <n>', 'most cases to show')
            .argParser((value: string) => {
              // Commander's own error type: it prints the usage line after it, as for any other bad flag.
              if (!/^\d+$/.test(value) || Number(value) <= 0)
                throw new InvalidArgumentError('--max must be a positive whole number.');
              return Number(value);
            })
            .default(20),
        )
        .addOption(new Option('--status <status>', 'only cases in this status').choices(AGENT_STATUSES)),
  );
  queue.action(
    withUsage(queue, async (team: string, flags: AgentFlags & { max: number; status?: string }) => {
      if (!(TEAMS as readonly string[]).includes(team))
        throw new UsageError(`team must be one of ${TEAMS.join(', ')}, got ${team}`);
      const api = await agentApi(flags);
      const page = await listQueue(api, {
        queue: team,
        max: flags.max,
        ...(flags.status ? { status: flags.status } : {}),
      });
      for (const line of queueLines(team, page, io.now?.() ?? new Date(), flags.status)) io.out(line);
    }),
  );
  attach(agent, queue);

  const show = agentCommand('show', "a case's evidence pack: everything needed to decide", (c) =>
    c.argument('<caseId>', 'the case id'),
  );
  show.action(
    withUsage(show, async (caseId: string, flags: AgentFlags) => {
      const api = await agentApi(flags);
      const { body } = await api.request('GET', `agent/cases/${encodeURIComponent(caseId)}`);
      for (const line of evidenceLines(body, io.now?.() ?? new Date())) io.out(line);
    }),
  );
  attach(agent, show);

  const claim = agentCommand(
    'claim',
    'claim a waiting case ("I am on it"; again while working, as a heartbeat)',
    (c) => c.argument('<caseId>', 'the case id'),
  );
  claim.action(
    withUsage(claim, async (caseId: string, flags: AgentFlags) => {
      const api = await agentApi(flags);
      const { body } = await api.request('POST', `agent/cases/${encodeURIComponent(caseId)}/claim`);
      io.out(
        `case ${caseId} claimed by ${String(body.claimedBy ?? flags.as ?? 'you')} (status ${String(body.status ?? 'claimed')})`,
      );
    }),
  );
  attach(agent, claim);

  const resolveCommand = (name: string) => {
    const command = agentCommand(
      name,
      "an agent's decision on a waiting case (POST /v1/agent/cases/{caseId}/resolution)",
      (c) =>
        c
          .argument('<caseId>', 'the case id')
          .argument('<decision>', 'approve_refund, goodwill_credit, deny or resolve')
          .option(
            '--charge <CHARGE:AMOUNT>',
            'approve_refund: a charge to refund and how much, in minor units (ch_1:1499); repeat for several',
            (value: string, previous: string[] = []) => [...previous, value],
          )
          .option('--amount <minor>', 'goodwill_credit: the credit, in minor units (1499 is $14.99)')
          .option('--currency <code>', 'the currency of the decision, ISO 4217 (EUR)')
          .option('--note <text>', 'required: why (internal, the customer never sees it)')
          .option('--message <text>', 'what the customer is told (required for deny and resolve)'),
    );
    return command.action(
      withUsage(
        command,
        async (
          caseId: string,
          decision: string,
          flags: AgentFlags & Record<string, string | string[] | undefined>,
        ) => {
          // Every check before any request: a bad decision moves nothing and costs no round trip.
          const body = resolutionRequest(decision, {
            ...(flags.charge ? { charge: flags.charge as string[] } : {}),
            ...(typeof flags.amount === 'string' ? { amount: flags.amount } : {}),
            ...(typeof flags.currency === 'string' ? { currency: flags.currency } : {}),
            ...(typeof flags.note === 'string' ? { note: flags.note } : {}),
            ...(typeof flags.message === 'string' ? { message: flags.message } : {}),
          });
          const api = await agentApi(flags);
          const answer = await api.request('POST', resolutionPath(caseId), body);
          for (const line of decisionLines(caseId, body.decision, answer.body, flags)) io.out(line);
        },
      ),
    );
  };

  /** The accepted decision: what moves, and who confirms it when it waits for a second agent. */
  const decisionLines = (
    caseId: string,
    decision: string,
    answer: Record<string, unknown>,
    flags: AgentFlags,
  ) => {
    const currency = typeof answer.currency === 'string' ? answer.currency : undefined;
    const amount =
      typeof answer.amount === 'number' && currency
        ? ` ${moneyText([{ amount: answer.amount, currency }])}`
        : '';
    const status = String(answer.status ?? 'resolving');
    const charges = Array.isArray(answer.charges)
      ? (answer.charges as { chargeId?: string; amount?: number; currency?: string }[])
      : [];
    const chargeLines = charges.map(
      (c) =>
        `  refund ${c.chargeId ?? '?'} ${moneyText([{ amount: c.amount ?? 0, currency: c.currency ?? currency ?? '' }].filter((m) => m.currency))}`,
    );
    if (status === 'awaiting_second_approval') {
      const other = flags.local ? ` --as ${flags.as === 'agent-2' ? 'agent-1' : 'agent-2'}` : '';
      return [
        `case ${caseId}: ${decision}${amount} waits for a second agent (over the dual-approval threshold; nothing moved yet)`,
        ...chargeLines,
        `  a different agent confirms it with: ${agentHint(flags, `approve ${caseId}${other}`)}`,
      ];
    }
    return [
      `case ${caseId}: ${decision}${amount} accepted (status ${status}); the workflow resumes`,
      ...chargeLines,
    ];
  };

  attach(program, resolveCommand('resolve'));
  attach(agent, resolveCommand('resolve'));

  const approve = agentCommand(
    'approve',
    "a second agent confirms another agent's decision over the threshold",
    (c) => c.argument('<caseId>', 'the case id').option('--note <text>', 'why you confirm it (internal)'),
  );
  approve.action(
    withUsage(approve, async (caseId: string, flags: AgentFlags & { note?: string }) => {
      const api = await agentApi(flags);
      const note = flags.note?.trim();
      const answer = await api.request(
        'POST',
        `agent/cases/${encodeURIComponent(caseId)}/approvals`,
        note ? { note } : {},
      );
      const decision = String(answer.body.decision ?? 'the decision');
      const [first, ...rest] = decisionLines(caseId, decision, answer.body, flags);
      io.out((first ?? '').replace(' accepted ', ' confirmed by the second agent '));
      for (const line of rest) io.out(line);
    }),
  );
  attach(agent, approve);

  const inspectCommand = agentCommand(
    'inspect',
    "an agent's inspection of a returned item (POST /v1/agent/returns/{returnId}/inspection): pass refunds, fail does not",
    (c) =>
      c
        .argument('<returnId>', 'the return id')
        .argument('<result>', 'pass or fail')
        .option('--note <text>', 'required: what you found (internal, the customer never sees it)')
        .option('--customer-message <text>', 'what the customer is told (the default notice otherwise)'),
  );
  inspectCommand.action(
    withUsage(
      inspectCommand,
      async (
        returnId: string,
        result: string,
        flags: AgentFlags & { note?: string; customerMessage?: string },
      ) => {
        const body = inspectionRequest(result, flags);
        const api = await agentApi(flags);
        const answer = await api.request(
          'POST',
          `agent/returns/${encodeURIComponent(returnId)}/inspection`,
          body,
        );
        io.out(
          `return ${returnId}: inspection ${String(answer.body.result ?? result)} recorded by ${String(answer.body.inspectedBy ?? 'you')}; the return's workflow resumes` +
            (result === 'pass' ? ' and refunds it' : ' (no refund)'),
        );
      },
    ),
  );
  attach(agent, inspectCommand);

  const returnsCommand = agentCommand(
    'returns',
    'the returns waiting for an agent (GET /v1/agent/returns), longest waiting first',
    (c) =>
      c.addOption(
        new Option('--status <status>', 'which wait')
          .choices(['awaiting_inspection', 'needs_attention'])
          .default('awaiting_inspection'),
      ),
  );
  returnsCommand.action(
    withUsage(returnsCommand, async (flags: AgentFlags & { status: string }) => {
      const api = await agentApi(flags);
      const { body } = await api.request('GET', `agent/returns?status=${encodeURIComponent(flags.status)}`);
      for (const line of agentReturnLines(body, flags.status, io.now?.() ?? new Date())) io.out(line);
      if (flags.status === 'awaiting_inspection' && Array.isArray(body.items) && body.items.length > 0)
        io.out(`  inspect one with: ${agentHint(flags, 'inspect <returnId> pass|fail --note "..."')}`);
    }),
  );
  attach(agent, returnsCommand);

  const carrier = program
    .command('carrier')
    .description('play the carrier against the running local server (npm start)');
  const scan = new Command('scan')
    .copyInheritedSettings(program)
    .description(
      `post a signed carrier tracking event to POST /v1/integrations/carrier/events (event: ${CARRIER_EVENTS.join(', ')}; default ${DEFAULT_CARRIER_EVENT})`,
    )
    .argument('<trackingId>', "the return label's tracking id (GET /v1/returns/{returnId} shows it)")
    .argument('[event]', CARRIER_EVENTS.join(', '), DEFAULT_CARRIER_EVENT)
    .option('--event-id <id>', "the carrier's event id (resend the same id to see the duplicate answer)");
  scan.action(
    withUsage(scan, async (trackingId: string, event: string, flags: { eventId?: string }) => {
      const carrierEvent = carrierScan(trackingId, event, io.now?.() ?? new Date(), flags.eventId);
      const state = readLocalServerState(io.localStateFile);
      context.current = { target: 'the local server', endpoint: state.apiUrl };
      const answer = await postCarrierScan(state.apiUrl, carrierEvent, carrierSecret(io.env), new Date());
      for (const line of carrierScanLines(carrierEvent, answer)) io.out(line);
    }),
  );
  attach(carrier, scan);

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
    if (error instanceof UsageError && error.usage) io.err(error.usage);
    if (io.env.REFUND_HUB_DEBUG) io.err(String((error as Error)?.stack ?? error));
    return error instanceof CliError ? error.exitCode : EXIT.error;
  }
}

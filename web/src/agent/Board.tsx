/** One board per team queue (GET /v1/agent/cases?queue=): most urgent first, with the SLA counting down live. */
import { call, errorText } from '../lib/api';
import { agentName, formatDuration, formatTotals, humanize, slaText } from '../lib/format';
import type { Session } from '../lib/session';
import type { QueuePage, TeamQueue } from '../lib/types';
import { useRefreshed } from '../lib/use-refreshed';
import { consoleUrl } from './urls';

const QUEUES: readonly TeamQueue[] = ['billing', 'delivery', 'security', 'general'];
const REFRESH_MS = 5000;

type Pages = Partial<Record<TeamQueue, QueuePage | { error: unknown }>>;

export function Board({ session, onOpen }: { session: Session; onOpen: (caseId: string) => void }) {
  const refreshed = useRefreshed(
    async (): Promise<Pages> => {
      // One queue failing does not hide the others: its error stands in its own board.
      const entries = await Promise.all(
        QUEUES.map(async (queue) => {
          try {
            return [
              queue,
              await call<QueuePage>(session.fetch, `/v1/agent/cases?queue=${queue}&limit=50`),
            ] as const;
          } catch (error) {
            return [queue, { error }] as const;
          }
        }),
      );
      return Object.fromEntries(entries);
    },
    REFRESH_MS,
    [session],
  );
  const pages: Pages = refreshed.value ?? {};
  const { now, loadedAt } = refreshed;

  return (
    <div class="board">
      <h2 class="sr-only">Team queues</h2>
      {QUEUES.map((queue) => {
        const page = pages[queue];
        return (
          <section key={queue} class="card queue" aria-labelledby={`queue-${queue}`}>
            <h3 id={`queue-${queue}`}>
              {humanize(queue)} queue{page && 'items' in page ? ` (${page.items.length})` : ''}
            </h3>
            {!page && <p role="status">Loading…</p>}
            {page && 'error' in page && <p role="alert">{errorText(page.error)}</p>}
            {page && 'items' in page && page.items.length === 0 && <p class="muted">Nobody is waiting.</p>}
            {page && 'items' in page && page.items.length > 0 && (
              <div class="table-wrap">
                <table>
                  <caption class="sr-only">Cases waiting on the {queue} queue, most urgent first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Priority</th>
                      <th scope="col">Status</th>
                      <th scope="col">Waited</th>
                      <th scope="col">SLA</th>
                      <th scope="col">Escalations</th>
                      <th scope="col">At stake</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Case</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.items.map((item) => {
                      const overdue = item.slaDeadline !== null && Date.parse(item.slaDeadline) < now;
                      return (
                        <tr key={item.caseId} data-case-id={item.caseId}>
                          <td>
                            <span class={`pill ${item.priority}`}>{item.priority}</span>
                          </td>
                          <td>
                            {humanize(item.status)}
                            {item.claimedBy ? ` (${agentName(item.claimedBy)})` : ''}
                          </td>
                          <td>{formatDuration(item.waitedSeconds + (now - loadedAt) / 1000)}</td>
                          <td class={overdue ? 'overdue' : ''}>{slaText(item.slaDeadline, now)}</td>
                          <td>{item.escalations}</td>
                          <td>{formatTotals(item.atStake)}</td>
                          <td>{humanize(item.reason)}</td>
                          <td>
                            <a
                              href={consoleUrl(item.caseId)}
                              onClick={(e) => {
                                e.preventDefault();
                                onOpen(item.caseId);
                              }}
                            >
                              Open <span class="sr-only">case </span>“{item.message.slice(0, 60)}
                              {item.message.length > 60 ? '…' : ''}”
                            </a>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}

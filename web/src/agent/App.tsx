/** The agent console: sign-in (a local agent locally), then the board of team queues or one case (`?case=`). */
import { useEffect, useState } from 'preact/hooks';
import type { WebConfig } from '../aws/contract';
import { errorText } from '../lib/api';
import { loadConfig, type Session, signInAgent } from '../lib/session';
import { Board } from './Board';
import { CaseView } from './CaseView';
import { InspectionBoard, InspectionView } from './Inspections';
import { consoleUrl } from './urls';

const LOCAL_AGENTS = ['agent-1', 'agent-2'];

export function AgentApp() {
  const [config, setConfig] = useState<WebConfig | null>(null);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [caseId, setCaseId] = useState<string | null>(() => new URLSearchParams(location.search).get('case'));
  const [returnId, setReturnId] = useState<string | null>(() =>
    new URLSearchParams(location.search).get('return'),
  );

  useEffect(() => {
    const agentId = new URLSearchParams(location.search).get('agent');
    loadConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        setSession(await signInAgent(loaded, agentId));
      })
      .catch(setError);
    const onPop = () => {
      const params = new URLSearchParams(location.search);
      setCaseId(params.get('case'));
      setReturnId(params.get('return'));
    };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.title = caseId
      ? `Case ${caseId.slice(5, 13)} · Refund Hub agent console`
      : returnId
        ? 'Return inspection · Refund Hub agent console'
        : 'Refund Hub agent console';
  }, [caseId, returnId]);

  const open = (next: string | null, nextReturn: string | null = null) => {
    history.pushState(null, '', consoleUrl(next, nextReturn));
    setCaseId(next);
    setReturnId(nextReturn);
    scrollTo(0, 0);
  };

  if (error)
    return (
      <main id="main">
        <h1>Agent console</h1>
        <p role="alert">Could not sign you in: {errorText(error)}</p>
      </main>
    );
  if (!config || session === undefined)
    return (
      <main id="main">
        <p role="status">Signing you in…</p>
      </main>
    );
  if (session === null)
    return (
      <main id="main" class="picker">
        <h1>Agent console</h1>
        <p>Local mode: sign in as one of the local agents (two, so one can confirm the other's decision).</p>
        <ul class="cards">
          {LOCAL_AGENTS.map((id) => (
            <li key={id}>
              <a href={`/agent?agent=${id}`}>{id}</a>
            </li>
          ))}
        </ul>
      </main>
    );
  return (
    <div class="console">
      <header class="top">
        <h1>
          <a
            href={consoleUrl(null)}
            onClick={(e) => {
              e.preventDefault();
              open(null);
            }}
          >
            Agent console
          </a>
        </h1>
        {session.who && <p class="muted">Signed in as {session.who}</p>}
      </header>
      <main id="main">
        {caseId ? (
          <CaseView session={session} caseId={caseId} onBack={() => open(null)} />
        ) : returnId ? (
          <InspectionView session={session} returnId={returnId} onBack={() => open(null)} />
        ) : (
          <>
            <Board session={session} onOpen={open} />
            <InspectionBoard session={session} onOpen={(id) => open(null, id)} />
          </>
        )}
      </main>
    </div>
  );
}

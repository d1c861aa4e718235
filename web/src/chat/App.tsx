/** The customer's chat: sign-in (a demo customer locally), then suggestions, the conversation and the side panels. */
import { useEffect, useState } from 'preact/hooks';
import type { WebConfig } from '../aws/contract';
import { errorText } from '../lib/api';
import { loadConfig, type Session, signInCustomer } from '../lib/session';
import { useAsync } from '../lib/use-async';
import { Chat } from './Chat';

interface DemoCustomer {
  readonly customerId: string;
  readonly description: string;
}

function CustomerPicker() {
  const customers = useAsync(async () => {
    const response = await fetch('/local/demo-customers');
    return ((await response.json()) as { customers: DemoCustomer[] }).customers;
  }, []);
  return (
    <main id="main" class="picker">
      <h1>Refund Hub help</h1>
      <p>Local mode: open the chat as one of the demo customers.</p>
      {customers.state === 'loading' && <p role="status">Loading the demo customers…</p>}
      {customers.state === 'failed' && <p role="alert">{errorText(customers.error)}</p>}
      {customers.state === 'ready' && (
        <ul class="cards">
          {customers.value.map((c) => (
            <li key={c.customerId}>
              <a href={`/?customer=${encodeURIComponent(c.customerId)}`}>{c.customerId}</a>
              <span class="muted"> {c.description}</span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

export function ChatApp() {
  const [config, setConfig] = useState<WebConfig | null>(null);
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const customerId = new URLSearchParams(location.search).get('customer');
    loadConfig()
      .then(async (loaded) => {
        setConfig(loaded);
        setSession(await signInCustomer(loaded, customerId));
      })
      .catch(setError);
  }, []);

  if (error)
    return (
      <main id="main">
        <h1>Refund Hub help</h1>
        <p role="alert">Could not sign you in: {errorText(error)}</p>
      </main>
    );
  if (!config || session === undefined)
    return (
      <main id="main">
        <p role="status">Signing you in…</p>
      </main>
    );
  if (session === null) return <CustomerPicker />;
  return <Chat session={session} />;
}

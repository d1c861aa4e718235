/**
 * Form parts the pages share: the customer's message beside the internal note (the agents' decision and inspection
 * forms: kept apart and labelled, so a note never reaches the customer), and the list of what stops a form from being sent.
 */
import type { ComponentChildren } from 'preact';

export function MessageAndNote(props: {
  readonly messageLabel: ComponentChildren;
  readonly customerMessage: string;
  readonly onCustomerMessage: (value: string) => void;
  readonly note: string;
  readonly onNote: (value: string) => void;
}) {
  return (
    <div class="split">
      <label class="field">
        <span>
          {props.messageLabel}
          <span class="muted small"> They read this.</span>
        </span>
        <textarea
          rows={3}
          value={props.customerMessage}
          onInput={(e) => props.onCustomerMessage((e.target as HTMLTextAreaElement).value)}
        />
      </label>
      <label class="field internal">
        <span>
          Internal note (required) <span class="muted small">Agents only: never shown to the customer.</span>
        </span>
        <textarea
          rows={3}
          value={props.note}
          onInput={(e) => props.onNote((e.target as HTMLTextAreaElement).value)}
        />
      </label>
    </div>
  );
}

/** What is wrong with the form, announced to screen readers (a `div role=alert` around the list: axe refuses `ul role`). */
export function FormProblems({ problems }: { readonly problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <div class="field-error" role="alert">
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}

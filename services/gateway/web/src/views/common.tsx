import type { ComponentChildren } from 'preact';
import { describeProblem, type FieldError, type Problem } from '../api/problem.ts';

/** A problem+json answer as a person reads it: what failed, why, each field, and what to do. */
export function ProblemView({ problem, children }: { problem: Problem; children?: ComponentChildren }) {
  const text = describeProblem(problem);
  return (
    <div class="problem" role="alert">
      <p class="problem-heading">{text.heading}</p>
      {text.detail && <p>{text.detail}</p>}
      {text.fields.length > 0 && (
        <ul>
          {text.fields.map((f) => <li key={f}>{f}</li>)}
        </ul>
      )}
      {text.hint && <p class="hint">{text.hint}</p>}
      {children && <div class="actions">{children}</div>}
    </div>
  );
}

/** The errors that belong to one field (`recurrence.interval` belongs to `recurrence.interval` and `recurrence`). */
export const errorsFor = (errors: FieldError[], path: string) => errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`)).map((e) => e.message);

/** A labelled form field with its errors announced and tied to the input (aria-describedby). */
export function Field({ id, label, errors = [], hint, children }: { id: string; label: string; errors?: string[]; hint?: string; children: ComponentChildren }) {
  return (
    <div class={`field${errors.length ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children}
      {hint && <small id={`${id}-hint`} class="hint">{hint}</small>}
      {errors.length > 0 && (
        <small id={`${id}-error`} class="field-error">
          {errors.join(' ')}
        </small>
      )}
    </div>
  );
}

/** aria attributes for an input inside <Field>. */
export const describedBy = (id: string, errors: string[], hint?: boolean) => ({
  'aria-invalid': errors.length > 0 ? ('true' as const) : undefined,
  'aria-describedby': [errors.length ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined,
});

export function Loading({ what }: { what: string }) {
  return <p class="muted" role="status">Loading {what}…</p>;
}

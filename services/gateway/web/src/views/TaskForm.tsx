import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { FREQUENCIES, LIMITS, PRIORITIES } from '../constants.ts';
import type { FieldError } from '../api/problem.ts';
import { validateForm, type TaskFormValues } from '../tasks/form.ts';
import { Field, describedBy, errorsFor } from './common.tsx';

interface Props {
  /** Prefix of the inputs' ids (one form per task on the page). */
  idPrefix: string;
  initial: TaskFormValues;
  submitLabel: string;
  /** Resolves when done; field errors the API answered are shown next to their fields. */
  onSubmit: (values: TaskFormValues) => Promise<FieldError[] | void>;
  onCancel?: () => void;
  /** Shown above the buttons (a conflict, a problem). */
  children?: ComponentChildren;
  /** Changing it resets the form to `initial` (e.g. after reloading the task). */
  resetKey?: string | number;
}

/** Create and edit: title, description, priority, tags, due, reminder, recurrence. */
export function TaskForm(props: Props) {
  const [values, setValues] = useState(props.initial);
  const [resetKey, setResetKey] = useState(props.resetKey);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  if (props.resetKey !== resetKey) {
    setResetKey(props.resetKey);
    setValues(props.initial);
    setErrors([]);
  }
  const set = <K extends keyof TaskFormValues>(key: K) => (e: { currentTarget: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.currentTarget.value as TaskFormValues[K] }));
  const id = (name: string) => `${props.idPrefix}-${name}`;

  async function submit(e: Event) {
    e.preventDefault();
    const local = validateForm(values);
    setErrors(local);
    if (local.length) {
      (document.querySelector(`#${id(local[0]!.path.replace('recurrence.', ''))}`) as HTMLElement | null)?.focus();
      return;
    }
    setBusy(true);
    try {
      const remote = await props.onSubmit(values);
      if (remote?.length) setErrors(remote);
    } finally {
      setBusy(false);
    }
  }

  const err = (path: string) => errorsFor(errors, path);
  return (
    <form class="task-form" onSubmit={submit} noValidate>
      <Field id={id('title')} label="Title" errors={err('title')}>
        <input id={id('title')} name="title" value={values.title} maxLength={LIMITS.title} required onInput={set('title')} {...describedBy(id('title'), err('title'))} />
      </Field>
      <Field id={id('description')} label="Description" errors={err('description')}>
        <textarea id={id('description')} name="description" rows={2} maxLength={LIMITS.description} value={values.description} onInput={set('description')} {...describedBy(id('description'), err('description'))} />
      </Field>
      <div class="row">
        <Field id={id('priority')} label="Priority" errors={err('priority')}>
          <select id={id('priority')} name="priority" value={values.priority} onChange={set('priority')}>
            {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </Field>
        <Field id={id('tags')} label="Tags" errors={err('tags')} hint="comma or space separated">
          <input id={id('tags')} name="tags" value={values.tags} placeholder="home, bills" onInput={set('tags')} {...describedBy(id('tags'), err('tags'), true)} />
        </Field>
      </div>
      <div class="row">
        <Field id={id('dueAt')} label="Due" errors={err('dueAt')}>
          <input id={id('dueAt')} name="dueAt" type="datetime-local" value={values.dueAt} onInput={set('dueAt')} {...describedBy(id('dueAt'), err('dueAt'))} />
        </Field>
        <Field id={id('remindAt')} label="Reminder" errors={err('remindAt')}>
          <input id={id('remindAt')} name="remindAt" type="datetime-local" value={values.remindAt} onInput={set('remindAt')} {...describedBy(id('remindAt'), err('remindAt'))} />
        </Field>
      </div>
      <fieldset class="row">
        <legend>Repeats</legend>
        <Field id={id('frequency')} label="Frequency">
          <select id={id('frequency')} name="frequency" value={values.frequency} onChange={set('frequency')}>
            <option value="">does not repeat</option>
            {FREQUENCIES.map((f) => <option key={f} value={f}>{f}</option>)}
          </select>
        </Field>
        <Field id={id('interval')} label="Every" errors={err('recurrence.interval')}>
          <input id={id('interval')} name="interval" type="number" min={1} max={LIMITS.interval} value={values.interval} disabled={!values.frequency} onInput={set('interval')} {...describedBy(id('interval'), err('recurrence.interval'))} />
        </Field>
        <Field id={id('until')} label="Until" errors={err('recurrence.until')}>
          <input id={id('until')} name="until" type="date" value={values.until} disabled={!values.frequency} onInput={set('until')} {...describedBy(id('until'), err('recurrence.until'))} />
        </Field>
      </fieldset>
      {props.children}
      <div class="actions">
        <button type="submit" disabled={busy}>{props.submitLabel}</button>
        {props.onCancel && <button type="button" class="secondary" onClick={props.onCancel}>Cancel</button>}
      </div>
    </form>
  );
}

import { useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import { useAction } from '../api/use-action.ts';
import { isConflict, type FieldError } from '../api/problem.ts';
import type { Task } from '../api/types.ts';
import { describeRecurrence, formatDateTime } from '../format.ts';
import { isOverdue } from '../tasks/filter.ts';
import { formFromTask, patchBody, type TaskFormValues } from '../tasks/form.ts';
import { ProblemView } from './common.tsx';
import { TaskForm } from './TaskForm.tsx';

interface Props {
  task: Task;
  api: Api;
  onChanged: (task: Task) => void;
  onDeleted: (id: string) => void;
  /** Something happened that others may want to know of (a completion makes a notification). */
  onActivity?: () => void;
}

const path = (task: Task) => `/api/tasks/${encodeURIComponent(task.id)}`;

/** One task: what it is, and complete / edit / delete — with a stale edit (412) shown and reloadable. */
export function TaskItem({ task, api, onChanged, onDeleted, onActivity }: Props) {
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { busy, problem, setProblem, note, setNote, act } = useAction();

  const complete = () => act(async () => {
    onChanged(await api.post<Task>(`${path(task)}/complete`));
    onActivity?.();
  });
  const remove = () => act(async () => {
    await api.delete(path(task));
    onDeleted(task.id);
  });
  /** Fetches the task as it is now (after a conflict): the form, if open, starts again from it. */
  const reload = () => act(async () => {
    const latest = await api.get<Task>(path(task));
    onChanged(latest);
    setNote(`Reloaded: this is version ${latest.version}${editing ? '. Make your change again.' : '.'}`);
  });

  async function save(values: TaskFormValues): Promise<FieldError[] | void> {
    const body = patchBody(task, values);
    if (Object.keys(body).length === 0) {
      setEditing(false);
      return;
    }
    setProblem(undefined);
    setNote(undefined);
    try {
      // If-Match: the version this form was opened on; a newer one on the server answers 412.
      onChanged(await api.patch<Task>(path(task), { body, ifMatch: task.version }));
      setEditing(false);
    } catch (err) {
      const p = asProblem(err);
      setProblem(p);
      return p.errors;
    }
  }

  const conflict = problem && isConflict(problem);
  const problemView = problem && (
    <ProblemView problem={problem}>
      {conflict && <button type="button" onClick={reload} disabled={busy}>Reload task</button>}
    </ProblemView>
  );
  const overdue = isOverdue(task);
  const headingId = `task-${task.id}-title`;
  return (
    <li class={`task ${task.status}${overdue ? ' overdue' : ''}`} aria-labelledby={headingId} data-task-id={task.id}>
      <div class="task-head">
        <h3 id={headingId} class="task-title">{task.title}</h3>
        <span class={`badge priority-${task.priority}`}>{task.priority}</span>
        {task.status === 'completed' && <span class="badge done">completed</span>}
      </div>
      {task.description && <p class="task-description">{task.description}</p>}
      <dl class="task-meta">
        {task.dueAt && (<><dt>Due</dt><dd>{formatDateTime(task.dueAt)}{overdue && <strong class="overdue-label"> overdue</strong>}</dd></>)}
        {task.remindAt && (<><dt>Reminder</dt><dd>{formatDateTime(task.remindAt)}</dd></>)}
        {task.recurrence && (<><dt>Repeats</dt><dd>{describeRecurrence(task.recurrence)}</dd></>)}
        {task.tags.length > 0 && (<><dt>Tags</dt><dd>{task.tags.map((t) => <span key={t} class="tag">#{t}</span>)}</dd></>)}
        <dt>Version</dt><dd>{task.version}</dd>
      </dl>
      {note && <p class="notice" role="status">{note}</p>}
      {editing ? (
        <TaskForm idPrefix={`edit-${task.id}`} initial={formFromTask(task)} resetKey={task.version} submitLabel="Save" onSubmit={save} onCancel={() => { setEditing(false); setProblem(undefined); }}>
          {problemView}
        </TaskForm>
      ) : (
        <>
          {problemView}
          <div class="actions">
            {task.status === 'open' && <button type="button" onClick={complete} disabled={busy}>Complete</button>}
            <button type="button" class="secondary" onClick={() => { setEditing(true); setProblem(undefined); setNote(undefined); }} disabled={busy}>Edit</button>
            {confirmDelete ? (
              <span class="confirm" role="group" aria-label={`Delete ${task.title}?`}>
                <button type="button" class="danger" onClick={remove} disabled={busy}>Yes, delete</button>
                <button type="button" class="secondary" onClick={() => setConfirmDelete(false)}>Keep</button>
              </span>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirmDelete(true)} disabled={busy}>Delete</button>
            )}
          </div>
        </>
      )}
    </li>
  );
}

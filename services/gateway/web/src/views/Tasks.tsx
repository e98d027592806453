import { useEffect, useState } from 'preact/hooks';
import { asProblem, type Api } from '../api/client.ts';
import type { FieldError, Problem } from '../api/problem.ts';
import type { Page, Task } from '../api/types.ts';
import { PRIORITIES, TASK_STATUSES } from '../constants.ts';
import { defaultFilter, matchesSearch, taskQuery, type TaskFilter } from '../tasks/filter.ts';
import { createBody, emptyForm, type TaskFormValues } from '../tasks/form.ts';
import { Field, Loading, ProblemView } from './common.tsx';
import { TaskForm } from './TaskForm.tsx';
import { TaskItem } from './TaskItem.tsx';

interface Props {
  api: Api;
  onActivity: () => void;
}

/** The caller's tasks: filter, create, and each task's own actions. */
export function Tasks({ api, onActivity }: Props) {
  const [filter, setFilter] = useState<TaskFilter>(defaultFilter);
  const [tagInput, setTagInput] = useState('');
  const [tasks, setTasks] = useState<Task[]>();
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem>();
  const [creating, setCreating] = useState(false);
  const [createProblem, setCreateProblem] = useState<Problem>();
  const [created, setCreated] = useState(0);
  const [status, setStatus] = useState('');

  async function load(cursor?: string | null) {
    setProblem(undefined);
    try {
      const page = await api.get<Page<Task>>(`/api/tasks${taskQuery(filter, cursor)}`);
      setTasks((shown) => (cursor ? [...(shown ?? []), ...page.items] : page.items));
      setNext(page.next);
    } catch (err) {
      setProblem(asProblem(err));
      if (!cursor) setTasks([]);
    }
  }

  // The API filters status, priority and tag; the search box filters what is loaded.
  useEffect(() => {
    setTasks(undefined);
    void load();
  }, [filter.status, filter.priority, filter.tag]);

  async function create(values: TaskFormValues): Promise<FieldError[] | void> {
    setCreateProblem(undefined);
    try {
      const task = await api.post<Task>('/api/tasks', { body: createBody(values) });
      setCreated((n) => n + 1); // a fresh, empty form next time
      setCreating(false);
      setStatus(`Created "${task.title}".`);
      if (!filter.status || filter.status === task.status) setTasks((shown) => [task, ...(shown ?? [])]);
      onActivity();
    } catch (err) {
      const p = asProblem(err);
      setCreateProblem(p);
      return p.errors;
    }
  }

  const changed = (task: Task) => {
    setTasks((shown) => shown?.map((t) => (t.id === task.id ? task : t)));
    setStatus(`"${task.title}" is ${task.status === 'completed' ? 'completed' : `saved (version ${task.version})`}.`);
  };
  const deleted = (id: string) => {
    setTasks((shown) => shown?.filter((t) => t.id !== id));
    setStatus('Task deleted.');
  };
  const update = (patch: Partial<TaskFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const visible = tasks?.filter((t) => matchesSearch(t, filter.search));

  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>Tasks</h1>
        <button type="button" aria-expanded={creating} aria-controls="new-task" onClick={() => setCreating((c) => !c)}>
          {creating ? 'Close new task' : 'New task'}
        </button>
      </div>
      <p class="visually-hidden" role="status">{status}</p>
      {creating && (
        <div id="new-task" class="card">
          <h2>New task</h2>
          <TaskForm idPrefix="new" initial={emptyForm()} resetKey={created} submitLabel="Create task" onSubmit={create}>
            {createProblem && <ProblemView problem={createProblem} />}
          </TaskForm>
        </div>
      )}
      <form class="filters" role="search" aria-label="Filter tasks" onSubmit={(e) => { e.preventDefault(); update({ tag: tagInput }); }}>
        <Field id="filter-status" label="Status">
          <select id="filter-status" value={filter.status} onChange={(e) => update({ status: e.currentTarget.value as TaskFilter['status'] })}>
            <option value="">all</option>
            {TASK_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
        <Field id="filter-priority" label="Priority">
          <select id="filter-priority" value={filter.priority} onChange={(e) => update({ priority: e.currentTarget.value as TaskFilter['priority'] })}>
            <option value="">any</option>
            {PRIORITIES.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </Field>
        <Field id="filter-tag" label="Tag">
          <input id="filter-tag" value={tagInput} placeholder="home" onInput={(e) => setTagInput(e.currentTarget.value)} onBlur={() => update({ tag: tagInput })} />
        </Field>
        <Field id="filter-search" label="Search loaded tasks">
          <input id="filter-search" type="search" value={filter.search} onInput={(e) => update({ search: e.currentTarget.value })} />
        </Field>
        <button type="submit" class="secondary">Apply</button>
      </form>
      {problem && (
        <ProblemView problem={problem}>
          <button type="button" onClick={() => void load()}>Retry</button>
        </ProblemView>
      )}
      {!visible ? (
        <Loading what="tasks" />
      ) : visible.length === 0 ? (
        <p class="muted">No tasks{filter.status ? ` ${filter.status}` : ''}{filter.tag ? ` tagged #${filter.tag}` : ''}{filter.search ? ` matching "${filter.search}"` : ''}.</p>
      ) : (
        <ul class="tasks" aria-label="Tasks">
          {visible.map((t) => <TaskItem key={t.id} task={t} api={api} onChanged={changed} onDeleted={deleted} onActivity={onActivity} />)}
        </ul>
      )}
      {next && <button type="button" class="secondary" onClick={() => void load(next)}>Load more</button>}
    </section>
  );
}

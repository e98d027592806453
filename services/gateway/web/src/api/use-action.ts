import { useState } from 'preact/hooks';
import { asProblem } from './client.ts';
import type { Problem } from './problem.ts';

/**
 * One user action at a time on an item (complete, replay, delete…): `busy` while it runs (buttons
 * disable), the problem it ended with, or a note saying what it did. Starting one clears both.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [note, setNote] = useState<string>();

  async function act(fn: () => Promise<void>) {
    setBusy(true);
    setProblem(undefined);
    setNote(undefined);
    try {
      await fn();
    } catch (err) {
      setProblem(asProblem(err));
    } finally {
      setBusy(false);
    }
  }

  return { busy, problem, setProblem, note, setNote, act };
}

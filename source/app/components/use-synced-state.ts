import {useRef, useState} from 'react';

/**
 * State whose latest value key handlers can read at once. Keys that arrive faster than
 * Ink re-renders (a paste, a held key) reach a handler from the previous render; reading
 * the ref instead of the rendered value keeps each key working on the result of the last.
 */
export function useSyncedState<T>(initial: T): [T, (update: (current: T) => T) => void, () => T] {
  const [value, setValue] = useState(initial);
  const ref = useRef(initial);
  const update = (change: (current: T) => T) => {
    ref.current = change(ref.current);
    setValue(ref.current);
  };
  return [value, update, () => ref.current];
}

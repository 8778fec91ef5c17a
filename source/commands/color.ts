/**
 * Colour only for a terminal, and never when NO_COLOR is set (no-color.org);
 * FORCE_COLOR turns it on for tools that capture output but render ANSI.
 */
export function useColor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

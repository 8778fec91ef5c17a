/**
 * A checker for Falco rules files, as close to Falco as it can be without Falco itself.
 *
 * - Conditions are parsed by a scannerless recursive-descent parser that follows the EBNF in
 *   falcosecurity/libs userspace/libsinsp/filter/parser.h (Expr, OrExpr, AndExpr, NotExpr,
 *   Check, Condition, ListValue, Field, the operator lists and the token regexes). Quoted
 *   strings are lexed the way parser.cpp's lex_quoted_str loop does (the string ends at the
 *   first delimiter whose previous character is not a backslash, so "a\\" never ends) and
 *   unescaped the way userspace/libsinsp/filter/escaping.cpp (unescape_str) does, refusing
 *   the escapes it refuses. The parser reads a C string: a NUL ends the condition. Field transformers (tolower(...), val(...)) are not
 *   supported: a condition that uses them fails here.
 * - Every field must be in {@link knownFields}, taken from falco.org
 *   docs/reference/rules/supported-fields (field classes evt, process, user, group,
 *   container, fd, fs.path, k8s); every evt.type value must be in {@link knownEvents}
 *   (docs/reference/rules/supported-events).
 * - Every macro or list a condition names must be defined earlier in the file (Falco resolves
 *   names by visibility order) or be one of {@link defaultMacros}, which falcosecurity/rules
 *   rules/falco_rules.yaml defines (checked at the required_engine_version 26 revision).
 *   Every macro and list defined must be used, or Falco warns.
 * - The file is YAML: a sequence of items, each a list (items), a macro (condition) or a rule
 *   (desc, condition, output, priority, optional tags/enabled); output `%field`s are checked.
 */
import {parseAllDocuments} from 'yaml';

export type Value =
  | {kind: 'string'; value: string; quoted: boolean}
  | {kind: 'number'; value: string}
  | {kind: 'list'; items: Array<Extract<Value, {kind: 'string'}>>}
  | {kind: 'list-name'; name: string};

export type Expr =
  | {type: 'and' | 'or'; children: Expr[]}
  | {type: 'not'; child: Expr}
  | {type: 'name'; name: string}
  | {type: 'check'; field: string; arg?: string; op: string; value?: Value};

export class FalcoSyntaxError extends Error {
  constructor(message: string, readonly position: number, readonly input: string) {
    super(`${message} at ${position}: ${JSON.stringify(input.slice(Math.max(0, position - 20), position + 20))}`);
  }
}

const unaryOperators = ['exists'];
const numOperators = ['<=', '<', '>=', '>'];
const strOperators = ['==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ', 'startswith ', 'bstartswith ', 'endswith '];
const listOperators = ['intersects', 'in', 'pmatch'];

const tokens = {
  blank: /^[ \t\n\r\b]+/,
  identifier: /^[a-zA-Z]+[a-zA-Z0-9_]*/,
  fieldName: /^[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/,
  fieldArgBare: /^[^ \b\t\n\r[\]"']+/,
  hexNumber: /^0[xX][0-9a-zA-Z]+/,
  number: /^[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/,
  bare: /^[^ \b\t\n\r(),="']+/,
};

/** unescape_str of escaping.cpp: only \b \f \n \r \t \<space> \\ \/ and the string's own quote. */
export function unescapeFalco(quoted: string): string {
  const quote = quoted[0]!;
  let result = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    const c = quoted[i]!;
    if (c !== '\\') {
      result += c;
      continue;
    }
    const next = quoted[++i]!;
    const simple: Record<string, string> = {b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', ' ': '\\', '\\': '\\', '/': '/'};
    if (next in simple) result += simple[next];
    else if ((next === '"' || next === "'") && next === quote) result += next;
    else throw new Error(`unsupported string escape sequence: \\${next}`);
  }
  return result;
}

/** Parses one condition into an AST, or throws a {@link FalcoSyntaxError}. */
export function parseCondition(input: string): Expr {
  let pos = 0;
  let depth = 0;
  const rest = () => input.slice(pos);
  const fail = (message: string): never => {
    throw new FalcoSyntaxError(message, pos, input);
  };
  const lex = (pattern: RegExp): string | undefined => {
    const match = pattern.exec(rest());
    if (!match) return undefined;
    pos += match[0].length;
    return match[0];
  };
  const blank = () => lex(tokens.blank) !== undefined;
  const literal = (text: string) => {
    if (!input.startsWith(text, pos)) return false;
    pos += text.length;
    return true;
  };
  const oneOf = (list: readonly string[]) => list.find(op => input.startsWith(op, pos) && literal(op));
  /** lex_quoted_str: from a quote to the next same quote not preceded by a backslash. */
  const quotedToken = (): string | undefined => {
    const delimiter = input[pos];
    if (delimiter !== '"' && delimiter !== "'") return undefined;
    let prev = '\\';
    for (let i = pos; i < input.length; i++) {
      const c = input[i]!;
      if (c === delimiter && prev !== '\\') {
        const token = input.slice(pos, i + 1);
        pos = i + 1;
        return token;
      }
      prev = c;
    }
    return undefined;
  };

  const quotedOrBare = (): Extract<Value, {kind: 'string'}> => {
    const quoted = quotedToken();
    if (quoted !== undefined) {
      try {
        return {kind: 'string', value: unescapeFalco(quoted), quoted: true};
      } catch (error) {
        return fail((error as Error).message);
      }
    }
    const bare = lex(tokens.bare);
    return bare === undefined ? fail('expected a string value') : {kind: 'string', value: bare, quoted: false};
  };

  const listValue = (): Value => {
    if (literal('(')) {
      const items: Array<Extract<Value, {kind: 'string'}>> = [];
      blank();
      if (literal(')')) return {kind: 'list', items};
      for (;;) {
        items.push(quotedOrBare());
        blank();
        if (literal(')')) return {kind: 'list', items};
        if (!literal(',')) fail("expected ',' or ')' in a list");
        blank();
      }
    }
    const name = lex(tokens.identifier);
    return name === undefined ? fail("expected '(' or a list name") : {kind: 'list-name', name};
  };

  const condition = (field: string, arg: string | undefined): Expr => {
    blank();
    const unary = oneOf(unaryOperators);
    if (unary) return arg === undefined ? {type: 'check', field, op: unary} : {type: 'check', field, arg, op: unary};
    let op = oneOf(numOperators);
    let value: Value | undefined;
    if (op) {
      blank();
      const number = lex(tokens.hexNumber) ?? lex(tokens.number);
      value = number === undefined ? fail('expected a number') : {kind: 'number', value: number};
    } else if ((op = oneOf(strOperators))) {
      blank();
      value = quotedOrBare();
    } else if ((op = oneOf(listOperators))) {
      blank();
      value = listValue();
    } else {
      fail(`expected an operator after ${field}`);
    }
    const check: Expr = {type: 'check', field, op: op!.trim(), value: value!};
    if (arg !== undefined) check.arg = arg;
    return check;
  };

  const embedded = (): Expr => {
    if (++depth > 100) fail('too deeply nested');
    blank();
    const inner = or();
    blank();
    if (!literal(')')) fail("expected ')'");
    depth--;
    return inner;
  };

  const check = (): Expr => {
    if (literal('(')) return embedded();
    const field = lex(tokens.fieldName);
    if (field !== undefined) {
      let arg: string | undefined;
      if (literal('[')) {
        const quoted = quotedToken();
        arg = quoted !== undefined ? unescapeFalco(quoted) : (lex(tokens.fieldArgBare) ?? fail('expected a field argument'));
        if (!literal(']')) fail("expected ']'");
      }
      return condition(field, arg);
    }
    const name = lex(tokens.identifier);
    return name === undefined ? fail('expected a field, a macro name or (') : {type: 'name', name};
  };

  const not = (): Expr => {
    if (literal('not(')) return {type: 'not', child: embedded()};
    const start = pos;
    if (literal('not') && blank()) return {type: 'not', child: not()};
    pos = start;
    return check();
  };

  const chain = (word: 'and' | 'or', next: () => Expr): Expr => {
    const children = [next()];
    for (;;) {
      const start = pos;
      blank();
      if (!literal(word)) {
        pos = start;
        break;
      }
      if (blank()) children.push(next());
      else if (literal('(')) children.push(embedded());
      else fail(`expected a blank or '(' after '${word}'`);
    }
    return children.length === 1 ? children[0]! : {type: word, children};
  };
  const and = () => chain('and', not);
  const or = (): Expr => chain('or', and);

  if (input.includes('\0')) fail('a NUL ends the condition for libsinsp');
  blank();
  const expr = or();
  blank();
  if (pos !== input.length) fail('unexpected text after the condition');
  return expr;
}

/** Fields from falco.org docs/reference/rules/supported-fields that a drift rule may use. */
export const knownFields = new Set([
  // evt
  'evt.num', 'evt.time', 'evt.datetime', 'evt.rawtime', 'evt.source', 'evt.hostname', 'evt.dir', 'evt.type', 'syscall.type', 'evt.category',
  'evt.args', 'evt.arg', 'evt.rawarg', 'evt.info', 'evt.res', 'evt.rawres', 'evt.failed', 'evt.is_io', 'evt.is_io_read', 'evt.is_io_write',
  'evt.abspath', 'evt.is_open_read', 'evt.is_open_write', 'evt.is_open_exec', 'evt.is_open_create',
  // process
  'proc.exe', 'proc.pexe', 'proc.aexe', 'proc.exepath', 'proc.pexepath', 'proc.aexepath', 'proc.name', 'proc.pname', 'proc.aname', 'proc.args',
  'proc.cmdline', 'proc.pcmdline', 'proc.acmdline', 'proc.exeline', 'proc.env', 'proc.cwd', 'proc.tty', 'proc.pid', 'proc.ppid', 'proc.apid',
  'proc.vpid', 'proc.pvpid', 'proc.sid', 'proc.sname', 'proc.vpgid', 'proc.duration', 'proc.is_exe_writable', 'proc.is_exe_upper_layer',
  'proc.is_exe_from_memfd', 'proc.is_container_healthcheck', 'proc.is_container_liveness_probe', 'proc.is_container_readiness_probe',
  'thread.tid', 'thread.vtid', 'thread.cap_effective', 'thread.cap_permitted',
  // user, group
  'user.uid', 'user.name', 'user.homedir', 'user.shell', 'user.loginuid', 'user.loginname', 'group.gid', 'group.name',
  // container
  'container.id', 'container.full_id', 'container.name', 'container.image', 'container.image.id', 'container.type', 'container.privileged',
  'container.mounts', 'container.mount', 'container.image.repository', 'container.image.tag', 'container.image.digest',
  // fd, fs.path
  'fd.num', 'fd.type', 'fd.typechar', 'fd.name', 'fd.directory', 'fd.filename', 'fd.nameraw', 'fd.ino', 'fd.dev',
  'fs.path.name', 'fs.path.nameraw', 'fs.path.source', 'fs.path.target',
  // k8s
  'k8s.ns.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.pod.label', 'k8s.pod.labels',
]);

/** Fields that take an argument (`evt.arg.mode` or `evt.arg[0]`, `proc.aname[2]`, ...). */
const argumentFields = ['evt.arg', 'evt.rawarg', 'proc.aname', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.apid', 'proc.env', 'container.mount', 'k8s.pod.label'];

export function isKnownField(field: string, arg?: string): boolean {
  if (arg !== undefined) return argumentFields.includes(field);
  if (knownFields.has(field) && !argumentFields.includes(field)) return true;
  return ['evt.arg.', 'evt.rawarg.', 'k8s.pod.label.'].some(prefix => field.startsWith(prefix) && /^[a-zA-Z0-9_./-]+$/.test(field.slice(prefix.length)));
}

/** Events from falco.org docs/reference/rules/supported-events that drift rules look at. */
export const knownEvents = new Set(['open', 'openat', 'openat2', 'creat', 'execve', 'execveat', 'chmod', 'fchmod', 'fchmodat', 'mount', 'umount', 'rename', 'renameat', 'renameat2', 'mkdir', 'mkdirat', 'unlink', 'unlinkat', 'symlink', 'symlinkat', 'link', 'linkat']);

/** Macros of falcosecurity/rules rules/falco_rules.yaml (stable rules, required_engine_version 26). */
export const defaultMacros = new Set(['open_write', 'open_read', 'open_file_failed', 'never_true', 'proc_name_exists', 'spawned_process', 'create_symlink', 'create_hardlink', 'kernel_module_load', 'dup', 'etc_dir', 'shell_procs', 'sensitive_files', 'proc_is_new', 'container', 'interactive']);

const priorities = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFORMATIONAL', 'INFO', 'DEBUG'];

/** What a checked file holds, for tests that look further. */
export interface CheckedFile {
  lists: Map<string, string[]>;
  macros: Map<string, Expr>;
  rules: Array<{name: string; condition: Expr; output: string; priority: string; tags: string[]}>;
}

/** Every string compared with `field` in `expr`, after list expansion. */
export function valuesOf(expr: Expr, field: string, lists: ReadonlyMap<string, string[]> = new Map()): string[] {
  switch (expr.type) {
    case 'and':
    case 'or':
      return expr.children.flatMap(child => valuesOf(child, field, lists));
    case 'not':
      return valuesOf(expr.child, field, lists);
    case 'name':
      return [];
    case 'check':
      if (expr.field !== field || expr.value === undefined) return [];
      if (expr.value.kind === 'string' || expr.value.kind === 'number') return [expr.value.value];
      if (expr.value.kind === 'list-name') return lists.get(expr.value.name) ?? [];
      return expr.value.items.flatMap(item => (!item.quoted && lists.has(item.value) ? lists.get(item.value)! : [item.value]));
  }
}

/** Checks a rules file; returns the problems found (none: as valid as this checker can tell) and what it read. */
export function checkFalcoRules(text: string): {problems: string[]; file: CheckedFile} {
  const problems: string[] = [];
  const file: CheckedFile = {lists: new Map(), macros: new Map(), rules: []};
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) return {problems: ['expected exactly one YAML document'], file};
  const doc = docs[0]!;
  if (doc.errors.length > 0) return {problems: doc.errors.map(e => `YAML: ${e.message.split('\n')[0]}`), file};
  const items: unknown = doc.toJS();
  if (!Array.isArray(items)) return {problems: ['the top level must be a sequence of lists, macros and rules'], file};
  const used = new Set<string>();

  const checkExpr = (where: string, expr: Expr): void => {
    switch (expr.type) {
      case 'and':
      case 'or':
        expr.children.forEach(child => checkExpr(where, child));
        return;
      case 'not':
        checkExpr(where, expr.child);
        return;
      case 'name':
        if (file.macros.has(expr.name)) used.add(expr.name);
        else if (!defaultMacros.has(expr.name)) problems.push(`${where}: undefined macro ${expr.name}`);
        return;
      case 'check': {
        if (!isKnownField(expr.field, expr.arg)) problems.push(`${where}: unknown field ${expr.field}${expr.arg === undefined ? '' : `[${expr.arg}]`}`);
        const value = expr.value;
        if (value?.kind === 'list-name') {
          if (file.lists.has(value.name)) used.add(value.name);
          else problems.push(`${where}: undefined list ${value.name}`);
        }
        if (value?.kind === 'list') for (const item of value.items) if (!item.quoted && file.lists.has(item.value)) used.add(item.value);
        if (expr.field === 'evt.type') {
          for (const event of valuesOf(expr, 'evt.type', file.lists)) if (!knownEvents.has(event)) problems.push(`${where}: unknown event type ${event}`);
        }
        return;
      }
    }
  };
  const parse = (where: string, condition: unknown): Expr | undefined => {
    if (typeof condition !== 'string' || condition.trim() === '') {
      problems.push(`${where}: condition must be a non-empty string`);
      return undefined;
    }
    try {
      const expr = parseCondition(condition);
      checkExpr(where, expr);
      return expr;
    } catch (error) {
      problems.push(`${where}: ${(error as Error).message}`);
      return undefined;
    }
  };

  items.forEach((entry: unknown, index) => {
    const where = `item ${index + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where}: every item must be a mapping`);
      return;
    }
    const item = entry as Record<string, unknown>;
    const keys = Object.keys(item);
    if ('list' in item) {
      const name = item.list;
      if (typeof name !== 'string' || !tokens.identifier.test(name) || tokens.identifier.exec(name)![0] !== name) problems.push(`${where}: bad list name ${String(name)}`);
      if (!Array.isArray(item.items) || !item.items.every(i => typeof i === 'string')) problems.push(`${where}: list items must be strings`);
      else for (const value of item.items as string[]) if (tokens.bare.exec(value)?.[0] !== value) problems.push(`${where}: list item ${JSON.stringify(value)} is not a bare string`);
      if (keys.some(k => !['list', 'items', 'append'].includes(k))) problems.push(`${where}: unexpected keys ${keys.join(', ')}`);
      file.lists.set(String(name), (item.items as string[]) ?? []);
    } else if ('macro' in item) {
      const name = String(item.macro);
      if (tokens.identifier.exec(name)?.[0] !== name) problems.push(`${where}: bad macro name ${name}`);
      if (file.macros.has(name) || defaultMacros.has(name)) problems.push(`${where}: macro ${name} is defined twice`);
      if (keys.some(k => !['macro', 'condition', 'append'].includes(k))) problems.push(`${where}: unexpected keys ${keys.join(', ')}`);
      const expr = parse(`macro ${name}`, item.condition);
      if (expr) file.macros.set(name, expr);
    } else if ('rule' in item) {
      const name = item.rule;
      if (typeof name !== 'string' || name.trim() === '') problems.push(`${where}: rule needs a name`);
      if (file.rules.some(r => r.name === name)) problems.push(`${where}: rule ${String(name)} is defined twice`);
      for (const key of ['desc', 'condition', 'output', 'priority']) if (typeof item[key] !== 'string') problems.push(`rule ${String(name)}: ${key} must be a string`);
      if (keys.some(k => !['rule', 'desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'exceptions'].includes(k))) problems.push(`rule ${String(name)}: unexpected keys ${keys.join(', ')}`);
      const priority = String(item.priority).toUpperCase();
      if (!priorities.includes(priority)) problems.push(`rule ${String(name)}: unknown priority ${String(item.priority)}`);
      const tags = item.tags === undefined ? [] : item.tags;
      if (!Array.isArray(tags) || !tags.every(t => typeof t === 'string')) problems.push(`rule ${String(name)}: tags must be strings`);
      const output = String(item.output ?? '');
      for (const match of output.matchAll(/%([a-zA-Z][a-zA-Z0-9_.]*)(?:\[([^\]]*)\])?/g)) {
        if (!isKnownField(match[1]!, match[2])) problems.push(`rule ${String(name)}: unknown output field %${match[1]}`);
      }
      const expr = parse(`rule ${String(name)}`, item.condition);
      if (expr) file.rules.push({name: String(name), condition: expr, output, priority, tags: tags as string[]});
    } else if (!('required_engine_version' in item)) {
      problems.push(`${where}: neither a list, a macro nor a rule`);
    }
  });
  for (const name of [...file.macros.keys(), ...file.lists.keys()]) if (!used.has(name)) problems.push(`${name} is defined but never used`);
  return {problems, file};
}

import type {YAMLError} from 'yaml';

/*
 * eemeli/yaml's messages are written for programmers ("Source contains multiple documents;
 * please use YAML.parseAllDocuments()", "Implicit keys need to be on a single line"). Each
 * error code becomes one plain line here, saying what is wrong in the file and, where it
 * helps, what to write instead; the caller adds the file and line.
 */

/** At most this much of the file is quoted in a message. */
const quoteLimit = 40;

/** `text` cut short and stripped of line breaks and control characters, for quoting in one line. */
function quote(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > quoteLimit ? `${flat.slice(0, quoteLimit)}...` : flat;
}

/** The source text an error points at, or '' without the source. */
function at(error: YAMLError, source: string | undefined, length?: number): string {
  if (source === undefined) return '';
  const [start, end] = error.pos;
  return source.slice(start, length === undefined ? Math.max(end, start + 1) : start + length);
}

/** What a MISSING_CHAR or BAD_INDENT error means, told apart by the library's wording. */
function missingOrIndent(message: string): string {
  if (/closing "quote/.test(message)) return 'a "double-quoted" value is never closed';
  if (/closing 'quote/.test(message)) return "a 'single-quoted' value is never closed";
  if (/Flow map/.test(message)) return 'a { } mapping is not closed with "}", or a line after it is not indented under its key';
  if (/Flow sequence/.test(message)) return 'a [ ] list is not closed with "]", or a line after it is not indented under its key';
  if (/need to be followed by map values/.test(message)) return 'a line that is neither "key: value" nor "- item" (a ":" is missing, or the indentation is off)';
  if (/Missing , or :/.test(message)) return 'a "," or ":" is missing between the entries of a { } mapping';
  if (/Missing ,/.test(message)) return 'a "," is missing between the entries of a [ ] list or { } mapping';
  if (/Missing space after :/.test(message)) return 'a ":" inside { } or [ ] needs a space after it';
  if (/Comments must be separated/.test(message)) return 'a "#" comment needs a space before it';
  if (/Tags and anchors must be separated/.test(message)) return 'an anchor (&name) or tag (!tag) needs a space after it';
  if (/without - indicator/.test(message)) return 'a list item without its "- "';
  if (/sequence items must start at the same column/.test(message)) return 'this "- " item is not indented like the other items of its list';
  if (/mapping items must start at the same column/.test(message)) return 'this line is not indented like the other keys of its mapping';
  if (/indent/i.test(message)) return 'the indentation does not match the lines around it';
  return 'a character is missing here (a closing quote or bracket, a ":" or a ",")';
}

/** One plain line for a yaml parse error, without file or line, starting "invalid YAML: ". */
export function yamlErrorMessage(error: YAMLError, source?: string): string {
  const problem = ((): string => {
    switch (error.code) {
      case 'MULTIPLE_DOCS':
        return 'more than one YAML document (a "---" line starts another one); harden reads a compose file as one document, as Compose does';
      case 'DUPLICATE_KEY': {
        const key = quote((at(error, source, 200).split(/:(\s|$)/)[0] ?? '').replace(/^["']|["']$/g, ''));
        return `${key ? `the key "${key}"` : 'a key'} appears twice in the same mapping; each key may be given once`;
      }
      case 'TAB_AS_INDENT':
        return 'a tab indents this line; YAML indents with spaces only';
      case 'BAD_INDENT':
      case 'MISSING_CHAR':
        return missingOrIndent(error.message);
      case 'MULTILINE_IMPLICIT_KEY':
        return 'a key runs on over more than one line: a ":" is missing, or a quote or bracket is left open';
      case 'KEY_OVER_1024_CHARS':
        return 'a key longer than 1024 characters (or a long line with a ":" far into it); quote the value, or break the line';
      case 'BLOCK_AS_IMPLICIT_KEY':
        return 'a list or mapping where a key should be: check the indentation and the ":" of the line above';
      case 'BLOCK_IN_FLOW':
        return 'an indented list or mapping inside { } or [ ]; write it inside the brackets, or drop them';
      case 'BAD_SCALAR_START': {
        const first = quote(at(error, source, 1));
        return `a value cannot start with ${first ? `"${first}"` : 'this character'} unless it is quoted`;
      }
      case 'BAD_DQ_ESCAPE': {
        const escape = /sequence (\S+)/.exec(error.message)?.[1];
        return `${escape ? `"${quote(escape)}" is not` : 'an escape that is not'} a valid escape in a "double-quoted" value; write \\\\ for a backslash, or use 'single quotes'`;
      }
      case 'UNEXPECTED_TOKEN': {
        const found = quote(at(error, source));
        return found ? `"${found}" is out of place here` : 'something is out of place here';
      }
      case 'MULTIPLE_ANCHORS':
        return 'a value with two anchors (&name); give it one';
      case 'MULTIPLE_TAGS':
        return 'a value with two tags (!tag); give it one';
      case 'ALIAS_PROPS':
        return 'an alias (*name) cannot have an anchor or tag of its own';
      case 'BAD_ALIAS':
        return 'an alias (*name) or anchor (&name) whose name is empty or ends in ":"';
      case 'BAD_PROP_ORDER':
        return 'an anchor or tag before the "-" or "?" of its item; put it after';
      case 'BAD_DIRECTIVE':
        return 'a "%" directive line that is not %YAML or %TAG';
      case 'NON_STRING_KEY':
        return 'a key that is a list or mapping; keys must be plain values';
      case 'TAG_RESOLVE_FAILED':
      case 'BAD_COLLECTION_TYPE': {
        const tag = quote(at(error, source).split(/\s/)[0] ?? '');
        return `the tag ${tag.startsWith('!') ? `${tag} ` : ''}does not fit the value it is on`;
      }
      default:
        return 'this is not valid YAML here';
    }
  })();
  return `invalid YAML: ${problem}`;
}

/**
 * One plain line for what the library throws while building values (`toJS`): an alias whose
 * anchor is not set before it, a merge key on something that is not a mapping, an alias bomb.
 */
export function thrownYamlMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Unresolved alias/i.test(message)) return 'invalid YAML: an alias (*name) names an anchor (&name) that is not set before it';
  if (/Merge sources must be map/i.test(message)) return 'invalid YAML: a merge key (<<) on something that is not a mapping or an alias of one';
  if (/Excessive alias count/i.test(message)) return 'invalid YAML: more aliases (*name) than a real file has; it would expand to a huge size';
  return 'invalid YAML: the values cannot be read';
}

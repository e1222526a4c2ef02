// Reads a JSON answer for what judging the code needs, without building the document: where a
// string equal to the code sits (as JSON pointers) and the top-level members. An endpoint may answer
// every delivery with 1 MiB of `{"couponCode":…,"x":[{},{},…]}`: JSON.parse would build hundreds of
// thousands of objects per answer, thirty answers at once in the stability check, and the run's
// memory would grow with garbage faster than it is collected. The whole text is still checked
// against the JSON grammar (RFC 8259) as strictly as JSON.parse, so an answer is JSON here exactly
// when JSON.parse reads it, and a repeated member name keeps only its last value, as there. A stack,
// not recursion: nesting deeper than the call stack allows is JSON too.
import { escapeSegment } from '../../openapi/json-pointer.ts';

/** A nested array or object at the top level, stood in for by what a top-level judgement may ask of it. */
export interface NestedValue {
  nested: 'array' | 'object';
  /** True for `[]` and `{}`. */
  empty: boolean;
}

export type TopLevelValue = string | number | boolean | null | NestedValue;

export interface JsonScan {
  /** Pointers to every string value equal to the code, in document order ('' when the whole document is it). */
  found: string[];
  /** The top-level members when the document is an object (the last of duplicate names wins); else undefined. */
  members: Map<string, TopLevelValue> | undefined;
}

/** Scans `text` for string values equal to `code`; undefined when `text` is not JSON. */
export function scanJson(text: string, code: string): JsonScan | undefined {
  try {
    return new Scanner(text, code).scan();
  } catch (error) {
    if (error instanceof NotJson) return undefined;
    throw error;
  }
}

class NotJson extends Error {}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A string: anything but a quote, a backslash or a control character, or a valid escape.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SPACE = /[ \t\n\r]*/y;

// The open containers, outermost first, as parallel arrays shared by every scan (a scan runs to the
// end synchronously): a million nested or small containers allocate nothing per container, so
// thirty answers judged one after another leave no garbage behind them.
/** Whether the container at each depth is an object. */
const objectAt: boolean[] = [];
/** The current member's name, or the current element's index. */
const keyAt: (string | number)[] = [];
/** The container's own pointer, made only when a find needs it. */
const pointerAt: (string | undefined)[] = [];
/** Where in `found` the current member's finds begin. */
const memberStartAt: number[] = [];
/** For objects: the finds under each member name, as [start, end) in `found`, to drop on a repeated name. */
const findsAt: (Map<string, [number, number]> | undefined)[] = [];
/** Past this depth the shared arrays are released after a scan rather than kept for the next. */
const KEPT_DEPTH = 4096;

class Scanner {
  private at = 0;
  /** Pointers found; a slot becomes undefined when a repeated member name replaces its value. */
  private readonly found: (string | undefined)[] = [];
  private depth = 0;
  private deepest = 0;
  private members: Map<string, TopLevelValue> | undefined;

  constructor(
    private readonly text: string,
    private readonly code: string,
  ) {}

  scan(): JsonScan {
    try {
      return this.document();
    } finally {
      // Nothing of this answer stays reachable from the shared arrays.
      if (this.deepest > KEPT_DEPTH) {
        for (const array of [objectAt, keyAt, pointerAt, memberStartAt, findsAt]) array.length = 0;
      } else {
        keyAt.fill(0, 0, this.deepest);
        pointerAt.fill(undefined, 0, this.deepest);
        findsAt.fill(undefined, 0, this.deepest);
      }
    }
  }

  private document(): JsonScan {
    this.space();
    let value = this.value();
    while (this.depth > 0) {
      // `value` is complete; it belongs to the innermost open container.
      const d = this.depth - 1;
      const object = objectAt[d]!;
      if (object) {
        const name = keyAt[d] as string;
        if (this.depth === 1) this.members!.set(name, value);
        if (this.found.length > memberStartAt[d]!) {
          const finds = findsAt[d] ?? new Map<string, [number, number]>();
          findsAt[d] = finds;
          finds.set(name, [memberStartAt[d]!, this.found.length]);
        }
      }
      this.space();
      const char = this.text[this.at];
      if (char === ',') {
        this.at++;
        this.space();
        if (object) this.readName(d);
        else keyAt[d] = (keyAt[d] as number) + 1;
        value = this.value();
      } else if (char === (object ? '}' : ']')) {
        this.at++;
        this.depth--;
        value = { nested: object ? 'object' : 'array', empty: false };
      } else {
        throw new NotJson();
      }
    }
    this.space();
    if (this.at !== this.text.length) throw new NotJson();
    return { found: this.found.filter((pointer) => pointer !== undefined), members: this.members };
  }

  /**
   * Reads a value at `at`: a primitive, or opening brackets (pushed on the stack, down to the first
   * primitive or empty container). Returns the value that completed.
   */
  private value(): TopLevelValue {
    for (;;) {
      const char = this.text[this.at];
      if (char !== '{' && char !== '[') return this.primitive();
      const object = char === '{';
      if (object && this.depth === 0) this.members = new Map();
      this.at++;
      this.space();
      if (this.text[this.at] === (object ? '}' : ']')) {
        this.at++;
        return { nested: object ? 'object' : 'array', empty: true };
      }
      const d = this.depth++;
      this.deepest = Math.max(this.deepest, this.depth);
      objectAt[d] = object;
      keyAt[d] = 0;
      pointerAt[d] = undefined;
      memberStartAt[d] = this.found.length;
      findsAt[d] = undefined;
      if (object) this.readName(d);
    }
  }

  /** A member's name and its colon; a repeated name drops what was found under the earlier value. */
  private readName(d: number): void {
    const name = this.string();
    this.space();
    if (this.text[this.at] !== ':') throw new NotJson();
    this.at++;
    this.space();
    const earlier = findsAt[d]?.get(name);
    if (earlier) {
      for (let i = earlier[0]; i < earlier[1]; i++) this.found[i] = undefined;
      findsAt[d]!.delete(name);
    }
    // A repeated name takes the last value, as JSON.parse does.
    if (this.depth === 1) this.members!.delete(name);
    keyAt[d] = name;
    memberStartAt[d] = this.found.length;
  }

  private primitive(): TopLevelValue {
    const char = this.text[this.at];
    if (char === '"') {
      const value = this.string();
      if (value === this.code) this.found.push(this.pointer());
      return value;
    }
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    const start = this.at;
    this.match(NUMBER);
    // Only top-level members' values are kept; nested numbers are just checked.
    return this.depth <= 1 ? Number(this.text.slice(start, this.at)) : 0;
  }

  /** The pointer of the value being read: its containers' pointers are made once and shared. */
  private pointer(): string {
    let known = this.depth;
    while (known > 0 && pointerAt[known - 1] === undefined) known--;
    for (let d = known; d < this.depth; d++) {
      pointerAt[d] = d === 0 ? '' : `${pointerAt[d - 1]}/${escapeSegment(String(keyAt[d - 1]))}`;
    }
    return this.depth === 0 ? '' : `${pointerAt[this.depth - 1]}/${escapeSegment(String(keyAt[this.depth - 1]))}`;
  }

  private string(): string {
    const start = this.at;
    this.match(STRING);
    const token = this.text.slice(start, this.at);
    return token.includes('\\') ? (JSON.parse(token) as string) : token.slice(1, -1);
  }

  private match(pattern: RegExp): void {
    pattern.lastIndex = this.at;
    if (!pattern.test(this.text)) throw new NotJson();
    this.at = pattern.lastIndex;
  }

  private space(): void {
    SPACE.lastIndex = this.at;
    SPACE.test(this.text);
    this.at = SPACE.lastIndex;
  }
}

const LITERALS: readonly (readonly [string, boolean | null])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

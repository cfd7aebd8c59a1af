import type { Value } from './values.js';

interface Binding {
  value?: Value;
  /** Computed on first read (imports, hoisted declarations). */
  init?: () => Value;
  busy?: boolean;
}

/** A lexical scope of the interpreter. */
export class Env {
  private readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Env) {}

  declare(name: string, value: Value): void {
    this.vars.set(name, { value });
  }

  declareLazy(name: string, init: () => Value): void {
    this.vars.set(name, { init });
  }

  hasOwn(name: string): boolean {
    return this.vars.has(name);
  }

  lookup(name: string): Value | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const b = e.vars.get(name);
      if (!b) continue;
      if (b.value === undefined && b.init) {
        if (b.busy) return undefined;
        b.busy = true;
        try {
          b.value = b.init();
        } finally {
          b.busy = false;
        }
        b.init = undefined;
      }
      return b.value;
    }
    return undefined;
  }

  /**
   * The binding of `name` without computing it: a lazy value when it is an import not yet loaded (so that passing it
   * along, `validate(createUserSchema)`, does not parse the module it comes from), else the value.
   */
  peek(name: string): Value | undefined {
    for (let e: Env | undefined = this; e; e = e.parent) {
      const b = e.vars.get(name);
      if (!b) continue;
      if (b.value === undefined && b.init && !b.busy) {
        const self = e;
        return { kind: 'lazy', get: () => self.lookup(name) ?? { kind: 'undef' } };
      }
      return this.lookup(name);
    }
    return undefined;
  }

  /** Assigns to the nearest scope that declares `name`; declares it at the top when none does (sloppy globals). */
  assign(name: string, value: Value): void {
    let top: Env = this;
    for (let e: Env | undefined = this; e; e = e.parent) {
      const b = e.vars.get(name);
      if (b) {
        b.value = value;
        b.init = undefined;
        return;
      }
      top = e;
    }
    top.vars.set(name, { value });
  }
}
